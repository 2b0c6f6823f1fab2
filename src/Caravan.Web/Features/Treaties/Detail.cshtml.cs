using Caravan.Features.Sources;
using Caravan.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Treaties;

/// <summary>
/// The treaty status page, in the manner of the UN Treaty Collection: a row per party, a column per step,
/// and the status and date computed from the recorded steps by the treaty's entry-into-force clause.
/// </summary>
public sealed class DetailModel(TreatyQueries treaties, CitationQueries citations, TimeProvider clock) : PageModel
{
    public TreatyView? Treaty { get; private set; }
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Treaty = await treaties.GetAsync(id, TreatiesApi.Today(clock), ct);
        if (Treaty is null) return NotFound();
        Sources = await citations.ForAsync(SubjectTypes.RatificationStep,
            Treaty.Participants.SelectMany(p => p.Steps.Select(s => s.Id)), ct);
        return Page();
    }
}
