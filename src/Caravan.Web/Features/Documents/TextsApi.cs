using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Documents;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Features.Uploads;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Documents;

public sealed record ProvisionDto(string Number, string Label, string Text);
public sealed record DocumentTextDto(string Language, int Version, bool Authentic, bool Partial, string? Source,
    DateTimeOffset ImportedAt, string Sha256, IReadOnlyList<ProvisionDto> Provisions);
public sealed record TextVersionDto(string Language, int Version, bool Authentic, bool Partial,
    DateTimeOffset ImportedAt, string Sha256);
public sealed record DocumentTextsDto(IReadOnlyList<DocumentTextDto> Latest, IReadOnlyList<TextVersionDto> Versions);
/// <summary>
/// A text to import: pasted (JSON) or, with multipart/form-data, a .txt or .docx file in the field <c>file</c>.
/// </summary>
public sealed record TextImportRequest(string? Language, string? Text, bool Authentic, bool Partial, string? Source);

/// <summary>
/// /api/v1/documents/{id}/texts: a document's text per language, split into numbered provisions that align across
/// languages.
/// </summary>
public static class TextsApi
{
    /// <summary>A whole treaty in DOCX is a few hundred kB; uploads get more room than the rest of the API.</summary>
    public const long MaxUpload = 10 * 1024 * 1024;

    public static void MapTextsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/documents/{id}/texts").WithTags("Documents");
        api.MapGet("", async (string id, HttpContext http, DocumentTexts texts, Caravan.Data.CaravanDbContext db,
            CancellationToken ct) =>
        {
            if (await db.Documents.FindAsync([id], ct) is null) return Api.NotFound(http);
            var latest = await texts.LatestAsync(id, ct);
            var versions = await texts.VersionsAsync(id, ct);
            return Results.Ok(new DocumentTextsDto(
                [.. latest.Select(t => new DocumentTextDto(t.Language, t.Version, t.Authentic, t.Partial, t.SourceId,
                    t.ImportedAt, t.Sha256,
                    [.. t.Provisions.Select(p => new ProvisionDto(p.Number, p.Label, p.Text))]))],
                [.. versions.Select(t => new TextVersionDto(t.Language, t.Version, t.Authentic, t.Partial, t.ImportedAt,
                    t.Sha256))]));
        }).WithName("GetDocumentTexts")
            .WithSummary("The latest text in each language, split into provisions numbered alike in every language, " +
                "and the list of all versions")
          .Produces<DocumentTextsDto>().ProducesProblem(404);

        api.MapPost("", async (string id, HttpContext http, DocumentTexts texts, RecordEditor editor,
            IConfiguration config, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!Access.CanValidate(caller))
            {
                await editor.RefuseAsync(caller, "document-text", id, "import text", ct);
                return Results.Problem(statusCode: 403, title: l["problem.forbidden"],
                    detail: l["text.secretariat-only"]);
            }
            var (request, readError) = await ReadAsync(http.Request, UploadSettings.Read(config), ct);
            if (readError is { } refused)
            {
                var errors = new Dictionary<string, string[]>
                    { [refused.Field] = [MessageFormatter.Format(l, refused.Message)] };
                // A file over a limit is a 413 or 422 (UploadLimitMessages.StatusOf); other bad input a 400.
                var status = UploadLimitMessages.IsUploadRefusal(refused.Message.Code)
                    ? UploadLimitMessages.StatusOf(refused.Message.Code) : 400;
                return status == 400 ? Api.BadRequest(errors) : Results.ValidationProblem(errors, statusCode: status,
                    title: l["text.file-refused"], detail: errors[refused.Field][0]);
            }
            var (text, problems, error) = await texts.ImportAsync(id, request!.Language ?? "", request.Text ?? "",
                request.Authentic, request.Partial, request.Source, new AuditActor(caller!.Name, caller.AuditRole,
                    "imported a text"), ct);
            if (error == RecordMessages.NotFound) return Api.NotFound(http);
            if (error is { } code)
                return Api.BadRequest(new Dictionary<string, string[]>
                    { [code == TextMessages.Language ? "language" : "source"] = [l[code.Key]] });
            if (problems.Count > 0)
                return Api.BadRequest(problems.GroupBy(p => $"line {p.Line}")
                    .ToDictionary(g => g.Key, g => g.Select(p => MessageFormatter.Format(l, p.Message)).ToArray()));
            return Results.Created($"/api/v1/documents/{id}/texts", new DocumentTextDto(text!.Language, text.Version,
                text.Authentic, text.Partial, text.SourceId, text.ImportedAt, text.Sha256,
                [.. text.Provisions.Select(p => new ProvisionDto(p.Number, p.Label, p.Text))]));
        }).RequireAuthorization(AccountSetup.ApiCaller)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUpload)).DisableAntiforgery()
          .WithName("ImportDocumentText")
              .WithSummary("The secretariat imports a text (JSON, or a .txt/.docx file as multipart field \"file\"): " +
                  "split by its numbering into provisions; a numbering that does not parse is a 400 naming each " +
                  "line, and nothing is kept")
          .Accepts<TextImportRequest>("application/json", "multipart/form-data").Produces<DocumentTextDto>(201)
              .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
    }

    /// <summary>JSON as is; a form's file read as UTF-8 text or, for .docx, paragraph by paragraph.</summary>
    private static async Task<(TextImportRequest?, (string Field, Message Message)?)> ReadAsync(HttpRequest request,
        UploadLimits limits, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            try { return (await request.ReadFromJsonAsync<TextImportRequest>(ct) ?? new TextImportRequest(null, null,
                false, false, null), null); }
            catch (System.Text.Json.JsonException) { return (null, ("body", new Message(TextMessages.BadJson))); }
        }
        var form = await request.ReadFormAsync(ct);
        var file = form.Files["file"];
        string? text = form["text"];
        if (file is not null)
        {
            await using var stream = file.OpenReadStream();
            if (file.FileName.EndsWith(".docx", StringComparison.OrdinalIgnoreCase))
            {
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory, ct);
                var (docx, refusal) = OfficePackage.ReadDocxText(memory.ToArray(), file.FileName, limits);
                // Word never writes a DTD; the reader refuses one before reading any entity (no XXE), and the
                // person is told why rather than shown an error page.
                if (refusal is not null) return (null, ("file", refusal.Code == UploadLimitMessages.Dtd
                    ? new Message(TextMessages.DocxDtd) : refusal));
                text = docx;
            }
            else if (file.FileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                using var reader = new StreamReader(stream,
                    new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
                try { text = await reader.ReadToEndAsync(ct); }
                catch (System.Text.DecoderFallbackException)
                { return (null, ("file", new Message(TextMessages.NotUtf8))); }
            }
            else return (null, ("file", new Message(TextMessages.FileType)));
        }
        return (new TextImportRequest(form["language"], text, form["authentic"] == "true", form["partial"] == "true",
            string.IsNullOrEmpty(form["source"]) ? null : form["source"].ToString()), null);
    }
}

public sealed record AttachmentDto(string Id, string FileName, string ContentType, long Size, string Sha256,
    string? Language, DateTimeOffset UploadedAt, string Url);

/// <summary>/api/v1/documents/{id}/attachments: the document's files (PDF, DOCX) with SHA-256 and size.</summary>
public static class AttachmentsApi
{
    public static void MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/documents/{id}/attachments").WithTags("Documents");
        api.MapGet("", async (string id, HttpContext http, Caravan.Data.CaravanDbContext db, CancellationToken ct) =>
        {
            if (await db.Documents.FindAsync([id], ct) is null) return Api.NotFound(http);
            var list = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.Attachments.Where(a => a.DocumentId == id).OrderBy(a => a.FileName)
                    .Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.Language,
                        a.UploadedAt, "")), ct);
            return Results.Ok(list.Select(a => a with { Url = $"/api/v1/documents/{id}/attachments/{a.Id}" }).ToList());
        }).WithName("ListAttachments").WithSummary("A document's files, each with its size and SHA-256")
            .Produces<List<AttachmentDto>>().ProducesProblem(404);

        api.MapGet("/{attachmentId}", async (string id, string attachmentId, HttpContext http,
            Caravan.Data.CaravanDbContext db, CancellationToken ct) =>
        {
            var file = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
                db.Attachments, a => a.Id == attachmentId && a.DocumentId == id, ct);
            if (file is null) return Api.NotFound(http);
            http.Response.Headers["X-Content-SHA256"] = file.Sha256;
            return Results.File(file.Content, file.ContentType, file.FileName,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""));
        }).WithName("GetAttachment")
            .WithSummary("Download a file; its SHA-256 is in the ETag and X-Content-SHA256 headers")
            .ProducesProblem(404);

        api.MapPost("", async (string id, HttpContext http, Caravan.Data.CaravanDbContext db, RecordEditor editor,
            TimeProvider clock, IConfiguration config, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!Access.CanValidate(caller))
            {
                await editor.RefuseAsync(caller, "document-attachment", id, "upload", ct);
                return Results.Problem(statusCode: 403, title: l["problem.forbidden"],
                    detail: l["attachment.secretariat-only"]);
            }
            if (await db.Documents.FindAsync([id], ct) is null) return Api.NotFound(http);
            if (!http.Request.HasFormContentType) return Api.BadRequest(new Dictionary<string, string[]>
                { ["file"] = [l["attachment.file-required"]] });
            var form = await http.Request.ReadFormAsync(ct);
            if (form.Files["file"] is not { Length: > 0 } upload) return Api.BadRequest(new Dictionary<string, string[]>
                { ["file"] = [l["attachment.file-required"]] });
            using var memory = new MemoryStream();
            await upload.CopyToAsync(memory, ct);
            var bytes = memory.ToArray();
            var type = DocumentAttachment.ContentTypeOf(upload.FileName, bytes.AsSpan(0, Math.Min(8, bytes.Length)));
            if (type is null) return Api.BadRequest(new Dictionary<string, string[]>
                { ["file"] = [l["attachment.type"]] });
            // A DOCX is kept, not read, but whoever downloads it opens it: it must be a Word document within the
            // limits a text import has (no workbook renamed .docx, no package that unpacks to gigabytes).
            if (type != "application/pdf" && OfficePackage.Check(bytes, upload.FileName, OfficeFormat.Docx,
                    UploadSettings.Read(config)) is { } refusal)
            {
                var errors = new Dictionary<string, string[]> { ["file"] = [MessageFormatter.Format(l, refusal)] };
                var status = UploadLimitMessages.StatusOf(refusal.Code);
                return status == 400 ? Api.BadRequest(errors) : Results.ValidationProblem(errors, statusCode: status,
                    title: l["text.file-refused"], detail: errors["file"][0]);
            }
            string? language = form["language"];
            if (!string.IsNullOrEmpty(language) &&
                !DocumentText.Languages.Contains(language)) return Api.BadRequest(new Dictionary<string, string[]>
                { ["language"] = [l["text.language"]] });
            var attachment = new DocumentAttachment
            {
                Id = Guid.CreateVersion7().ToString("N"), DocumentId = id, FileName = Path.GetFileName(upload.FileName),
                ContentType = type, Size = bytes.LongLength,
                Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), Content = bytes,
                Language = string.IsNullOrEmpty(language) ? null : language, UploadedAt = clock.GetUtcNow(),
                UploadedBy = caller!.Name,
            };
            db.Attachments.Add(attachment);
            db.Actor = new AuditActor(caller.Name, caller.AuditRole, "uploaded a file");
            await db.SaveChangesAsync(ct);
            var url = $"/api/v1/documents/{id}/attachments/{attachment.Id}";
            return Results.Created(url, new AttachmentDto(attachment.Id, attachment.FileName, attachment.ContentType,
                attachment.Size, attachment.Sha256, attachment.Language, attachment.UploadedAt, url));
        }).RequireAuthorization(AccountSetup.ApiCaller)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(TextsApi.MaxUpload))
            .DisableAntiforgery()
          .Accepts<IFormFile>("multipart/form-data").WithName("UploadAttachment")
          .WithSummary("The secretariat attaches a PDF or DOCX (multipart field \"file\", optional \"language\"; up " +
              "to 10 MB); the type is checked by the file's content")
          .Produces<AttachmentDto>(201).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403)
              .ProducesProblem(404);
    }
}
