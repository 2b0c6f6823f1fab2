using Caravan.Features.Treaties;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Treaties;

public sealed class ListModel(TreatyQueries treaties, TimeProvider clock) : PageModel
{
    public List<TreatyView> Treaties { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Treaties = await treaties.ListAsync(TreatiesApi.Today(clock), ct);
}
