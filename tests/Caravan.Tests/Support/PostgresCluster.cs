using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Caravan.Tests.Support;

/// <summary>
/// A PostgreSQL server of the test's own (Debian's binaries, a throwaway data folder, a free loopback port), for
/// tests that stop and start the server: the shared server of CARAVAN_TEST_POSTGRES serves other classes meanwhile.
/// Run as the postgres user when the tests run as root (initdb refuses root).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly DirectoryInfo _folder;
    public int Port { get; }

    private PostgresCluster(string bin, DirectoryInfo folder, int port) => (_bin, _folder, Port) = (bin, folder, port);

    private string Data => Path.Combine(_folder.FullName, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=3;Command Timeout=15";

    /// <summary>A new, running server; skips (or fails under CARAVAN_REQUIRE_ALL) where PostgreSQL is not installed.</summary>
    public static async Task<PostgresCluster> StartNewAsync(string? walArchive = null)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null) Requirements.Unavailable("A PostgreSQL server of the test's own", "/usr/lib/postgresql/*/bin/initdb is missing (apt-get install postgresql)");
        var folder = Directory.CreateTempSubdirectory("caravan-pg-");
        if (Environment.UserName == "root") await RunAsync("chown", "postgres", folder.FullName);
        var cluster = new PostgresCluster(bin!, folder, FreePort());
        await cluster.AsPostgresAsync("initdb", "-D", cluster.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        if (walArchive is not null)
        {
            // Every completed WAL segment copied to the archive, as docs/deployment.md sets it up.
            Directory.CreateDirectory(walArchive);
            if (Environment.UserName == "root") await RunAsync("chown", "postgres", walArchive);
            await File.AppendAllTextAsync(Path.Combine(cluster.Data, "postgresql.conf"),
                $"\narchive_mode = on\narchive_command = 'test ! -f {walArchive}/%f && cp %p {walArchive}/%f'\n");
        }
        await cluster.StartAsync();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Username=postgres");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE caravan", connection);
        await create.ExecuteNonQueryAsync();
        return cluster;
    }

    /// <summary>
    /// A streaming-replication standby of this server: a base backup taken with Debian's <c>pg_basebackup</c>
    /// (<c>-R</c> writes the standby's settings), started on a free port of its own, answering reads once consistent.
    /// </summary>
    public async Task<PostgresCluster> StartStandbyAsync()
    {
        var folder = Directory.CreateTempSubdirectory("caravan-pg-standby-");
        if (Environment.UserName == "root") await RunAsync("chown", "postgres", folder.FullName);
        var standby = new PostgresCluster(_bin, folder, FreePort());
        await AsPostgresAsync("pg_basebackup", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres",
            "-D", standby.Data, "-R", "-X", "stream", "-c", "fast");
        await standby.StartAsync();
        return standby;
    }

    /// <summary>A base backup of this server into <paramref name="target"/> (plain format, with the WAL it needs).</summary>
    public async Task BaseBackupAsync(string target)
    {
        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await RunAsync("chown", "postgres", Path.GetDirectoryName(target)!);
        }
        await AsPostgresAsync("pg_basebackup", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres",
            "-D", target, "-X", "stream", "-c", "fast");
    }

    /// <summary>
    /// The server restored from a base backup and the WAL archive, on a free port: the backup copied into a new data
    /// folder, <c>restore_command</c> reading the archive, and <c>recovery.signal</c>, so that it replays every archived
    /// segment and then opens for writes.
    /// </summary>
    public static async Task<PostgresCluster> RestoreAsync(string backup, string walArchive)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).Last();
        var folder = Directory.CreateTempSubdirectory("caravan-pg-restored-");
        var cluster = new PostgresCluster(bin, folder, FreePort());
        await RunAsync("cp", "-a", backup, cluster.Data);
        await File.AppendAllTextAsync(Path.Combine(cluster.Data, "postgresql.conf"),
            $"\nrestore_command = 'cp {walArchive}/%f %p'\narchive_mode = off\n");
        await File.WriteAllTextAsync(Path.Combine(cluster.Data, "recovery.signal"), "");
        if (Environment.UserName == "root") await RunAsync("chown", "-R", "postgres", folder.FullName);
        await cluster.StartAsync();
        // Recovery ends when the archive has no next segment; the server is then promoted and takes writes.
        for (var waited = 0; ; waited++)
        {
            await using var c = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await c.OpenAsync();
            await using var q = new NpgsqlCommand("SELECT pg_is_in_recovery()", c);
            if (!(bool)(await q.ExecuteScalarAsync())!) return cluster;
            if (waited > 300) throw new TimeoutException("The restored server is still recovering after 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>The loss the restore is for: the server stopped at once and its data folder deleted.</summary>
    public async Task DestroyAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        Directory.Delete(Data, recursive: true);
    }

    /// <summary>Closes the current WAL segment so that the archive holds every write made so far.</summary>
    public async Task SwitchWalAsync()
    {
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var q = new NpgsqlCommand("SELECT pg_walfile_name(pg_switch_wal())", c);
        var segment = (string)(await q.ExecuteScalarAsync())!;
        // The archiver copies the closed segment in the background: wait until it has.
        for (var waited = 0; ; waited++)
        {
            await using var a = new NpgsqlCommand("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver", c);
            if (string.CompareOrdinal((string)(await a.ExecuteScalarAsync())!, segment) >= 0) return;
            if (waited > 300) throw new TimeoutException($"WAL segment {segment} not archived after 30 s");
            await Task.Delay(100);
        }
    }

    public Task StartAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder.FullName, "server.log"),
        "-w", "-o", $"-p {Port} -k {_folder.FullName} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Stops the server at once, as a crash or an operator's fast shutdown would: sessions are cut.</summary>
    /// <summary>The server's postmaster (the first line of postmaster.pid): the soak samples its memory and its backends'.</summary>
    public int ServerProcessId() =>
        int.Parse(File.ReadLines(Path.Combine(Data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    public Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    private Task AsPostgresAsync(string tool, params string[] args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
        : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {process.ExitCode}\n{await output}{await error}");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await AsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop"); } catch (InvalidOperationException) { }
        try { _folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
