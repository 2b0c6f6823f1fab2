using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Tests.Support;

namespace Caravan.Benchmarks;

/// <summary>
/// <c>--soak</c> (issue 18): the deployment of docs/deployment.md on loopback — a PostgreSQL primary and a streaming
/// standby of its own, two published Caravan nodes reading the public's answers from the standby, and Debian's nginx
/// with the shipped <c>deploy/nginx/caravan.conf</c> in front — driven at a fixed rate (open loop: each request is
/// sent at its scheduled time whether or not the earlier ones have answered, and its latency counts from that time)
/// with the public's page and API reads and the secretariat's and a coordinator's ledger writes through their tokens.
/// Memory of every process is sampled every 10 s. Then the closed-loop throughput of the same reads through one node
/// and through two, in the same run.
/// </summary>
internal static partial class SoakBenchmark
{
    private const string Password = "Soak-benchmark-password-1";

    /// <summary>What the public reads, in turn: pages and API answers across the features.</summary>
    private static readonly string[] Reads =
    [
        "/", "/commitments", "/projects", "/dashboard", "/treaties", "/programmes", "/partnerships", "/documents",
        "/dashboard/KZ", "/api/v1/commitments", "/api/v1/projects/totals?currency=USD", "/api/v1/programmes",
        "/api/v1/dashboard", "/api/v1/treaties", "/commitments?culture=ru", "/projects?culture=zh",
    ];

    private sealed record Sample(double Seconds, string Kind, double Milliseconds, int Status);

    public static async Task<int> RunAsync(Options options, string[] args)
    {
        var machine = Machine.Describe();
        var rate = options.Rate;
        var duration = TimeSpan.FromMinutes(options.SoakMinutes);
        var work = Directory.CreateTempSubdirectory("caravan-bench-soak-");
        try
        {
            Progress($"Publishing src/Caravan.Web in Release to {work.FullName}/app …");
            var dll = await WebApp.PublishAsync(Program.RepoRoot(), Path.Combine(work.FullName, "app"));
            await using var primary = await PostgresCluster.StartNewAsync();
            await using var standby = await primary.StartStandbyAsync();
            Progress($"PostgreSQL primary on port {primary.Port}, streaming standby on port {standby.Port}");
            var environment = new Dictionary<string, string>
            {
                ["Caravan__Database__Provider"] = "postgres",
                ["Caravan__Database__ConnectionString"] = primary.ConnectionString("caravan"),
                ["Caravan__Database__StandbyConnectionString"] = standby.ConnectionString("caravan"),
                ["Caravan__Database__MigrateOnStart"] = "true",
                // The load comes from one address: the sign-in limit is not what is measured.
                ["Caravan__Accounts__SignInAttemptsPerMinute"] = "1000",
            };
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 2048 }) { Timeout = TimeSpan.FromSeconds(30) };
            // Both nodes at the same moment on the fresh database: one migrates and seeds, the other waits (item 1).
            using var a = WebApp.Start(dll, environment, Path.Combine(work.FullName, "node-a.log"));
            using var b = WebApp.Start(dll, environment, Path.Combine(work.FullName, "node-b.log"));
            await Task.WhenAll(a.WaitUntilHealthyAsync(http, TimeSpan.FromMinutes(3)), b.WaitUntilHealthyAsync(http, TimeSpan.FromMinutes(3)));
            await using var proxy = await Nginx.StartAsync([a.BaseAddress, b.BaseAddress], CancellationToken.None);
            Progress($"Nodes at {a.BaseAddress} (pid {a.ProcessId}) and {b.BaseAddress} (pid {b.ProcessId}); nginx at {proxy.BaseAddress}");

            var cli = Path.Combine(Path.GetDirectoryName(dll)!, "caravan.dll");
            // Signed in on node A as a browser behind TLS is; the tokens then serve through the proxy on both nodes.
            var secretariat = await PersonAsync(cli, environment, a.BaseAddress, "secretariat-editor", null);
            var coordinator = await PersonAsync(cli, environment, a.BaseAddress, "national-coordinator", "KZ");
            var (programme, on) = await ProgrammeAsync(http, proxy.BaseAddress);
            Progress($"Tokens made through the portal's sign-in and two-factor set-up; writes go to programme {programme}");
            await UntilStandbyReadAsync(http, [a.BaseAddress, b.BaseAddress]);

            // Each read once, so that the soak measures the steady state rather than the first compilation.
            foreach (var path in Reads)
                using (var r = await http.GetAsync(new Uri(proxy.BaseAddress, path))) await r.Content.ReadAsByteArrayAsync();

            var memory = new MemoryWatch(new()
            {
                ["node A"] = [a.ProcessId], ["node B"] = [b.ProcessId],
            }, proxy, primary, standby);
            var before = await StoredAsync(primary, programme);
            var samples = await DriveAsync(http, proxy.BaseAddress, rate, duration, secretariat, coordinator, programme, on, memory);
            var acknowledged = samples.Count(s => s.Kind.StartsWith("write", StringComparison.Ordinal) && s.Status is 201 or 202);
            var stored = await StoredAsync(primary, programme) - before;

            Progress("Throughput, closed loop: through nginx with both nodes, then with node B stopped …");
            var two = await ThroughputAsync(http, proxy.BaseAddress, TimeSpan.FromSeconds(20));
            b.Dispose();
            // nginx takes a node that refuses connections out of its upstream after one failure (max_fails=1).
            await Task.Delay(TimeSpan.FromSeconds(2));
            var one = await ThroughputAsync(http, proxy.BaseAddress, TimeSpan.FromSeconds(20));

            var report = Report(options, args, machine, samples, memory, rate, duration, acknowledged, stored, one, two);
            Console.WriteLine(report);
            if (options.Output is { } output)
            {
                Program.WriteFiguresSection(output, "soak", report);
                Progress($"Figures written to {output}");
            }
            var pages = samples.Where(s => s.Kind == "page").Select(s => s.Milliseconds).Order().ToList();
            return samples.All(s => s.Status is >= 200 and < 300) && Percentile(pages, 0.95) < 50 && stored == acknowledged ? 0 : 1;
        }
        finally
        {
            // The nodes' logs outlive the run: a failed request is explained there.
            foreach (var log in work.EnumerateFiles("node-*.log"))
                try { log.CopyTo(Path.Combine(Path.GetTempPath(), $"caravan-soak-{log.Name}"), overwrite: true); } catch (IOException) { }
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// An account as a person gets one: created by the CLI with a password, signed in through the portal, the
    /// authenticator set up with the key the page shows (Otp.NET plays the phone), and a token made on /account.
    /// </summary>
    private static async Task<string> PersonAsync(string cli, IReadOnlyDictionary<string, string> environment, Uri portal, string role, string? state)
    {
        var email = $"soak-{role}-{Guid.NewGuid():N}@example.org";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(cli)! };
        foreach (var arg in (string[])[cli, "users", "add", "--email", email, "--role", role, "--password-stdin", .. state is null ? Array.Empty<string>() : ["--state", state]])
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using (var add = Process.Start(start)!)
        {
            await add.StandardInput.WriteLineAsync(Password);
            add.StandardInput.Close();
            var error = await add.StandardError.ReadToEndAsync();
            await add.WaitForExitAsync();
            if (add.ExitCode != 0) throw new BenchmarkException($"caravan users add failed (exit {add.ExitCode}): {error}");
        }
        var session = new Session(portal);
        await session.GetAsync("/account/sign-in");
        var signIn = await session.PostAsync("/account/sign-in", [new("email", email), new("password", Password)]);
        if (signIn.Location != "/account/two-factor") throw new BenchmarkException($"sign-in for {email} went to {signIn.Location ?? signIn.Status.ToString()}");
        var setup = await session.GetAsync("/account/two-factor");
        var key = KeyPattern().Match(setup.Html) is { Success: true } k ? k.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()
            : throw new BenchmarkException("the two-factor page shows no authenticator key");
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp();
        var enabled = await session.PostAsync("/account/two-factor", [new("code", code)]);
        if (enabled.Status != HttpStatusCode.OK || !enabled.Html.Contains("recovery", StringComparison.OrdinalIgnoreCase))
            throw new BenchmarkException($"two-factor set-up for {email} refused ({enabled.Status})");
        await session.GetAsync("/account");
        var made = await session.PostAsync("/account?handler=CreateToken", [new("tokenName", "soak"), new("days", "1")]);
        return TokenPattern().Match(made.Html) is { Success: true } t ? t.Value
            : throw new BenchmarkException($"/account showed no new token for {email} ({made.Status})");
    }

    /// <summary>
    /// The programme with the most left to allocate, so that thousands of one-unit allocations all fit, and a date
    /// in its period (today, or the period's nearest end) for them.
    /// </summary>
    private static async Task<(string Id, DateOnly On)> ProgrammeAsync(HttpClient http, Uri portal)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(portal, "/api/v1/programmes")));
        // A page of programmes: its one array is the items.
        var list = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement
            : json.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        var best = list.EnumerateArray()
            .Where(p => p.TryGetProperty("unallocated", out var left) && left.ValueKind == JsonValueKind.Number)
            .OrderByDescending(p => p.GetProperty("unallocated").GetDecimal()).FirstOrDefault();
        if (best.ValueKind != JsonValueKind.Object) throw new BenchmarkException("no programme with a pledged quantity to write allocations to");
        static DateOnly? Date(JsonElement period, string name) =>
            period.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.String ? DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture) : null;
        var period = best.GetProperty("period");
        var on = DateOnly.FromDateTime(DateTime.UtcNow);
        if (Date(period, "to") is { } to && on > to) on = to;
        if (Date(period, "from") is { } from && on < from) on = from;
        return (best.GetProperty("id").GetString()!, on);
    }

    private static async Task UntilStandbyReadAsync(HttpClient http, Uri[] nodes)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var reading = 0;
            foreach (var node in nodes)
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(node, "/health")));
                reading += json.RootElement.GetProperty("database").GetProperty("standbys").GetProperty("readFrom").GetInt32();
            }
            if (reading == nodes.Length) return;
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new BenchmarkException("the nodes did not start reading from the standby within 60 s");
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// The open-loop drive: request i is due at i / rate seconds; one in ten is a write (the secretariat's allocation,
    /// applied at once, or the coordinator's, submitted for validation), the others read <see cref="Reads"/> in turn.
    /// </summary>
    private static async Task<List<Sample>> DriveAsync(HttpClient http, Uri proxy, int rate, TimeSpan duration, string secretariat, string coordinator, string programme, DateOnly on, MemoryWatch memory)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var samples = new Sample[total];
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var nextMemory = TimeSpan.Zero;
        Progress($"Soak: {total:N0} requests at {rate}/s for {duration.TotalMinutes:0.#} min through nginx …");
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)rate);
            if (clock.Elapsed >= nextMemory)
            {
                memory.Take(clock.Elapsed.TotalSeconds);
                nextMemory += TimeSpan.FromSeconds(10);
                if (nextMemory.TotalSeconds % 60 == 0) Progress($"… {clock.Elapsed.TotalMinutes:0} min, {i:N0} sent");
            }
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var n = i;
            tasks.Add(Task.Run(async () => samples[n] = await OneAsync(http, proxy, n, due, clock, secretariat, coordinator, programme, on)));
        }
        await Task.WhenAll(tasks);
        memory.Take(clock.Elapsed.TotalSeconds);
        return [.. samples];
    }

    private static async Task<Sample> OneAsync(HttpClient http, Uri proxy, int n, TimeSpan due, Stopwatch clock, string secretariat, string coordinator, string programme, DateOnly on)
    {
        var write = n % 10 == 9;
        using var request = write
            ? new HttpRequestMessage(HttpMethod.Post, new Uri(proxy, $"/api/v1/programmes/{programme}/entries"))
            {
                Content = JsonContent.Create(new
                {
                    state = "KZ",
                    values = new Dictionary<string, string> { ["kind"] = "allocation", ["year"] = on.Year.ToString(CultureInfo.InvariantCulture), ["on"] = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["quantity"] = "1" },
                    sources = new[] { new { url = "https://www.example.org/soak/allocation", title = "Soak benchmark allocation", date = "2026-06", language = "en", confidence = "high" } },
                    reason = "soak benchmark",
                    submit = true,
                }),
            }
            : new HttpRequestMessage(HttpMethod.Get, new Uri(proxy, Reads[n % Reads.Length]));
        if (write) request.Headers.Authorization = new("Bearer", n % 20 == 19 ? coordinator : secretariat);
        var kind = write ? n % 20 == 19 ? "write (coordinator, submitted)" : "write (secretariat, applied)"
            : Reads[n % Reads.Length].StartsWith("/api/", StringComparison.Ordinal) ? "api" : "page";
        try
        {
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return new Sample(due.TotalSeconds, kind, (clock.Elapsed - due).TotalMilliseconds, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Sample(due.TotalSeconds, kind, (clock.Elapsed - due).TotalMilliseconds, 0);
        }
    }

    /// <summary>The programme's entries (the secretariat's, applied) and the submissions (the coordinator's), stored.</summary>
    private static async Task<int> StoredAsync(PostgresCluster primary, string programme)
    {
        await using var connection = new Npgsql.NpgsqlConnection(primary.ConnectionString("caravan"));
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand(
            """SELECT (SELECT count(*) FROM "ProgrammeEntries" WHERE "ProgrammeId" = $1) + (SELECT count(*) FROM "Submissions")""", connection)
        { Parameters = { new() { Value = programme } } };
        return Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Closed loop: 16 requests in flight over the reads in turn, for the given time; answers per second.</summary>
    private static async Task<(double PerSecond, int Errors)> ThroughputAsync(HttpClient http, Uri proxy, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        var errors = 0;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var path = Reads[Interlocked.Increment(ref next) % Reads.Length];
                try
                {
                    using var response = await http.GetAsync(new Uri(proxy, path));
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref done);
                    else Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
            }
        })));
        return (done / clock.Elapsed.TotalSeconds, errors);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Report(Options options, string[] args, Machine machine, List<Sample> samples, MemoryWatch memory, int rate, TimeSpan duration, int acknowledged, int stored, (double PerSecond, int Errors) one, (double PerSecond, int Errors) two)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.Cores} cores ({machine.Cpu}), {machine.Os}, {machine.Runtime}; load average before the run: {machine.LoadAverage}.");
        text.AppendLine();
        text.AppendLine("Layout: a PostgreSQL primary and a streaming standby (`pg_basebackup -R`, both of this run, on loopback), two published Caravan nodes started at the same moment on the fresh database (Production, public reads on the standby), Debian's nginx with `deploy/nginx/caravan.conf`. Tokens made as a person makes them (portal sign-in, authenticator set-up, `/account`).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Program.CommandLine(args)}`");
        text.AppendLine();
        var seconds = samples.Count == 0 ? 0 : samples.Max(s => s.Seconds);
        text.AppendLine(CultureInfo.InvariantCulture, $"Load: {samples.Count:N0} requests at {rate}/s for {duration.TotalMinutes:0.#} min, open loop (latency counted from each request's scheduled time); 9 in 10 reads of {Reads.Length} pages and API answers in turn, 1 in 10 a ledger allocation through the API (the secretariat's, applied; every other one a coordinator's, submitted for validation).");
        text.AppendLine();
        text.AppendLine("| Kind | Requests | Errors | p50 ms | p95 ms | p99 ms | max ms | Target | Met |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|---|---|");
        foreach (var kind in (string[])["page", "api", "write (secretariat, applied)", "write (coordinator, submitted)"])
        {
            var of = samples.Where(s => s.Kind == kind).ToList();
            var ms = of.Select(s => s.Milliseconds).Order().ToList();
            var errors = of.Count(s => s.Status is < 200 or >= 300);
            var target = kind == "page" ? "p95 < 50 ms, 0 errors" : "0 errors";
            var met = errors == 0 && (kind != "page" || Percentile(ms, 0.95) < 50);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {of.Count:N0} | {errors} | {Percentile(ms, 0.5):0.0} | {Percentile(ms, 0.95):0.0} | {Percentile(ms, 0.99):0.0} | {(ms.Count == 0 ? 0 : ms[^1]):0.0} | {target} | {(met ? "yes" : "no")} |");
        }
        // When the slowest writes were sent, minute by minute: a tail that grows with the data shows here.
        var slow = samples.Where(s => s.Kind.StartsWith("write", StringComparison.Ordinal) && s.Milliseconds > 1000)
            .GroupBy(s => (int)(s.Seconds / 60)).OrderBy(g => g.Key).Select(g => $"minute {g.Key + 1}: {g.Count()}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Writes slower than 1 s, by the minute they were sent: {(slow.Any() ? string.Join(", ", slow) : "none")}.");
        var statuses = samples.Where(s => s.Status is < 200 or >= 300).GroupBy(s => s.Status).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} × {g.Count()}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Writes acknowledged (201 or 202): {acknowledged:N0}; stored on the primary afterwards: {stored:N0}. Errors by status: {(statuses.Any() ? string.Join(", ", statuses) : "none")}.");
        text.AppendLine();
        text.AppendLine("Memory (resident set) of every process, sampled every 10 s: after the first minute (the caches filled, the code compiled), at the end, and the largest; nodes are one process each, nginx and each PostgreSQL server the sum of their processes.");
        text.AppendLine();
        text.AppendLine("| Process | at 1 min MB | at end MB | largest MB | end vs 1 min |");
        text.AppendLine("|---|--:|--:|--:|--:|");
        foreach (var (name, first, last, max) in memory.Summary(60))
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {first:0} | {last:0} | {max:0} | {(last - first) / first * 100:+0;-0;0}% |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Throughput in the same run, closed loop (16 requests in flight over the same reads, 20 s each, through nginx): two nodes **{two.PerSecond:N0} answers/s** ({two.Errors} errors), one node (node B stopped) **{one.PerSecond:N0} answers/s** ({one.Errors} errors). The load generator, nginx, both nodes and both PostgreSQL servers share this machine's {Environment.ProcessorCount} cores, so a second node adds no cores here: the figure shows what the proxy and the second process cost or give on one machine, not the scaling on two.");
        return text.ToString();
    }

    /// <summary>Resident memory of the nodes, nginx and both PostgreSQL servers, from /proc.</summary>
    private sealed class MemoryWatch(Dictionary<string, int[]> processes, Nginx proxy, PostgresCluster primary, PostgresCluster standby)
    {
        private readonly List<(double Seconds, Dictionary<string, double> Megabytes)> _samples = [];

        public void Take(double seconds)
        {
            var sizes = processes.ToDictionary(p => p.Key, p => p.Value.Sum(Resident));
            sizes["nginx"] = Tree(proxy.ProcessId).Sum(Resident);
            sizes["PostgreSQL primary"] = Tree(primary.ServerProcessId()).Sum(Resident);
            sizes["PostgreSQL standby"] = Tree(standby.ServerProcessId()).Sum(Resident);
            _samples.Add((seconds, sizes));
        }

        public IEnumerable<(string Name, double First, double Last, double Max)> Summary(double after)
        {
            var first = _samples.FirstOrDefault(s => s.Seconds >= after);
            if (first.Megabytes is null) first = _samples[0];
            var last = _samples[^1];
            return first.Megabytes.Keys.Select(k => (k, first.Megabytes[k], last.Megabytes.GetValueOrDefault(k), _samples.Max(s => s.Megabytes.GetValueOrDefault(k))));
        }

        private static double Resident(int pid)
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException) { return 0; }
        }

        /// <summary>A process and its children (one level: nginx's workers, PostgreSQL's backends).</summary>
        private static IEnumerable<int> Tree(int root)
        {
            yield return root;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
                // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.TryParse(fields[1], out var parent) && parent == root) yield return pid;
            }
        }
    }

    /// <summary>
    /// A browser-like session: each form's antiforgery token sent back, no redirects followed, cookies kept by hand —
    /// in Production they are Secure (nginx terminates TLS in a deployment), and a cookie jar would not send them back
    /// over the loopback's plain HTTP.
    /// </summary>
    private sealed class Session(Uri portal)
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(30) };
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
        private string? _token;

        public Task<(HttpStatusCode Status, string Html, string? Location)> GetAsync(string url) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        public Task<(HttpStatusCode Status, string Html, string? Location)> PostAsync(string url, List<KeyValuePair<string, string>> fields)
        {
            if (_token is not null) fields.Add(new("__RequestVerificationToken", _token));
            return SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });
        }

        private async Task<(HttpStatusCode, string, string?)> SendAsync(HttpRequestMessage request)
        {
            using (request)
            {
                // The TLS a deployment's nginx terminates: on loopback the node believes this header (Caravan:Proxy), and
                // Production's forms refuse plain HTTP.
                request.Headers.Add("X-Forwarded-Proto", "https");
                if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
                using var response = await _http.SendAsync(request);
                if (response.Headers.TryGetValues("Set-Cookie", out var set))
                    foreach (var cookie in set)
                    {
                        var pair = cookie.Split(';', 2)[0].Split('=', 2);
                        if (pair.Length == 2) _cookies[pair[0].Trim()] = pair[1].Trim();
                    }
                var html = await response.Content.ReadAsStringAsync();
                if (AntiforgeryPattern().Match(html) is { Success: true } m) _token = WebUtility.HtmlDecode(m.Groups[1].Value);
                return (response.StatusCode, html, response.Headers.Location?.OriginalString);
            }
        }
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();

    [GeneratedRegex("<code id=\"authenticator-key\">([a-z0-9 ]+)</code>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("cvn_[A-Za-z0-9_-]{20,}")]
    private static partial Regex TokenPattern();

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
