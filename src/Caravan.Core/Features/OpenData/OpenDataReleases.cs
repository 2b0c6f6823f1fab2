using System.Collections.Concurrent;
using System.Data;
using System.Security.Cryptography;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Features.Projects;
using Caravan.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.OpenData;

/// <summary>Why a release cannot be served.</summary>
public static class OpenDataMessages
{
    /// <summary>No such release: {0} the release asked for, {1} those that exist.</summary>
    public static readonly MessageCode UnknownRelease = new("open-data.unknown-release");
}

/// <summary>A release as the list shows it. Size and hash are null while it has not been built.</summary>
/// <param name="PeriodName">The reporting period of a snapshot's release (null for current).</param>
public sealed record ReleaseListing(string Id, string Version, DateTimeOffset Created, long? Bytes, string? Sha256,
    ReleaseSummary? Summary, LocalizedText? PeriodName);

/// <summary>A release ready to be sent: its hash and size known, its bytes copied on demand.</summary>
public sealed record ReleaseFile(string Id, string Version, DateTimeOffset Created, string Sha256, long Bytes,
    Func<Stream, CancellationToken, Task> CopyToAsync)
{
    public string FileName => $"caravan-open-data-{Id}.zip";
}

/// <summary>
/// Open data releases: one per closed snapshot, built once and stored in the database (every node serves the same
/// bytes, read chunk by chunk), and "current", built on demand from one consistent read of the live tables.
/// </summary>
/// <param name="kept">Where "current" is kept between requests: the web app's one (a singleton, which deletes its files
/// when the app stops), or, when null, this instance's own (the CLI calls <see cref="ForgetCurrent"/>).</param>
public sealed class OpenDataReleases(CaravanDbContext db, OpenDataSettings settings, TimeProvider clock,
    KeptCurrentReleases? kept = null)
{
    public const string Current = "current";

    /// <summary>Stored releases are cut in pieces of this size, so that serving one holds one piece at a time.</summary>
    public const int ChunkSize = 1 << 20;

    private sealed record SnapshotRow(string Id, DateTimeOffset TakenAt, int Order, LocalizedText Name);

    private readonly KeptCurrentReleases _kept = kept ?? new KeptCurrentReleases();
    private ConcurrentDictionary<string, CachedCurrent> CurrentBuilt => _kept.Built;
    private SemaphoreSlim CurrentBuilding => _kept.Building;

    private async Task<List<SnapshotRow>> SnapshotsAsync(CancellationToken ct) =>
        [.. (await (from s in db.Snapshots.AsNoTracking()
                join p in db.ReportingPeriods.AsNoTracking() on s.PeriodId equals p.Id
                select new { s.Id, s.TakenAt, p.Order, p.Name }).ToListAsync(ct))
            .Select(x => new SnapshotRow(x.Id, x.TakenAt, x.Order, x.Name))
            .OrderBy(x => x.Order).ThenBy(x => x.TakenAt).ThenBy(x => x.Id, StringComparer.Ordinal)];

    /// <summary>The releases that exist: current first, then each snapshot's, the latest first.</summary>
    public async Task<IReadOnlyList<ReleaseListing>> ListAsync(CancellationToken ct)
    {
        var snapshots = await SnapshotsAsync(ct);
        var stored = await db.OpenDataReleases.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var list = new List<ReleaseListing>();
        var cached = CurrentBuilt.GetValueOrDefault(Key());
        if (cached is not null && cached.Stamp != await StampAsync(ct)) cached = null;
        var created = cached?.Summary.Created ?? await CurrentCreatedAsync(ct);
        list.Add(new(Current, cached?.Summary.Version ?? CurrentVersion(created), created, cached?.Bytes,
            cached?.Sha256, cached?.Summary, null));
        foreach (var s in Enumerable.Reverse(snapshots))
        {
            var r = stored.GetValueOrDefault(s.Id);
            list.Add(new(s.Id, s.Id, s.TakenAt, r?.Bytes, r?.Sha256, r is null ? null : SummaryOf(r), s.Name));
        }
        return list;
    }

    /// <summary>The ids a reader may ask for: current and every snapshot's.</summary>
    public async Task<IReadOnlyList<string>> KnownAsync(CancellationToken ct) =>
        [Current, .. Enumerable.Reverse(await SnapshotsAsync(ct)).Select(s => s.Id)];

    /// <summary>The message for an unknown release, naming those that exist.</summary>
    public async Task<Message> UnknownAsync(string release, CancellationToken ct) =>
        new(OpenDataMessages.UnknownRelease, release, MessageArg.Join(await KnownAsync(ct)));

    public static ReleaseSummary SummaryOf(OpenDataRelease r) =>
        JsonSerializer.Deserialize<ReleaseSummary>(r.Summary, OpenDataValues.Json)!;

    /// <summary>
    /// The release of a closed snapshot, building and storing it if it has not been yet (the releases before it
    /// first, for their changes); null if there is no such snapshot. Call it right after a round closes so that the
    /// release holds the tables as they stood then; two calls at once store one release (the other's is discarded).
    /// </summary>
    public async Task<OpenDataRelease?> EnsureReleaseAsync(string snapshotId, CancellationToken ct)
    {
        if (await db.OpenDataReleases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == snapshotId, ct) is { } stored)
            return stored;
        var snapshots = await SnapshotsAsync(ct);
        var at = snapshots.FindIndex(s => s.Id == snapshotId);
        if (at < 0) return null;
        var previous = at > 0 ? await EnsureReleaseAsync(snapshots[at - 1].Id, ct) : null;
        var snapshot = snapshots[at];
        var header = new ReleaseHeader(snapshot.Id, snapshot.Id, snapshot.TakenAt,
            snapshots.Take(at + 1).Select(s => s.Id).ToHashSet(StringComparer.Ordinal), previous?.Id);
        var path = Path.GetTempFileName();
        try
        {
            ReleaseSummary summary;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read))
                summary = await BuildAsync(header, previous, file, ct);
            return await StoreAsync(header, summary, path, ct);
        }
        finally { File.Delete(path); }
    }

    /// <summary>A release to send: a snapshot's stored one (built first if need be), or current; null if unknown.</summary>
    public async Task<ReleaseFile?> OpenAsync(string release, CancellationToken ct)
    {
        if (release == Current)
        {
            var c = await CurrentAsync(ct);
            return new ReleaseFile(Current, c.Summary.Version, c.Summary.Created, c.Sha256, c.Bytes,
                async (output, token) =>
                {
                    await using var file = new FileStream(c.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite
                        | FileShare.Delete, 1 << 16, useAsync: true);
                    await file.CopyToAsync(output, token);
                });
        }
        if (await EnsureReleaseAsync(release, ct) is not { } r) return null;
        return new ReleaseFile(r.Id, r.Id, r.TakenAt, r.Sha256, r.Bytes, (output, token) => CopyStoredAsync(r, output, token));
    }

    /// <summary>Copies a stored release's bytes, one chunk in memory at a time.</summary>
    public async Task CopyStoredAsync(OpenDataRelease release, Stream output, CancellationToken ct)
    {
        for (var i = 0; i < release.ChunkCount; i++)
        {
            var index = i;
            var data = await db.OpenDataChunks.AsNoTracking().Where(c => c.ReleaseId == release.Id && c.Index == index)
                .Select(c => c.Data).SingleAsync(ct);
            await output.WriteAsync(data, ct);
        }
    }

    /// <summary>Writes the current release to <paramref name="output"/> (the CLI; the web serves it from its cache).</summary>
    public async Task<ReleaseSummary> WriteCurrentAsync(Stream output, CancellationToken ct)
    {
        var c = await CurrentAsync(ct);
        await using var file = File.OpenRead(c.Path);
        await file.CopyToAsync(output, ct);
        return c.Summary;
    }

    private string Key() => db.Database.GetConnectionString() ?? "";

    /// <summary>
    /// Deletes this database's kept "current" file: a process that ends after one download (the CLI) leaves nothing
    /// in the temporary folder.
    /// </summary>
    public void ForgetCurrent()
    {
        if (CurrentBuilt.TryRemove(Key(), out var cached)) File.Delete(cached.Path);
    }

    /// <summary>Every cache tag's version: any write to the data moves one (ADR 0009), imports around EF too.</summary>
    private async Task<string> StampAsync(CancellationToken ct) => string.Join(";",
        (await db.CacheVersions.AsNoTracking().Select(v => new { v.Tag, v.Version }).ToListAsync(ct))
        .OrderBy(v => v.Tag, StringComparer.Ordinal).Select(v => $"{v.Tag}:{v.Version}"));

    /// <summary>
    /// The current data's date: the last audited change or completed import (so that the same data has the same date
    /// and the same bytes); the start of 2000 for an empty database.
    /// </summary>
    private async Task<DateTimeOffset> CurrentCreatedAsync(CancellationToken ct)
    {
        var audited = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Select(a => (DateTimeOffset?)a.At)
            .FirstOrDefaultAsync(ct);
        var imported = (await db.ImportRuns.AsNoTracking().Where(r => r.Status == ImportRunStatus.Completed)
            .Select(r => r.FinishedAt).ToListAsync(ct)).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var latest = new[] { audited ?? DateTimeOffset.MinValue, imported }.Max();
        return latest == DateTimeOffset.MinValue ? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(latest.UtcDateTime.Ticks - latest.UtcDateTime.Ticks % TimeSpan.TicksPerSecond,
                TimeSpan.Zero);
    }

    private static string CurrentVersion(DateTimeOffset created) => $"current-{created.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";

    private async Task<CachedCurrent> CurrentAsync(CancellationToken ct)
    {
        var snapshots = await SnapshotsAsync(ct);
        var previous = snapshots.Count > 0 ? await EnsureReleaseAsync(snapshots[^1].Id, ct) : null;
        await CurrentBuilding.WaitAsync(ct);
        try
        {
            var path = Path.Combine(Path.GetTempPath(), $"caravan-open-data-{Guid.NewGuid():N}.zip");
            var built = await db.ReadAsOneAsync(async () =>
            {
                var stamp = await StampAsync(ct);
                if (CurrentBuilt.TryGetValue(Key(), out var cached) && cached.Stamp == stamp && File.Exists(cached.Path))
                    return cached;
                var created = await CurrentCreatedAsync(ct);
                var header = new ReleaseHeader(Current, CurrentVersion(created), created,
                    snapshots.Select(s => s.Id).ToHashSet(StringComparer.Ordinal), previous?.Id);
                await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
                var summary = await BuildUnlockedAsync(header, previous, file, ct);
                file.Position = 0;
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
                return new CachedCurrent(stamp, path, summary, sha, file.Length);
            }, ct);
            if (built.Path == path)
            {
                // The file replaced stays readable by a download that opened it (Linux keeps an open file's data).
                if (CurrentBuilt.TryGetValue(Key(), out var old) && old.Path != path) File.Delete(old.Path);
                CurrentBuilt[Key()] = built;
            }
            return built;
        }
        finally { CurrentBuilding.Release(); }
    }

    /// <summary>Builds a release into <paramref name="output"/> from one consistent read of the database.</summary>
    private Task<ReleaseSummary> BuildAsync(ReleaseHeader header, OpenDataRelease? previous, Stream output,
        CancellationToken ct) => db.ReadAsOneAsync(() => BuildUnlockedAsync(header, previous, output, ct), ct);

    private async Task<ReleaseSummary> BuildUnlockedAsync(ReleaseHeader header, OpenDataRelease? previous,
        Stream output, CancellationToken ct)
    {
        string? priorPath = null;
        try
        {
            FileStream? prior = null;
            if (previous is not null)
            {
                priorPath = Path.GetTempFileName();
                prior = new FileStream(priorPath, FileMode.Create, FileAccess.ReadWrite);
                await CopyStoredAsync(previous, prior, ct);
                prior.Position = 0;
            }
            await using (prior)
                return await new OpenDataBuilder(db, settings).WriteAsync(header, prior, output, ct);
        }
        finally { if (priorPath is not null) File.Delete(priorPath); }
    }

    /// <summary>
    /// Stores a built release in one write step, unless another request stored it first (then that one stands: a
    /// release never changes once stored). The primary key holds the rule in the database too.
    /// </summary>
    private async Task<OpenDataRelease> StoreAsync(ReleaseHeader header, ReleaseSummary summary, string path,
        CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(async () =>
            {
                var existing = await db.OpenDataReleases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == header.Id, ct);
                if (existing is not null) return existing;
                await using var file = File.OpenRead(path);
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
                var release = new OpenDataRelease
                {
                    Id = header.Id, TakenAt = header.Created, BuiltAt = clock.GetUtcNow(), Sha256 = sha,
                    Bytes = file.Length, ChunkCount = (int)((file.Length + ChunkSize - 1) / ChunkSize),
                    Summary = JsonSerializer.Serialize(summary, OpenDataValues.Json),
                };
                db.OpenDataReleases.Add(release);
                await db.SaveChangesAsync(ct);
                db.Entry(release).State = EntityState.Detached;
                file.Position = 0;
                var buffer = new byte[ChunkSize];
                for (var index = 0; index < release.ChunkCount; index++)
                {
                    var read = await file.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, ct);
                    var chunk = new OpenDataChunk { ReleaseId = release.Id, Index = index, Data = buffer[..read] };
                    db.OpenDataChunks.Add(chunk);
                    await db.SaveChangesAsync(ct);
                    db.Entry(chunk).State = EntityState.Detached;
                }
                return release;
            }, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return await db.OpenDataReleases.AsNoTracking().FirstAsync(r => r.Id == header.Id, ct);
        }
    }
}

/// <summary>A "current" release kept in the temporary folder while the data it was built from has not changed.</summary>
public sealed record CachedCurrent(string Stamp, string Path, ReleaseSummary Summary, string Sha256, long Bytes);

/// <summary>
/// The "current" releases an app keeps, per database (the last built, reused while the data has not changed), and the
/// one build at a time. Deletes its files when disposed (the web app's singleton, as the app stops).
/// </summary>
public sealed class KeptCurrentReleases : IDisposable
{
    internal ConcurrentDictionary<string, CachedCurrent> Built { get; } = new(StringComparer.Ordinal);
    internal SemaphoreSlim Building { get; } = new(1, 1);

    public void Dispose()
    {
        foreach (var key in Built.Keys)
            if (Built.TryRemove(key, out var cached)) File.Delete(cached.Path);
        Building.Dispose();
    }
}
