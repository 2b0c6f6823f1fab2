using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Caravan.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// When a standby may be read: plain rules over what <see cref="StandbyWatch"/> measures (ADR 0030).
/// </summary>
public static class StandbyRules
{
    /// <summary>The primary's write-ahead log position at a moment (bytes from the start of the log).</summary>
    public readonly record struct Position(long At, long Lsn);

    /// <summary>
    /// How far behind the standby is: how long ago the primary stood at the oldest position the standby has not
    /// replayed yet; zero when it has replayed the newest position read. Positions are in time order;
    /// <paramref name="now"/> and <see cref="Position.At"/> in the same clock's ticks.
    /// </summary>
    public static TimeSpan Lag(IReadOnlyList<Position> primary, long replayed, long now, long ticksPerSecond)
    {
        foreach (var p in primary)
            if (p.Lsn > replayed) return TimeSpan.FromSeconds((double)(now - p.At) / ticksPerSecond);
        return TimeSpan.Zero;
    }

    /// <summary>
    /// A standby is read from only when it answers, has replayed every change this process has been told of
    /// (<paramref name="required"/>: the primary's position read after the last change), and is within the bound.
    /// Otherwise the primary answers: a reader may wait a little longer, but never sees data older than a change the
    /// cache has already moved past.
    /// </summary>
    public static bool Usable(bool answered, long replayed, long required, TimeSpan lag, TimeSpan maxLag) =>
        answered && replayed >= required && lag <= maxLag;
}

/// <summary>
/// Whether this process reads from the standbys now, and from which. A change of public data (written here, or seen by
/// <see cref="DataVersionWatch"/>) stops standby reads at once, before the cache moves on; the watch allows them again
/// for each standby that has replayed the primary's position read after that change. The process's start counts as a
/// change: a standby hours behind is not read from before it has caught up.
/// </summary>
public sealed class StandbyState
{
    private readonly Lock _gate = new();
    private long _changes = 1;
    private long _requiredFor;
    private long _required;
    private string? _reads;
    private int _readFrom;
    private readonly SemaphoreSlim _signal = new(0, 1);

    public StandbyState(DataVersion version) => version.Changing += Changed;

    /// <summary>Released when a change wants the standbys checked again sooner than the next poll.</summary>
    internal SemaphoreSlim Signal => _signal;

    /// <summary>
    /// The connection string the public's reads use now: the usable standbys, then the primary as the last resort for
    /// a standby that stops between two checks; null while none is usable (reads go to the primary).
    /// </summary>
    public string? ReadConnectionString { get { lock (_gate) return _reads; } }

    public bool Usable => ReadConnectionString is not null;

    /// <summary>How many standbys the public's reads go to now.</summary>
    public int ReadFrom { get { lock (_gate) return _reads is null ? 0 : _readFrom; } }

    /// <summary>What the last check found of each standby, for the health endpoint and the log.</summary>
    public IReadOnlyList<StandbyReport> Standbys { get; private set; } = [];

    /// <summary>The number of changes seen, which a check reads before it reads the primary's position.</summary>
    internal long Changes { get { lock (_gate) return _changes; } }

    private void Changed()
    {
        lock (_gate)
        {
            _changes++;
            _reads = null;
        }
        try { _signal.Release(); } catch (SemaphoreFullException) { } // a check is already asked for
    }

    /// <summary>
    /// The result of one check: the primary's position read after <paramref name="changesBefore"/> changes, and what
    /// each standby answered. A change since then leaves standby reads off until the next check.
    /// </summary>
    internal void Checked(long changesBefore, long primaryLsn, IReadOnlyList<StandbyReport> standbys,
        TimeSpan maxLag, Func<IReadOnlyList<string>, string> readsFrom)
    {
        lock (_gate)
        {
            if (changesBefore > _requiredFor)
            {
                _required = Math.Max(_required, primaryLsn);
                _requiredFor = changesBefore;
            }
            var usable = standbys.Where(h => StandbyRules.Usable(h.Answered, h.Replayed, _required, h.Lag, maxLag))
                .Select(h => h.Host).ToList();
            Standbys = standbys;
            _reads = _changes == changesBefore && usable.Count > 0 ? readsFrom(usable) : null;
            _readFrom = _reads is null ? 0 : usable.Count;
        }
    }

    internal void Unknown()
    {
        lock (_gate) _reads = null;
    }

    /// <summary>
    /// A read on a standby broke (it stopped under the reader): standby reads stop until the watch has checked again,
    /// and the broken connections kept in that string's pool are dropped.
    /// </summary>
    public void Failed()
    {
        string? reads;
        lock (_gate)
        {
            reads = _reads;
            _reads = null;
        }
        if (reads is not null) NpgsqlConnection.ClearPool(new NpgsqlConnection(reads));
        try { _signal.Release(); } catch (SemaphoreFullException) { }
    }
}

/// <summary>One standby as the last check found it (Replayed: its replayed log position; Lag: how far behind).</summary>
public sealed record StandbyReport(string Host, bool Answered, bool InRecovery, long Replayed, TimeSpan Lag);

/// <summary>
/// Reads, every <see cref="CacheSettings.PollInterval"/> or at once after a change, the primary's log position and
/// how far each standby has replayed it. Each standby is read on its own (a multi-host string would answer from
/// whichever host it reached), on connections of their own with short timeouts: a standby that is down costs the watch
/// two seconds, never a reader.
/// </summary>
public sealed class StandbyWatch(StandbyState state, DatabaseSettings settings, CacheSettings cache,
    ILogger<StandbyWatch> log) : BackgroundService
{
    private readonly List<StandbyRules.Position> _positions = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _warned =
        new(StringComparer.Ordinal);

    /// <summary>The standby hosts of the setting, each as "host:port".</summary>
    public static IReadOnlyList<string> Hosts(string standbys)
    {
        var builder = new NpgsqlConnectionStringBuilder(standbys);
        return [.. (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.Contains(':', StringComparison.Ordinal) ? h : $"{h}:{builder.Port}")];
    }

    /// <summary>
    /// The string the public's reads use: the usable standbys in the setting's order, then the primary, with
    /// Npgsql's <c>prefer-standby</c> so that a standby that has just stopped is passed over at once.
    /// </summary>
    public static string ReadsFrom(string standbys, string primary, IReadOnlyList<string> usable)
    {
        var p = new NpgsqlConnectionStringBuilder(primary);
        var primaryHost = (p.Host ?? "").Split(',')[0].Trim();
        if (!primaryHost.Contains(':', StringComparison.Ordinal)) primaryHost = $"{primaryHost}:{p.Port}";
        return new NpgsqlConnectionStringBuilder(standbys)
        {
            Host = string.Join(',', usable.Append(primaryHost)),
            TargetSessionAttributes = "prefer-standby",
            // Npgsql passes over a host it found down for this long; the watch has just found it up.
            HostRecheckSeconds = 2,
        }.ConnectionString;
    }

    private static string One(string standbys, string host)
    {
        var colon = host.LastIndexOf(':');
        return new NpgsqlConnectionStringBuilder(standbys)
        {
            Host = host[..colon], Port = int.Parse(host[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture),
            TargetSessionAttributes = null, Timeout = 2, CommandTimeout = 2,
            ApplicationName = "caravan-standby-watch",
        }.ConnectionString;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var primary = new NpgsqlConnectionStringBuilder(settings.EffectiveConnectionString)
        {
            Timeout = 2, CommandTimeout = 2, ApplicationName = "caravan-standby-watch",
        }.ConnectionString;
        var hosts = Hosts(settings.StandbyConnectionString!)
            .Select(h => (Host: h, Connection: One(settings.StandbyConnectionString!, h))).ToList();
        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckAsync(primary, hosts, stoppingToken);
            // The next poll, or sooner when a change wants the standbys checked again.
            await state.Signal.WaitAsync(cache.PollInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task CheckAsync(string primary, List<(string Host, string Connection)> hosts, CancellationToken ct)
    {
        var changes = state.Changes;
        long primaryLsn;
        try
        {
            primaryLsn = await ReadLsnAsync(primary, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint",
                ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException && !ct.IsCancellationRequested)
        {
            state.Unknown(); // the primary answers nothing: readers will say so themselves
            return;
        }
        _positions.Add(new(Stopwatch.GetTimestamp(), primaryLsn));
        var reports = await Task.WhenAll(hosts.Select(h => ReadStandbyAsync(h.Host, h.Connection, ct)));
        // Positions every standby has replayed are behind them all for good; a minute of history is plenty for the
        // bound.
        var oldest = Stopwatch.GetTimestamp() - (long)((settings.StandbyMaxLag.TotalSeconds + 60) * Stopwatch.Frequency);
        var replayedByAll = reports.Length == 0 ? long.MaxValue : reports.Min(r => r.Replayed);
        _positions.RemoveAll(p => p.Lsn <= replayedByAll || p.At < oldest);
        state.Checked(changes, primaryLsn, reports, settings.StandbyMaxLag,
            usable => ReadsFrom(settings.StandbyConnectionString!, settings.EffectiveConnectionString, usable));
    }

    private async Task<StandbyReport> ReadStandbyAsync(string host, string connection, CancellationToken ct)
    {
        try
        {
            await using var c = new NpgsqlConnection(connection);
            await c.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), "
                + "pg_wal_lsn_diff(coalesce(pg_last_wal_replay_lsn(), '0/0'), '0/0')::bigint", c);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var inRecovery = reader.GetBoolean(0);
            var replayed = reader.GetInt64(1);
            if (_warned.TryRemove(host, out _)) log.LogInformation("The standby {Host} answers again", host);
            if (!inRecovery)
            {
                // Promoted, or the primary listed by mistake: not a standby, so not read from as one.
                if (_warned.TryAdd(host, true)) log.LogWarning("{Host} is not in recovery: public reads do not go to it", host);
                return new(host, true, false, 0, TimeSpan.MaxValue);
            }
            var lag = StandbyRules.Lag(_positions, replayed, Stopwatch.GetTimestamp(), Stopwatch.Frequency);
            return new(host, true, true, replayed, lag);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidCastException
                                  && !ct.IsCancellationRequested)
        {
            if (_warned.TryAdd(host, true))
                log.LogWarning("The standby {Host} does not answer ({Message}): public reads go elsewhere", host,
                    e.Message);
            return new(host, false, false, 0, TimeSpan.MaxValue);
        }
    }

    private static async Task<long> ReadLsnAsync(string connection, string sql, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, c);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// Sends a context's connection to the standbys when the request is the public's (see
/// <see cref="StandbyReadsSetup.UseStandbyReads"/>), the standbys are usable, and the context has not written; every
/// other open goes to the primary. The connection string is set on the closed connection as it opens, and put back
/// when it closes, so that code opening the connection itself always reaches the primary.
/// </summary>
public sealed class StandbyRouting(StandbyState state, DatabaseSettings settings, IHttpContextAccessor http)
    : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<DbConnection, object> OnStandby = new();
    private static readonly object Mark = new();

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result)
    {
        Route(connection, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection,
        ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Route(connection, eventData);
        return ValueTask.FromResult(result);
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) =>
        Restore(connection);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Restore(connection);
        return Task.CompletedTask;
    }

    private void Route(DbConnection connection, ConnectionEventData e)
    {
        var reads = e.Context is CaravanDbContext { PrimaryOnly: false } db
            && db.Database.CurrentTransaction is null
            && http.HttpContext?.Items.ContainsKey(StandbyReadsSetup.PublicRead) == true
                ? state.ReadConnectionString
                : null;
        if (reads is not null)
        {
            http.HttpContext!.Items[StandbyReadsSetup.ReadOnStandby] = true;
            connection.ConnectionString = reads;
            OnStandby.AddOrUpdate(connection, Mark);
        }
        else Restore(connection);
    }

    private void Restore(DbConnection connection)
    {
        if (!OnStandby.TryGetValue(connection, out _) || connection.State != System.Data.ConnectionState.Closed)
            return;
        connection.ConnectionString = settings.EffectiveConnectionString;
        OnStandby.Remove(connection);
    }
}

public static class StandbyReadsSetup
{
    /// <summary>The request item that marks a read by the public: only those may go to a standby.</summary>
    public const string PublicRead = "caravan.public-read";

    /// <summary>Set once a connection of the request has gone to a standby.</summary>
    public const string ReadOnStandby = "caravan.read-on-standby";

    /// <summary>Standby reads, when <see cref="DatabaseSettings.HasStandbys"/>; nothing otherwise.</summary>
    public static void AddStandbyReads(this IServiceCollection services, DatabaseSettings settings)
    {
        if (!settings.HasStandbys) return;
        services.AddHttpContextAccessor();
        services.AddSingleton<StandbyState>();
        services.AddSingleton<StandbyWatch>();
        services.AddHostedService(s => s.GetRequiredService<StandbyWatch>());
        services.AddSingleton<StandbyRouting>();
    }

    /// <summary>
    /// Marks the public's reads: GET or HEAD without a session, a second-factor cookie or a token. A person who is
    /// signed in reads from the primary, so that whoever wrote reads their own write on every node.
    /// </summary>
    public static void UseStandbyReads(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<DatabaseSettings>().HasStandbys) return;
        var state = app.Services.GetRequiredService<StandbyState>();
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            // The health check is the primary's: a load balancer asks whether this node can serve writes.
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && !request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                && !request.Headers.ContainsKey("Authorization")
                && !request.Cookies.ContainsKey("caravan.session")
                && !request.Cookies.ContainsKey("caravan.second-factor")
                && context.User.Identity?.IsAuthenticated != true)
                context.Items[PublicRead] = true;
            try
            {
                await next(context);
            }
            catch (Exception e) when (context.Items.ContainsKey(ReadOnStandby) && !context.Response.HasStarted
                                      && Errors.IsDatabaseUnavailable(e))
            {
                // The standby stopped under this read (its pooled connections are dead until the pool is cleared):
                // the reader is answered once more, from the primary, rather than told the database is away.
                state.Failed();
                context.Items.Remove(PublicRead);
                context.Items.Remove(ReadOnStandby);
                await next(context);
            }
        });
    }
}
