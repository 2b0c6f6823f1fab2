using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Caravan.Tests.Support;

/// <summary>
/// A real SMTP server on loopback: Debian's aiosmtpd (<c>/usr/bin/python3 -m aiosmtpd</c>) with its Maildir handler,
/// which stores each message it receives as a file; tests read them back with MimeKit. It can be stopped and started
/// again on the same port, as a mail server that goes down and comes back. Skips with the reason when aiosmtpd is
/// absent, unless CARAVAN_REQUIRE_ALL=1.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("caravan-smtp-");
    private Process? _process;

    public int Port { get; }
    public string Maildir => Path.Combine(_folder.FullName, "maildir");

    private MailServer(int port) => Port = port;

    /// <summary>Why aiosmtpd cannot run here, or null when it can.</summary>
    public static string? Missing()
    {
        if (!File.Exists(Python)) return $"{Python} is missing (apt-get install python3-aiosmtpd)";
        using var check = Process.Start(new ProcessStartInfo(Python, "-c \"import aiosmtpd\"")
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? null : "the Python module aiosmtpd is missing (apt-get install python3-aiosmtpd)";
    }

    /// <summary>Starts a server on a free loopback port (synchronous: app fixtures need the port for their settings).</summary>
    public static MailServer Start()
    {
        if (Missing() is { } reason) Requirements.Unavailable("The SMTP test server (aiosmtpd)", reason);
        var server = new MailServer(FreePort());
        server.Up();
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it accepts connections.</summary>
    public void Up()
    {
        if (_process is { HasExited: false }) return;
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}",
                     "-c", "aiosmtpd.handlers.Mailbox", Maildir })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { Thread.Sleep(100); }
        }
        throw new TimeoutException($"aiosmtpd did not listen on 127.0.0.1:{Port} within 20 s");
    }

    /// <summary>Stops the server (killed, as a crash): connections are refused until <see cref="Up"/>.</summary>
    public void Down()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far, parsed.</summary>
    public List<MimeMessage> Messages()
    {
        var folder = Path.Combine(Maildir, "new");
        if (!Directory.Exists(folder)) return [];
        return [.. Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];
    }

    /// <summary>The messages to an address.</summary>
    public List<MimeMessage> To(string address) =>
        [.. Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits (up to <paramref name="seconds"/>) until <paramref name="done"/> holds for the messages received.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(Func<List<MimeMessage>, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var messages = Messages();
            if (done(messages)) return messages;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"After {seconds} s, {messages.Count} messages, the last: "
                    + string.Join("; ", messages.TakeLast(5).Select(m => $"{m.To} {m.Subject}")));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Down();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The app with mail on, sending to its own <see cref="MailServer"/>; quick retries for the tests.</summary>
public interface IMailApp
{
    MailServer Mail { get; }
    /// <summary>The mail settings, for a second node of the same deployment.</summary>
    IReadOnlyList<KeyValuePair<string, string>> MailSettings { get; }
}

public static class MailApps
{
    public const string PublicUrl = "https://caravan.example.org";

    public static MailServer Unavailable(string? reason)
    {
        Requirements.Unavailable("The SMTP test server (aiosmtpd)", reason ?? "it did not start");
        return null!;
    }

    public static List<KeyValuePair<string, string>> Settings(MailServer mail) =>
    [
        new("Caravan:Mail:Enabled", "true"),
        new("Caravan:Mail:Host", "127.0.0.1"),
        new("Caravan:Mail:Port", mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Caravan:Mail:Security", "None"),
        new("Caravan:Mail:From", "caravan@example.org"),
        new("Caravan:Mail:FromName", "Caravan"),
        new("Caravan:Mail:PollInterval", "00:00:00.200"),
        new("Caravan:Mail:BatchSize", "50"),
        new("Caravan:Mail:FirstRetryDelay", "00:00:01"),
        new("Caravan:Mail:MaxRetryDelay", "00:00:02"),
        new("Caravan:Mail:Timeout", "00:00:10"),
        new("Caravan:Accounts:PublicUrl", PublicUrl),
    ];
}

public sealed class SqliteMailApp : SqliteApp, IMailApp, IAsyncDisposable
{
    private MailServer? _mail;
    private string? _missing;
    public MailServer Mail => _mail ?? MailApps.Unavailable(_missing);
    public IReadOnlyList<KeyValuePair<string, string>> MailSettings => MailApps.Settings(Mail);

    protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        // Without aiosmtpd the app starts with mail off, and each test that needs the server skips (or fails).
        if ((_missing = MailServer.Missing()) is not null) return [];
        _mail = MailServer.Start();
        return MailApps.Settings(_mail);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        if (_mail is not null) await _mail.DisposeAsync();
    }
}

public sealed class PostgresMailApp : PostgresApp, IMailApp, IAsyncDisposable
{
    private MailServer? _mail;
    private string? _missing;
    public MailServer Mail => _mail ?? MailApps.Unavailable(_missing);
    public IReadOnlyList<KeyValuePair<string, string>> MailSettings => MailApps.Settings(Mail);

    protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        // Without aiosmtpd the app starts with mail off, and each test that needs the server skips (or fails).
        if ((_missing = MailServer.Missing()) is not null) return [];
        _mail = MailServer.Start();
        return MailApps.Settings(_mail);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        if (_mail is not null) await _mail.DisposeAsync();
    }
}
