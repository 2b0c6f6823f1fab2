using Caravan.Features.Commitments;
using Caravan.Web.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Commitments;

/// <summary>
/// Compliance per state, direction and lead body for a reporting period, in the research groups' convention.
/// </summary>
public sealed class ScorecardsModel(CommitmentQueries commitments, TimeProvider clock) : PageModel
{
    [FromQuery] public string? Period { get; set; }
    public List<ReportingPeriod> Periods { get; private set; } = [];
    public Scorecard? Card { get; private set; }
    /// <summary>
    /// The period's commitments scored for some of their parties only: their status is shown with "k of n parties
    /// assessed".
    /// </summary>
    public List<CommitmentView> PartlyAssessed { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Periods = await commitments.PeriodsAsync(ct);
        Card = await commitments.ScorecardAsync(Periods.Any(p => p.Id == Period) ? Period : null,
            TreatiesApi.Today(clock), ct);
        if (Card is not null)
            PartlyAssessed = [.. (await commitments.ListAsync(new CommitmentFilter(), TreatiesApi.Today(clock), ct))
                .Where(v => v.PartlyAssessed && v.Commitment.Counts && v.CollectivePeriodId == Card.Period.Id)];
    }
}
