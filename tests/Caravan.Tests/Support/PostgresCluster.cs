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
    public static async Task<PostgresCluster> StartNewAsync()
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

    public Task StartAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder.FullName, "server.log"),
        "-w", "-o", $"-p {Port} -k {_folder.FullName} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Stops the server at once, as a crash or an operator's fast shutdown would: sessions are cut.</summary>
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
