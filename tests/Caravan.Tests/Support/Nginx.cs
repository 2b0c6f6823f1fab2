using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Caravan.Tests.Support;

/// <summary>
/// Debian's nginx in front of Caravan nodes, on a free loopback port, with the configuration of docs/deployment.md
/// (deploy/nginx/caravan.conf): the nodes as one upstream, a failed node passed over, idempotent requests retried on the
/// next node. Runs in the foreground as the test's child process, with every path in a throwaway folder.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    public Uri BaseAddress { get; }

    /// <summary>nginx's master process (the soak benchmark samples its memory and its workers').</summary>
    public int ProcessId => _process.Id;

    private Nginx(Process process, DirectoryInfo folder, Uri address) =>
        (_process, _folder, BaseAddress) = (process, folder, address);

    /// <summary>The repository's site configuration, with its upstream servers and port put in.</summary>
    public static string Site(IEnumerable<Uri> nodes, int port)
    {
        var site = File.ReadAllText(Path.Combine(Requirements.RepositoryRoot, "deploy", "nginx", "caravan.conf"));
        var servers = string.Join("\n", nodes.Select(n =>
            $"    server {n.Host}:{n.Port} max_fails=1 fail_timeout=10s;"));
        // The shipped file names two example nodes and port 80; the test's are its own.
        var start = site.IndexOf("    server 10.0.0.11:5080", StringComparison.Ordinal);
        var end = site.IndexOf('\n', site.IndexOf("    server 10.0.0.12:5080", StringComparison.Ordinal));
        if (start < 0 || end < 0) throw new InvalidOperationException("deploy/nginx/caravan.conf lost its example nodes");
        return (site[..start] + servers + site[end..]).Replace("listen 80;", $"listen 127.0.0.1:{port};")
            .Replace("server_name caravan.example.org;", "server_name localhost;");
    }

    public static async Task<Nginx> StartAsync(IEnumerable<Uri> nodes, CancellationToken ct)
    {
        const string binary = "/usr/sbin/nginx";
        if (!File.Exists(binary)) Requirements.Unavailable("nginx", "/usr/sbin/nginx is missing (apt-get install nginx)");
        var folder = Directory.CreateTempSubdirectory("caravan-nginx-");
        // Workers run as nobody when started by root: their temporary folders must be theirs to write.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder.FullName, (UnixFileMode)0x1FF);
        var port = FreePort();
        var root = folder.FullName;
        var conf = $$"""
            daemon off;
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log warn;
            events { worker_connections 512; }
            http {
              access_log off;
              client_body_temp_path {{root}}/body;
              proxy_temp_path {{root}}/proxy;
              fastcgi_temp_path {{root}}/fastcgi;
              uwsgi_temp_path {{root}}/uwsgi;
              scgi_temp_path {{root}}/scgi;
            {{Site(nodes, port)}}
            }
            """;
        var file = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(file, conf, ct);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "-p", root, "-c", file, "-e", Path.Combine(root, "error.log") }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var address = new Uri($"http://127.0.0.1:{port}");
        for (var waited = 0; ; waited++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited ({process.ExitCode}): "
                    + await process.StandardError.ReadToEndAsync(ct) + ReadLog(root));
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, ct);
                return new Nginx(process, folder, address);
            }
            catch (SocketException) when (waited < 100)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static string ReadLog(string root) =>
        File.Exists(Path.Combine(root, "error.log")) ? File.ReadAllText(Path.Combine(root, "error.log")) : "";

    public string ErrorLog => ReadLog(_folder.FullName);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { _folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
