using Caravan.Features.Commitments;
using Caravan.Shared;

namespace Caravan.Features.Dashboards;

/// <summary>
/// What a dashboard tile says about a set of commitments: how many, how far along, how fresh.
/// <paramref name="Commitments"/> counts those that count (not cancelled, superseded or merged);
/// <paramref name="ByStatus"/> has every status, cancelled ones included, zeros too.
/// <paramref name="Progress"/> is the mean of the assessed commitments' collective scores (−1…+1) as the
/// research groups' percentage; its Count is how many are assessed (0: nothing to say, not 50 %).
/// <paramref name="Stale"/> is overdue plus inactive; <paramref name="LastAssessed"/> the latest dated assessment;
/// <paramref name="PartlyAssessed"/> how many assessed commitments are scored for some of their parties only.
/// </summary>
public sealed record TileFigures(
    int Commitments, IReadOnlyDictionary<CommitmentStatus, int> ByStatus, RollUp Progress,
    IReadOnlyDictionary<Freshness, int> ByFreshness, int Stale, PartialDate? LastAssessed, int PartlyAssessed = 0)
{
    public int Assessed => Progress.Count;
}

/// <summary>The tiles' arithmetic over commitments as <see cref="CommitmentQueries"/> sees them. Pure.</summary>
public static class DashboardRules
{
    public static TileFigures Tile(IEnumerable<CommitmentView> views)
    {
        var list = views.ToList();
        var counted = list.Where(v => v.Commitment.Counts).ToList();
        var byStatus = Enum.GetValues<CommitmentStatus>().ToDictionary(s => s, s => list.Count(v => v.Status == s));
        var byFreshness = Enum.GetValues<Freshness>().ToDictionary(f => f, f => counted.Count(v => v.Freshness == f));
        var scored = counted.Where(v => v.Collective is not null).Select(v => v.Collective!.Value).ToList();
        var progress = scored.Count == 0
            ? RollUp.Empty
            : new RollUp(scored.Average(), ComplianceRules.Percent(scored.Average()), scored.Count);
        // A date known to the month or year is placed by its latest possible day: it cannot be later than that.
        var last = counted.SelectMany(v => v.Assessments).Select(a => a.AssessedOn).OfType<PartialDate>()
            .OrderByDescending(d => d.Latest).Cast<PartialDate?>().FirstOrDefault();
        return new TileFigures(counted.Count, byStatus, progress, byFreshness,
            byFreshness[Freshness.Overdue] + byFreshness[Freshness.Inactive], last,
            counted.Count(v => v.PartlyAssessed));
    }
}
