using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The layout of docs/deployment.md on loopback: a PostgreSQL primary that archives its WAL, one streaming standby,
/// two Caravan nodes (the real executable, each a process of its own, reading the public's pages from the standby) and
/// Debian's nginx in front with the repository's site file. The in-process app is the operator's tooling on the same
/// primary (accounts, checks of what is stored).
/// </summary>
public sealed class DeploymentApp : CaravanApp
{
    public PostgresCluster? Primary { get; private set; }
    public PostgresCluster? Standby { get; private set; }
    public string WalArchive { get; } = Path.Combine(Path.GetTempPath(), $"caravan-wal-{Guid.NewGuid():N}");
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        Primary = await PostgresCluster.StartNewAsync(WalArchive);
        Standby = await Primary.StartStandbyAsync();
        return Primary.ConnectionString("caravan");
    }

    /// <summary>What each node is given besides the primary: the standby, as docs/deployment.md sets it.</summary>
    public IEnumerable<KeyValuePair<string, string>> NodeSettings(int port) =>
    [
        new("Caravan:Database:StandbyConnectionString",
            $"Host=127.0.0.1:{Standby!.Port};Username=postgres;Database=caravan;Timeout=3"),
        new("Caravan:Database:StandbyMaxLag", "00:00:05"),
        new("Urls", $"http://127.0.0.1:{port}"),
    ];

    protected override async Task DropDatabaseAsync()
    {
        if (Standby is not null) await Standby.DisposeAsync();
        if (Primary is not null) await Primary.DisposeAsync();
        try { Directory.Delete(WalArchive, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class DeploymentTests(DeploymentApp app) : IClassFixture<DeploymentApp>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] States = ["KZ", "KG", "TJ", "TM", "UZ"];

    private readonly int[] _ports = [FreePort(), FreePort()];
    private readonly SecondNode?[] _nodes = new SecondNode?[2];
    private Nginx? _proxy;

    private SecondNode A => _nodes[0]!;
    private SecondNode B => _nodes[1]!;
    private Nginx Proxy => _proxy!;

    public async ValueTask InitializeAsync()
    {
        // Both nodes at the same moment: they migrate and seed one at a time under the start-up lock.
        var starting = _ports.Select(p => SecondNode.StartAsync(app, Ct, app.NodeSettings(p))).ToList();
        for (var i = 0; i < 2; i++) _nodes[i] = await starting[i];
        _proxy = await Nginx.StartAsync(_ports.Select(p => new Uri($"http://127.0.0.1:{p}")), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
        foreach (var node in _nodes) if (node is not null) await node.DisposeAsync();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static HttpClient Client(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    private static HttpClient Api(Uri address, Person person)
    {
        var client = Client(address);
        client.DefaultRequestHeaders.Authorization = new("Bearer", person.Token);
        return client;
    }

    private static async Task<decimal> AllocatedAsync(HttpClient client, string id)
    {
        var response = await client.GetAsync($"/api/v1/programmes/{id}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("programme").GetProperty("allocated").GetDecimal();
    }

    private static async Task<JsonElement> StandbysAsync(Uri node)
    {
        using var json = JsonDocument.Parse(await Client(node).GetStringAsync("/health", Ct));
        return json.RootElement.GetProperty("database").GetProperty("standbys").Clone();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < within, $"{what}: not within {within.TotalSeconds} s");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task A_write_through_node_A_is_read_by_the_public_through_node_B_within_two_seconds()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var publicOnB = Client(B.BaseAddress);
        // Node B reads the public's answers from the standby once it has caught up.
        await UntilAsync(async () => (await StandbysAsync(B.BaseAddress)).GetProperty("readFrom").GetInt32() == 1,
            TimeSpan.FromSeconds(20), "node B reading from the standby");
        Assert.Equal(0m, await AllocatedAsync(publicOnB, id)); // now in node B's cache
        var write = await Api(A.BaseAddress, secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
            Ledgers.Allocation("KZ", "40"), Ct);
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        var clock = Stopwatch.StartNew();
        await UntilAsync(async () => await AllocatedAsync(publicOnB, id) == 40m, TimeSpan.FromSeconds(2),
            "the write through node A read through node B");
        await TestReport.AddAsync($" deployment: a write through node A read by the public through node B "
            + $"(standby reads) after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_sign_in_through_node_A_is_valid_on_node_B_and_through_the_proxy()
    {
        var coordinator = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        // One cookie jar for the three addresses (cookies belong to the host, not the port), as one browser.
        var cookies = new CookieContainer();
        HttpClient Browser(Uri address) => new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false })
            { BaseAddress = address };
        await new PortalSession(Browser(A.BaseAddress)).SignInAsync(coordinator);
        foreach (var address in new[] { B.BaseAddress, Proxy.BaseAddress })
        {
            var page = await Browser(address).GetAsync("/account", Ct);
            Assert.True(page.StatusCode == HttpStatusCode.OK,
                $"{address}: {(int)page.StatusCode} {page.Headers.Location}");
            Assert.Contains(coordinator.Email, await page.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task Killing_node_A_mid_traffic_loses_no_acknowledged_write_and_the_proxy_answers_from_node_B()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var writer = Api(Proxy.BaseAddress, secretariat);
        var reader = Client(Proxy.BaseAddress);
        var acknowledged = 0;
        var afterKill = 0;
        var killed = false;
        var refused = new ConcurrentBag<string>();
        var readFailures = new ConcurrentBag<string>();
        var cutReads = 0;
        using var stop = new CancellationTokenSource();

        async Task WriteAsync(int w)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var answer = await writer.PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
                    Ledgers.Allocation(States[(w + n) % States.Length], "1"), Ct);
                if (answer.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref acknowledged);
                    if (Volatile.Read(ref killed)) Interlocked.Increment(ref afterKill);
                }
                else refused.Add($"{(int)answer.StatusCode} killed={Volatile.Read(ref killed)}");
            }
        }

        async Task ReadAsync(int r)
        {
            string[] pages = ["/api/v1/programmes/" + id, "/", "/commitments", "/api/v1/member-states"];
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var url = pages[(r + n) % pages.Length];
                var afterKill = Volatile.Read(ref killed);
                try
                {
                    var answer = await reader.GetAsync(url, Ct);
                    if (answer.StatusCode != HttpStatusCode.OK) readFailures.Add($"{url}: {(int)answer.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    // An answer node A was sending when it died is cut: nginx cannot take back what it has passed on.
                    // Only a read in flight at the kill may end so; any read sent after it is answered by node B.
                    if (afterKill) readFailures.Add($"{url}: {e.Message}");
                    else Interlocked.Increment(ref cutReads);
                }
            }
        }

        var traffic = Enumerable.Range(0, 3).Select(WriteAsync).Concat(Enumerable.Range(0, 3).Select(ReadAsync)).ToList();
        for (var waited = 0; Volatile.Read(ref acknowledged) < 20 && waited < 600; waited++) await Task.Delay(50, Ct);
        await A.DisposeAsync(); // kill -9, mid-traffic
        _nodes[0] = null;
        Volatile.Write(ref killed, true);
        await Task.Delay(3000, Ct);
        stop.Cancel();
        await Task.WhenAll(traffic);

        await using var db = app.NewDbContext();
        var stored = await db.ProgrammeEntries.CountAsync(e => e.ProgrammeId == id, Ct);
        await TestReport.AddAsync($" deployment: node A killed mid-traffic behind nginx: {acknowledged} writes "
            + $"acknowledged ({afterKill} after the kill), {refused.Count} refused, {stored} stored; "
            + $"{readFailures.Count} failed reads, {cutReads} cut in flight at the kill");
        // Every read sent after the kill was answered (nginx passed those node A refused to node B); at most one read
        // per reader was cut mid-answer by the kill itself.
        Assert.True(readFailures.IsEmpty, string.Join("; ", readFailures.Take(10)) + "\n" + Proxy.ErrorLog);
        Assert.InRange(cutReads, 0, 3);
        // Writes go on through node B.
        Assert.True(afterKill >= 10, $"{afterKill} writes acknowledged after the kill; refused: {string.Join(", ", refused)}");
        // A write refused by the proxy was one node A had taken when it died (never sent twice): at most one per
        // writer, each either wholly stored or not at all; every acknowledged write is stored.
        Assert.True(refused.Count <= 3 && refused.All(r => r.StartsWith("502", StringComparison.Ordinal)),
            string.Join(", ", refused));
        Assert.InRange(stored, acknowledged, acknowledged + refused.Count);
        var verified = new Caravan.Features.Audit.AuditQueries(db).Verify();
        Assert.True(verified.Intact, verified.Describe());
    }

    [Fact]
    public async Task Stopping_the_standby_sends_the_public_reads_to_the_primary_on_both_nodes()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var publicReader = Client(Proxy.BaseAddress);
        foreach (var node in _nodes)
            await UntilAsync(async () => (await StandbysAsync(node!.BaseAddress)).GetProperty("readFrom").GetInt32() == 1,
                TimeSpan.FromSeconds(20), "reading from the standby");
        await app.Standby!.StopAsync();
        try
        {
            var write = await Api(Proxy.BaseAddress, secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
                Ledgers.Allocation("UZ", "7"), Ct);
            Assert.Equal(HttpStatusCode.Created, write.StatusCode);
            // The public's reads through the proxy are answered, from the primary, with the write made after the stop.
            for (var n = 0; n < 6; n++) Assert.Equal(7m, await AllocatedAsync(publicReader, id));
            foreach (var node in _nodes)
                await UntilAsync(async () => (await StandbysAsync(node!.BaseAddress)).GetProperty("readFrom").GetInt32() == 0,
                    TimeSpan.FromSeconds(5), "the standby noticed down");
        }
        finally { await app.Standby.StartAsync(); }
        foreach (var node in _nodes)
            await UntilAsync(async () => (await StandbysAsync(node!.BaseAddress)).GetProperty("readFrom").GetInt32() == 1,
                TimeSpan.FromSeconds(20), "reading from the standby again");
    }
}

/// <summary>The app on a PostgreSQL primary of its own that archives its WAL, for the backup-and-restore rehearsal.</summary>
public sealed class ArchivingApp : CaravanApp
{
    public PostgresCluster? Primary { get; private set; }
    public string WalArchive { get; } = Path.Combine(Path.GetTempPath(), $"caravan-wal-{Guid.NewGuid():N}");
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        Primary = await PostgresCluster.StartNewAsync(WalArchive);
        return Primary.ConnectionString("caravan");
    }

    protected override async Task DropDatabaseAsync()
    {
        if (Primary is not null) await Primary.DisposeAsync();
        try { Directory.Delete(WalArchive, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// docs/deployment.md's backup and restore, rehearsed: a base backup with <c>pg_basebackup</c>, writes after it that
/// only the WAL archive holds, the primary destroyed, a restore from the backup and the archive; the open-data export
/// of the restored database is the same file, byte for byte, as the one taken before the loss.
/// </summary>
public sealed class BackupRestoreTests(ArchivingApp app) : IClassFixture<ArchivingApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<byte[]> ExportAsync(string connection)
    {
        var file = Path.Combine(Path.GetTempPath(), $"caravan-open-data-{Guid.NewGuid():N}.zip");
        try
        {
            var (code, output, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>
            {
                ["Caravan__Database__Provider"] = "postgres",
                ["Caravan__Database__ConnectionString"] = connection,
                ["Caravan__Database__MigrateOnStart"] = "false",
            }, "export", "open-data", "--snapshot", "current", "--output", file);
            Assert.True(code == 0, $"exit {code}: {output}{error}");
            return await File.ReadAllBytesAsync(file, Ct);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task A_restore_from_the_base_backup_and_the_wal_archive_gives_the_same_open_data_export_byte_for_byte()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var id = await Ledgers.ProgrammeAsync(app, 1_000_000m, "CNY", Ct);
        var api = app.Api(secretariat);
        async Task AllocateAsync(string state, string quantity) => Assert.Equal(HttpStatusCode.Created,
            (await api.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation(state, quantity), Ct))
            .StatusCode);
        await AllocateAsync("KZ", "100");
        var folder = Directory.CreateTempSubdirectory("caravan-backup-");
        try
        {
            var backup = Path.Combine(folder.FullName, "base");
            await app.Primary!.BaseBackupAsync(backup);
            // After the base backup: only the archived WAL holds these.
            await AllocateAsync("UZ", "200");
            await AllocateAsync("TJ", "300");
            await app.Primary.SwitchWalAsync();
            var before = await ExportAsync(app.ConnectionString);

            await app.Primary.DestroyAsync();
            await using var restored = await PostgresCluster.RestoreAsync(backup, app.WalArchive);
            var after = await ExportAsync(restored.ConnectionString("caravan"));

            await using (var db = new Npgsql.NpgsqlConnection(restored.ConnectionString("caravan")))
            {
                await db.OpenAsync(Ct);
                await using var count = new Npgsql.NpgsqlCommand(
                    "SELECT count(*) FROM \"ProgrammeEntries\" WHERE \"ProgrammeId\" = @id", db);
                count.Parameters.AddWithValue("id", id);
                Assert.Equal(3L, (long)(await count.ExecuteScalarAsync(Ct))!); // the two after the backup included
            }
            await TestReport.AddAsync($" backup and restore: open-data export {before.Length:N0} bytes before the loss, "
                + $"{after.Length:N0} after the restore, identical: {before.AsSpan().SequenceEqual(after)}");
            Assert.True(before.AsSpan().SequenceEqual(after), "the restored database's export differs");
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
