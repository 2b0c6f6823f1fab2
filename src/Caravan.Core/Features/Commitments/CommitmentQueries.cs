using Caravan.Data;
using Caravan.Features.Treaties;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Commitments;

/// <summary>
/// A commitment with its assessments, its collective status in the current period and its freshness light.
/// </summary>
public sealed record CommitmentView(
    Commitment Commitment, IReadOnlyList<ComplianceAssessment> Assessments, double? Collective,
    string? CollectivePeriodId, CommitmentStatus Status, Freshness Freshness, int PartiesAssessed = 0,
    int PartiesBound = 0, int OverdueMilestones = 0)
{
    /// <summary>Scored, but not every bound party: the status is shown with "k of n parties assessed".</summary>
    public bool PartlyAssessed => Collective is not null && PartiesAssessed < PartiesBound;
}

/// <summary>The explorer's filters; null means any.</summary>
public sealed record CommitmentFilter(string? State = null, string? Direction = null, string? Body = null,
    string? Document = null, CommitmentStatus? Status = null, Freshness? Freshness = null);

/// <summary>A commitment's collective status, as a word: +1 complied, −1 not complied, in between partly.</summary>
public enum CommitmentStatus
{
    NotAssessed,
    NotComplied,
    Partly,
    Complied,
    Cancelled,
}

/// <summary>The roll-ups of one period: overall, per state, per direction and per lead body.</summary>
public sealed record Scorecard(ReportingPeriod Period, RollUp Overall, IReadOnlyDictionary<string, RollUp> ByState,
    IReadOnlyDictionary<string, RollUp> ByDirection, IReadOnlyDictionary<string, RollUp> ByBody, int Commitments,
    int Scores);

public sealed class CommitmentQueries(CaravanDbContext db, TreatyQueries treaties)
{
    public Task<List<ReportingPeriod>> PeriodsAsync(CancellationToken ct = default) =>
        db.ReportingPeriods.AsNoTracking().OrderBy(p => p.Order).ToListAsync(ct);

    /// <summary>
    /// The period under way: the latest one that has begun and is not closed (else the latest that has begun).
    /// </summary>
    public static ReportingPeriod? Current(IReadOnlyList<ReportingPeriod> periods, DateOnly today) =>
        periods.Where(p => p.From.Earliest <= today && !p.Closed).OrderBy(p => p.Order).LastOrDefault()
        ?? periods.Where(p => p.From.Earliest <= today).OrderBy(p => p.Order).LastOrDefault();

    public async Task<List<CommitmentView>> ListAsync(CommitmentFilter filter, DateOnly today,
        CancellationToken ct = default)
    {
        var periods = await PeriodsAsync(ct);
        var commitments = await db.Commitments.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var assessments = (await db.Assessments.AsNoTracking().ToListAsync(ct)).ToLookup(a => a.CommitmentId);
        var inForce = (await treaties.ListAsync(today, ct)).Where(t => t.Evaluation.Status == TreatyStatus.InForce)
            .Select(t => t.Document.Id).ToHashSet();
        var overdue = await MilestoneQueries.OverdueCountsAsync(db, today, ct: ct);
        var views = commitments.Select(c => View(c, [.. assessments[c.Id]], periods, inForce, today,
            overdue.GetValueOrDefault(c.Id)));
        return [.. views.Where(v => Matches(v, filter))];
    }

    /// <summary>
    /// The published projects that deliver a commitment (linked by the secretariat): identifier, stage and titles (JSON
    /// narratives).
    /// </summary>
    public async Task<List<(string Identifier, Projects.ProjectStage Stage, string Titles)>> DeliveringProjectsAsync(
        string id, CancellationToken ct = default) =>
        [.. (await db.ProjectCommitments.AsNoTracking().Where(l => l.CommitmentId == id)
                .Join(db.Projects.Where(p => p.Published), l => l.ProjectId, p => p.Id,
                    (l, p) => new { p.IatiIdentifier, Stage = p.StageOverride ?? p.Stage, p.Titles })
                .OrderBy(p => p.IatiIdentifier).ToListAsync(ct))
            .Select(p => (p.IatiIdentifier, p.Stage, p.Titles))];

    public async Task<CommitmentView?> GetAsync(string id, DateOnly today, CancellationToken ct = default)
    {
        var commitment = await db.Commitments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (commitment is null) return null;
        var periods = await PeriodsAsync(ct);
        var inForce = commitment.ActiveOnceInForceId is { } treaty
            && (await treaties.GetAsync(treaty, today, ct))?.Evaluation.Status == TreatyStatus.InForce
            ? new HashSet<string> { treaty } : [];
        var overdue = await MilestoneQueries.OverdueCountsAsync(db, today, [id], ct);
        return View(commitment, await db.Assessments.AsNoTracking().Where(a => a.CommitmentId == id).ToListAsync(ct),
            periods, inForce, today, overdue.GetValueOrDefault(id));
    }

    /// <summary>
    /// The roll-ups of a period (the current one by default), counting only commitments that count. The
    /// database adds the scores up (per state, and per commitment for directions and bodies): at 10,000
    /// commitments a period holds 60,000 scores, which are not worth carrying into memory one by one.
    /// </summary>
    public async Task<Scorecard?> ScorecardAsync(string? periodId, DateOnly today, CancellationToken ct = default)
    {
        var periods = await PeriodsAsync(ct);
        var period = periodId is null ? Current(periods, today) : periods.FirstOrDefault(p => p.Id == periodId);
        if (period is null) return null;
        var counted = db.Commitments.Where(c => !c.Cancelled && c.SupersededById == null && c.MergedIntoId == null);
        var scores = db.Assessments.Where(a => a.PeriodId == period.Id);
        var byState = await scores.Join(counted, a => a.CommitmentId, c => c.Id, (a, c) => a)
            .GroupBy(a => a.StateId).Select(g => new { g.Key, Sum = g.Sum(a => a.Score), Count = g.Count() })
            .ToListAsync(ct);
        var byCommitment = await scores.GroupBy(a => a.CommitmentId)
            .Select(g => new { g.Key, Sum = g.Sum(a => a.Score), Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, ct);
        var commitments = await counted.Select(c => new { c.Id, c.DirectionId, c.LeadBodies }).ToListAsync(ct);
        var parts = commitments.Where(c => byCommitment.ContainsKey(c.Id)).Select(c => (c, byCommitment[c.Id]))
            .ToList();
        var total = (Sum: byState.Sum(s => (long)s.Sum), Count: byState.Sum(s => s.Count));
        return new Scorecard(period,
            ComplianceRules.FromSum(total.Sum, total.Count),
            ComplianceRules.BySums(byState.Select(s => ((IEnumerable<string>)[s.Key], (long)s.Sum, s.Count))),
            ComplianceRules.BySums(
                parts.Select(
                    p => (p.c.DirectionId is null ? (IEnumerable<string>)[] : [p.c.DirectionId], (long)p.Item2.Sum,
                        p.Item2.Count))),
            ComplianceRules.BySums(
                parts.Select(p => ((IEnumerable<string>)p.c.LeadBodies, (long)p.Item2.Sum, p.Item2.Count))),
            parts.Count, total.Count);
    }

    private static CommitmentView View(Commitment c, List<ComplianceAssessment> assessments,
        List<ReportingPeriod> periods, HashSet<string> treatiesInForce, DateOnly today, int overdueMilestones)
    {
        var order = periods.ToDictionary(p => p.Id, p => p.Order);
        var current = Current(periods, today);
        // The latest period with scores: the collective status shown.
        var latest = assessments.Where(a => order.ContainsKey(a.PeriodId)).GroupBy(a => a.PeriodId)
            .OrderByDescending(g => order[g.Key]).FirstOrDefault();
        var combined = ComplianceRules.CollectiveOf(c.Combine, c.Parties,
            latest is null
                ? new Dictionary<string, int>()
                : latest.ToDictionary(a => a.StateId, a => a.Score, StringComparer.Ordinal));
        var collective = combined.Value;
        var status = ComplianceRules.StatusOf(collective, c.Counts);
        var waiting = c.ActiveOnceInForceId is { } treaty && !treatiesInForce.Contains(treaty);
        var activeFrom = waiting ? int.MaxValue : order.GetValueOrDefault(c.FirstPeriodId, 1);
        int? lastAssessed = latest is null ? null : order[latest.Key];
        var freshness = current is null || !c.Counts ? Freshness.NotYetActive
            : ComplianceRules.FreshnessOf(lastAssessed, activeFrom, current.Order, current.DueOn is { } due
                && due.Latest < today, overdueMilestones);
        return new CommitmentView(c, assessments, collective, latest?.Key, status, freshness, combined.Assessed,
            combined.Bound, overdueMilestones);
    }

    private static bool Matches(CommitmentView v, CommitmentFilter f)
    {
        var c = v.Commitment;
        return (f.State is null || c.Parties.Contains(f.State))
            && (f.Direction is null || c.DirectionId == f.Direction)
            && (f.Body is null || c.LeadBodies.Contains(f.Body) || c.SupportingBodies.Contains(f.Body))
            && (f.Document is null || c.DocumentId == f.Document)
            && (f.Status is null || v.Status == f.Status)
            && (f.Freshness is null || v.Freshness == f.Freshness);
    }
}
