using System.Net;
using Caravan.Data;
using Caravan.Tests.Support;
using Npgsql;

namespace Caravan.Tests.Integration;

/// <summary>
/// Two nodes started at the same moment on a new, empty PostgreSQL database (migrating on start) both come up: one
/// migrates and seeds under the start-up lock while the other waits, then finds nothing to do. Without the lock the
/// second node died creating a table the first had created (issue 18's report).
/// </summary>
public sealed class FreshStartTests
{
    [Fact]
    public async Task Two_nodes_started_at_once_on_an_empty_database_both_come_up_and_the_seed_is_loaded_once()
    {
        var ct = TestContext.Current.CancellationToken;
        if (Requirements.PostgresServer is not { } server)
        {
            Requirements.Unavailable("PostgreSQL", "set CARAVAN_TEST_POSTGRES (.ci/run starts a server)");
            return;
        }
        var database = $"caravan_fresh_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        var keys = Path.Combine(Directory.CreateTempSubdirectory("caravan-fresh-").FullName, "audit-keys.json");
        try
        {
            var settings = new Dictionary<string, string> { ["Caravan:Database:MigrateOnStart"] = "true" };
            Task<SecondNode>[] starting =
            [
                SecondNode.StartAsync(DatabaseProvider.Postgres, connection, keys, ct, settings),
                SecondNode.StartAsync(DatabaseProvider.Postgres, connection, keys, ct, settings),
            ];
            SecondNode[] nodes;
            try { nodes = await Task.WhenAll(starting); }
            catch
            {
                // The node that did start is not left running.
                foreach (var t in starting.Where(t => t.IsCompletedSuccessfully)) await (await t).DisposeAsync();
                throw;
            }
            try
            {
                foreach (var node in nodes)
                {
                    using var http = new HttpClient { BaseAddress = node.BaseAddress };
                    var states = await http.GetAsync("/api/v1/member-states", ct);
                    Assert.True(states.StatusCode == HttpStatusCode.OK, $"{states.StatusCode}\n{node.Output}");
                    Assert.DoesNotContain("duplicate key", node.Output, StringComparison.OrdinalIgnoreCase);
                }
                await using var db = new NpgsqlConnection(connection);
                await db.OpenAsync(ct);
                await using var count = new NpgsqlCommand("""SELECT count(*) FROM "MemberStates" """, db);
                Assert.Equal(6L, (long)(await count.ExecuteScalarAsync(ct))!);
            }
            finally
            {
                foreach (var node in nodes) await node.DisposeAsync();
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_start_up_lock_is_released_when_its_holder_is_done_though_its_connection_goes_back_to_the_pool()
    {
        var ct = TestContext.Current.CancellationToken;
        if (Requirements.PostgresServer is not { } server)
        {
            Requirements.Unavailable("PostgreSQL", "set CARAVAN_TEST_POSTGRES (.ci/run starts a server)");
            return;
        }
        var settings = new DatabaseSettings { Provider = "postgres", ConnectionString = server };
        async Task<long> HeldAsync()
        {
            await using var look = new NpgsqlConnection(server + ";Pooling=false");
            await look.OpenAsync(ct);
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + $"AND ((classid::bigint << 32) | objid::bigint) = {Caravan.Web.Infrastructure.DatabaseMaintenance.StartUpLockKey}", look);
            return (long)(await count.ExecuteScalarAsync(ct))!;
        }
        await using (await Caravan.Web.Infrastructure.DatabaseMaintenance.StartUpLockAsync(settings, ct))
            Assert.Equal(1, await HeldAsync());
        Assert.Equal(0, await HeldAsync());
    }
}
