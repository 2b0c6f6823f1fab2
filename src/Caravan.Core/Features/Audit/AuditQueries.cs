using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Audit;

public sealed class AuditQueries(CaravanDbContext db)
{
    /// <summary>Walks the whole trail in order, streaming (constant memory whatever its length).</summary>
    public AuditVerification Verify((long Id, string Hash)? anchor = null) =>
        AuditChain.Verify(db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsEnumerable(), anchor);

    /// <summary>The last entry's position and hash, to keep out of band and pass back to <see cref="Verify"/>.</summary>
    public async Task<(long Id, string Hash)?> AnchorAsync(CancellationToken ct = default)
    {
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
        return last is null ? null : (last.Id, last.Hash);
    }

    /// <summary>The history of one record, newest first.</summary>
    public Task<List<AuditEntry>> HistoryAsync(string subjectType, string subjectId, CancellationToken ct = default) =>
        db.AuditEntries.AsNoTracking().Where(e => e.SubjectType == subjectType && e.SubjectId == subjectId)
            .OrderByDescending(e => e.Id).ToListAsync(ct);
}
