using Caravan.Features.Partnerships;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Partnerships;

/// <summary>One partnership: its two sides, institutions or terms, lifecycle with dates, and sources.</summary>
public sealed class DetailModel(PartnershipQueries partnerships, CitationQueries citations) : PageModel
{
    public Partnership? Partnership { get; private set; }
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Partnership = await partnerships.GetAsync(id, ct);
        if (Partnership is null) return NotFound();
        Sources = await citations.ForAsync(SubjectTypes.Partnership, Partnership.Id, ct);
        return Page();
    }
}
