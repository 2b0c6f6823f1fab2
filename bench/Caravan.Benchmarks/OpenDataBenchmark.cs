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

            await using (var seeded = await BenchDatabase.CreateAsync(options.Postgres, work.FullName, "caravan_bench_open_data_seed"))
            {
                Prepare(cli, seeded);
                rows.Add(("seeded data", Export(cli, seeded, work.FullName, "iati"), Export(cli, seeded, work.FullName, Snapshot),
                    Export(cli, seeded, work.FullName, "current"), Export(cli, seeded, work.FullName, "current")));
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
