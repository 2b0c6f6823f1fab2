using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Perfolizer.Mathematics.OutlierDetection;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Notifications;
using Caravan.Shared;
using Caravan.Web.Features.Accounts;
using Caravan.Web.Features.Audit;
using Caravan.Web.Features.Notifications;
using Caravan.Web.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Npgsql;

namespace Caravan.Benchmarks.Rules;

/// <summary>
/// Issue 16's figure: a reminder run for 1,000 people reaches the local SMTP server in under 30 s. One operation raises
/// a round reminder to 1,000 people in one write step (<see cref="Outbox.Raise"/> inside
/// <see cref="CaravanDbContext.WriteAsync{T}"/>) and ends when the app's own <see cref="DeliveryWorker"/>, running as
/// the hosted service it is in the app (built with the app's registrations: AddCaravanDatabase, AddAccounts,
/// AddAudit, AddNotifications), has claimed, rendered in each person's language, sent and recorded every one of them.
/// The baseline, in the same run and to the same server: 1,000 ready messages sent straight through MailKit over one
/// connection (what the SMTP exchange and the server's writes cost, with no database). The server is Debian's aiosmtpd
/// (<c>/usr/bin/python3 -m aiosmtpd</c>, apt python3-aiosmtpd) on loopback, storing each message as a Maildir file;
/// after each iteration the files are counted (each operation must add exactly 1,000). SQLite always; PostgreSQL when
/// <c>CARAVAN_BENCH_POSTGRES</c> holds an admin connection string (a database is created and dropped per run).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 10, invocationCount: 1)]
// Every run counts, the slow ones too (the target is about each run, not a typical one).
[Outliers(OutlierMode.DontRemove)]
[MinColumn, MaxColumn]
public class MailDeliveryBenchmarks
{
    private const int People = 1000;
    private static readonly string? Postgres = Environment.GetEnvironmentVariable("CARAVAN_BENCH_POSTGRES");
    private static readonly string[] Languages = ["zh", "ru", "en"];

    private string _folder = "";
    private string? _database;
    private SmtpSink _smtp = null!;
    private WebApplication _app = null!;
    private DeliveryWorker _worker = null!;
    private List<string> _ids = [];
    private int _run;
    private int _received;
    private int _sent;
    private bool _raised;

    public static IEnumerable<string> Providers() => Postgres is null ? ["sqlite"] : ["sqlite", "postgres"];

    [ParamsSource(nameof(Providers))] public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("caravan-bench-mail-").FullName;
        _smtp = SmtpSink.Start(Path.Combine(_folder, "maildir"));
        string connection;
        if (Provider == "sqlite") connection = $"Data Source={Path.Combine(_folder, "caravan.db")}";
        else
        {
            _database = $"caravan_bench_mail_{Guid.NewGuid():N}";
            await using var admin = new NpgsqlConnection(Postgres);
            await admin.OpenAsync();
            await using (var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin))
                await create.ExecuteNonQueryAsync();
            connection = new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString;
        }

        // The app's own registrations and start-up (migrations, seed), with its settings; only the delivery worker is
        // started, as the host starts it. Poll interval 100 ms: the app's default is 5 s, which a deployment adds at
        // most once (the first batch waits for the next poll; a full batch is followed by the next at once).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production", ContentRootPath = _folder, Args = [],
        });
        // The worker's warnings (a failed send) show; EF's notes on migrations do not.
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Caravan:Database:Provider"] = Provider,
            ["Caravan:Database:ConnectionString"] = connection,
            ["Caravan:Database:MigrateOnStart"] = "true",
            ["Caravan:Seed:Path"] = Path.Combine(AppContext.BaseDirectory, "cca-mechanism.json"),
            ["Caravan:Accounts:KeysFolder"] = Path.Combine(_folder, "keys"),
            ["Caravan:Accounts:PublicUrl"] = "https://caravan.example.org",
            ["Caravan:Mail:Enabled"] = "true",
            ["Caravan:Mail:Host"] = "127.0.0.1",
            ["Caravan:Mail:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Caravan:Mail:Security"] = "None",
            ["Caravan:Mail:From"] = "caravan@example.org",
            ["Caravan:Mail:PollInterval"] = "00:00:00.100",
        });
        builder.AddCaravanDatabase();
        builder.AddAccounts();
        builder.AddAudit();
        builder.AddNotifications();
        _app = builder.Build();
        if (!await _app.PrepareDatabaseAsync())
            throw new InvalidOperationException("The database could not be prepared");

        // 1,000 national coordinators across the six states, their languages zh, ru, en in turn.
        string[] states = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];
        await using (var db = Db())
        {
            for (var i = 0; i < People; i++)
            {
                var id = $"bench-{i:0000}";
                _ids.Add(id);
                db.Users.Add(new CaravanUser
                {
                    Id = id, UserName = $"{id}@example.org", NormalizedUserName = $"{id}@EXAMPLE.ORG",
                    Email = $"{id}@example.org", NormalizedEmail = $"{id}@EXAMPLE.ORG", DisplayName = $"Reader {i}",
                    Role = CaravanRole.NationalCoordinator, StateId = states[i % states.Length],
                    SecurityStamp = Guid.NewGuid().ToString(),
                });
                db.NotificationPreferences.Add(new NotificationPreference { UserId = id, Language = Languages[i % 3] });
            }
            await db.SaveChangesAsync();
        }
        _worker = _app.Services.GetRequiredService<DeliveryWorker>();
        await _worker.StartAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _worker.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _smtp.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(Postgres);
            admin.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE {_database} WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [IterationSetup]
    public void Count()
    {
        _received = _smtp.Received();
        using var db = Db();
        _sent = db.Notifications.Count(n => n.Mail == MailState.Sent);
        _raised = false;
    }

    /// <summary>
    /// Each operation must have put exactly 1,000 more messages on the server (the app's also recorded as sent).
    /// </summary>
    [IterationCleanup]
    public void Check()
    {
        var received = _smtp.Received() - _received;
        if (received != People) throw new InvalidOperationException($"{received} messages received, not {People}");
        using var db = Db();
        var sent = db.Notifications.Count(n => n.Mail == MailState.Sent) - _sent;
        var notSent = db.Notifications.Count(n => n.Mail != MailState.Sent);
        if (sent != (_raised ? People : 0) || notSent != 0)
            throw new InvalidOperationException($"{sent} more recorded as sent, {notSent} not sent");
        Console.WriteLine($"// checked: {received} messages received by the SMTP server, {sent} recorded as sent");
    }

    /// <summary>The floor: 1,000 ready messages straight through MailKit, one connection, to the same server.</summary>
    [Benchmark(Baseline = true, Description = "baseline: 1,000 ready messages, MailKit, one connection")]
    public async Task<int> MailKitOneConnection()
    {
        var run = Interlocked.Increment(ref _run);
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", _smtp.Port, SecureSocketOptions.None);
        for (var i = 0; i < People; i++)
        {
            var message = new MimeMessage { Subject = $"floor {run} {i}" };
            message.From.Add(new MailboxAddress("Caravan", "caravan@example.org"));
            message.To.Add(new MailboxAddress("Floor", $"floor-{run}-{i}@example.org"));
            message.Body = new BodyBuilder { TextBody = "Hello", HtmlBody = "<p>Hello</p>" }.ToMessageBody();
            await client.SendAsync(message);
        }
        await client.DisconnectAsync(true);
        return People;
    }

    /// <summary>
    /// The app: a round reminder raised to 1,000 people in one write step, then every one claimed, rendered in its
    /// reader's language, sent and recorded as sent by the app's delivery worker.
    /// </summary>
    [Benchmark(Description = "reminder to 1,000 people: raised, claimed, rendered, sent by the delivery worker")]
    public async Task<int> ReminderRun()
    {
        var run = Interlocked.Increment(ref _run);
        _raised = true;
        var raise = Stopwatch.StartNew();
        await using (var db = Db())
            await db.WriteAsync(async () =>
            {
                Outbox.Raise(db, NotificationKind.RoundReminder, _ids, new NotificationContent
                {
                    Title = new LocalizedText
                    {
                        En = $"Status before the ministers' meeting ({run})",
                        Ru = $"Статус к встрече министров ({run})",
                        Zh = $"外长会晤前的进展（{run}）",
                    },
                    Link = "/work", Days = 7, Due = new DateOnly(2026, 4, 1),
                }, DateTimeOffset.UtcNow);
                return await db.SaveChangesAsync();
            }, CancellationToken.None);
        // Part of the figure, printed for the table in docs/benchmarks.md ("raise 1,000").
        Console.WriteLine($"// raised in one write step: {raise.Elapsed.TotalMilliseconds:F0} ms");
        // Done when the worker has recorded the last one as sent (each right after the server took it).
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(20);
            await using var db = Db();
            if (!await db.Notifications.AnyAsync(n => n.Mail == MailState.Pending)) return People;
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                throw new TimeoutException("The delivery worker did not send 1,000 messages within 5 minutes");
        }
    }

    /// <summary>A context with the app's options (provider, interceptors, audit keys), as a request gets one.</summary>
    private CaravanDbContext Db() => new(_app.Services.GetRequiredService<DbContextOptions<CaravanDbContext>>());
}

/// <summary>
/// Debian's aiosmtpd on a free loopback port, storing each message it receives as a file in a Maildir (as the tests'
/// MailServer starts it).
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly string _maildir;

    public int Port { get; }

    private SmtpSink(Process process, string maildir, int port) =>
        (_process, _maildir, Port) = (process, maildir, port);

    public static SmtpSink Start(string maildir)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing (apt-get install python3-aiosmtpd)");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {process.ExitCode} (apt-get install python3-aiosmtpd)");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new SmtpSink(process, maildir, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline) { Thread.Sleep(100); }
        }
    }

    /// <summary>How many messages the server has stored.</summary>
    public int Received()
    {
        var folder = Path.Combine(_maildir, "new");
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Count() : 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
