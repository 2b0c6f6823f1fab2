using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Features.Submissions;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Projects;

public sealed record ImportProblemDto(string Activity, int Line, string Path, string Rule, string Severity,
    string Message);
public sealed record ImportReportDto(
    string RunId, string FileName, string Sha256, long Bytes, int Read, int Added, int Updated, int Unchanged,
    int Skipped, int ProblemCount, string? Stopped, IReadOnlyList<ImportProblemDto> Problems,
    IReadOnlyList<ImportChange> Changes, string Status = ImportRunStatus.Completed, bool KeptPartial = false,
    int StoredWithFindings = 0, IReadOnlyList<FindingSummaryDto>? Summary = null,
    [property: System.ComponentModel.Description(ImportApi.OutcomeDescription)]
    ImportOutcome Outcome = ImportOutcome.Stored);
/// <summary>A rule over a file or a publisher: how often, in how many activities, and the first examples.</summary>
public sealed record FindingSummaryDto(string Rule, string Code, string Severity, int Count, int Activities,
    IReadOnlyList<FindingExampleDto> Examples);
public sealed record FindingExampleDto(string Activity, int Line, string Path, string Message);
/// <summary>
/// A recorded import. Status: running, completed or failed; Reason says why it failed (a broken file with its
/// line, an error, or a process that ended mid-run), in the caller's language; KeptPartial: batches were made
/// visible as stored.
/// </summary>
public sealed record ImportRunDto(string Id, string Kind, string FileName, string Sha256, long Bytes,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string By, int Added, int Updated, int Unchanged, int Skipped,
    bool AcceptedWarnings, string? Stopped, string Status, string? Reason, bool KeptPartial,
    [property: System.ComponentModel.Description("The file's rule findings and errors by rule, as its report "
        + "summarised them (IATI imports): how often, in how many activities, up to 3 examples in the reader's language")]
    IReadOnlyList<FindingSummaryDto>? Summary = null);
public sealed record RateProblemDto(int Row, string Column, string Message);
public sealed record RatesStoredDto(int Added, int Replaced);

/// <summary>
/// IATI exchange through HTTP: the secretariat imports a file (<c>POST /api/v1/projects/import</c>), anyone
/// downloads the published projects as IATI 2.03 (<c>GET /api/v1/projects.xml</c>); exchange rates are
/// imported from CSV (<c>POST /api/v1/exchange-rates</c>); the record of past imports is <c>/api/v1/import-runs</c>.
/// </summary>
public static class ImportApi
{
    /// <summary>The API's <c>outcome</c>, as the CLI's exit codes say it (README, "Projects and IATI").</summary>
    public const string OutcomeDescription =
        "What the import came to, the same as `caravan import iati`'s exit code: `stored` (0) every activity stored; " +
        "`stored-with-findings` (2) stored, some activities carrying rule findings; `activities-refused` (1) some " +
        "activities kept out (schema errors, or findings not accepted); `file-refused` (3) the file broke off and " +
        "nothing of it was kept (unless keepPartial); `busy` (4) another IATI import was running.";

    public static void MapProjectImportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Projects");

        api.MapPost("/projects/import", ImportIatiAsync).RequireAuthorization(AccountSetup.ApiCaller)
            .DisableAntiforgery().WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute())
          .WithName("ImportIati")
              .WithSummary("The secretariat imports an IATI 2.03 activities file (the XML as the body, or multipart " +
                  "field \"file\")")
          .WithDescription("Streamed and checked per activity; valid activities are stored in transactional batches " +
              "(upsert by iati-identifier, with the changed parts listed); invalid ones are reported with path, rule " +
              "and message in the caller's language and skipped. All or nothing: the file's activities become " +
              "visible together when it has been read to its end; the run is recorded (running) from its start. " +
              "By default an activity that breaks only the Standard's rules is stored with its findings (shown " +
              "on the project); `strict=true` keeps such activities out (`acceptWarnings` is accepted and is now " +
              "the default); `draft=true` keeps new " +
              "projects unpublished; `keepPartial=true` makes each batch visible as it is stored. 422 when the file " +
              "breaks off (the run failed, with the line; nothing of the file is visible unless keepPartial); 409 " +
              "while another IATI import runs; 413 over Caravan:Projects:MaxImportBytes. The report's `outcome` " +
              "names what the import came to: " + OutcomeDescription)
          .Accepts<IFormFile>("application/xml", "text/xml", "multipart/form-data").Produces<ImportReportDto>()
              .Produces<ImportReportDto>(422).Produces<ImportReportDto>(409).ProducesProblem(401)
              .ProducesProblem(403).ProducesProblem(413);

        api.MapGet("/projects.xml", async (HttpContext http, CaravanDbContext db, DataVersion version,
            CancellationToken ct) =>
        {
            // Written once per data version to a file, then served from it: a download never holds the export in
            // memory. The name is this app's own (two apps in one process must not share or delete each other's
            // files), and the file is opened before it is answered, so that a newer version's clean-up cannot remove
            // it under a download (the open handle keeps it readable).
            var folder = Path.Combine(Path.GetTempPath(), "caravan-exports");
            Directory.CreateDirectory(folder);
            var prefix = $"iati-{Environment.ProcessId}-{version.Instance:N}-";
            var path = Path.Combine(folder, $"{prefix}{version.Value}.xml");
            for (var attempt = 0; ; attempt++)
            {
                if (!File.Exists(path))
                {
                    var temp = path + "." + Guid.NewGuid().ToString("N");
                    await using (var file = File.Create(temp)) await IatiExport.WriteAsync(db, file, ct);
                    File.Move(temp, path, overwrite: true);
                    foreach (var old in Directory.EnumerateFiles(folder, prefix + "*.xml").Where(f => f != path))
                        try { File.Delete(old); } catch (IOException) { }
                }
                try
                {
                    var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                    return Results.Stream(stream, "application/xml; charset=utf-8", "caravan-iati-activities.xml",
                        enableRangeProcessing: true);
                }
                // Removed by a newer version's clean-up between the check and the open: write it again, once.
                catch (FileNotFoundException) when (attempt == 0) { }
            }
        }).WithName("ExportIati")
            .WithSummary("The published projects as one IATI 2.03 activities file (valid against the official schema)")
          .Produces(200, contentType: "application/xml");

        api.MapPost("/exchange-rates", ImportRatesAsync).RequireAuthorization(AccountSetup.ApiCaller)
            .DisableAntiforgery()
            // Room for the largest rates file and its form around it; RateCsv stops reading past MaxBytes.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RateCsv.MaxBytes + 64 * 1024))
          .WithName("ImportExchangeRates")
              .WithSummary("The secretariat imports exchange rates from CSV: from,to,date,rate,source — all or nothing")
          .WithDescription("One unit of `from` is worth `rate` units of `to` on `date` (YYYY-MM-DD), per `source` " +
              "(shown beside every figure converted with it). A rate stored for the same pair and date is replaced. " +
              "Any bad row: 422 listing each row, column and reason, and nothing is stored.")
          .Accepts<string>("text/csv", "multipart/form-data").ProducesProblem(401).ProducesProblem(403)
              .Produces<List<RateProblemDto>>(422).ProducesProblem(413);

        api.MapGet("/import-runs", async (HttpContext http, CaravanDbContext db, CancellationToken ct) =>
        {
            if (!Access.CanReadAuditLog(http.GetCaller())) return Results.Problem(statusCode: 403, title: "Forbidden",
                detail: "The record of imports is the secretariat's.");
            // A run left running by a process that is gone is failed (and its staged rows removed) before it is shown.
            await ImportRunLog.RecoverAsync(db, ct);
            var runs = await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(100).ToListAsync(ct);
            var l = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            return Results.Ok(runs.Select(r => ToDto(r, l)).ToList());
        }).RequireAuthorization(AccountSetup.ApiCaller).WithName("ListImportRuns")
            .WithSummary("The last 100 imports (IATI, sheets, rates): who, when, the file's SHA-256, what each did, " +
                "and whether it completed, failed (and why) or is still running")
          .Produces<List<ImportRunDto>>().ProducesProblem(401).ProducesProblem(403);
    }

    /// <summary>
    /// An IATI file imported: 200 with the report; 422 with it when the file broke off (the run failed and nothing of
    /// the file is visible, unless kept partial); 409 while another IATI import runs; 403 for anyone but the
    /// secretariat; 413 over the limit; 400 without a file.
    /// </summary>
    private static async Task<Results<Ok<ImportReportDto>, UnprocessableEntity<ImportReportDto>,
        Conflict<ImportReportDto>, ProblemHttpResult, ValidationProblem>> ImportIatiAsync(
        HttpContext http, CaravanDbContext db, RecordEditor editor, IConfiguration configuration,
        IStringLocalizer<SharedResource> l, bool? strict, bool? acceptWarnings, bool? draft, bool? keepPartial,
        CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!Access.CanValidate(caller))
        {
            await editor.RefuseAsync(caller, "project", "iati-import", "import IATI", ct);
            return TypedResults.Problem(statusCode: 403, title: l["problem.forbidden"],
                detail: l["projects.import.secretariat-only"]);
        }
        var settings = ProjectSettings.Read(configuration);
        if (http.Request.ContentLength > settings.MaxImportBytes)
            return TypedResults.Problem(statusCode: 413, title: l["projects.import.failed"],
                detail: TooLarge(l, settings));
        Stream body;
        var fileName = "upload.xml";
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            if (form.Files["file"] is not { Length: > 0 } file)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    { ["file"] = [l["projects.import.file-required"]] }, title: WriteAnswers.InvalidTitle,
                    detail: $"file: {l["projects.import.file-required"]}");
            body = file.OpenReadStream();
            fileName = Path.GetFileName(file.FileName);
        }
        else
        {
            // The XML reader reads synchronously, which Kestrel refuses on a request body: the body goes to
            // a temporary file first (memory stays flat), and is read from there.
            var temp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
                1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try { await CopyLimitedAsync(http.Request.Body, temp, settings.MaxImportBytes, ct); }
            catch (InvalidDataException)
            {
                await temp.DisposeAsync();
                return TypedResults.Problem(statusCode: 413, title: l["projects.import.failed"],
                    detail: TooLarge(l, settings));
            }
            temp.Position = 0;
            body = temp;
        }
        db.Actor = new Caravan.Features.Audit.AuditActor(caller!.Name, caller.AuditRole, "imported an IATI file");
        var report = await IatiImport.RunAsync(db, body, new IatiImportOptions
        {
            // acceptWarnings (the old switch) is what every import now does; strict keeps the old default.
            Strict = (strict ?? false) && acceptWarnings != true, Publish = !(draft ?? false), FileName = fileName,
            By = caller.Name, MaxBytes = settings.MaxImportBytes, Schema = Schema(settings),
            Limits = UploadSettings.Read(configuration),
            KeepPartial = keepPartial ?? false,
        }, ct);
        await body.DisposeAsync();
        var dto = ToDto(report, fileName, l);
        if (report.Refused) return TypedResults.Conflict(dto);
        // A file that broke off is a 422 with the report: the run failed, and nothing of it is visible.
        return report.Stopped is null ? TypedResults.Ok(dto) : TypedResults.UnprocessableEntity(dto);
    }

    /// <summary>
    /// Exchange rates imported from CSV, all or nothing: 200 with the counts, 422 listing every bad row.
    /// </summary>
    private static async Task<Results<Ok<RatesStoredDto>, UnprocessableEntity<List<RateProblemDto>>,
        ProblemHttpResult>> ImportRatesAsync(
        HttpContext http, CaravanDbContext db, RecordEditor editor, IStringLocalizer<SharedResource> l,
        CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!Access.CanValidate(caller))
        {
            await editor.RefuseAsync(caller, "exchange-rate", "csv", "import rates", ct);
            return TypedResults.Problem(statusCode: 403, title: l["problem.forbidden"],
                detail: l["projects.import.secretariat-only"]);
        }
        var tooLarge = TypedResults.Problem(statusCode: 413, title: l["projects.import.failed"],
            detail: MessageFormatter.Format(l,
                new Caravan.Shared.Message(RateMessages.TooLarge, RateCsv.MaxBytes / 1024 / 1024)));
        if (http.Request.ContentLength > RateCsv.MaxBytes + 64 * 1024) return tooLarge;
        List<ExchangeRate> rates;
        List<RateCsvProblem> problems;
        try
        {
            await using var upload = http.Request.HasFormContentType && (await http.Request.ReadFormAsync(ct))
                .Files["file"] is { } file ? file.OpenReadStream() : http.Request.Body;
            (rates, problems) = await RateCsv.ParseAsync(upload, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413) { return tooLarge; }
        if (problems.Any(p => p.Code == RateMessages.TooLarge)) return tooLarge;
        if (problems.Count > 0)
            return TypedResults.UnprocessableEntity(problems.Select(p =>
                new RateProblemDto(p.Row, p.Column, MessageFormatter.Format(l, p.Message))).ToList());
        db.Actor = new Caravan.Features.Audit.AuditActor(caller!.Name, caller.AuditRole, "imported exchange rates");
        var (added, replaced) = await Caravan.Features.Projects.ProjectTotalCells.StoreRatesAsync(db, rates, ct);
        return TypedResults.Ok(new RatesStoredDto(added, replaced));
    }

    private static async Task CopyLimitedAsync(Stream from, Stream to, long max, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await from.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > max) throw new InvalidDataException("too large");
            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    public static System.Xml.Schema.XmlSchemaSet? Schema(ProjectSettings settings) =>
        settings.IatiSchemaFolder is { Length: > 0 } folder
            ? SchemaCache.GetOrAdd(folder, IatiReader.LoadSchema)
            : null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Xml.Schema.XmlSchemaSet>
        SchemaCache = new();

    /// <summary>Why a file over the limit is refused, in the reader's language.</summary>
    public static string TooLarge(IStringLocalizer l, ProjectSettings settings) =>
        MessageFormatter.Format(l,
            new(IatiMessages.TooLarge, settings.MaxImportBytes.ToString(CultureInfo.InvariantCulture)));

    public static ImportReportDto ToDto(ImportReport r, string fileName, IStringLocalizer l) => new(
        r.RunId, fileName, r.Sha256, r.Bytes, r.Read, r.Added, r.Updated, r.Unchanged, r.Skipped, r.ProblemCount,
        r.Stopped is null ? null : MessageFormatter.Format(l, r.Stopped),
        [.. r.Problems.Select(p => new ImportProblemDto(p.Activity, p.Line, p.Path, p.Rule,
            p.IsError ? "error" : "warning", MessageFormatter.Format(l, p.Message)))],
        r.Changes, r.Status, r.KeptPartial, r.StoredWithFindings,
        [.. r.Summary.Select(s => ToDto(s, m => MessageFormatter.Format(l, m)))], r.Outcome);

    /// <summary>A summary of findings, each example's message written by <paramref name="format"/>.</summary>
    public static FindingSummaryDto ToDto(FindingSummary s, Func<Caravan.Shared.Message, string> format) =>
        new(s.Rule, s.Code, s.IsError ? "error" : "warning", s.Count, s.Activities,
            [.. s.Examples.Select(e => new FindingExampleDto(e.Activity, e.Line, e.Path, format(e.Message)))]);

    public static ImportRunDto ToDto(ImportRun r, IStringLocalizer l) =>
        new(r.Id, r.Kind, r.FileName, r.Sha256, r.Bytes, r.StartedAt, r.FinishedAt, r.By, r.Added, r.Updated,
            r.Unchanged, r.Skipped, r.AcceptedWarnings, r.Stopped, r.Status, Reason(r, l), r.KeptPartial,
            r.Kind == "iati" ? [.. IatiImport.StoredSummary(r.Report).Select(s => ToDto(s, m => MessageFormatter.Format(l, m)))]
                : null);

    /// <summary>Why a run failed, in the reader's language (null when it did not).</summary>
    public static string? Reason(ImportRun r, IStringLocalizer l) =>
        IatiImport.ReasonOf(r.Stopped) is { } reason ? MessageFormatter.Format(l, reason) : null;
}
