using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Caravan.Data;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Features.Seed;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Cli;

/// <summary>
/// <c>caravan import iati FILE…</c>, <c>caravan import rates FILE</c> and <c>caravan export iati [--output FILE]</c>.
/// Reports are written in the language of the environment (LANG: en, ru, zh), from the portal's strings.
/// </summary>
internal static class ProjectsCli
{
    public static Command Import(Option<string?> provider, Option<string?> connection,
        Func<string?, string?, Task<CaravanDbContext>> context, TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("FILE") { Description = "IATI 2.03 activity files (XML).",
            Arity = ArgumentArity.OneOrMore };
        var strict = new Option<bool>("--strict")
        {
            Description =
                "Keep out activities that break only the Standard's rules (percentages, date order, codes, prefix), as imports did before. Default: such activities are stored with their findings (shown on the project). Schema errors always keep an activity out."
        };
        // The old switch: what every import now does. Still accepted, so that scripts using it keep working.
        var acceptWarnings = new Option<bool>("--accept-warnings")
        {
            Description = "The default now (activities with rule findings are stored with them); overrides --strict."
        };
        var draft = new Option<bool>("--draft")
            { Description = "Keep new projects unpublished (not on the portal, the API or the export)." };
        var schema = new Option<string?>("--schema")
        {
            Description =
                "Folder of the official IATI 2.03 XSD (iati-activities-schema.xsd): also validate every activity against it. Default: Caravan:Projects:IatiSchemaFolder."
        };
        var keepPartial = new Option<bool>("--keep-partial")
        {
            Description =
                "Make each batch visible as it is stored, as imports did before they were all or nothing: a broken file or a killed run keeps the batches stored before it. Default: nothing of a file is visible until it has been read to its end."
        };
        var batch = new Option<int>("--batch") { Description = "Activities per transaction (default 250).",
            DefaultValueFactory = _ => 250 };
        var iati = new Command("iati",
            "Import IATI 2.03 activity files: streamed, checked per activity, stored in batches and made visible together when a file has been read to its end (all or nothing); a re-import updates changed activities only. "
            + "Exit code, the worst of the files': 0 every activity stored; 2 stored, some activities with rule "
            + "findings; 1 some activities refused; 3 a file refused (not found, or broke off: nothing of it kept); "
            + "4 another IATI import was running; 5 the import could not run (database, configuration).")
            { files, strict, acceptWarnings, draft, keepPartial, schema, batch, provider, connection };
        iati.SetAction(async (result, ct) =>
        {
            try { return await ImportIatiAsync(result, ct); }
            catch (Exception e) when (e is CaravanStartupException or SeedFileException or DbException
                or InvalidOperationException or IOException or System.Xml.Schema.XmlSchemaException)
            {
                // The import could not run: a code of its own, apart from what the files came to.
                await error.WriteLineAsync(e.Message);
                return CannotRun;
            }
        });
        async Task<int> ImportIatiAsync(ParseResult result, CancellationToken ct)
        {
            var culture = CultureInfo.CurrentUICulture;
            var outcome = ImportOutcome.Stored;
            var paths = new List<string>();
            foreach (var path in result.GetValue(files)!)
            {
                if (File.Exists(path)) { paths.Add(path); continue; }
                await error.WriteLineAsync($"{path}: no such file");
                outcome = ImportOutcome.FileRefused;
            }
            // Nothing to read: the database is not opened.
            if (paths.Count == 0) return ExitCode(outcome);
            var schemaFolder = result.GetValue(schema) ?? ProjectSettings.Read(CaravanCli.Configuration())
                .IatiSchemaFolder;
            var schemas = schemaFolder is null ? null : IatiReader.LoadSchema(schemaFolder);
            await using var db = await context(result.GetValue(provider), result.GetValue(connection));
            foreach (var path in paths)
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                    FileOptions.SequentialScan);
                var report = await IatiImport.RunAsync(db, stream, new IatiImportOptions
                {
                    Strict = result.GetValue(strict) && !result.GetValue(acceptWarnings), Publish = !result.GetValue(draft),
                    BatchSize = Math.Max(1, result.GetValue(batch)), FileName = Path.GetFileName(path),
                    By = "cli:" + Environment.UserName, Schema = schemas, KeepPartial = result.GetValue(keepPartial),
                    Limits = UploadSettings.Read(CaravanCli.Configuration()),
                }, ct);
                if (report.Outcome > outcome) outcome = report.Outcome;
                if (report.Refused)
                {
                    await error.WriteLineAsync($"{path}: {MessageFormatter.Format(report.Stopped!, culture)}");
                    continue;
                }
                foreach (var p in report.Problems)
                    await error.WriteLineAsync($"{path}:{p.Line}\t{p.Activity}\t{p.Path}\t{p.Rule}\t{(p.IsError ? "error" : "warning")}\t{MessageFormatter.Format(p.Message, culture)}");
                if (report.ProblemCount > report.Problems.Count) await error.WriteLineAsync($"{path}: … {report.ProblemCount - report.Problems.Count} more problems");
                foreach (var s in report.Summary)
                    await error.WriteLineAsync($"{path}: {s.Rule}\t{(s.IsError ? "error" : "warning")}\t{s.Count} in {s.Activities} activities, e.g. {string.Join("; ", s.Examples.Select(e => $"{e.Activity} (line {e.Line}, {e.Path}): {MessageFormatter.Format(e.Message, culture)}"))}");
                foreach (var c in report.Changes)
                    await output.WriteLineAsync($"{path}\t{c.Activity}\tchanged: {string.Join(", ", c.Changed)}");
                if (report.Stopped is { } stopped)
                {
                    await error.WriteLineAsync($"{path}: {MessageFormatter.Format(stopped, culture)}");
                }
                await output.WriteLineAsync($"{path}: {report.Read} activities read, {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, {report.Skipped} skipped, {report.StoredWithFindings} stored with findings, {report.Status}{(report.Stopped is null || report.KeptPartial ? "" : ", nothing kept")} (run {report.RunId}, sha256 {(report.Sha256.Length >= 12 ? report.Sha256[..12] : report.Sha256)}…)");
            }
            return ExitCode(outcome);
        }

        var ratesFile = new Argument<string>("FILE")
            { Description = "CSV: from,to,date,rate,source (one unit of from is worth rate units of to on date)." };
        var rates = new Command("rates",
            "Import exchange rates from CSV, all or nothing; a rate already stored for the same pair and date is replaced.")
            { ratesFile, provider, connection };
        rates.SetAction(async (result, ct) =>
        {
            var culture = CultureInfo.CurrentUICulture;
            var path = result.GetValue(ratesFile)!;
            if (!File.Exists(path)) { await error.WriteLineAsync($"{path}: no such file"); return 2; }
            await using var file = File.OpenRead(path);
            var (parsed, problems) = await RateCsv.ParseAsync(file, ct);
            foreach (var p in problems) await error.WriteLineAsync($"{path}:{p.Row}\t{p.Column}\t{MessageFormatter.Format(p.Message, culture)}");
            if (problems.Count > 0) { await error.WriteLineAsync($"{path}: nothing imported"); return 1; }
            await using var db = await context(result.GetValue(provider), result.GetValue(connection));
            var (added, replaced) = await Caravan.Features.Projects.ProjectTotalCells.StoreRatesAsync(db, parsed, ct);
            await output.WriteLineAsync($"{path}: {added} rates added, {replaced} replaced");
            return 0;
        });
        return new Command("import", "Import files: IATI activities, exchange rates.") { iati, rates };
    }

    /// <summary><c>caravan import iati</c>: the import could not run (database, configuration, schema folder).</summary>
    public const int CannotRun = 5;

    /// <summary>
    /// <c>caravan import iati</c>'s exit code for what an import came to (README, "Projects and IATI"); the API's
    /// <c>outcome</c> names the same.
    /// </summary>
    public static int ExitCode(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Stored => 0,
        ImportOutcome.StoredWithFindings => 2,
        ImportOutcome.ActivitiesRefused => 1,
        ImportOutcome.FileRefused => 3,
        _ => 4,
    };

    public static Command Export(Option<string?> provider, Option<string?> connection,
        Func<string?, string?, Task<CaravanDbContext>> context, TextWriter output, TextWriter error)
    {
        var file = new Option<string?>("--output") { Description = "The file to write (default: standard output)." };
        var iati = new Command("iati", "Export the published projects as one IATI 2.03 activities file.")
            { file, provider, connection };
        iati.SetAction(async (result, ct) =>
        {
            await using var db = await context(result.GetValue(provider), result.GetValue(connection));
            var path = result.GetValue(file);
            int count;
            if (path is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                count = await IatiExport.WriteAsync(db, stdout, ct);
            }
            else
            {
                // Written beside the target and moved over it: a failed export never leaves half a file.
                var temp = path + ".partial";
                await using (var stream = File.Create(temp)) count = await IatiExport.WriteAsync(db, stream, ct);
                File.Move(temp, path, overwrite: true);
            }
            await error.WriteLineAsync($"{count} activities exported{(path is null ? "" : " to " + path)}");
            return 0;
        });
        return new Command("export", "Export data: IATI activities, open data releases.")
            { iati, OpenDataCli.Command(provider, connection, context, error) };
    }
}
