using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Programmes;
using Caravan.Shared;
using Caravan.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>The app on a PostgreSQL server of its own, which the test stops and starts.</summary>
public sealed class OutageApp : CaravanApp
{
    public PostgresCluster? Cluster { get; private set; }
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        Cluster = await PostgresCluster.StartNewAsync();
        return Cluster.ConnectionString("caravan");
    }

    protected override async Task DropDatabaseAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>The app on SQLite that waits one second for another writer's lock, not thirty.</summary>
public sealed class ImpatientSqliteApp : SqliteApp
{
    protected override async Task<string?> CreateDatabaseAsync() => await base.CreateDatabaseAsync() + ";Default Timeout=1";
}

/// <summary>
/// Faults keep their promises: the PostgreSQL server stopped and started under load gives a clear 503 (in the reader's
/// language, with Retry-After) meanwhile, never a 500; the app recovers by itself when the server is back; every write
/// it acknowledged is stored and the audit chain is whole.
/// </summary>
public sealed class DatabaseOutageTests(OutageApp app) : IClassFixture<OutageApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_server_stopped_and_started_under_load_answers_503_meanwhile_recovers_and_loses_no_acknowledged_write()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var api = app.Api(secretariat, "ru");
        var answers = new ConcurrentBag<(HttpStatusCode Status, string? RetryAfter, string Body)>();
        var acknowledged = 0;
        using var stop = new CancellationTokenSource();
        string[] states = ["KZ", "KG", "TJ", "TM", "UZ"];

        async Task LoadAsync(int worker)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var response = n % 2 == 0
                    ? await api.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation(states[(worker + n) % 5], "1"), Ct)
                    : await api.GetAsync("/api/v1/submissions", Ct);
                if (response.StatusCode == HttpStatusCode.Created) Interlocked.Increment(ref acknowledged);
                answers.Add((response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync(Ct)));
                await Task.Delay(25, Ct);
            }
        }

        var load = Enumerable.Range(0, 4).Select(LoadAsync).ToList();
        await Task.Delay(1500, Ct);
        await app.Cluster!.StopAsync();
        await Task.Delay(3000, Ct);
        await app.Cluster.StartAsync();
        var back = Stopwatch.StartNew();
        while ((await api.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("KZ", "1"), Ct)) is { StatusCode: not HttpStatusCode.Created })
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(15), "the app did not recover within 15 s of the server's return");
            await Task.Delay(100, Ct);
        }
        var recovered = back.Elapsed;
        Interlocked.Increment(ref acknowledged);
        await Task.Delay(1000, Ct);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = answers.ToList();
        var unavailable = all.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.DoesNotContain(all, a => (int)a.Status >= 500 && a.Status != HttpStatusCode.ServiceUnavailable);
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, a => Assert.Equal("5", a.RetryAfter));
        Assert.Equal("Временно недоступно", JsonDocument.Parse(unavailable[0].Body).RootElement.GetProperty("title").GetString());
        await TestReport.AddAsync($" PostgreSQL stopped 3 s under load: {all.Count} answers, {unavailable.Count} × 503, 0 × 500, "
            + $"{acknowledged} writes acknowledged; recovered {recovered.TotalMilliseconds:F0} ms after the server's return");

        await using var db = app.NewDbContext();
        var stored = await db.ProgrammeEntries.CountAsync(e => e.ProgrammeId == id, Ct);
        // A write whose answer was lost with the connection may be stored too; an acknowledged one always is.
        Assert.True(stored >= acknowledged, $"{acknowledged} writes acknowledged, {stored} stored");
        var chain = new AuditQueries(db).Verify();
        Assert.True(chain.Intact, chain.Describe());
    }
}

/// <summary>
/// On SQLite, a database held by another writer past the wait answers 503 (try again), not 500, and nothing of the
/// write is kept; once the other writer lets go, the same write goes through.
/// </summary>
public sealed class DatabaseBusyTests(ImpatientSqliteApp app) : IClassFixture<ImpatientSqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_waiting_past_another_writers_lock_is_503_and_keeps_nothing_then_goes_through()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var api = app.Api(secretariat, "zh");
        await using (var other = new SqliteConnection(app.ConnectionString))
        {
            await other.OpenAsync(Ct);
            await using var hold = other.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync(Ct);
            var clock = Stopwatch.StartNew();
            var busy = await api.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("KZ", "1"), Ct);
            var text = await busy.Content.ReadAsStringAsync(Ct);
            Assert.True(busy.StatusCode == HttpStatusCode.ServiceUnavailable, $"{busy.StatusCode}: {text}");
            Assert.Equal("5", busy.Headers.RetryAfter?.ToString());
            Assert.Equal("暂时无法使用", JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed}");
            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync(Ct);
        }
        await using (var db = app.NewDbContext())
            Assert.Equal(0, await db.ProgrammeEntries.CountAsync(e => e.ProgrammeId == id, Ct));
        Assert.Equal(HttpStatusCode.Created,
            (await api.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("KZ", "1"), Ct)).StatusCode);
    }
}
