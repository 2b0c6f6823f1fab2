using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Commitments;

/// <summary>
/// "Status as at meeting X": every commitment's collective status and every party's score in a reporting
/// period, frozen when the period closes. Later edits to commitments cannot change it.
/// </summary>
public sealed class Snapshot
{
    /// <summary>The period's id: one snapshot per period.</summary>
    public required string Id { get; set; }
    public required string PeriodId { get; set; }
    public string? MeetingId { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public required string TakenBy { get; set; }
    public List<SnapshotItem> Items { get; set; } = [];
    /// <summary>
    /// The audit trail's head when the snapshot was taken (an anchor: <c>audit verify</c> checks the trail still
    /// holds it); null for a snapshot taken before heads were recorded, or on an empty trail.
    /// </summary>
    public long? AuditHeadId { get; set; }
    public string? AuditHeadSeal { get; set; }
}

/// <summary>
/// One commitment as it stood: its status, collective score and each party's score (absent: not assessed).
/// </summary>
public sealed record SnapshotItem(string CommitmentId, CommitmentStatus Status, double? Collective,
    Dictionary<string, int> Scores);

public enum SnapshotChange
{
    Unchanged,
    Improved,
    Worsened,
    /// <summary>Assessed in the later snapshot, not in the earlier one.</summary>
    NewlyAssessed,
    /// <summary>Assessed in the earlier snapshot, not (yet) in the later one.</summary>
    NotAssessed,
    /// <summary>Not in the earlier snapshot at all (a new commitment).</summary>
    Added,
    /// <summary>In the earlier snapshot, not in the later one.</summary>
    Removed,
}

public sealed record SnapshotDifference(string CommitmentId, SnapshotItem? Before, SnapshotItem? After,
    SnapshotChange Change);

public static class SnapshotComparison
{
    /// <summary>What changed between two snapshots, commitment by commitment, in id order.</summary>
    public static List<SnapshotDifference> Compare(IReadOnlyList<SnapshotItem> before,
        IReadOnlyList<SnapshotItem> after)
    {
        var a = before.ToDictionary(i => i.CommitmentId, StringComparer.Ordinal);
        var b = after.ToDictionary(i => i.CommitmentId, StringComparer.Ordinal);
        return [.. a.Keys.Union(b.Keys).Order(StringComparer.Ordinal).Select(id =>
        {
            var x = a.GetValueOrDefault(id);
            var y = b.GetValueOrDefault(id);
            var change = (x, y) switch
            {
                (null, _) => SnapshotChange.Added,
                (_, null) => SnapshotChange.Removed,
                ({ Collective: null }, { Collective: not null }) => SnapshotChange.NewlyAssessed,
                ({ Collective: not null }, { Collective: null }) when y.Status != CommitmentStatus.Cancelled
                    => SnapshotChange.NotAssessed,
                ({ Collective: { } p }, { Collective: { } q }) when q > p => SnapshotChange.Improved,
                ({ Collective: { } p }, { Collective: { } q }) when q < p => SnapshotChange.Worsened,
                _ when x.Status != y.Status && y.Status == CommitmentStatus.Cancelled => SnapshotChange.Worsened,
                _ => SnapshotChange.Unchanged,
            };
            return new SnapshotDifference(id, x, y, change);
        })];
    }
}

/// <summary>
/// Takes snapshots: at the close of a period (the secretariat), and for closed periods that have none (after seeding).
/// </summary>
/// <summary>Why a reporting period cannot be closed.</summary>
public static class SnapshotMessages
{
    /// <summary>The period is closed already: its snapshot is taken once.</summary>
    public static readonly MessageCode Exists = new("snapshot.exists");
}

public sealed class Snapshots(CaravanDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The items of a period as they stand now: scores of that period only, combined by each commitment's rule.
    /// </summary>
    public async Task<List<SnapshotItem>> ItemsOfAsync(string periodId, CancellationToken ct)
    {
        var commitments = await db.Commitments.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var scores = (await db.Assessments.AsNoTracking().Where(a => a.PeriodId == periodId).ToListAsync(ct))
            .ToLookup(a => a.CommitmentId);
        return [.. commitments.Select(c =>
        {
            var own = scores[c.Id].ToDictionary(a => a.StateId, a => a.Score, StringComparer.Ordinal);
            var collective = ComplianceRules.CollectiveOf(c.Combine, c.Parties, own).Value;
            var status = ComplianceRules.StatusOf(collective, c.Counts);
            return new SnapshotItem(c.Id, status, collective, own);
        })];
    }

    /// <summary>
    /// Closes the period and freezes its snapshot, in one save; else why not:
    /// <see cref="RecordMessages.UnknownPeriod"/> or <see cref="SnapshotMessages.Exists"/> (already closed).
    /// </summary>
    public async Task<(Snapshot? Snapshot, MessageCode? Error)> CloseAsync(
        string periodId, AuditActor actor, CancellationToken ct)
    {
        var period = await db.ReportingPeriods.FirstOrDefaultAsync(p => p.Id == periodId, ct);
        if (period is null) return (null, RecordMessages.UnknownPeriod);
        if (period.Closed || await db.Snapshots.AnyAsync(s => s.Id == periodId, ct))
            return (null, SnapshotMessages.Exists);
        var head = await new AuditQueries(db).AnchorAsync(ct);
        var snapshot = new Snapshot { Id = periodId, PeriodId = periodId, MeetingId = period.ClosesAtMeetingId,
            TakenAt = clock.GetUtcNow(), TakenBy = actor.Actor, Items = await ItemsOfAsync(periodId, ct),
            AuditHeadId = head?.Id, AuditHeadSeal = head?.Hash };
        period.Closed = true;
        db.Snapshots.Add(snapshot);
        db.Actor = actor;
        await db.SaveChangesAsync(ct);
        return (snapshot, null);
    }

    /// <summary>A closed period loaded from the seed gets its snapshot once, as the seed left it.</summary>
    public async Task<int> EnsureForClosedPeriodsAsync(CancellationToken ct)
    {
        var missing = await db.ReportingPeriods.Where(p => p.Closed && !db.Snapshots.Any(s => s.Id == p.Id))
            .ToListAsync(ct);
        var head = missing.Count > 0 ? await new AuditQueries(db).AnchorAsync(ct) : null;
        foreach (var period in missing)
            db.Snapshots.Add(
                new Snapshot { Id = period.Id, PeriodId = period.Id, MeetingId = period.ClosesAtMeetingId,
                    TakenAt = clock.GetUtcNow(), TakenBy = "system:seed", Items = await ItemsOfAsync(period.Id, ct),
                    AuditHeadId = head?.Id, AuditHeadSeal = head?.Hash });
        if (missing.Count > 0)
        {
            db.Actor = new AuditActor("system:seed", "system", "snapshot of a closed reporting period");
            await db.SaveChangesAsync(ct);
        }
        return missing.Count;
    }
}
