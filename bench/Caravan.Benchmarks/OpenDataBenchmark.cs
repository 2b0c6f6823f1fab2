using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Caravan.Benchmarks;

/// <summary>
/// <c>--open-data</c> (issue 17, "Performance"): <c>caravan export open-data --snapshot current</c> timed through the
/// published CLI beside <c>caravan export iati</c> of the same database (the same-run baseline: the projects' part of
/// the release alone), on the seeded data and on the seeded data plus 10,000 commitments (600,000 scores) and the
/// generated 100,000 activities. Wall time with process start and the CLI's peak resident memory (VmHWM). Each release
/// is built twice in two processes: the two zips must be byte-identical.
/// </summary>
public static partial class IatiImportBenchmark
{
    private const double OpenDataTargetSeconds = 60;

    /// <summary>The seed's closed snapshot: its release is built (and stored) first, as a round's close would.</summary>
    private const string Snapshot = "xian-to-astana";

    private sealed record ExportRun(string Label, MeasuredRun Run, long Bytes, string Sha256);

    public static async Task<int> RunOpenDataAsync(Options options, string[] args)
    {
        var root = Program.RepoRoot();
        var machine = Machine.Describe();
        var provider = options.Postgres is null ? "sqlite" : "postgres";
        var work = Directory.CreateTempSubdirectory("caravan-bench-open-data-");
        try
        {
            Progress($"Publishing src/Caravan.Web in Release to {work.FullName}/app …");
            var cli = new CaravanCli(await WebApp.PublishAsync(root, Path.Combine(work.FullName, "app")), null);
            var rows = new List<(string Dataset, ExportRun Iati, ExportRun Snapshot, ExportRun First, ExportRun Second)>();
            var reports = new List<(string Dataset, string Snapshot, int Items, List<ExportRun> Runs)>();

            await using (var seeded = await BenchDatabase.CreateAsync(options.Postgres, work.FullName, "caravan_bench_open_data_seed"))
            {
                Prepare(cli, seeded);
                rows.Add(("seeded data", Export(cli, seeded, work.FullName, "iati"), Export(cli, seeded, work.FullName, Snapshot),
                    Export(cli, seeded, work.FullName, "current"), Export(cli, seeded, work.FullName, "current")));
                reports.Add(("seeded data", Snapshot, 32, Reports(cli, seeded, work.FullName, Snapshot)));
            }

            var n = (options.Sizes ?? [100_000]).Max();
            await using (var scale = await BenchDatabase.CreateAsync(options.Postgres, work.FullName, "caravan_bench_open_data_scale"))
            {
                Prepare(cli, scale);
                Progress("Adding 10,000 commitments × 6 states × 10 periods (600,000 scores) …");
                Progress($"… done in {await ScaleData.InsertAsync(scale.Environment["Caravan__Database__Provider"], scale.Environment["Caravan__Database__ConnectionString"]):0.0} s");
                var file = EnsureFile(n, options.Seed, 0);
                Progress($"Importing {n:N0} activities (not timed here: see the IATI import's figures) …");
                var import = Timed(cli.Import(scale, [file]));
                Progress($"… {import.Describe()}");
                if (import.Counts is null) throw new BenchmarkException($"The import failed (exit {import.Run.ExitCode}):\n{import.Run.Tail()}");
                var stored = await scale.CountAsync();
                rows.Add(($"+ 10,000 commitments, 600,000 scores, {Stored(stored)}", Export(cli, scale, work.FullName, "iati"),
                    Export(cli, scale, work.FullName, Snapshot), Export(cli, scale, work.FullName, "current"),
                    Export(cli, scale, work.FullName, "current")));
                // The report of a snapshot that holds the 10,000 commitments: period bench-1 closed as a close would.
                var items = await CloseBenchPeriodAsync(scale);
                reports.Add(($"+ 10,000 commitments, {Stored(stored)}", "bench-1", items,
                    Reports(cli, scale, work.FullName, "bench-1")));
            }

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Program.CommandLine(args)}`  ");
            text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.Os}, {machine.Runtime}, load average before the run {machine.LoadAverage}  ");
            text.AppendLine(CultureInfo.InvariantCulture, $"Database: {(options.Postgres is { } pg ? $"PostgreSQL ({Program.DescribePostgres(pg)}), a database created per dataset" : "SQLite, a fresh file per dataset")}; the app published in Release, each export a fresh `dotnet caravan.dll` process (start-up included).");
            text.AppendLine();
            text.AppendLine("Each cell: wall time (process start included), the CLI's peak resident memory, the file's size. The snapshot's release (`--snapshot " + Snapshot + "`) is its first build: built, stored in the database, written out. `current` is then built twice (two processes) with its changes from that release: the two zips' SHA-256 must match.");
            text.AppendLine();
            text.AppendLine("| dataset | `export iati` (baseline) | `export open-data --snapshot " + Snapshot + "` | `… --snapshot current` | again | ratio to baseline | same bytes | target < 60 s |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---|---|");
            var met = true;
            static string Cell(ExportRun r) => $"{r.Run.Elapsed.TotalSeconds:0.00} s, {r.Run.PeakResidentBytes / 1e6:0} MB, {r.Bytes / 1e6:0.0} MB";
            foreach (var (dataset, iati, snapshot, first, second) in rows)
            {
                var ok = new[] { snapshot, first, second }.All(r => r.Run.ExitCode == 0 && r.Run.Elapsed.TotalSeconds < OpenDataTargetSeconds);
                var same = first.Sha256 == second.Sha256;
                met &= ok && same;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {dataset} | {Cell(iati)} | {Cell(snapshot)} | {Cell(first)} | {Cell(second)} | {first.Run.Elapsed.TotalSeconds / iati.Run.Elapsed.TotalSeconds:0.0}× | {(same ? "yes" : "**no**")} | {(ok ? "met" : "**no**")} |");
            }
            text.AppendLine();
            text.AppendLine("**The summit progress report** (`caravan report --snapshot S --lang L --format F`), in the same run: the first run freezes the snapshot's facts (reads every table once and stores them), the others build from the stored facts. Each cell: wall time (process start included), peak resident memory, file size. Target: seeded < 2 s, 10,000 commitments and 100,000 projects < 30 s.");
            text.AppendLine();
            text.AppendLine("| dataset | snapshot (items) | " + string.Join(" | ", ReportRuns.Select(r => $"`{r.Format}` {r.Language}{(r == ReportRuns[0] ? " (freezes the facts)" : "")}")) + " | target |");
            text.AppendLine("|---|---|" + string.Concat(ReportRuns.Select(_ => "---:|")) + "---|");
            foreach (var (dataset, snapshot, items, runs) in reports)
            {
                var limit = items > 1000 ? 30 : 2;
                var ok = runs.All(r => r.Run.ExitCode == 0 && r.Run.Elapsed.TotalSeconds < limit);
                met &= ok;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {dataset} | `{snapshot}` ({items:N0}) | {string.Join(" | ", runs.Select(Cell))} | {(ok ? "met" : "**no**")} (< {limit} s) |");
            }
            var report = text.ToString();
            Console.WriteLine(report);
            if (options.Output is { } output)
            {
                Program.WriteFiguresSection(output, $"open-data-{provider}", report);
                Progress($"Figures written to {output}");
            }
            return met ? 0 : 1;
        }
        finally
        {
            try { work.Delete(recursive: true); }
            catch (IOException) { Progress($"Could not delete {work.FullName}"); }
        }
    }

    private static readonly (string Format, string Language)[] ReportRuns =
        [("pdf", "zh"), ("pdf", "ru"), ("docx", "zh"), ("docx", "en"), ("xlsx", "zh"), ("xlsx", "ru")];

    private static List<ExportRun> Reports(CaravanCli cli, BenchDatabase database, string work, string snapshot) =>
    [
        .. ReportRuns.Select(r =>
        {
            var file = Path.Combine(work, $"report-{Guid.NewGuid():N}.{r.Format}");
            Progress($"caravan report --snapshot {snapshot} --lang {r.Language} --format {r.Format} on {database.Description} …");
            var run = cli.Run(database, ["report", "--snapshot", snapshot, "--lang", r.Language, "--format", r.Format,
                "--output", file]);
            if (run.ExitCode != 0) throw new BenchmarkException($"caravan report failed (exit {run.ExitCode}):\n{run.Tail()}");
            var bytes = new FileInfo(file).Length;
            File.Delete(file);
            Progress($"… {run.Elapsed.TotalSeconds:0.00} s, peak RSS {run.PeakResidentBytes / 1e6:0} MB, {bytes / 1e6:0.0} MB");
            return new ExportRun($"{r.Format} {r.Language}", run, bytes, "");
        }),
    ];

    /// <summary>
    /// Closes period bench-1 as the app's close would leave it (the period closed, its snapshot holding every
    /// commitment's status, collective score and scores), in SQL, in the shape the seeded snapshot's items have.
    /// </summary>
    private static async Task<int> CloseBenchPeriodAsync(BenchDatabase database)
    {
        var provider = database.Environment["Caravan__Database__Provider"];
        System.Data.Common.DbProviderFactory factory = provider == "postgres"
            ? Npgsql.NpgsqlFactory.Instance : Microsoft.Data.Sqlite.SqliteFactory.Instance;
        await using var connection = factory.CreateConnection()!;
        connection.ConnectionString = database.Environment["Caravan__Database__ConnectionString"];
        await connection.OpenAsync();
        var scores = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT \"CommitmentId\", \"StateId\", \"Score\" FROM \"Assessments\" WHERE \"PeriodId\" = 'bench-1'";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (!scores.TryGetValue(reader.GetString(0), out var of)) scores[reader.GetString(0)] = of = new(StringComparer.Ordinal);
                of[reader.GetString(1)] = reader.GetInt32(2);
            }
        }
        var items = new System.Text.Json.Nodes.JsonArray();
        foreach (var (commitment, of) in scores)
        {
            var collective = of.Values.Average();
            items.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["commitmentId"] = commitment,
                ["status"] = collective >= 1 ? "complied" : collective <= -1 ? "not-complied" : "partly",
                ["collective"] = collective,
                ["scores"] = new System.Text.Json.Nodes.JsonObject(of.Select(s =>
                    KeyValuePair.Create(s.Key, (System.Text.Json.Nodes.JsonNode?)s.Value))),
            });
        }
        await using var write = connection.CreateCommand();
        write.CommandText = "UPDATE \"ReportingPeriods\" SET \"Closed\" = TRUE WHERE \"Id\" = 'bench-1'; "
            + "INSERT INTO \"Snapshots\" (\"Id\", \"PeriodId\", \"TakenAt\", \"TakenBy\", \"Items\") "
            + "VALUES ('bench-1', 'bench-1', @at, 'benchmark', @items)";
        var at = write.CreateParameter();
        at.ParameterName = "at";
        // As EF writes a DateTimeOffset into SQLite text.
        at.Value = provider == "postgres" ? DateTimeOffset.UtcNow
            : DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        var json = write.CreateParameter();
        json.ParameterName = "items";
        json.Value = items.ToJsonString();
        write.Parameters.Add(at);
        write.Parameters.Add(json);
        await write.ExecuteNonQueryAsync();
        return scores.Count;
    }

    private static void Prepare(CaravanCli cli, BenchDatabase database)
    {
        cli.Migrate(database);
        var seed = cli.Run(database, ["seed"]);
        if (seed.ExitCode != 0) throw new BenchmarkException($"caravan seed failed (exit {seed.ExitCode}):\n{seed.Tail()}");
    }

    private static ExportRun Export(CaravanCli cli, BenchDatabase database, string work, string what)
    {
        var file = Path.Combine(work, $"export-{Guid.NewGuid():N}");
        Progress($"caravan export {what} on {database.Description} …");
        var run = cli.Run(database, what == "iati" ? ["export", "iati", "--output", file]
            : ["export", "open-data", "--snapshot", what, "--output", file]);
        if (run.ExitCode != 0) throw new BenchmarkException($"caravan export {what} failed (exit {run.ExitCode}):\n{run.Tail()}");
        var bytes = new FileInfo(file).Length;
        string sha;
        using (var stream = File.OpenRead(file)) sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        File.Delete(file);
        Progress($"… {run.Elapsed.TotalSeconds:0.00} s, peak RSS {run.PeakResidentBytes / 1e6:0} MB, {bytes / 1e6:0.0} MB");
        return new ExportRun(what, run, bytes, sha);
    }
}
