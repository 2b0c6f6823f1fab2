using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Projects;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Features.Uploads;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Projects;

public sealed record SheetProblemDto(int Row, string Column, string Code, string Message);
public sealed record SheetChangeDto(int Row, string Identifier, string Action, IReadOnlyList<string> Changed);
/// <summary>
/// What an upload did (or, in a dry run, would do): counts, and the added and updated rows with the columns that
/// changed.
/// </summary>
public sealed record SheetReportDto(bool DryRun, bool Stored, string? RunId, int Rows, int Added, int Updated,
    int Unchanged, string Sha256, IReadOnlyList<SheetChangeDto> Changes, IReadOnlyList<SheetProblemDto> Problems);

/// <summary>
/// The project sheet: <c>GET /api/v1/projects.csv</c> and <c>.xlsx</c> (every project's row; the public gets
/// published projects, the secretariat — by token or signed in — all) and <c>POST /api/v1/projects/bulk</c>
/// (the secretariat uploads an edited sheet: all or nothing, <c>?dryRun=true</c> to check only).
/// Routes are literal (<c>projects.csv</c> is one segment; <c>bulk</c> a literal segment), so they take
/// precedence over a <c>/api/v1/projects/{identifier}</c> route; <c>Order = -1</c> makes that explicit.
/// </summary>
public static class ProjectSheetApi
{
    /// <summary>
    /// A sheet of ~30,000 projects; uploads get more room than the rest of the API, like document texts.
    /// </summary>
    public const long MaxUpload = 10 * 1024 * 1024;

    public static void MapProjectSheetApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/projects.csv", (HttpContext http, CaravanDbContext db, IConfiguration config,
            CancellationToken ct) => ExportAsync(http, db, config, "csv", ct))
            .WithOrder(-1).WithTags("Projects").WithName("ExportProjectsCsv")
            .WithSummary("Every project as one CSV row (UTF-8 with BOM, RFC 4180): published ones for the public, " +
                "all for the secretariat (token or signed in). Cells beginning with = + - @ (or tab/CR) carry a " +
                "leading apostrophe, which the upload strips again")
            .Produces(200, contentType: SheetFiles.CsvType);

        app.MapGet("/api/v1/projects.xlsx", (HttpContext http, CaravanDbContext db, IConfiguration config,
            CancellationToken ct) => ExportAsync(http, db, config, "xlsx", ct))
            .WithOrder(-1).WithTags("Projects").WithName("ExportProjectsXlsx")
            .WithSummary("The same sheet as XLSX (every cell text)")
            .Produces(200, contentType: SheetFiles.XlsxType);

        app.MapPost("/api/v1/projects/bulk", UploadAsync).WithOrder(-1).RequireAuthorization(AccountSetup.ApiCaller)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUpload)).DisableAntiforgery()
          .WithTags("Projects").WithName("BulkUpsertProjects")
          .WithSummary("The secretariat uploads a project sheet (multipart field \"file\", or the body as text/csv " +
              "or XLSX; up to 10 MB): rows keyed by identifier (or external_id, under the secretariat's prefix) " +
              "update the columns present or create projects; all or nothing — any bad row is a 422 naming row, " +
              "column and reason, and nothing is stored; ?dryRun=true checks and reports without storing")
          .Accepts<IFormFile>("multipart/form-data", SheetFiles.CsvType, SheetFiles.XlsxType)
          .Produces<SheetReportDto>().ProducesValidationProblem(400).ProducesValidationProblem(422).ProducesProblem(401)
              .ProducesProblem(403).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
    }

    private static async Task<Results<Ok<SheetReportDto>, ProblemHttpResult>> UploadAsync(HttpContext http,
        CaravanDbContext db, RecordEditor editor, IConfiguration config, IStringLocalizer<SharedResource> l,
        bool? dryRun, CancellationToken ct)
    {
        var caller = http.GetCaller();
        if (!Access.CanBulkEditProjects(caller))
        {
            await editor.RefuseAsync(caller, "project", "bulk", "bulk upload of projects", ct);
            return TypedResults.Problem(statusCode: 403, title: l["problem.forbidden"],
                detail: l["projects.secretariat-only"]);
        }
        var upload = await ReadAsync(http.Request, ct);
        if (upload.Error is { } error)
            return TypedResults.Problem(statusCode: error.Status, title: l["projects.refused"],
                detail: MessageFormatter.Format(l, error.Message));
        var report = await ProjectBulk.RunAsync(db, upload.Bytes!, Options(upload, dryRun ?? false, config,
            caller!), ct);
        return Answer(report, l);
    }

    /// <summary>The reader: a signed-in person (portal cookie) or a token; null for the public.</summary>
    private static async Task<Caller?> ReaderAsync(HttpContext http)
    {
        if (http.GetCaller() is { } signedIn) return signedIn;
        var token = await http.AuthenticateAsync(AccountSetup.TokenScheme);
        return token.Succeeded ? AccountSetup.CallerOf(token.Principal) : null;
    }

    private static async Task ExportAsync(HttpContext http, CaravanDbContext db, IConfiguration config, string format,
        CancellationToken ct)
    {
        var all = Access.CanSeeDraftProjects(await ReaderAsync(http));
        var prefix = ProjectSettings.Read(config).OrganisationPrefix;
        var rows = ProjectBulk.ExportAsync(db, all, prefix, ct);
        // Drafts are the secretariat's: such an answer must not be kept by a shared cache.
        http.Response.Headers.CacheControl = all ? "private, no-store" : "public, no-cache";
        http.Response.Headers.ContentDisposition =
            $"attachment; filename=\"projects-{DateTime.UtcNow:yyyy-MM-dd}.{format}\"";
        if (format == "csv")
        {
            http.Response.ContentType = SheetFiles.CsvType + "; charset=utf-8";
            await SheetFiles.WriteCsvAsync(http.Response.Body, ProjectSheet.Columns, rows, ct);
            return;
        }
        // XLSX is a ZIP written synchronously by MiniExcel: into a temporary file (memory stays flat), then sent.
        await using var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"caravan-{Guid.NewGuid():N}.xlsx"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await Task.Run(() => SheetFiles.WriteXlsx(temp, ProjectSheet.Columns, rows.ToBlockingEnumerable(ct)), ct);
        temp.Position = 0;
        http.Response.ContentType = SheetFiles.XlsxType;
        http.Response.ContentLength = temp.Length;
        await temp.CopyToAsync(http.Response.Body, ct);
    }

    /// <summary>
    /// An uploaded sheet: its bytes and format, or why it cannot be read (status, message key, detail).
    /// </summary>
    internal sealed record Upload(byte[]? Bytes, string Format, string FileName, (int Status, Message Message)? Error);

    /// <summary>
    /// A multipart form's <c>file</c>, or the body itself as <c>text/csv</c> or XLSX; the format from the name or type,
    /// else the content.
    /// </summary>
    private static async Task<Upload> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxUpload) return TooLarge();
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                if (form.Files["file"] is not { Length: > 0 } file) return new(null, "", "",
                    (400, new(UploadMessages.FileRequired)));
                await using var stream = file.OpenReadStream();
                return await FromStreamAsync(stream, file.FileName, file.ContentType, ct);
            }
            var type = request.ContentType ?? "";
            var media = type.Split(';')[0].Trim().ToLowerInvariant();
            if (media is not (SheetFiles.CsvType or SheetFiles.XlsxType or "application/octet-stream"))
                return new(null, "", "", (415, new(UploadMessages.FileType)));
            return await FromStreamAsync(request.Body, "", media, ct);
        }
        catch (Exception e) when (e is BadHttpRequestException { StatusCode: 413 } || e is InvalidDataException)
        {
            return TooLarge();
        }
    }

    private static Upload TooLarge() =>
        new(null, "", "",
            (413, new(UploadMessages.TooLarge, (MaxUpload / (1024 * 1024)).ToString(CultureInfo.InvariantCulture))));

    internal static async Task<Upload> FromStreamAsync(Stream stream, string fileName, string contentType,
        CancellationToken ct)
    {
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, ct);
        var bytes = memory.ToArray();
        var name = Path.GetFileName(fileName);
        var format = name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ||
            contentType.StartsWith(SheetFiles.XlsxType, StringComparison.OrdinalIgnoreCase) ? "xlsx"
            : name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith(SheetFiles.CsvType,
                StringComparison.OrdinalIgnoreCase) ? "csv"
            : SheetFiles.LooksLikeXlsx(bytes) ? "xlsx"
            : name.Length == 0 || name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? "csv" : "";
        if (format.Length == 0) return new(null, "", name, (415, new(UploadMessages.FileType)));
        if (bytes.Length == 0) return new(null, format, name, (400, new(UploadMessages.FileRequired)));
        return new(bytes, format, name.Length > 0 ? name : $"upload.{format}", null);
    }

    internal static SheetOptions Options(Upload upload, bool dryRun, IConfiguration config, Caller caller) => new()
    {
        Format = upload.Format, FileName = upload.FileName, DryRun = dryRun, Prefix = ProjectSettings.Read(config)
            .OrganisationPrefix,
        Actor = new AuditActor(caller.Name, caller.AuditRole, $"bulk update of projects from {upload.FileName}"),
        Limits = UploadSettings.Read(config),
    };

    /// <summary>Where a problem is, as the reader names it: "row 3, status" (or the file as a whole).</summary>
    public static string Where(IStringLocalizer l, SheetProblem p) =>
        p.Row <= 0 ? l["projects.where-file"] : string.Format(CultureInfo.CurrentCulture, l["projects.where"],
            p.Row, p.Column);

    public static SheetReportDto ToDto(SheetReport r, IStringLocalizer l) => new(r.DryRun, r.RunId is not null, r.RunId,
        r.Rows, r.Added, r.Updated, r.Unchanged, r.Sha256, [.. r.Changes.Where(c => c.Action != "unchanged")
            .Select(c => new SheetChangeDto(c.Row, c.Identifier, c.Action, c.Changed))],
        [.. r.Problems.Select(p => new SheetProblemDto(p.Row, p.Column, p.Code.Key,
            MessageFormatter.Format(l, p.Message)))]);

    /// <summary>
    /// 200 with the report; with problems nothing is stored and the answer is a problem naming each: 400 when
    /// the file cannot be read as a sheet (encoding, format, header), 409 on a concurrent change, 422 for rows.
    /// </summary>
    private static Results<Ok<SheetReportDto>, ProblemHttpResult> Answer(SheetReport report, IStringLocalizer l)
    {
        var dto = ToDto(report, l);
        if (report.Problems.Count == 0) return TypedResults.Ok(dto);
        var status = report.Problems.Any(p => p.Code == SheetMessages.Conflict) ? 409
            : report.Problems.FirstOrDefault(p => UploadLimitMessages.IsUploadRefusal(p.Code)) is { } refused
                ? UploadLimitMessages.StatusOf(refused.Code)
            : report.FileProblem ? 400 : 422;
        var errors = report.Problems.GroupBy(p => Where(l, p))
            .ToDictionary(g => g.Key, g => g.Select(p => MessageFormatter.Format(l, p.Message)).ToArray());
        return TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = status, Title = l["projects.refused"],
            Detail = string.Format(CultureInfo.CurrentCulture, l["projects.refused-detail"], report.Problems.Count),
            Extensions = { ["problems"] = dto.Problems, ["rows"] = report.Rows, ["dryRun"] = report.DryRun },
        });
    }
}

/// <summary>Why an uploaded sheet cannot be read at all.</summary>
public static class UploadMessages
{
    public static readonly MessageCode FileRequired = new("projects.file-required");
    public static readonly MessageCode FileType = new("projects.file-type");
    public static readonly MessageCode TooLarge = new("projects.too-large");
}
