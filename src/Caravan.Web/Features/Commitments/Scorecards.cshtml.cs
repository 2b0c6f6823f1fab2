using Caravan.Features.Commitments;
using Caravan.Web.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Commitments;

/// <summary>Compliance per state, direction and lead body for a reporting period, in the research groups' convention.</summary>
public sealed class ScorecardsModel(CommitmentQueries commitments, TimeProvider clock) : PageModel
{
    [FromQuery] public string? Period { get; set; }
    public List<ReportingPeriod> Periods { get; private set; } = [];
    public Scorecard? Card { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Periods = await commitments.PeriodsAsync(ct);
        Card = await commitments.ScorecardAsync(Periods.Any(p => p.Id == Period) ? Period : null, TreatiesApi.Today(clock), ct);
    }
}
