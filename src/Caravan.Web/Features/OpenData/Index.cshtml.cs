using Caravan.Features.OpenData;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.OpenData;

/// <summary>/open-data: every release with its date, size, hash, licence, citation, changes and download.</summary>
public sealed class IndexModel(OpenDataReleases releases, OpenDataSettings settings) : PageModel
{
    public IReadOnlyList<ReleaseListing> Releases { get; private set; } = [];
    public OpenDataSettings Settings { get; } = settings;

    public async Task OnGetAsync(CancellationToken ct) => Releases = await releases.ListAsync(ct);
}
