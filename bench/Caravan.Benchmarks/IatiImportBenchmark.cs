using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Caravan.Benchmarks;

/// <summary>
/// <c>--iati-import</c> and <c>--projects-scale</c> (issue 5, "Performance"): the IATI import timed through the
/// CLI as deployed (<c>dotnet caravan.dll import iati FILE</c>, one process per run, start-up included), against
/// a bare XmlReader pass over the same file; then, optionally, the project list and totals under wrk over the
/// largest imported database. See docs/benchmarks.md.
/// </summary>
public static partial class IatiImportBenchmark
{
    private const double RatioTarget = 0.3;
    private const double FloorSeconds = 60;
    private const double MemoryTargetMB = 300;
    private const double PublisherSetTargetSeconds = 1.5;
    private const int PublisherFileActivities = 1_100;
    private const int PublisherSetRuns = 3;
    private static readonly int[] PublisherSeeds = [1, 2, 3];
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The project routes of issue 5 at 100k projects; a route missing from the build is skipped, not an error.</summary>
    private static readonly Endpoint[] ProjectEndpoints =
    [
        new("/health/live", "baseline: trivial endpoint, no I/O", EndpointKind.Baseline),
        new("/api/v1/projects?page=1", "project list (API), first page", EndpointKind.ScalePage),
        new("/api/v1/projects?state=KZ&page=2", "project list (API), Kazakhstan, page 2", EndpointKind.ScalePage),
        new("/api/v1/projects/totals?currency=USD", "totals in USD (API)", EndpointKind.ScalePage),
        new("/api/v1/projects/totals?currency=CNY&state=UZ", "totals in CNY, Uzbekistan (API)", EndpointKind.ScalePage),
        new("/projects", "project list page", EndpointKind.ScalePage),
        new("/projects?state=KZ", "project list page, Kazakhstan", EndpointKind.ScalePage),
        new("/health/live", "baseline again (drift check)", EndpointKind.Baseline),
    ];

    /// <summary>Generated files live here between runs: generating 100,000 activities (865 MB) takes longer than importing them.</summary>
    public static string CacheFolder => Path.Combine(Path.GetTempPath(), "caravan-bench-iati");

    public static async Task<int> RunAsync(Options options, string[] args)
    {
        string? wrkPath = null;
        if (options.ProjectsScale && (wrkPath = Wrk.Find()) is null)
            throw new BenchmarkException("--projects-scale needs wrk, which is not installed (not found on PATH). Install it with: sudo apt-get install wrk");
        var root = Program.RepoRoot();
        var machine = Machine.Describe(); // before we add load: the load average says whether the machine was busy
        var sizes = options.Sizes ?? Options.DefaultSizes;
        var provider = options.Postgres is null ? "sqlite" : "postgres";
        var work = Directory.CreateTempSubdirectory("caravan-bench-iati-");
        BenchDatabase? kept = null;
        var exit = 0;
        try
        {
            Progress($"Publishing src/Caravan.Web in Release to {work.FullName}/app …");
            var cli = new CaravanCli(await WebApp.PublishAsync(root, Path.Combine(work.FullName, "app")), options.IatiSchema);
            if (options.IatiImport)
            {
                var startup = await MeasureStartupAsync(cli, options, work.FullName);
                var results = new List<SizeResult>();
                foreach (var n in sizes)
                {
                    // --projects-scale reads the largest database: kept rather than imported a second time.
                    var (result, database) = await MeasureSizeAsync(cli, options, work.FullName, n);
                    results.Add(result);
                    if (options.ProjectsScale && n == sizes.Max() && result.Import.Counts is not null) kept = database;
                    else await database.DisposeAsync();
                }
                var set = await MeasurePublisherSetAsync(cli, options, work.FullName);
                var report = ImportReport(options, machine, args, startup, results, set);
                Console.WriteLine(report);
                if (options.Output is { } output)
                {
                    Program.WriteFiguresSection(output, $"iati-import-{provider}", report);
                    Progress($"Figures written to {output}");
                }
                if (!results.All(r => r.Met) || !set.Met) exit = 1;
            }
            if (options.CacheAfterSignIn && !await CacheAfterSignInAsync(cli, options, args, machine, work.FullName, sizes.Max())) exit = 1;
            if (options.ProjectsScale)
            {
                var handedOver = kept;
                kept = null; // ProjectsScaleAsync disposes it
                if (!await ProjectsScaleAsync(cli, options, args, machine, work.FullName, sizes.Max(), handedOver, wrkPath!)) exit = 1;
            }
            return exit;
        }
        finally
        {
            if (kept is not null) await kept.DisposeAsync();
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

    private static async Task<(SizeResult Result, BenchDatabase Database)> MeasureSizeAsync(CaravanCli cli, Options options, string work, int n)
    {
        var file = EnsureFile(n, options.Seed, 0);
        var bytes = new FileInfo(file).Length;
        Progress($"{n:N0} activities: bare XmlReader pass over {Path.GetFileName(file)} ({bytes / 1e6:0.0} MB) in a fresh process …");
        var bare = BarePassInFreshProcess(file, n);
        Progress($"… cold {bare.ColdSeconds:0.000} s, warm {bare.WarmSeconds:0.000} s ({bytes / 1e6 / bare.WarmSeconds:0.0} MB/s)");

        var database = await BenchDatabase.CreateAsync(options.Postgres, work, $"caravan_bench_iati_{n}");
        try
        {
            cli.Migrate(database);
            Progress($"{n:N0} activities: timed import on {database.Description} …");
            var import = Timed(cli.Import(database, [file]));
            Progress($"… {import.Describe()}");
            var stored = await database.CountAsync();
            Progress($"{n:N0} activities: timed re-import of the same file …");
            var again = Timed(cli.Import(database, [file]));
            Progress($"… {again.Describe()}");
            return (new SizeResult(n, bytes, bare, import, again, stored), database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>The fixed cost in every row: importing a file of one activity (process start, JIT, EF Core's model, the migrations check).</summary>
    private static async Task<ImportRun> MeasureStartupAsync(CaravanCli cli, Options options, string work)
    {
        var file = EnsureFile(1, options.Seed, 0);
        await using var database = await BenchDatabase.CreateAsync(options.Postgres, work, "caravan_bench_iati_1");
        cli.Migrate(database);
        Progress("Start-up cost: importing a file of one activity …");
        var run = Timed(cli.Import(database, [file]));
        Progress($"… {run.Describe()}");
        return run;
    }

    /// <summary>Several publishers' files in one CLI call, as a secretariat would import them: seeds 1–3, consecutive identifier ranges.</summary>
    private static async Task<PublisherSet> MeasurePublisherSetAsync(CaravanCli cli, Options options, string work)
    {
        var files = PublisherSeeds.Select((seed, k) => EnsureFile(PublisherFileActivities, seed, k * PublisherFileActivities)).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        var runs = new List<ImportRun>();
        for (var r = 1; r <= PublisherSetRuns; r++)
        {
            await using var database = await BenchDatabase.CreateAsync(options.Postgres, work, "caravan_bench_iati_set");
            cli.Migrate(database);
            Progress($"Publisher set, run {r} of {PublisherSetRuns}: {files.Count} files, {bytes / 1e6:0.0} MB, one CLI call …");
            var run = Timed(cli.Import(database, files));
            Progress($"… {run.Describe()}");
            runs.Add(run);
        }
        return new PublisherSet(files.Count, PublisherFileActivities * files.Count, bytes, runs);
    }

    private static async Task<bool> ProjectsScaleAsync(CaravanCli cli, Options options, string[] args, Machine machine, string work, int n, BenchDatabase? kept, string wrkPath)
    {
        var database = kept;
        try
        {
            ImportRun? import = null;
            if (database is null)
            {
                var file = EnsureFile(n, options.Seed, 0);
                database = await BenchDatabase.CreateAsync(options.Postgres, work, $"caravan_bench_iati_{n}");
                cli.Migrate(database);
                Progress($"Importing {n:N0} activities for --projects-scale …");
                import = Timed(cli.Import(database, [file]));
                Progress($"… {import.Describe()}");
                if (import.Counts is null) throw new BenchmarkException($"The import failed (exit {import.Run.ExitCode}):\n{import.Run.Tail()}");
            }
            var stored = await database.CountAsync();
            var rates = WriteRates(Path.Combine(work, "rates.csv"));
            var ratesRun = cli.Run(database, ["import", "rates", rates.Path]);
            if (ratesRun.ExitCode != 0) throw new BenchmarkException($"caravan import rates failed (exit {ratesRun.ExitCode}):\n{ratesRun.Tail()}");

            var environment = new Dictionary<string, string>(database.Environment) { ["Caravan__Database__MigrateOnStart"] = "true" };
            var wrk = new Wrk(wrkPath, Path.Combine(Program.RepoRoot(), "bench", "Caravan.Benchmarks", "wrk-report.lua"), options.Threads, options.Connections);
            List<Program.Row> rows;
            List<Program.Probe> probes;
            List<Endpoint> skipped;
            string cold;
            using (var app = WebApp.Start(cli.Dll, environment, Path.Combine(work, "app.log")))
            {
                Console.CancelKeyPress += (_, _) => app.Dispose();
                Progress($"Started the app (pid {app.ProcessId}) at {app.BaseAddress}; log: {app.LogPath}");
                using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
                await app.WaitUntilHealthyAsync(http, TimeSpan.FromMinutes(2));
                (rows, probes, skipped) = await Program.MeasureAsync(options, app, http, wrk, ProjectEndpoints, skipMissing: true);
                cold = await ColdAfterChangeAsync(cli, database, app, http, work, EnsureFile(n, options.Seed, 0));
            }

            var dataset = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Dataset: {Stored(stored)} from the generated file of {n:N0} activities (seed {options.Seed}), imported by the CLI");
            dataset.Append(import is null ? " in the --iati-import run above" : $" ({import.Run.Elapsed.TotalSeconds:0.0} s)");
            dataset.Append(CultureInfo.InvariantCulture, $", all published; {rates.Count:N0} synthetic exchange rates (USD to CNY, EUR, KZT, UZS on the first of each month, {rates.From:yyyy}–{rates.To:yyyy}), so that totals convert every amount at its value date.");
            if (skipped.Count > 0)
                dataset.Append(CultureInfo.InvariantCulture, $" **Not measured: {string.Join(", ", skipped.Select(e => $"`{e.Path}`"))} answered 404 on this build** (the routes are not in it yet).");
            var report = Program.Report(options, machine, await wrk.VersionAsync(), rows, probes, args,
                database: options.Postgres is { } postgres ? $"PostgreSQL ({Server(postgres)}, database {database.Name}, created for this run)" : "SQLite (fresh temporary file)",
                dataset: dataset.ToString()) + "\n" + cold;
            Console.WriteLine(report);
            if (options.Output is { } output)
            {
                Program.WriteFiguresSection(output, $"projects-scale-{(options.Postgres is null ? "sqlite" : "postgres")}", report);
                Progress($"Figures written to {output}");
            }
            Program.WarnOnDrift(rows);
            if (skipped.Count > 0) Progress($"{skipped.Count} endpoint(s) skipped (404): the p95 target is not shown for them.");
            return skipped.Count == 0 && rows.All(r => r.Met);
        }
        finally
        {
            if (database is not null) await database.DisposeAsync();
        }
    }

    /// <summary>The answers issue 18 wants fast the first time after a change, and two to compare them with.</summary>
    private static readonly (string Path, string Label)[] ColdEndpoints =
    [
        ("/health/live", "baseline: trivial endpoint, no I/O"),
        ("/projects", "project list page"),
        ("/api/v1/projects/totals?currency=USD", "totals in USD (API)"),
        ("/dashboard", "overview dashboard"),
        ("/api/v1/projects/totals?currency=USD&state=KZ", "totals in USD, Kazakhstan (API): summed from the transactions, for comparison"),
    ];

    /// <summary>
    /// The first answer after a change (issue 18, item 4): the CLI changes one activity's amount (another process, as an
    /// import would), the app sees the new data version within its poll interval, and each answer is then asked for
    /// once, timed end to end. Five rounds; each endpoint's median and slowest are reported.
    /// </summary>
    private static async Task<string> ColdAfterChangeAsync(CaravanCli cli, BenchDatabase database, WebApp app, HttpClient http, string work, string source)
    {
        const int Rounds = 5;
        var activity = FirstActivity(source);
        var times = ColdEndpoints.ToDictionary(e => e.Path, _ => new List<double>());
        var imports = new List<double>();
        // Each answer once beforehand: what is measured is a change's cost, not the code's first compilation.
        foreach (var (path, _) in ColdEndpoints)
            using (var response = await http.GetAsync(app.BaseAddress + path.TrimStart('/'))) await response.Content.ReadAsByteArrayAsync();
        for (var round = 0; round < Rounds; round++)
        {
            // A changed amount in the first transaction: a new version of one of the 100,000 projects.
            var changed = System.Text.RegularExpressions.Regex.Replace(activity, "(<value[^>]*>)([0-9]+)",
                m => m.Groups[1].Value + (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) + round + 1).ToString(CultureInfo.InvariantCulture), System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(5));
            var file = Path.Combine(work, $"change-{round}.xml");
            File.WriteAllText(file, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{changed}\n</iati-activities>\n");
            var import = Timed(cli.Import(database, [file]));
            if (import.Counts is not { Updated: 1 }) throw new BenchmarkException($"The change did not update one project: {import.Describe()}");
            imports.Add(import.Run.Elapsed.TotalMilliseconds);
            // The app polls the data version every second: past two polls it has seen the change.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            foreach (var (path, _) in ColdEndpoints)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                using var response = await http.GetAsync(app.BaseAddress + path.TrimStart('/'));
                await response.Content.ReadAsByteArrayAsync();
                times[path].Add(watch.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode) throw new BenchmarkException($"{path} answered {(int)response.StatusCode} after a change");
            }
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"First answer after a change (issue 18, item 4; target < 200 ms): {Rounds} rounds, each a `caravan import iati` of one activity with a changed amount (the CLI, another process: {imports.Min():0} to {imports.Max():0} ms each), 2.5 s for the app to see the new data version, then each endpoint asked once (each was asked once before the first round, so no round pays for compiling its code):");
        text.AppendLine();
        text.AppendLine("| Endpoint | median ms | slowest ms | Target | Met |");
        text.AppendLine("|---|--:|--:|---|---|");
        foreach (var (path, label) in ColdEndpoints)
        {
            var t = times[path].Order().ToList();
            var target = path.Contains("state=", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal) ? "—" : "< 200 ms";
            var met = target == "—" ? "" : t[^1] < 200 ? "yes" : "no";
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{path}` {label} | {t[t.Count / 2]:0.0} | {t[^1]:0.0} | {target} | {met} |");
        }
        return text.ToString();
    }

    /// <summary>The file's first activity, as written.</summary>
    private static string FirstActivity(string path)
    {
        using var reader = new StreamReader(path);
        var text = new StringBuilder();
        var buffer = new char[1 << 16];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            var s = text.ToString();
            var start = s.IndexOf("<iati-activity ", StringComparison.Ordinal);
            var end = s.IndexOf("</iati-activity>", StringComparison.Ordinal);
            if (start >= 0 && end > start) return s[start..(end + "</iati-activity>".Length)];
        }
        throw new BenchmarkException($"{path} holds no activity");
    }

    // ---- Files -------------------------------------------------------------------------------------------------

    /// <summary>
    /// The generated file for (count, seed, first index), from the cache when it is complete and current: its length
    /// matches the one recorded when it was written (a sidecar), and its first bytes are what the generator writes
    /// now (a changed generator makes old files stale). Written under a temporary name and renamed when complete.
    /// </summary>
    internal static string EnsureFile(int count, int seed, int firstIndex)
    {
        Directory.CreateDirectory(CacheFolder);
        var path = Path.Combine(CacheFolder, firstIndex == 0 ? $"iati-{count}-seed{seed}.xml" : $"iati-{count}-seed{seed}-from{firstIndex}.xml");
        var lengthFile = path + ".bytes";
        if (File.Exists(path) && File.Exists(lengthFile)
            && File.ReadAllText(lengthFile).Trim() == new FileInfo(path).Length.ToString(CultureInfo.InvariantCulture)
            && StartsAsGenerated(path, count, seed, firstIndex))
            return path;

        Progress($"Generating {count:N0} activities (seed {seed}{(firstIndex == 0 ? "" : $", identifiers from {firstIndex + 1:N0}")}) into {path} …");
        var partial = path + ".partial";
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            IatiFileGenerator.Write(stream, count, seed, firstIndex);
        File.Move(partial, path, overwrite: true);
        File.WriteAllText(lengthFile, new FileInfo(path).Length.ToString(CultureInfo.InvariantCulture));
        return path;
    }

    private static bool StartsAsGenerated(string path, int count, int seed, int firstIndex)
    {
        // The first activities do not depend on the count (groups are at most 5 long), so 20 of them give the same
        // opening bytes as the whole file: 32 KB is about 4 activities.
        using var sample = new MemoryStream();
        IatiFileGenerator.Write(sample, Math.Min(count, 20), seed, firstIndex);
        var expected = count <= 20 ? sample.ToArray() : sample.GetBuffer().AsSpan(0, (int)Math.Min(sample.Length, 32_768)).ToArray();
        var actual = new byte[expected.Length];
        using var file = File.OpenRead(path);
        file.ReadExactly(actual);
        return actual.AsSpan().SequenceEqual(expected) && (count > 20 || file.Length == expected.Length);
    }

    /// <summary>Monthly rates from USD to the generator's currencies, enough for every value date it writes.</summary>
    private static (string Path, int Count, DateOnly From, DateOnly To) WriteRates(string path)
    {
        (string Currency, decimal Rate, decimal Drift)[] currencies = [("CNY", 6.3m, 0.004m), ("EUR", 0.82m, 0.002m), ("KZT", 180m, 0.012m), ("UZS", 1900m, 0.02m)];
        var from = new DateOnly(2010, 1, 1);
        var to = new DateOnly(2031, 12, 1);
        var text = new StringBuilder("from,to,date,rate,source\n");
        var count = 0;
        foreach (var (currency, start, drift) in currencies)
        {
            var rate = start;
            for (var month = from; month <= to; month = month.AddMonths(1), count++)
            {
                text.Append(CultureInfo.InvariantCulture, $"USD,{currency},{month:yyyy-MM-dd},{rate:0.######},bench: synthetic monthly rate\n");
                rate *= 1 + drift; // a steady drift is enough: the benchmark needs a rate per month, not the history
            }
        }
        File.WriteAllText(path, text.ToString());
        return (path, count, from, to);
    }

    // ---- Processes ---------------------------------------------------------------------------------------------

    /// <summary>The published app's CLI, run as deployed: <c>dotnet caravan.dll VERB …</c> from the publish folder.</summary>
    private sealed class CaravanCli(string dll, string? schema)
    {
        public string Dll => dll;

        public MeasuredRun Run(BenchDatabase database, IEnumerable<string> args) =>
            MeasuredProcess.Run("dotnet", [dll, .. args], database.Environment, Path.GetDirectoryName(dll), CliTimeout);

        public void Migrate(BenchDatabase database)
        {
            var run = Run(database, ["migrate"]);
            if (run.ExitCode != 0) throw new BenchmarkException($"caravan migrate failed (exit {run.ExitCode}) on {database.Description}:\n{run.Tail()}");
        }

        public MeasuredRun Import(BenchDatabase database, IEnumerable<string> files) =>
            Run(database, ["import", "iati", .. files, .. schema is null ? Array.Empty<string>() : ["--schema", schema]]);
    }

    /// <summary>
    /// Runs <c>--iati-bare</c> in a fresh process of this tool, like the CLI is a fresh process: its first pass pays
    /// for the JIT (cold), its second is the steady state (warm). The file is in the page cache either way.
    /// </summary>
    private static BarePass BarePassInFreshProcess(string file, int expectedActivities)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        // Under `dotnet Caravan.Benchmarks.dll` the process is the dotnet host, which needs the assembly again.
        string[] prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(IatiImportBenchmark).Assembly.Location] : [];
        var run = MeasuredProcess.Run(self, [.. prefix, "--iati-bare", file], new Dictionary<string, string>(), null, CliTimeout);
        if (run.ExitCode != 0) throw new BenchmarkException($"The bare pass failed (exit {run.ExitCode}):\n{run.Tail()}");
        double Seconds(string label) => BarePassLine().Matches(run.Output).FirstOrDefault(m => m.Groups["label"].Value == label) is { } m
            ? double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture)
            : throw new BenchmarkException($"The bare pass printed no {label} figure:\n{run.Output}");
        var activities = BarePassLine().Match(run.Output).Groups["activities"].Value.Replace(",", "", StringComparison.Ordinal);
        if (activities != expectedActivities.ToString(CultureInfo.InvariantCulture))
            throw new BenchmarkException($"The bare pass counted {activities} activities in {file}, not {expectedActivities:N0}: delete the file and rerun.");
        return new BarePass(Seconds("cold"), Seconds("warm"), run.PeakResidentBytes);
    }

    [GeneratedRegex(@"\((?<label>cold|warm)\): (?<seconds>[0-9.]+) s, .*?\((?<activities>[0-9,]+) iati-activity\)")]
    private static partial Regex BarePassLine();

    [GeneratedRegex(@": (?<read>\d+) activities read, (?<added>\d+) added, (?<updated>\d+) updated, (?<unchanged>\d+) unchanged, (?<skipped>\d+) skipped")]
    private static partial Regex CliSummary();

    /// <summary>The CLI's counts, summed over its "FILE: N activities read, …" lines; null when it printed none.</summary>
    private static ImportRun Timed(MeasuredRun run)
    {
        var lines = CliSummary().Matches(run.Output);
        ImportCounts? counts = null;
        if (lines.Count > 0)
        {
            int Sum(string group) => lines.Sum(m => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture));
            counts = new ImportCounts(Sum("read"), Sum("added"), Sum("updated"), Sum("unchanged"), Sum("skipped"));
        }
        var problems = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        if (run.ExitCode != 0) Progress($"warning: the CLI exited with code {run.ExitCode}:\n{run.Tail()}");
        return new ImportRun(run, counts, problems);
    }

    // ---- Databases ---------------------------------------------------------------------------------------------

    /// <summary>A fresh, empty database for one import: a new SQLite file, or a new PostgreSQL database on the admin connection (dropped afterwards).</summary>
    private sealed class BenchDatabase : IAsyncDisposable
    {
        private readonly string? _admin;
        private readonly string? _file;

        public string Name { get; }
        public string Description { get; }
        public IReadOnlyDictionary<string, string> Environment { get; }

        private BenchDatabase(string name, string? admin, string? file, string provider, string connectionString, string description)
        {
            Name = name;
            _admin = admin;
            _file = file;
            Description = description;
            Environment = new Dictionary<string, string>
            {
                ["Caravan__Database__Provider"] = provider,
                ["Caravan__Database__ConnectionString"] = connectionString,
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            };
        }

        public static async Task<BenchDatabase> CreateAsync(string? admin, string folder, string name)
        {
            if (admin is null)
            {
                var file = Path.Combine(folder, name + ".db");
                DeleteSqlite(file);
                return new BenchDatabase(name, null, file, "sqlite", $"Data Source={file}", "a fresh SQLite file");
            }
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"); // left over by an interrupted run
                await ExecuteAsync(connection, $"CREATE DATABASE \"{name}\"");
            }
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            return new BenchDatabase(name, admin, null, "postgres", connectionString, $"a fresh PostgreSQL database {name}");
        }

        /// <summary>Projects and transactions stored, read back with ADO.NET (not timed): what the CLI's counts claim, checked.</summary>
        public async Task<(long Projects, long Transactions)?> CountAsync()
        {
            DbProviderFactory factory = _admin is null ? Microsoft.Data.Sqlite.SqliteFactory.Instance : NpgsqlFactory.Instance;
            try
            {
                await using var connection = factory.CreateConnection()!;
                connection.ConnectionString = Environment["Caravan__Database__ConnectionString"] + (_admin is null ? ";Pooling=False" : ";Pooling=false");
                await connection.OpenAsync();
                async Task<long> Count(string table)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                }
                return (await Count("Projects"), await Count("ProjectTransactions"));
            }
            catch (DbException e)
            {
                Progress($"warning: could not count the stored projects ({e.Message}); the tables may have been renamed.");
                return null;
            }
        }

        /// <summary>The failed sign-ins Identity counted on an account (each one a write to its row).</summary>
        public async Task<long> AccessFailedCountAsync(string email)
        {
            DbProviderFactory factory = _admin is null ? Microsoft.Data.Sqlite.SqliteFactory.Instance : NpgsqlFactory.Instance;
            await using var connection = factory.CreateConnection()!;
            connection.ConnectionString = Environment["Caravan__Database__ConnectionString"] + ";Pooling=false";
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"AccessFailedCount\" FROM \"Users\" WHERE \"NormalizedEmail\" = @email";
            var p = command.CreateParameter();
            p.ParameterName = "@email";
            p.Value = email.ToUpperInvariant();
            command.Parameters.Add(p);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            if (_file is not null)
            {
                DeleteSqlite(_file);
                return;
            }
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }

        private static void DeleteSqlite(string file)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(file + suffix);
        }

        private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    // ---- Report ------------------------------------------------------------------------------------------------

    private static string ImportReport(Options options, Machine machine, string[] args, ImportRun startup, List<SizeResult> results, PublisherSet set)
    {
        var text = new StringBuilder();
        var database = options.Postgres is { } postgres
            ? $"PostgreSQL ({Server(postgres)}; the server's own CPU and memory are not in the figures), a database created for each run (`caravan_bench_iati_<n>`) and dropped after it"
            : "SQLite, a fresh file for each run, on disk";
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.Cores} cores ({machine.Cpu}), {machine.Os}, {machine.Runtime}; load average before the run: {machine.LoadAverage}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Database: {database}. CLI: `dotnet caravan.dll import iati FILE{(options.IatiSchema is null ? "" : " --schema DIR")}` from a Release publish, one process per run, timed from its start to its exit (runtime start, JIT and the database check included); `caravan migrate` before it, not timed. {(options.IatiSchema is null ? "No XSD configured: the import checks the rules, not the official schema. " : "With the official XSD: every activity is validated against it too. ")}Files: generated by this tool (seed {options.Seed}), already in the page cache. MB = 10⁶ bytes; peak RSS is the process's VmHWM.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Program.CommandLine(args)}`");
        text.AppendLine();
        text.AppendLine("Bare XmlReader pass over the same file (the limit), in a fresh process of this tool: the first pass pays for the JIT (cold), the second is the steady state (warm), which the import is compared with.");
        text.AppendLine();
        text.AppendLine("| Activities | File MB | Cold pass s | Warm pass s | Warm MB/s | Warm activities/s | Peak RSS MB |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Activities:N0} | {r.Bytes / 1e6:0.0} | {r.Bare.ColdSeconds:0.00} | {r.Bare.WarmSeconds:0.00} | {r.Bytes / 1e6 / r.Bare.WarmSeconds:0} | {r.Activities / r.Bare.WarmSeconds:N0} | {Mb(r.Bare.PeakBytes)} |");
        text.AppendLine();
        text.AppendLine($"Import by the CLI into a fresh database, then the same file again (every activity unchanged: the idempotent path). Targets: at least {RatioTarget}× the warm bare pass's rate, under {FloorSeconds} s, peak memory under {MemoryTargetMB} MB and flat as the file grows.");
        text.AppendLine();
        text.AppendLine("| Activities | Run | Wall s | CPU s | Activities/s | MB/s | × bare pass | Peak RSS MB | CLI says | Stored | Target | Met |");
        text.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|---|---|---|---|");
        foreach (var r in results)
        {
            foreach (var (label, run, reimport) in new[] { ("import", r.Import, false), ("re-import", r.Reimport, true) })
            {
                var seconds = run.Run.Elapsed.TotalSeconds;
                var target = reimport ? $"< {FloorSeconds} s, < {MemoryTargetMB} MB, all unchanged" : $"≥ {RatioTarget}×, < {FloorSeconds} s, < {MemoryTargetMB} MB";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Activities:N0} | {label} | {seconds:0.00} | {Cpu(run.Run)} | {r.Activities / seconds:N0} | {r.Bytes / 1e6 / seconds:0.0} | {r.Bare.WarmSeconds / seconds:0.00} | {Mb(run.Run.PeakResidentBytes)} | {run.Describe(brief: true)} | {(reimport ? "" : Stored(r.Stored))} | {target} | {Verdict(r.Failures(reimport))} |");
            }
        }
        if (results.Count > 1)
        {
            var (first, last) = (results[0], results[^1]);
            string Growth(Func<SizeResult, ImportRun> run) =>
                $"{Mb(run(first).Run.PeakResidentBytes)} → {Mb(run(last).Run.PeakResidentBytes)} MB ({(run(last).Run.PeakResidentBytes - run(first).Run.PeakResidentBytes) / 1e6:+0;-0;0} MB)";
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Peak memory from {first.Activities:N0} to {last.Activities:N0} activities ({last.Activities / (double)first.Activities:0.#}× the file): import {Growth(r => r.Import)}, re-import {Growth(r => r.Reimport)}.");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Start-up, in every row above: importing a file of one activity into a fresh database takes {startup.Run.Elapsed.TotalSeconds:0.00} s ({Cpu(startup.Run)} s of CPU, peak RSS {Mb(startup.Run.PeakResidentBytes)} MB; {startup.Describe(brief: true)}): process start, JIT, configuration, EF Core's model and the migrations check.");
        text.AppendLine();
        var walls = set.Runs.Select(r => r.Run.Elapsed.TotalSeconds).ToList();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Publisher set: {set.Files} files (seeds {string.Join(", ", PublisherSeeds)}, {PublisherFileActivities:N0} activities each, identifiers not shared), {set.Bytes / 1e6:0.0} MB in all, imported by one `caravan import iati A B C` into a fresh database, {PublisherSetRuns} times (a fresh database each time). Target: under {PublisherSetTargetSeconds} s end to end, process start included. (The issue's real publisher files are ~15 MB for ~3,300 activities; these are about twice as large per activity.)");
        text.AppendLine();
        text.AppendLine("| Files | Activities | MB | Wall s, each run | Median s | CPU s, median | Activities/s | Peak RSS MB | CLI says | Target | Met |");
        text.AppendLine("|--:|--:|--:|---|--:|--:|--:|--:|---|---|---|");
        var median = walls.Order().ElementAt(walls.Count / 2);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {set.Files} | {set.Activities:N0} | {set.Bytes / 1e6:0.0} | {string.Join(", ", walls.Select(w => w.ToString("0.00", CultureInfo.InvariantCulture)))} | {median:0.00} | {Cpu(set.Runs.OrderBy(r => r.Run.Elapsed).ElementAt(set.Runs.Count / 2).Run)} | {set.Activities / median:N0} | {Mb(set.Runs.Max(r => r.Run.PeakResidentBytes))} | {set.Runs[^1].Describe(brief: true)} | < {PublisherSetTargetSeconds} s (median) | {Verdict(set.Failures())} |");
        return text.ToString().TrimEnd();
    }

    /// <summary>Host and port of the admin connection string (its database is not the one measured).</summary>
    private static string Server(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"host {builder.Host ?? "?"}, port {builder.Port}");
    }

    private static string Cpu(MeasuredRun run) => run.Cpu is { } cpu ? cpu.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture);

    private static string Stored((long Projects, long Transactions)? stored) =>
        stored is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.Projects:N0} projects, {s.Transactions:N0} transactions") : "?";

    private static string Verdict(IReadOnlyList<string> failures) => failures.Count == 0 ? "yes" : $"**no** ({string.Join(", ", failures)})";

    private static void Progress(string message) => Program.Progress(message);

    private sealed record BarePass(double ColdSeconds, double WarmSeconds, long PeakBytes);

    private sealed record ImportCounts(int Read, int Added, int Updated, int Unchanged, int Skipped);

    private sealed record ImportRun(MeasuredRun Run, ImportCounts? Counts, int ProblemLines)
    {
        public string Describe(bool brief = false)
        {
            var c = Counts;
            var counts = c is null ? $"no summary, exit {Run.ExitCode}"
                : string.Create(CultureInfo.InvariantCulture, $"{c.Read:N0} read, {c.Added:N0} added, {c.Updated:N0} updated, {c.Unchanged:N0} unchanged, {c.Skipped:N0} skipped");
            if (ProblemLines > 0) counts += string.Create(CultureInfo.InvariantCulture, $", {ProblemLines:N0} lines on stderr");
            return brief ? counts : string.Create(CultureInfo.InvariantCulture, $"{Run.Elapsed.TotalSeconds:0.00} s, CPU {Run.Cpu?.TotalSeconds:0.00} s, peak RSS {Run.PeakResidentBytes / 1e6:0} MB, exit {Run.ExitCode}: {counts}");
        }
    }

    private sealed record SizeResult(int Activities, long Bytes, BarePass Bare, ImportRun Import, ImportRun Reimport, (long Projects, long Transactions)? Stored)
    {
        public List<string> Failures(bool reimport)
        {
            var run = reimport ? Reimport : Import;
            var seconds = run.Run.Elapsed.TotalSeconds;
            var failures = new List<string>();
            if (run.Run.ExitCode != 0 || run.Counts is null) failures.Add($"exit {run.Run.ExitCode}");
            else if (reimport ? run.Counts.Unchanged != Activities : run.Counts.Added != Activities) failures.Add(reimport ? "not all unchanged" : "not all added");
            if (!reimport && Bare.WarmSeconds / seconds < RatioTarget) failures.Add("rate");
            if (seconds >= FloorSeconds) failures.Add("time");
            if (run.Run.PeakResidentBytes / 1e6 >= MemoryTargetMB) failures.Add("memory");
            return failures;
        }

        public bool Met => Failures(false).Count == 0 && Failures(true).Count == 0;
    }

    private sealed record PublisherSet(int Files, int Activities, long Bytes, List<ImportRun> Runs)
    {
        public List<string> Failures()
        {
            var failures = new List<string>();
            if (Runs.Any(r => r.Run.ExitCode != 0 || r.Counts is null || r.Counts.Added != Activities)) failures.Add("not all added");
            if (Runs.Select(r => r.Run.Elapsed.TotalSeconds).Order().ElementAt(Runs.Count / 2) >= PublisherSetTargetSeconds) failures.Add("time");
            return failures;
        }

        public bool Met => Failures().Count == 0;
    }
}
