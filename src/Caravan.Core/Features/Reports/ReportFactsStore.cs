using System.Data;
using System.Security.Cryptography;
using System.Text;
using Caravan.Data;
using Caravan.Features.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Reports;

/// <summary>
/// A snapshot's report facts, frozen: one row per snapshot, written once (the snapshot id is the key), as canonical
/// JSON with its SHA-256. Derived from audited data and anchored by the snapshot, so not itself appended to the trail
/// (a facts row would copy the whole report into it).
/// </summary>
public sealed class FrozenReportFacts : IUnaudited
{
    public required string SnapshotId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public required string Json { get; set; }
    public required string Sha256 { get; set; }
}

internal sealed class FrozenReportFactsConfiguration : IEntityTypeConfiguration<FrozenReportFacts>
{
    public void Configure(EntityTypeBuilder<FrozenReportFacts> e)
    {
        e.ToTable("ReportFacts");
        e.HasKey(x => x.SnapshotId);
        e.Property(x => x.SnapshotId).HaveSlugLength();
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.HasOne<Commitments.Snapshot>().WithMany().HasForeignKey(x => x.SnapshotId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// Reads the report's facts in one consistent state of the database, and freezes a snapshot's facts the first time
/// they are needed.
/// </summary>
public sealed class ReportFactsStore(CaravanDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The snapshot's frozen facts: stored ones if any, else read now (in one read transaction) and stored under the
    /// writers' lock — two first requests at once store one row, and both get that row. Null for an unknown snapshot.
    /// Call it right after a round closes (inside the close's write step, or after it commits), so that the facts are
    /// those of the close; not inside a transaction begun outside <see cref="CaravanDbContext.WriteAsync{T}"/>.
    /// </summary>
    public async Task<ReportFacts?> EnsureFactsFrozenAsync(string snapshotId, CancellationToken ct)
    {
        if (await StoredAsync(snapshotId, ct) is { } stored) return stored;
        var read = await db.ReadAsOneAsync(() => new ReportFactsReader(db).ReadAsync(snapshotId,
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct), ct);
        if (read is null) return null;
        var json = read.ToJson();
        var kept = await db.WriteAsync(async () =>
        {
            // Checked under the lock: another request may have frozen them since this one looked.
            var row = await db.Set<FrozenReportFacts>().AsNoTracking().FirstOrDefaultAsync(
                r => r.SnapshotId == snapshotId, ct);
            if (row is not null) return row.Json;
            var frozen = new FrozenReportFacts
            {
                SnapshotId = snapshotId, Version = read.Version, TakenAt = clock.GetUtcNow(), Json = json,
                Sha256 = HashOf(json),
            };
            db.Set<FrozenReportFacts>().Add(frozen);
            await db.SaveChangesAsync(ct);
            // Only this row is let go: a caller's own write step (a round's close) keeps what it tracks.
            db.Entry(frozen).State = EntityState.Detached;
            return json;
        }, ct);
        return ReportFacts.FromJson(kept);
    }

    /// <summary>The facts stored for the snapshot, or null when they are not frozen yet.</summary>
    public async Task<ReportFacts?> StoredAsync(string snapshotId, CancellationToken ct)
    {
        var json = await db.Set<FrozenReportFacts>().AsNoTracking().Where(r => r.SnapshotId == snapshotId)
            .Select(r => r.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : ReportFacts.FromJson(json);
    }

    public static string HashOf(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
