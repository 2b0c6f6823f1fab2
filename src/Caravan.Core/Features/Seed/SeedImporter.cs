using Caravan.Data;
using Caravan.Features.Sources;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed;

public enum SeedOutcome
{
    /// <summary>The dataset was written (first load, or a newer version).</summary>
    Loaded,
    /// <summary>The database already holds this version with this content.</summary>
    Unchanged,
    /// <summary>The database holds a newer version; the older file was not applied.</summary>
    OlderThanDatabase,
    /// <summary>
    /// The file changed but its version did not: not applied, so that a version always means one content.
    /// </summary>
    ChangedWithoutNewVersion,
}

/// <param name="Retracted">
/// Records deleted because the dataset retracts them (a commitment's scores count with it).
/// </param>
/// <param name="Held">
/// Retracted records kept because they were changed through the workflow after seeding (<c>kind:id</c>).
/// </param>
public sealed record SeedResult(SeedOutcome Outcome, int StoredVersion, int FileVersion, int Added, int Updated,
    int Retracted = 0, IReadOnlyList<string>? Held = null)
{
    /// <summary>
    /// Rows the dataset lists that were left as they are: changed outside the seed since it last wrote them.
    /// </summary>
    public IReadOnlyList<KeptRow> Kept { get; init; } = [];
}

/// <summary>
/// Writes a validated seed dataset into the database: an upsert by id in one transaction, so that loading
/// twice changes nothing and a newer version updates only the rows that differ. Each section upserts its own
/// rows (<see cref="SeedSections"/>), in their order. Rows that a newer version no longer lists are kept
/// (nothing is lost silently), unless it retracts them in its <c>retractions</c> section: those are deleted,
/// each in its own audited save with its reason, except a row changed through the workflow after seeding,
/// which is held for the secretariat (ADR 0007).
/// </summary>
public sealed class SeedImporter(CaravanDbContext db)
{
    public async Task<SeedResult> ImportAsync(LoadedSeed seed, CancellationToken ct = default)
    {
        // Read and written under the writers' lock: two processes starting at once load it once.
        var result = await db.WriteAsync(() => LoadAsync(seed, ct), ct);
        // A period the dataset marks closed is frozen as the dataset states it.
        if (result.Outcome == SeedOutcome.Loaded)
            await new Commitments.Snapshots(db, TimeProvider.System).EnsureForClosedPeriodsAsync(ct);
        return result;
    }

    private async Task<SeedResult> LoadAsync(LoadedSeed seed, CancellationToken ct)
    {
        var d = seed.Dataset;
        var stored = await db.DatasetVersions.FirstOrDefaultAsync(x => x.Id == d.Dataset, ct);
        if (stored is not null)
        {
            if (stored.Version > d.Version) return new(SeedOutcome.OlderThanDatabase, stored.Version, d.Version, 0, 0);
            if (stored.Version == d.Version)
                return new(stored.Sha256 == seed.Sha256 ? SeedOutcome.Unchanged : SeedOutcome.ChangedWithoutNewVersion,
                    stored.Version, d.Version, 0, 0);
        }

        // Read before the load overwrites it: "loaded version 7 (was 6)", not "(was 7)".
        var previous = stored?.Version ?? 0;
        // Which rows this load must leave as they are (read from the audit trail when the load starts).
        var owned = await SeedOwnership.LoadAsync(db, ct);
        var import = new SeedImport(db, d, owned);
        foreach (var section in SeedSections.All) await section.ImportAsync(import, ct);
        await import.UpsertCitationsAsync(ct);

        var added = db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added && e.Entity is not Citation);
        var updated = db.ChangeTracker.Entries()
            .Count(e => e.State == EntityState.Modified && e.Entity is not Citation);
        if (stored is null)
            db.DatasetVersions.Add(new DatasetVersion
            {
                Id = d.Dataset, Version = d.Version, Sha256 = seed.Sha256, LoadedAt = DateTimeOffset.UtcNow,
            });
        else
        {
            stored.Version = d.Version;
            stored.Sha256 = seed.Sha256;
            stored.LoadedAt = DateTimeOffset.UtcNow;
        }
        db.Actor = new Audit.AuditActor(SeedOwnership.SeedActor, "system",
            $"seed dataset {d.Dataset} version {d.Version} (sha256 {seed.Sha256[..Math.Min(12, seed.Sha256.Length)]})"
            + (owned.Describe() is { } kept ? $"; {kept}" : ""));
        await owned.EnsureNoneChangedSinceAsync(db, ct);
        await db.SaveChangesAsync(ct);
        var (retracted, held) = await RetractionsSeedSection.RetractAsync(db, d, ct);
        return new(SeedOutcome.Loaded, previous, d.Version, added, updated, retracted, held)
        {
            Kept = owned.Kept,
        };
    }
}
