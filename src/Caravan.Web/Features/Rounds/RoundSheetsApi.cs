using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Features.Rounds;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Projects;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Rounds;

public sealed record SheetChangeItemDto(string Field, string? From, string? To);
public sealed record SheetSourceDto(string? Source, string? Url, string Title, string? Date, string Language,
    string Confidence);
public sealed record SheetRowDto(int Row, string Task, string Kind, LocalizedText Title, string? Record,
    IReadOnlyList<SheetChangeItemDto> Changes, IReadOnlyList<SheetSourceDto> Sources,
    IReadOnlyList<SheetProblemDto> Problems, string? Submission);
/// <summary>
/// A sheet checked or submitted: the state it answers for, whether anything was stored, the counts, and every row that
/// proposes something (its changes and sources, or its problems, each with row, column and reason).
/// </summary>
public sealed record SheetOutcomeDto(string State, bool Stored, int Accepted, int Refused, int Submitted,
    IReadOnlyList<SheetRowDto> Rows);

/// <summary>The words of a round's spreadsheet in one language, and the reader's settings for it.</summary>
public static class SheetWords
{
    /// <summary>The template's language: the one asked for, else the reader's.</summary>
    public static string? LanguageOf(string? asked) =>
        string.IsNullOrWhiteSpace(asked) ? LocalizedText.LanguageOf(CultureInfo.CurrentUICulture)
        : LocalizedText.Languages.Contains(asked) ? asked : null;

    public static Func<string, string> Text(string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        return key => MessageFormatter.Text(key, culture) ?? key;
    }

    public static async Task<SheetVocabulary> VocabularyAsync(CaravanDbContext db, string language,
        CancellationToken ct)
    {
        var units = await db.Indicators.AsNoTracking().Select(i => i.Unit).Distinct().ToListAsync(ct);
        units.AddRange(await db.Programmes.AsNoTracking().Select(p => p.Unit).Distinct().ToListAsync(ct));
        return SheetVocabulary.Build(language,
            (l, key) => MessageFormatter.Text(key, CultureInfo.GetCultureInfo(l)), units);
    }

    /// <summary>How the uploader's words are read: their language (the notes' language, numbers, dates).</summary>
    public static SheetReading Reading(string language) =>
        new(language, CultureInfo.GetCultureInfo(language), "");

    public static string FileName(string roundId, string state, string language, string format) =>
        $"round-{roundId[..Math.Min(8, roundId.Length)]}-{state}-{language}.{format}";

    /// <summary>A template as a file to send: its bytes, media type and name.</summary>
    public sealed record TemplateFile(byte[] Bytes, string ContentType, string Name);

    /// <summary>A state's template, written as XLSX or CSV: what the API and the page both send.</summary>
    public static async Task<(TemplateFile? File, SheetRefusal? Refusal)> TemplateFileAsync(CaravanDbContext db,
        RoundSheets sheets, Caller? caller, string roundId, string? state, string language, string format,
        CancellationToken ct)
    {
        var words = await VocabularyAsync(db, language, ct);
        var (template, refusal) = await sheets.TemplateAsync(caller, roundId, state, language, Text(language), words,
            ct);
        if (refusal is not null) return (null, refusal);
        using var memory = new MemoryStream();
        if (format == "csv")
        {
            await RoundSheetFile.WriteCsvAsync(memory, template!, words, ct);
            return (new(memory.ToArray(), SheetFiles.CsvType + "; charset=utf-8",
                FileName(roundId, template!.StateId, language, "csv")), null);
        }
        RoundSheetFile.WriteXlsx(memory, template!, words);
        return (new(memory.ToArray(), SheetFiles.XlsxType, FileName(roundId, template!.StateId, language, "xlsx")),
            null);
    }

    public static SheetOutcomeDto ToDto(SheetOutcome o, IStringLocalizer l) => new(o.StateId, o.Stored, o.Accepted,
        o.Refused, o.Submitted,
        [.. o.Rows.Select(r => new SheetRowDto(r.Row, r.Task.Key, r.Task.Kind, r.Task.Title, r.RecordId,
            [.. r.Changes.Select(c => new SheetChangeItemDto(c.Field, c.From, c.To))],
            [.. r.Sources.Select(s => new SheetSourceDto(s.Source, s.Url, s.Title, s.Date, s.Language,
                Caravan.Features.Seed.SeedEnums.ToKebab(s.Confidence)))],
            [.. r.Problems.Select(p => new SheetProblemDto(p.Row, p.Column, p.Code.Key,
                MessageFormatter.Format(l, p.Message)))],
            r.SubmissionId))]);

    /// <summary>Where a row's problem is, as the reader names it: "row 3, New value".</summary>
    public static string Where(IStringLocalizer l, SheetProblem p) =>
        string.Format(CultureInfo.CurrentCulture, l["projects.where"], p.Row, l[SheetColumns.Label(p.Column)]);
}

/// <summary>
/// <c>/api/v1/rounds/{id}/sheet</c>: a state's spreadsheet for a round — the template (XLSX or CSV, in a language) and
/// the upload that answers it (checked, previewed, and submitted through the workflow).
/// </summary>
public static class RoundSheetsApi
{
    public static void MapRoundSheetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rounds").WithTags("Rounds").RequireAuthorization(AccountSetup.ApiCaller);

        api.MapGet("/{id}/sheet", async (string id, string? state, string? format, string? lang, HttpContext http,
            CaravanDbContext db, RoundSheets sheets, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            format = string.IsNullOrWhiteSpace(format) ? "xlsx" : format;
            if (format is not ("xlsx" or "csv"))
                return Refused(l, new SheetRefusal(400, new Message(RoundSheetMessages.UnknownFormat, format)));
            if (SheetWords.LanguageOf(lang) is not { } language)
                return Refused(l, new SheetRefusal(400, new Message(RoundSheetMessages.UnknownLanguage, lang!)));
            var (file, refusal) = await SheetWords.TemplateFileAsync(db, sheets, http.GetCaller(), id, state, language,
                format, ct);
            if (refusal is not null) return Refused(l, refusal);
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.File(file!.Bytes, file.ContentType, file.Name);
        }).WithName("GetRoundSheet")
          .WithSummary("A state's spreadsheet of its tasks in the round (?state= for the secretariat; a coordinator " +
              "gets their own), ?format=xlsx|csv, ?lang=zh|ru|en: ids and what Caravan holds now locked, columns for " +
              "the new value, unit, date, note, source and confidence, drop-downs for codes")
          .Produces(200, contentType: SheetFiles.XlsxType).ProducesProblem(400).ProducesProblem(401)
          .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        api.MapPost("/{id}/sheet", async (string id, string? state, string? mode, bool? preview, string? lang,
            HttpContext http, CaravanDbContext db, RoundSheets sheets, IConfiguration config,
            IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            mode = string.IsNullOrWhiteSpace(mode) ? "all" : mode;
            if (mode is not ("all" or "rows"))
                return Refused(l, new SheetRefusal(400, new Message(RoundSheetMessages.UnknownMode, mode)));
            if (SheetWords.LanguageOf(lang) is not { } language)
                return Refused(l, new SheetRefusal(400, new Message(RoundSheetMessages.UnknownLanguage, lang!)));
            var (bytes, fileName, tooLarge) = await ReadUploadAsync(http.Request, ct);
            if (tooLarge)
                return Refused(l, new SheetRefusal(413,
                    new Message(RoundSheetMessages.TooLarge, RoundSheets.MaxBytes / (1024 * 1024))));
            var words = await SheetWords.VocabularyAsync(db, language, ct);
            var (outcome, refusal) = await sheets.CheckAsync(http.GetCaller(), id, state, bytes ?? [], fileName, words,
                SheetWords.Reading(language), UploadSettings.Read(config), perRow: mode == "rows",
                submit: preview != true, ct);
            if (refusal is not null) return Refused(l, refusal);
            http.Response.Headers.CacheControl = "private, no-store";
            var dto = SheetWords.ToDto(outcome!, l);
            if (outcome!.Refused == 0 || outcome.Stored || preview == true) return Results.Json(dto, Api.Json);
            // All or none, and some rows have problems: nothing was stored; each problem is named.
            var errors = outcome.Rows.SelectMany(r => r.Problems).GroupBy(p => SheetWords.Where(l, p))
                .ToDictionary(g => g.Key, g => g.Select(p => MessageFormatter.Format(l, p.Message)).ToArray());
            return TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = 422, Title = l["sheet.refused"],
                Detail = MessageFormatter.Format(l, new Message(RoundSheetMessages.RowsRefused, outcome.Refused)),
                Extensions = { ["outcome"] = System.Text.Json.JsonSerializer.SerializeToElement(dto, Api.Json) },
            });
        }).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RoundSheets.MaxBytes + 64 * 1024))
          .DisableAntiforgery().WithName("AnswerRoundSheet")
          .Accepts<IFormFile>("multipart/form-data", SheetFiles.XlsxType, SheetFiles.CsvType)
          .WithSummary("Answers a round by spreadsheet (multipart field \"file\", or the body as XLSX or CSV; up to " +
              "10 MB): every row checked (row, column, reason, in ?lang= or your language); ?preview=true shows the " +
              "changes without storing; otherwise each row becomes a submission, all submitted together — all rows " +
              "or none (?mode=all, the default) or the rows without problems (?mode=rows). A template of another " +
              "round or state, an edited id, an unknown column, a formula, a file over the limit, a zip bomb or a " +
              "file that is not a sheet is refused with one message and nothing stored")
          .Produces<SheetOutcomeDto>().ProducesValidationProblem(422).ProducesProblem(400).ProducesProblem(401)
          .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);
    }

    /// <summary>A multipart form's <c>file</c>, or the body itself; too large when over the limit.</summary>
    public static async Task<(byte[]? Bytes, string FileName, bool TooLarge)> ReadUploadAsync(HttpRequest request,
        CancellationToken ct)
    {
        if (request.ContentLength > RoundSheets.MaxBytes + 64 * 1024) return (null, "", true);
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                if (form.Files["file"] is not { } file) return (null, "", false);
                if (file.Length > RoundSheets.MaxBytes) return (null, file.FileName, true);
                return (await BytesAsync(file.OpenReadStream(), ct), Path.GetFileName(file.FileName), false);
            }
            var bytes = await BytesAsync(request.Body, ct);
            return bytes is null ? (null, "", true) : (bytes, "upload", false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413) { return (null, "", true); }
        catch (InvalidDataException) { return (null, "", true); }
    }

    /// <summary>The bytes, read up to one past the limit (null: over it), whatever the sender declared.</summary>
    private static async Task<byte[]?> BytesAsync(Stream stream, CancellationToken ct)
    {
        await using var _ = stream;
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > RoundSheets.MaxBytes) return null;
        }
        return memory.ToArray();
    }

    private static IResult Refused(IStringLocalizer l, SheetRefusal refusal) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["file"] = [MessageFormatter.Format(l, refusal.Message)],
        })
        {
            Status = refusal.Status, Title = l["sheet.refused"], Detail = MessageFormatter.Format(l, refusal.Message),
            Extensions = { ["code"] = refusal.Message.Code.Key },
        });
}
