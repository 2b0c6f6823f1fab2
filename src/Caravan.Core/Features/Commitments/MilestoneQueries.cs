using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Commitments;

/// <summary>A milestone with its status on a given day.</summary>
public sealed record MilestoneView(Milestone Milestone, MilestoneStatus Status)
{
    public bool AchievedLate => MilestoneRules.AchievedLate(Milestone.Due, Milestone.AchievedOn);
}

/// <summary>
/// Plain reads of published milestones. A mechanism has hundreds of milestones, not millions, and a partial due date
/// ("2026-06") is compared by its last day, so they are filtered in memory after one indexed read.
/// </summary>
public static class MilestoneQueries
{
    /// <summary>A commitment's milestones with their status today, by due (or achieved) date, then id.</summary>
    public static async Task<List<MilestoneView>> OfCommitmentAsync(CaravanDbContext db, string commitmentId,
        DateOnly today, CancellationToken ct = default) =>
        [.. (await db.Milestones.AsNoTracking().Where(m => m.CommitmentId == commitmentId).ToListAsync(ct))
            .OrderBy(m => MilestoneRules.DateOf(m)?.Latest ?? DateOnly.MaxValue).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => new MilestoneView(m, MilestoneRules.StatusOf(m, today)))];

    /// <summary>
    /// The milestones falling due between <paramref name="from"/> and <paramref name="to"/> (both days included):
    /// published, not cancelled, not yet achieved, whose due date's last allowed day is in the range ("2026-06" falls
    /// due on 30 June 2026). With <paramref name="state"/>: those about that state, and those about every party of
    /// a commitment that binds it. Ordered by due day, then id.
    /// </summary>
    public static async Task<List<Milestone>> DueBetweenAsync(CaravanDbContext db, DateOnly from, DateOnly to,
        string? state = null, CancellationToken ct = default)
    {
        var open = await db.Milestones.AsNoTracking().Where(m => !m.Cancelled && m.AchievedOn == null && m.Due != null)
            .ToListAsync(ct);
        var due = open.Where(m => MilestoneRules.FallsDueBetween(m, from, to)).ToList();
        if (state is not null)
        {
            var ids = due.Select(m => m.CommitmentId).Distinct().ToList();
            var parties = await db.Commitments.AsNoTracking().Where(c => ids.Contains(c.Id))
                .ToDictionaryAsync(c => c.Id, c => c.Parties, ct);
            due = [.. due.Where(m => MilestoneRules.Concerns(m, parties[m.CommitmentId], state))];
        }
        return [.. due.OrderBy(m => m.Due!.Value.Latest).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    /// <summary>How many milestones of each commitment are overdue today (commitments with none are absent).</summary>
    public static async Task<Dictionary<string, int>> OverdueCountsAsync(CaravanDbContext db, DateOnly today,
        IReadOnlyCollection<string>? commitmentIds = null, CancellationToken ct = default)
    {
        var q = db.Milestones.AsNoTracking().Where(m => !m.Cancelled && m.AchievedOn == null && m.Due != null);
        if (commitmentIds is not null) q = q.Where(m => commitmentIds.Contains(m.CommitmentId));
        return (await q.Select(m => new { m.CommitmentId, m.Due, m.AchievedOn, m.Cancelled }).ToListAsync(ct))
            .Where(m => MilestoneRules.StatusOf(m.Due, m.AchievedOn, m.Cancelled, today) == MilestoneStatus.Overdue)
            .GroupBy(m => m.CommitmentId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
