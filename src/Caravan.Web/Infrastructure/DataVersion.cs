using System.Data.Common;
using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Caravan.Web.Infrastructure;

/// <summary><c>Caravan:Cache</c>: how often this instance reads the database's cache versions.</summary>
public sealed class CacheSettings
{
    public const string Section = "Caravan:Cache";

    /// <summary>
    /// A write by another process (the CLI, another instance, a restore) is answered after at most this long.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// What this process knows of the data's changes: the cache tags written, by this process as soon as its transaction
/// commits, by any other one when <see cref="DataVersionWatch"/> reads them in the database. <see cref="Value"/> moves
/// with every change, for the few answers kept outside the output cache (the IATI export file).
/// </summary>
public sealed class DataVersion
{
    private long _value;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _tags =
        new(StringComparer.Ordinal);

    public long Value => Interlocked.Read(ref _value);

    /// <summary>This app's own id: files named by the version (the IATI export) are this app's, not another's.</summary>
    public Guid Instance { get; } = Guid.NewGuid();
    public event Action<IReadOnlyCollection<string>>? Changed;

    /// <summary>
    /// How many changes of this tag this process has seen (any public change, for <see cref="CacheTags.Public"/>).
    /// Cache
    /// keys carry it: an answer whose building overlapped a change is stored under the old count and never served
    /// again.
    /// </summary>
    public long Of(string tag) => _tags.TryGetValue(tag, out var n) ? n : 0;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _written =
        new(StringComparer.Ordinal);

    /// <summary>
    /// The version this process last gave the tag, if any: the watch need not evict what this process did.
    /// </summary>
    public long? WrittenHere(string tag) => _written.TryGetValue(tag, out var v) ? v : null;

    /// <summary>This process committed these tags at these versions.</summary>
    public void Wrote(IReadOnlyDictionary<string, long> versions)
    {
        foreach (var (tag, v) in versions) _written.AddOrUpdate(tag, v, (_, was) => Math.Max(was, v));
        Notify([.. versions.Keys]);
    }

    /// <summary>
    /// Raised before a change moves the counts: whoever must not serve the old data under the new counts (reads from a
    /// standby that may not have the change yet) stops first.
    /// </summary>
    public event Action? Changing;

    public void Notify(IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0) return;
        Changing?.Invoke();
        foreach (var tag in tags.Append(CacheTags.Public).Distinct(StringComparer.Ordinal))
            _tags.AddOrUpdate(tag, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _value);
        Changed?.Invoke(tags);
    }
}

/// <summary>
/// Tells <see cref="DataVersion"/> the tags a transaction of this process wrote, once it has committed.
/// </summary>
public sealed class DataVersionInterceptor(DataVersion version) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Take(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Take(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Forget(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    private void Take(TransactionEndEventData e)
    {
        if (e.Context is CaravanDbContext db) version.Wrote(db.TakeWrittenTags());
    }

    private static void Forget(TransactionEndEventData e) => (e.Context as CaravanDbContext)?.TakeWrittenTags();
}

/// <summary>
/// Reads the cache versions from the database every <see cref="CacheSettings.PollInterval"/> and reports the tags whose
/// version differs from the last read, in either direction: a restore that moves a version back, adds or drops a row,
/// is a change too.
/// </summary>
public sealed class DataVersionWatch(
    IServiceScopeFactory scopes, DataVersion version, CacheSettings settings, ILogger<DataVersionWatch> log)
        : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, long>? _seen;
    private bool _failing;

    /// <summary>
    /// The first read is made before the app serves anything: nothing can be cached yet, so it evicts nothing that a
    /// reader was just given (made in the background, a slow first read evicted pages cached meanwhile).
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await CheckAsync(stoppingToken);
    }

    /// <summary>Reads the versions now (the poller's step; tests call it to skip the wait).</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            Dictionary<string, long> now;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
                now = await db.CacheVersions.AsNoTracking()
                    .ToDictionaryAsync(v => v.Tag, v => v.Version, StringComparer.Ordinal, ct);
                if (_failing) log.LogInformation("Reading the cache versions again");
                _failing = false;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                // The database is away (or restored without the table): try again next time, and say so once.
                if (!_failing) log.LogWarning("Cannot read the cache versions: {Message}", e.Message);
                _failing = true;
                return;
            }
            var before = _seen;
            _seen = now;
            // The first read: whatever was cached before it may be older than what it read.
            if (before is null) { version.Notify([.. now.Keys, CacheTags.Public]); return; }
            // A tag moved forward (or first written) to the version this process gave it was evicted here when that
            // write committed.
            var changed = now.Where(v => !before.TryGetValue(v.Key, out var was) || was != v.Value)
                .Where(v => !(version.WrittenHere(v.Key) == v.Value
                    && (!before.TryGetValue(v.Key, out var was) || was < v.Value)))
                .Select(v => v.Key)
                .Concat(before.Keys.Where(k => !now.ContainsKey(k))).ToList();
            version.Notify(changed);
        }
        finally
        {
            _gate.Release();
        }
    }
}
