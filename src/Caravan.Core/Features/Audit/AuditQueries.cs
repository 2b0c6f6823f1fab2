using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Audit;

public sealed class AuditQueries(CaravanDbContext db)
{
    /// <summary>
    /// Walks the whole trail in order, streaming (constant memory whatever its length), with the context's keys,
    /// against every anchor the database holds (<see cref="RecordedAnchors"/>) and any given from elsewhere.
    /// </summary>
    public AuditVerification Verify(IEnumerable<AuditHead>? anchors = null) =>
        AuditChain.Verify(db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsEnumerable(),
            AuditSealExtension.KeysOf(db), [.. RecordedAnchors(), .. anchors ?? []]);

    /// <summary>The heads recorded in the database: each anchor, and each snapshot's head at its close.</summary>
    public List<AuditHead> RecordedAnchors()
    {
        var anchors = db.Set<AuditAnchor>().AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.EntryId, a.Seal, a.Source, a.At }).AsEnumerable()
            .Select(a => new AuditHead(a.EntryId, a.Seal,
                $"the {a.Source} anchor of {a.At.UtcDateTime:yyyy-MM-dd HH:mm}Z"));
        var snapshots = db.Snapshots.AsNoTracking().Where(s => s.AuditHeadId != null).OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.AuditHeadId, s.AuditHeadSeal }).AsEnumerable()
            .Select(s => new AuditHead(s.AuditHeadId!.Value, s.AuditHeadSeal!, $"the snapshot {s.Id}"));
        return [.. anchors, .. snapshots];
    }

    /// <summary>
    /// Records the head as an anchor (unless the last anchor already holds it) and returns it; null for an
    /// empty trail.
    /// </summary>
    public async Task<(AuditHead Head, bool Recorded)?> RecordAnchorAsync(string source, DateTimeOffset at,
        CancellationToken ct = default)
    {
        if (await AnchorAsync(ct) is not { } head) return null;
        var last = await db.Set<AuditAnchor>().AsNoTracking().OrderByDescending(a => a.Id)
            .Select(a => new { a.EntryId, a.Seal }).FirstOrDefaultAsync(ct);
        var result = new AuditHead(head.Id, head.Hash, source);
        if (last is not null && last.EntryId == head.Id && last.Seal == head.Hash) return (result, false);
        db.Set<AuditAnchor>().Add(new AuditAnchor
            { EntryId = head.Id, Seal = head.Hash, At = AuditChain.Normalise(at), Source = source });
        await db.SaveChangesAsync(ct);
        return (result, true);
    }

    /// <summary>
    /// The last entry's position and hash, to keep out of band and pass back to <see cref="Verify"/>.
    /// </summary>
    public async Task<(long Id, string Hash)?> AnchorAsync(CancellationToken ct = default)
    {
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash })
            .FirstOrDefaultAsync(ct);
        return last is null ? null : (last.Id, last.Hash);
    }

    /// <summary>
    /// The history of one record, newest first; with <paramref name="citedAs"/>, also the changes to its
    /// citations (filed as <c>citation</c>, <c>{citedAs}/{id}</c>), so each earlier figure keeps its sources.
    /// </summary>
    public Task<List<AuditEntry>> HistoryAsync(string subjectType, string subjectId, CancellationToken ct = default,
        string? citedAs = null)
    {
        var citations = citedAs is null ? null : $"{citedAs}/{subjectId}";
        return db.AuditEntries.AsNoTracking()
            .Where(e => (e.SubjectType == subjectType && e.SubjectId == subjectId)
                || (citations != null && e.SubjectType == "citation" && e.SubjectId == citations))
            .OrderByDescending(e => e.Id).ToListAsync(ct);
    }

    /// <summary>The log, newest first, filtered; with the total count for paging.</summary>
    public async Task<(List<AuditEntry> Entries, int Total)> SearchAsync(AuditFilter filter, int page, int pageSize,
        CancellationToken ct = default)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (filter.Actor is { } actor) q = q.Where(e => e.Actor.Contains(actor));
        if (filter.Role is { } role) q = q.Where(e => e.Role.StartsWith(role));
        if (filter.Action is { } action) q = q.Where(e => e.Action == action);
        if (filter.SubjectType is { } type) q = q.Where(e => e.SubjectType == type);
        if (filter.SubjectId is { } id) q = q.Where(e => e.SubjectId == id);
        if (filter.From is { } from)
        {
            var first = await FirstIdAtOrAfterAsync(from, ct); q = q.Where(e => e.Id >= first);
        }
        if (filter.To is { } to) { var end = await FirstIdAtOrAfterAsync(to, ct); q = q.Where(e => e.Id < end); }
        var total = await q.CountAsync(ct);
        var entries = await q.OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (entries, total);
    }

    /// <summary>
    /// Entries are appended in time order with positions 1, 2, 3…, so a time bound is a position, found by
    /// bisection in about 20 key lookups for a million entries. (SQLite cannot compare DateTimeOffset in SQL.)
    /// </summary>
    private async Task<long> FirstIdAtOrAfterAsync(DateTimeOffset at, CancellationToken ct)
    {
        var last = await db.AuditEntries.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        long lo = 1, hi = last + 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var midAt = await db.AuditEntries.AsNoTracking().Where(e => e.Id == mid).Select(e => e.At).FirstAsync(ct);
            if (midAt < at) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>What the secretariat filters the log by; null means any.</summary>
public sealed record AuditFilter(string? Actor = null, string? Role = null, string? Action = null,
    string? SubjectType = null, string? SubjectId = null, DateTimeOffset? From = null, DateTimeOffset? To = null);
