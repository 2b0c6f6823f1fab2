using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace Caravan.Benchmarks;

/// <summary>
/// Load benchmark: publishes the web app in Release, starts it on 127.0.0.1 with a fresh database, warms each
/// endpoint up, drives it with wrk and prints a markdown table against the targets. See docs/benchmarks.md.
/// Exit code: 0 all targets met, 1 a target missed, 2 the benchmark could not run (e.g. wrk missing).
/// </summary>
public static class Program
{
    private const double P95TargetMs = 20;
    private const double ApiThroughputTarget = 0.3;
    private const string ZhCookie = "Cookie: .AspNetCore.Culture=c%3Dzh%7Cuic%3Dzh";
    private const string BrowserEncodings = "Accept-Encoding: gzip, deflate, br, zstd"; // as Chrome and Firefox send it
    private const string GzipEncoding = "Accept-Encoding: gzip"; // as most HTTP client libraries send it

    // The baseline comes first (every ratio is to it) and again last, to show drift during the run.
    private static readonly Endpoint[] Endpoints =
    [
        new("/health/live", "baseline: trivial endpoint, no I/O", EndpointKind.Baseline),
        new("/", "home page (en)", EndpointKind.Page),
        new("/", "home page (en), compressed as for a browser", EndpointKind.Page, BrowserEncodings),
        new("/", "home page (zh, culture cookie)", EndpointKind.Page, ZhCookie),
        new("/documents", "documents list page", EndpointKind.Page),
        new("/api/v1/documents/astana-declaration-2025", "document (API)", EndpointKind.Api),
        new("/api/v1/documents/astana-declaration-2025", "document (API), gzip", EndpointKind.Api, GzipEncoding),
        new("/api/v1/documents", "documents list (API)", EndpointKind.Api),
        new("/health/live", "baseline again (drift check)", EndpointKind.Baseline),
    ];

    /// <summary>With <c>--scale</c>: the scorecards over 10,000 commitments × 6 states × 10 periods (issue 4's figure).</summary>
    private static readonly Endpoint[] ScaleEndpoints =
    [
        new("/health/live", "baseline: trivial endpoint, no I/O", EndpointKind.Baseline),
        new("/scorecards?period=bench-10", "scorecard page, 60,000 scores in the period", EndpointKind.ScalePage),
        new("/api/v1/scorecards?period=bench-10", "scorecard API", EndpointKind.ScalePage),
        new("/health/live", "baseline again (drift check)", EndpointKind.Baseline),
    ];

    /// <summary>
    /// With <c>--issue6</c>: the pages and API answers of the pledge ledgers, partnerships, selections,
    /// indicators and dashboards, on the seeded data, against the portal's targets.
    /// </summary>
    private static readonly Endpoint[] Issue6Endpoints =
    [
        new("/health/live", "baseline: trivial endpoint, no I/O", EndpointKind.Baseline),
        new("/dashboard", "overview dashboard page (en)", EndpointKind.Page),
        new("/dashboard", "overview dashboard page (zh, culture cookie)", EndpointKind.Page, ZhCookie),
        new("/dashboard/KZ", "Kazakhstan's dashboard page", EndpointKind.Page),
        new("/programmes/grant-2025", "a programme page (pledge, states, burn-up)", EndpointKind.Page),
        new("/partnerships", "partnerships page (count chart, map, list)", EndpointKind.Page),
        new("/selections", "capital selection calls page", EndpointKind.Page),
        new("/indicators/trade-turnover-usd", "trade indicator page (growth, other sources, check)", EndpointKind.Page),
        new("/api/v1/dashboard", "dashboard (API)", EndpointKind.Api),
        new("/api/v1/programmes/grant-2025", "a programme with balances (API)", EndpointKind.Api),
        new("/api/v1/partnerships/counts", "sister-city pairs against the target (API)", EndpointKind.Api),
        new("/api/v1/indicators", "indicators with growth and checks (API)", EndpointKind.Api),
        new("/health/live", "baseline again (drift check)", EndpointKind.Baseline),
    ];

    /// <summary>
    /// With <c>--milestones</c>: a commitment with and without its timeline (milestones, scores per period, published
    /// changes from the audit trail), its page, and the explorer, which now counts overdue milestones.
    /// </summary>
    private static readonly Endpoint[] MilestoneEndpoints =
    [
        new("/health/live", "baseline: trivial endpoint, no I/O", EndpointKind.Baseline),
        new("/api/v1/commitments/poverty-reduction-centre-2025", "a commitment (API)", EndpointKind.Api),
        new("/api/v1/commitments/poverty-reduction-centre-2025/timeline", "its timeline (API)", EndpointKind.Api),
        new("/commitments/poverty-reduction-centre-2025", "its page with milestones and timeline", EndpointKind.Page),
        new("/api/v1/commitments", "commitments list with freshness (API)", EndpointKind.Api),
        new("/commitments", "commitments explorer page", EndpointKind.Page),
        new("/health/live", "baseline again (drift check)", EndpointKind.Baseline),
    ];

    internal const double ScaleP95TargetMs = 50;

    public static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (BenchmarkException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }
        if (options.Soak)
        {
            try
            {
                return await SoakBenchmark.RunAsync(options, args);
            }
            catch (Exception e) when (e is BenchmarkException or IOException or InvalidOperationException or HttpRequestException or Npgsql.NpgsqlException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        }
        if (options.OpenData)
        {
            try
            {
                return await IatiImportBenchmark.RunOpenDataAsync(options, args);
            }
            catch (Exception e) when (e is BenchmarkException or IOException or XmlException or Npgsql.NpgsqlException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        }
        if (options.IatiImport || options.ProjectsScale || options.CacheAfterSignIn)
        {
            try
            {
                return await IatiImportBenchmark.RunAsync(options, args);
            }
            catch (Exception e) when (e is BenchmarkException or IOException or XmlException or UnauthorizedAccessException or Npgsql.NpgsqlException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        }
        if (options.IatiGenerate is not null || options.IatiBare is not null)
        {
            try
            {
                RunIati(options);
                return 0;
            }
            catch (Exception e) when (e is BenchmarkException or IOException or XmlException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        }
        if (Wrk.Find() is not { } wrkPath)
        {
            Console.Error.WriteLine("wrk is not installed (not found on PATH). Install it with: sudo apt-get install wrk");
            return 2;
        }
        try
        {
            return await RunAsync(options, wrkPath, args);
        }
        catch (BenchmarkException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static async Task<int> RunAsync(Options options, string wrkPath, string[] args)
    {
        var root = RepoRoot();
        var machine = Machine.Describe(); // before we add load: the load average says whether the machine was busy
        var wrk = new Wrk(wrkPath, Path.Combine(root, "bench", "Caravan.Benchmarks", "wrk-report.lua"), options.Threads, options.Connections);
        var work = Directory.CreateTempSubdirectory("caravan-bench-");
        try
        {
            Progress($"Publishing src/Caravan.Web in Release to {work.FullName}/app …");
            var dll = await WebApp.PublishAsync(root, Path.Combine(work.FullName, "app"));
            var database = options.Postgres is { } postgres
                ? new Dictionary<string, string>
                {
                    ["Caravan__Database__Provider"] = "postgres",
                    ["Caravan__Database__ConnectionString"] = postgres,
                    ["Caravan__Database__MigrateOnStart"] = "true",
                }
                : new Dictionary<string, string>
                {
                    ["Caravan__Database__Provider"] = "sqlite",
                    ["Caravan__Database__ConnectionString"] = $"Data Source={Path.Combine(work.FullName, "caravan.db")}",
                };

            using var app = WebApp.Start(dll, database, Path.Combine(work.FullName, "app.log"));
            Console.CancelKeyPress += (_, _) => app.Dispose();
            Progress($"Started the app (pid {app.ProcessId}) at {app.BaseAddress}; log: {app.LogPath}");
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
            await app.WaitUntilHealthyAsync(http, TimeSpan.FromMinutes(2));

            var endpoints = options.Scale ? ScaleEndpoints : options.Issue6 ? Issue6Endpoints
                : options.Milestones ? MilestoneEndpoints : Endpoints;
            if (options.Scale)
            {
                Progress("Adding 10,000 commitments × 6 states × 10 periods (600,000 scores) …");
                Progress($"… done in {await ScaleData.InsertAsync(database["Caravan__Database__Provider"], database["Caravan__Database__ConnectionString"]):0.0} s");
            }
            var (rows, probes, _) = await MeasureAsync(options, app, http, wrk, endpoints, skipMissing: false);

            var report = Report(options, machine, await wrk.VersionAsync(), rows, probes, args);
            Console.WriteLine(report);
            if (options.Output is { } output)
            {
                WriteFiguresSection(output, (options.Postgres is null ? "sqlite" : "postgres") + (options.Scale ? "-scale" : options.Issue6 ? "-issue6" : options.Milestones ? "-milestones" : ""), report);
                Progress($"Figures written to {output}");
            }
            WarnOnDrift(rows);
            return rows.All(r => r.Met) ? 0 : 1;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                Progress($"Could not delete {work.FullName}");
            }
        }
    }

    /// <summary>
    /// Probes each endpoint one request at a time (what the warm-up takes out of the figures), warms each up, then
    /// measures them one after another. With <paramref name="skipMissing"/>, an endpoint that answers 404 is left
    /// out and named in the third list, rather than stopping the run (routes still being built elsewhere).
    /// </summary>
    internal static async Task<(List<Row> Rows, List<Probe> Probes, List<Endpoint> Skipped)> MeasureAsync(
        Options options, WebApp app, HttpClient http, Wrk wrk, IReadOnlyList<Endpoint> endpoints, bool skipMissing)
    {
        var probes = new List<Probe>();
        var skipped = new List<Endpoint>();
        foreach (var endpoint in endpoints.DistinctBy(e => (e.Path, e.Header)))
        {
            if (await ProbeAsync(http, app.BaseAddress, endpoint, skipMissing) is { } probe) probes.Add(probe);
            else skipped.Add(endpoint);
        }
        var present = endpoints.Where(e => !skipped.Contains(e)).ToList();

        foreach (var endpoint in present.DistinctBy(e => (e.Path, e.Header)))
        {
            Progress($"Warming up {endpoint.Label} for {options.Warmup} s …");
            await wrk.RunAsync(endpoint.Url(app.BaseAddress), options.Warmup, endpoint.Header);
        }

        var rows = new List<Row>();
        foreach (var endpoint in present)
        {
            Progress($"Measuring {endpoint.Label}: wrk -t{options.Threads} -c{options.Connections} -d{options.Duration}s …");
            await Task.Delay(TimeSpan.FromSeconds(1));
            var cpuBefore = app.CpuTime();
            var result = await wrk.RunAsync(endpoint.Url(app.BaseAddress), options.Duration, endpoint.Header);
            var cpu = app.CpuTime() - cpuBefore;
            var baseline = rows.FirstOrDefault()?.Result ?? result;
            rows.Add(new Row(endpoint, result, result.RequestsPerSecond / baseline.RequestsPerSecond,
                cpu is { } c && result.Requests > 0 ? c.TotalMicroseconds / result.Requests : null));
        }
        return (rows, probes, skipped);
    }

    internal static void WarnOnDrift(List<Row> rows)
    {
        var drift = Math.Abs(rows.Last(r => r.Endpoint.Kind == EndpointKind.Baseline).Ratio - 1);
        if (drift > 0.15)
            Progress($"warning: the baseline moved by {drift * 100:0}% between the first and the last run; the machine was busy. Rerun for steadier figures.");
    }

    /// <summary>The IATI verbs, without the app or wrk: generate a file, then (or only) time a bare XmlReader pass over one.</summary>
    private static void RunIati(Options options)
    {
        if (options.IatiGenerate is { } count && options.Output is { } output)
        {
            Progress($"Generating {count:N0} IATI activities (seed {options.Seed}) into {output} …");
            var clock = Stopwatch.StartNew();
            using (var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                IatiFileGenerator.Write(file, count, options.Seed);
            var seconds = clock.Elapsed.TotalSeconds;
            var size = new FileInfo(output).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Generated {output}: {count:N0} activities, {size:N0} bytes ({size / 1e6:0.0} MB, {size / (double)count:N0} bytes per activity) in {seconds:0.00} s ({size / 1e6 / seconds:0.0} MB/s)."));
        }
        if (options.IatiBare is { } path)
        {
            if (!File.Exists(path)) throw new BenchmarkException($"{path} does not exist.");
            var size = new FileInfo(path).Length;
            // Twice: the first pass in a fresh process also pays for the JIT (tiered, with dynamic PGO, it takes
            // about half a second to reach full speed), the second is the steady state of a long-running app.
            foreach (var label in new[] { "first pass (cold)", "second pass (warm)" })
            {
                var pass = BareXmlPass(path);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var peak = Process.GetCurrentProcess().PeakWorkingSet64;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Bare XmlReader pass over {path} ({size / 1e6:0.0} MB), {label}: {pass.Seconds:0.000} s, {size / 1e6 / pass.Seconds:0.0} MB/s; {pass.Elements:N0} elements ({pass.Activities:N0} iati-activity), {pass.Attributes:N0} attributes, {pass.Characters:N0} characters of values and text; peak working set {peak / 1048576.0:0} MiB."));
            }
        }
    }

    /// <summary>
    /// The floor for any IATI import: one forward-only XmlReader pass with the reader's safe settings and nothing
    /// built. Attribute values and text are read (and their lengths summed) so that the parsing work is really done.
    /// </summary>
    private static (double Seconds, long Elements, long Activities, long Attributes, long Characters) BareXmlPass(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
        long elements = 0, activities = 0, attributes = 0, characters = 0;
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        using (var reader = XmlReader.Create(file, settings))
        {
            var activity = reader.NameTable.Add("iati-activity"); // atomised: compared by reference
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        elements++;
                        if (ReferenceEquals(reader.LocalName, activity)) activities++;
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                attributes++;
                                characters += reader.Value.Length;
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        characters += reader.Value.Length;
                        break;
                }
            }
        }
        return (clock.Elapsed.TotalSeconds, elements, activities, attributes, characters);
    }

    /// <summary>
    /// Times the first request, the second, and the median of twenty more, and checks the answer is a 200; with
    /// <paramref name="skipMissing"/>, a 404 gives null instead of an error.
    /// </summary>
    private static async Task<Probe?> ProbeAsync(HttpClient http, Uri baseAddress, Endpoint endpoint, bool skipMissing)
    {
        async Task<(double Ms, HttpResponseMessage Response)> Get()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, endpoint.Url(baseAddress));
            if (endpoint.Header is { } header) request.Headers.TryAddWithoutValidation(header.Split(':', 2)[0], header.Split(':', 2)[1].Trim());
            var clock = Stopwatch.StartNew();
            var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return (clock.Elapsed.TotalMilliseconds, response);
        }

        var (first, firstResponse) = await Get();
        if (skipMissing && firstResponse.StatusCode == HttpStatusCode.NotFound)
        {
            firstResponse.Dispose();
            Progress($"skipped {endpoint.Path}: it answers 404 (not on this branch yet?); it is left out of the table.");
            return null;
        }
        if (firstResponse.StatusCode != HttpStatusCode.OK)
            throw new BenchmarkException($"{endpoint.Path} answered {(int)firstResponse.StatusCode}, not 200: fix the endpoint list or the app.");
        var setsCookie = firstResponse.Headers.Contains("Set-Cookie");
        var encoding = firstResponse.Content.Headers.ContentEncoding.FirstOrDefault() ?? "none";
        firstResponse.Dispose();
        var (second, secondResponse) = await Get();
        var cache = secondResponse.Headers.Age is not null ? "output cache (Age header)"
            : secondResponse.Headers.ETag is not null ? "cached JSON (ETag)"
            : "not cached";
        secondResponse.Dispose();
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var (ms, response) = await Get();
            response.Dispose();
            times.Add(ms);
        }
        times.Sort();
        return new Probe(endpoint, first, second, (times[9] + times[10]) / 2, cache, encoding, setsCookie);
    }

    /// <summary>The figures as markdown; <paramref name="database"/> and <paramref name="dataset"/> replace or add to the default description.</summary>
    internal static string Report(Options options, Machine machine, string wrkVersion, List<Row> rows, List<Probe> probes, string[] args,
        string? database = null, string? dataset = null)
    {
        static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        database ??= options.Postgres is { } postgres ? $"PostgreSQL ({DescribePostgres(postgres)})" : "SQLite (fresh temporary file)";
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.Cores} cores ({machine.Cpu}), {machine.Os}, {machine.Runtime}, {wrkVersion}; load average before the run: {machine.LoadAverage}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Database: {database}. App: Release publish, Production environment, http://127.0.0.1. Per endpoint: {options.Warmup} s warm-up, then `wrk -t{options.Threads} -c{options.Connections} -d{options.Duration}s`, one endpoint after another.");
        text.AppendLine();
        if (dataset is not null)
        {
            text.AppendLine(dataset);
            text.AppendLine();
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{CommandLine(args)}`");
        text.AppendLine();
        text.AppendLine("| Endpoint | Req/s | p50 ms | p95 ms | p99 ms | max ms | Errors | × baseline | App CPU µs/req | Target | Met |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|");
        foreach (var row in rows)
        {
            var r = row.Result;
            var target = row.Endpoint.Kind switch
            {
                EndpointKind.Api => $"p95 < {P95TargetMs} ms, ≥ {ApiThroughputTarget}× baseline",
                EndpointKind.ScalePage => $"p95 < {ScaleP95TargetMs} ms",
                _ => $"p95 < {P95TargetMs} ms",
            };
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{row.Endpoint.Path}` {row.Endpoint.Label} | {r.RequestsPerSecond:N0} | {Ms(r.P50Ms)} | {Ms(r.P95Ms)} | {Ms(r.P99Ms)} | {Ms(r.MaxMs)} | {r.DescribeErrors()} | {row.Ratio:0.00} | {(row.CpuMicrosecondsPerRequest is { } cpu ? cpu.ToString("0", CultureInfo.InvariantCulture) : "–")} | {target} | {row.Verdict} |");
        }
        text.AppendLine();
        text.AppendLine("First requests, one at a time, before the warm-up (after /health, which already opened the database):");
        text.AppendLine();
        text.AppendLine("| Endpoint | 1st request ms | 2nd request ms | median of the next 20, ms | Caching seen | Content-Encoding | Set-Cookie |");
        text.AppendLine("|---|--:|--:|--:|---|---|---|");
        foreach (var p in probes)
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{p.Endpoint.Path}` {p.Endpoint.Label} | {Ms(p.FirstMs)} | {Ms(p.SecondMs)} | {Ms(p.MedianMs)} | {p.Cache} | {p.Encoding} | {(p.SetsCookie ? "yes" : "no")} |");
        return text.ToString().TrimEnd();
    }

    /// <summary>Replaces the text between the provider's markers in the docs file (appends the section if they are missing).</summary>
    internal static void WriteFiguresSection(string path, string provider, string report)
    {
        var start = $"<!-- bench:{provider}:start -->";
        var end = $"<!-- bench:{provider}:end -->";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        var section = $"{start}\n{report}\n{end}";
        text = from >= 0 && to > from
            ? text[..from] + section + text[(to + end.Length)..]
            : $"{text.TrimEnd()}\n\n## Figures ({provider})\n\n{section}\n";
        File.WriteAllText(path, text);
    }

    internal static string DescribePostgres(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string Get(string key, string fallback) => builder.TryGetValue(key, out var v) && v?.ToString() is { Length: > 0 } s ? s : fallback;
        return $"host {Get("Host", "?")}, port {Get("Port", "5432")}, database {Get("Database", "?")}";
    }

    /// <summary>The command as typed, with any password in a connection string masked.</summary>
    internal static string CommandLine(string[] args)
    {
        static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ',') ? a : $"\"{a}\"";
        var masked = args.Select(a => System.Text.RegularExpressions.Regex.Replace(a, "(?i)(password|pwd)=[^;]*", "$1=***"));
        return string.Join(' ', new[] { "dotnet run -c Release --project bench/Caravan.Benchmarks" }.Concat(args.Length > 0 ? ["--"] : []).Concat(masked.Select(Quote)));
    }

    internal static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Caravan.slnx"))) return dir.FullName;
        throw new BenchmarkException("Cannot find the repository root (the folder with Caravan.slnx); run from inside the repository.");
    }

    internal static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");

    internal sealed record Row(Endpoint Endpoint, WrkResult Result, double Ratio, double? CpuMicrosecondsPerRequest)
    {
        private bool P95Met => Result.P95Ms < (Endpoint.Kind == EndpointKind.ScalePage ? ScaleP95TargetMs : P95TargetMs);
        private bool ThroughputMet => Endpoint.Kind != EndpointKind.Api || Ratio >= ApiThroughputTarget;
        public bool Met => P95Met && ThroughputMet && Result.Errors == 0;

        public string Verdict => Met ? "yes" : "**no** (" + string.Join(", ", new[]
        {
            P95Met ? null : "p95",
            ThroughputMet ? null : "throughput",
            Result.Errors == 0 ? null : "errors",
        }.OfType<string>()) + ")";
    }

    internal sealed record Probe(Endpoint Endpoint, double FirstMs, double SecondMs, double MedianMs, string Cache, string Encoding, bool SetsCookie);
}

public enum EndpointKind
{
    Baseline,
    Page,
    Api,
    /// <summary>A page or API call over the large generated dataset of <c>--scale</c>.</summary>
    ScalePage,
}

/// <summary>An address to load, with an optional request header ("Name: value").</summary>
public sealed record Endpoint(string Path, string Label, EndpointKind Kind, string? Header = null)
{
    public Uri Url(Uri baseAddress) => new(baseAddress, Path);
}

public sealed record Options(int Duration, int Connections, int Threads, int Warmup, string? Output, string? Postgres, bool Help, bool Scale = false,
    int? IatiGenerate = null, string? IatiBare = null, int Seed = 42,
    bool IatiImport = false, bool ProjectsScale = false, IReadOnlyList<int>? Sizes = null, string? IatiSchema = null, bool Issue6 = false,
    bool CacheAfterSignIn = false, bool Milestones = false, bool OpenData = false, bool Soak = false, int Rate = 200,
    double SoakMinutes = 10)
{
    public static readonly IReadOnlyList<int> DefaultSizes = [10_000, 30_000, 100_000];

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Caravan.Benchmarks -- [options]
          --duration <s>        seconds of load per endpoint (default 10)
          --connections <n>     open connections (default 16)
          --threads <n>         wrk threads (default 2)
          --warmup <s>          seconds of warm-up load per endpoint, not measured (default 3)
          --output <file>       rewrite the figures section of this file (e.g. docs/benchmarks.md)
          --postgres "<cs>"     run on PostgreSQL with this connection string (the database must exist) instead of SQLite
          --scale               add 10,000 commitments × 6 states × 10 periods and measure the scorecards instead
          --issue6              measure the dashboards, programmes, partnerships, selections and indicator pages
                                and APIs instead (seeded data; sections sqlite-issue6 / postgres-issue6)
          --milestones          measure a commitment, its timeline and page, and the commitments list instead
                                (seeded data; sections sqlite-milestones / postgres-milestones)
        Needs wrk (sudo apt-get install wrk). All traffic stays on 127.0.0.1.

        IATI files (no app, no wrk):
          --iati-generate <n> --output <file>
                                write n synthetic IATI 2.03 activities (China–Central Asia, en/ru/zh, about 8.7 KB
                                each: 100,000 make 865 MB; schema-valid and rule-clean) to the file; prints its
                                size and the seconds taken
          --seed <n>            seed of the generator (default 42): the same seed and count give the same bytes
          --iati-bare <file>    time a bare XmlReader pass over an IATI file (DTDs prohibited, whitespace ignored,
                                every attribute value and text read), twice (cold, then warm JIT): seconds, MB/s,
                                elements, peak working set (MB = 10^6 bytes)
        Both may be given: the file is generated, then the pass runs over the file named by --iati-bare.

        IATI import through the CLI (the app published in Release, run as `dotnet caravan.dll import iati FILE`):
          --iati-import         per size: a bare XmlReader pass in a fresh process (cold, then warm), then on a
                                fresh database `caravan migrate` (not timed), the timed import and a timed
                                re-import of the same file (all unchanged); wall time with process start, peak
                                resident memory of the CLI (VmHWM), activities/s, MB/s, ratio to the bare pass.
                                Then a publisher set: 3 files of 1,100 activities in one CLI call, 3 times.
                                Sections iati-import-sqlite / iati-import-postgres with --output.
          --sizes <n,n,…>       activities per file (default 10000,30000,100000); files are generated once into
                                /tmp/caravan-bench-iati and reused (seed from --seed)
          --postgres "<cs>"     with --iati-import or --projects-scale: an ADMIN connection string; the benchmark
                                creates a database caravan_bench_iati_<n> per size and drops it afterwards
          --iati-schema <dir>   pass --schema <dir> to the import (also validate against the official XSD)
          --projects-scale      import the largest size (reusing --iati-import's database when both are given),
                                load synthetic exchange rates, start the app and drive the project list, totals
                                and pages with wrk against /health/live (p95 < 50 ms); routes that answer 404
                                are skipped with a message. Needs wrk. Sections projects-scale-sqlite|postgres.
          --cache-after-sign-in import the largest size into a fresh database, start the app and time, round by
                                round, the first /projects and /api/v1/projects?page=1 after a projects write by the
                                CLI (the baseline: rebuilt) and after a failed sign-in (served from cache). Sections
                                cache-sign-in-sqlite|postgres.
          --open-data           `caravan export open-data --snapshot current` (twice: the same bytes?) beside
                                `caravan export iati` on the seeded data, then with 10,000 commitments and the
                                largest --sizes file (default 100,000 activities) imported; wall time, peak RSS,
                                zip size (target < 60 s). --postgres: an ADMIN connection string. Section
                                open-data-sqlite|postgres.

        Soak (issue 18; needs PostgreSQL's server binaries and nginx, run as root or the postgres user):
          --soak                a PostgreSQL primary and streaming standby of its own, two published nodes and nginx
                                with deploy/nginx/caravan.conf; --rate requests/s (default 200) for --soak-minutes
                                (default 10): page and API reads and ledger writes through tokens, open loop; memory
                                of every process every 10 s; then throughput through two nodes and one. Section soak.
        """;

    public static Options Parse(string[] args)
    {
        var options = new Options(10, 16, 2, 3, null, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string Value() => inline ?? (++i < args.Length ? args[i] : throw new BenchmarkException($"{name} needs a value."));
            int Number(int min)
            {
                var text = Value().TrimEnd('s');
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new BenchmarkException($"{name}: '{text}' is not a whole number ≥ {min}.");
            }
            options = name switch
            {
                "--duration" => options with { Duration = Number(1) },
                "--connections" => options with { Connections = Number(1) },
                "--threads" => options with { Threads = Number(1) },
                "--warmup" => options with { Warmup = Number(1) },
                "--output" => options with { Output = Path.GetFullPath(Value()) },
                "--postgres" => options with { Postgres = Value() },
                "--scale" => options with { Scale = true },
                "--issue6" => options with { Issue6 = true },
                "--milestones" => options with { Milestones = true },
                "--iati-generate" => options with { IatiGenerate = Number(1) },
                "--iati-bare" => options with { IatiBare = Path.GetFullPath(Value()) },
                "--seed" => options with { Seed = Number(0) },
                "--iati-import" => options with { IatiImport = true },
                "--projects-scale" => options with { ProjectsScale = true },
                "--cache-after-sign-in" => options with { CacheAfterSignIn = true },
                "--open-data" => options with { OpenData = true },
                "--soak" => options with { Soak = true },
                "--rate" => options with { Rate = Number(1) },
                "--soak-minutes" => options with { SoakMinutes = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--sizes" => options with { Sizes = ParseSizes(Value()) },
                "--iati-schema" => options with { IatiSchema = Path.GetFullPath(Value()) },
                "--help" or "-h" => options with { Help = true },
                _ => throw new BenchmarkException($"Unknown option {args[i]}."),
            };
        }
        if (options.IatiGenerate is not null && options.Output is null)
            throw new BenchmarkException("--iati-generate needs --output <file>.");
        if ((options.IatiImport || options.ProjectsScale || options.CacheAfterSignIn) && (options.IatiGenerate is not null || options.IatiBare is not null || options.Scale))
            throw new BenchmarkException("--iati-import and --projects-scale do not combine with --iati-generate, --iati-bare or --scale.");
        return options.Threads > options.Connections ? options with { Threads = options.Connections } : options;
    }

    private static int[] ParseSizes(string text)
    {
        var sizes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n : throw new BenchmarkException($"--sizes: '{t}' is not a whole number ≥ 1."))
            .Distinct().Order().ToArray();
        return sizes.Length > 0 ? sizes : throw new BenchmarkException("--sizes needs at least one number, e.g. --sizes 10000,30000,100000.");
    }
}
