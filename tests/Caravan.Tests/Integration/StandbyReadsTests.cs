using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Caravan.Tests.Integration;

/// <summary>
/// The app on a PostgreSQL primary of its own with one streaming standby (Debian's <c>pg_basebackup</c>), and a lag
/// bound of three seconds.
/// </summary>
public sealed class StandbyApp : CaravanApp
{
    public PostgresCluster? Primary { get; private set; }
    public PostgresCluster? Standby { get; private set; }
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        Primary = await PostgresCluster.StartNewAsync();
        Standby = await Primary.StartStandbyAsync();
        return Primary.ConnectionString("caravan");
    }

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Caravan:Database:StandbyConnectionString",
            $"Host=127.0.0.1:{Standby!.Port};Username=postgres;Database=caravan;Timeout=3"),
        new("Caravan:Database:StandbyMaxLag", "00:00:03"),
    ];

    protected override async Task DropDatabaseAsync()
    {
        if (Standby is not null) await Standby.DisposeAsync();
        if (Primary is not null) await Primary.DisposeAsync();
    }
}

/// <summary>
/// The public's reads go to the standby; a signed-in person, and every write, to the primary; a standby that lags
/// past the bound, has not replayed a change the cache has moved past, or is down, is not read from.
/// </summary>
public sealed class StandbyReadsTests(StandbyApp app) : IClassFixture<StandbyApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StandbyState State => app.Services.GetRequiredService<StandbyState>();

    private async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < within, $"{what}: not within {within.TotalSeconds} s");
            await Task.Delay(100, Ct);
        }
    }

    private Task StandbyUsableAsync() =>
        UntilAsync(() => Task.FromResult(State.Usable), TimeSpan.FromSeconds(20), "the standby readable");

    private async Task StandbyAsync(string sql)
    {
        // Unpooled: a test stops the standby, which kills any connection a pool would keep.
        await using var connection = new NpgsqlConnection(app.Standby!.ConnectionString("caravan") + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>A programme's pledge as a by-id read answers it; the probe makes it an answer never cached.</summary>
    private static async Task<decimal> PledgedAsync(HttpClient client, string id)
    {
        var response = await client.GetAsync($"/api/v1/programmes/{id}?probe={Guid.NewGuid():N}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("programme").GetProperty("pledged").GetDecimal();
    }

    private async Task SetPledgedOnPrimaryAsync(string id, decimal pledged)
    {
        // Straight into the primary, as another tool would: no cache version moves, so only the route decides.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("UPDATE \"Programmes\" SET \"Pledged\" = @p WHERE \"Id\" = @id",
            connection);
        command.Parameters.AddWithValue("p", pledged);
        command.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    /// <summary>
    /// Shows a public read answered by the standby: with its replay paused, a change made on the primary is not in the
    /// public's answer but is in the signed-in person's.
    /// </summary>
    private async Task PublicReadsComeFromTheStandbyAsync(string id, HttpClient anonymous, HttpClient signedIn)
    {
        for (var attempt = 1; ; attempt++)
        {
            await StandbyUsableAsync();
            var before = await PledgedAsync(signedIn, id);
            await UntilAsync(async () => await PledgedAsync(anonymous, id) == before, TimeSpan.FromSeconds(10),
                "the standby caught up");
            await StandbyAsync("SELECT pg_wal_replay_pause()");
            try
            {
                await SetPledgedOnPrimaryAsync(id, before + 1);
                Assert.Equal(before + 1, await PledgedAsync(signedIn, id));
                if (await PledgedAsync(anonymous, id) == before) return;
            }
            finally { await StandbyAsync("SELECT pg_wal_replay_resume()"); }
            // Npgsql passes over a host it found down (another test stops the standby) for two seconds.
            Assert.True(attempt < 5, "the public's reads never came from the standby");
            await Task.Delay(2500, Ct);
        }
    }

    [Fact]
    public async Task The_public_reads_the_standby_a_signed_in_person_the_primary_and_a_lagging_standby_is_left()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1000m, "CNY", Ct);
        var anonymous = app.Api(null);
        var signedIn = app.Api(secretariat);
        await PublicReadsComeFromTheStandbyAsync(id, anonymous, signedIn);
        await StandbyUsableAsync();
        await UntilAsync(async () => await PledgedAsync(anonymous, id) == 1001m, TimeSpan.FromSeconds(10),
            "the standby caught up");
        await StandbyAsync("SELECT pg_wal_replay_pause()");
        try
        {
            await SetPledgedOnPrimaryAsync(id, 2000m);
            Assert.Equal(2000m, await PledgedAsync(signedIn, id));
            // Past the bound of three seconds the standby is left: the public is answered from the primary.
            var clock = Stopwatch.StartNew();
            await UntilAsync(async () => await PledgedAsync(anonymous, id) == 2000m, TimeSpan.FromSeconds(10),
                "the public read from the primary once the standby lags past the bound");
            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2), $"left after {clock.Elapsed}, before the bound");
            Assert.False(State.Usable);
        }
        finally { await StandbyAsync("SELECT pg_wal_replay_resume()"); }
        // Caught up again, it is read from again.
        await PublicReadsComeFromTheStandbyAsync(id, anonymous, signedIn);
    }

    [Fact]
    public async Task A_write_is_never_answered_from_a_standby_that_has_not_replayed_it_even_within_the_bound()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var anonymous = app.Api(null);
        var url = $"/api/v1/programmes/{id}";
        await StandbyUsableAsync();
        async Task<decimal> AllocatedAsync()
        {
            using var json = JsonDocument.Parse(await anonymous.GetStringAsync(url, Ct));
            return json.RootElement.GetProperty("programme").GetProperty("allocated").GetDecimal();
        }
        await UntilAsync(async () => await PledgedAsync(anonymous, id) == 1_000_000m, TimeSpan.FromSeconds(10),
            "the programme on the standby");
        Assert.Equal(0m, await AllocatedAsync()); // cached now
        await StandbyAsync("SELECT pg_wal_replay_pause()");
        try
        {
            var response = await app.Api(secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
                Ledgers.Allocation("KZ", "250"), Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            // The cache moved past the write at once; the standby has not replayed it and is still within the bound,
            // so the page is built on the primary — a standby's answer would be cached under the new version.
            Assert.Equal(250m, await AllocatedAsync());
            Assert.False(State.Usable);
        }
        finally { await StandbyAsync("SELECT pg_wal_replay_resume()"); }
        await StandbyUsableAsync();
        Assert.Equal(250m, await AllocatedAsync());
    }

    [Fact]
    public async Task A_standby_that_is_down_sends_the_public_to_the_primary_and_is_read_again_when_back()
    {
        var id = await Ledgers.ProgrammeAsync(app, 500m, "CNY", Ct);
        var anonymous = app.Api(null);
        await StandbyUsableAsync();
        // A read on the standby just before: its pool holds a connection the stop kills.
        Assert.Equal(500m, await PledgedAsync(anonymous, id));
        await app.Standby!.StopAsync();
        try
        {
            // At once, before the watch notices: a read that breaks on the dead standby is answered again from the
            // primary, and new connections pass over the standby (Npgsql's multi-host string ends with the primary).
            var clock = Stopwatch.StartNew();
            Assert.Equal(500m, await PledgedAsync(anonymous, id));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered in {clock.Elapsed}");
            await UntilAsync(() => Task.FromResult(!State.Usable), TimeSpan.FromSeconds(10),
                "the standby noticed down");
            for (var n = 0; n < 5; n++) Assert.Equal(500m, await PledgedAsync(anonymous, id));
            // The node stays ready (the primary serves), and says it reads from no standby.
            var health = await anonymous.GetAsync("/health", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct));
            var standbys = json.RootElement.GetProperty("database").GetProperty("standbys");
            Assert.Equal(1, standbys.GetProperty("configured").GetInt32());
            Assert.Equal(0, standbys.GetProperty("readFrom").GetInt32());
        }
        finally { await app.Standby.StartAsync(); }
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        await PublicReadsComeFromTheStandbyAsync(id, anonymous, app.Api(secretariat));
    }
}
