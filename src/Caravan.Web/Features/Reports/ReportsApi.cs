using Caravan.Features.Reports;
using Caravan.Web.Features.Accounts;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Reports;

public sealed record ReportChoicesDto(IReadOnlyList<string> Snapshots, IReadOnlyList<string> Languages,
    IReadOnlyList<string> Formats, IReadOnlyList<string> Currencies);

/// <summary>
/// <c>GET /api/v1/reports/{snapshot}.{docx|xlsx|pdf}?lang=&amp;currency=</c>: the summit progress report of a closed
/// snapshot, for the secretariat; <c>GET /api/v1/reports</c>: what can be asked for.
/// </summary>
public static class ReportsApi
{
    public static void MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(AccountSetup.ApiCaller);

        api.MapGet("", async (HttpContext http, ReportMaker maker, IStringLocalizer<SharedResource> l,
            CancellationToken ct) =>
        {
            if (!ReportsFeature.CanGet(http.GetCaller())) return Forbidden(l);
            var c = await maker.ChoicesAsync(ct);
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.Json(new ReportChoicesDto(c.Snapshots, c.Languages, c.Formats, c.Currencies), Api.Json);
        }).WithName("ListReportChoices")
          .WithSummary("What a summit progress report can be asked for: the closed snapshots (latest first), the " +
              "languages, formats and currencies (secretariat)")
          .Produces<ReportChoicesDto>().ProducesProblem(401).ProducesProblem(403);

        api.MapGet("/{snapshot}.{format}", async (string snapshot, string format, string? lang, string? currency,
            HttpContext http, ReportMaker maker, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            if (!ReportsFeature.CanGet(http.GetCaller())) return Forbidden(l);
            var (file, refusal) = await maker.MakeAsync(snapshot,
                string.IsNullOrWhiteSpace(lang) ? Caravan.Shared.LocalizedText.LanguageOf(
                    System.Globalization.CultureInfo.CurrentUICulture) : lang,
                format, currency, ReportsFeature.Words, ct);
            if (refusal is not null) return Refused(l, refusal);
            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers["X-Content-Hash"] = file!.ContentHash;
            return Results.File(file.Bytes, file.ContentType, file.FileName);
        }).WithName("GetReport")
          .WithSummary("The summit progress report of a closed snapshot (secretariat): {snapshot}.docx, .xlsx or " +
              ".pdf; ?lang=zh|ru|en (default: the reader's), ?currency= (default USD) for the projects' money. The " +
              "same snapshot, language, format and currency give the same content (X-Content-Hash, and the file's " +
              "properties)")
          .Produces(200, contentType: ReportXlsx.ContentType)
          .Produces(200, contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
          .Produces(200, contentType: "application/pdf")
          .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
    }

    /// <summary><c>GET /api/v1/reports/draft/{state}.{format}</c>: a state's draft report, for that state only.</summary>
    public static void MapDraftReportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports/draft/{state}.{format}", async (string state, string format, string? lang,
            string? currency, HttpContext http, ReportMaker maker, IStringLocalizer<SharedResource> l,
            CancellationToken ct) =>
        {
            var (file, refusal) = await maker.MakeDraftAsync(http.GetCaller(), state,
                string.IsNullOrWhiteSpace(lang) ? Caravan.Shared.LocalizedText.LanguageOf(
                    System.Globalization.CultureInfo.CurrentUICulture) : lang,
                format, currency, ReportsFeature.Words, ct);
            if (refusal is not null) return Refused(l, refusal);
            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers["X-Content-Hash"] = file!.ContentHash;
            return Results.File(file.Bytes, file.ContentType, file.FileName);
        }).RequireAuthorization(AccountSetup.ApiCaller).WithTags("Reports").WithName("GetDraftReport")
          .WithSummary("A state's draft report (its national coordinator, or the secretariat): the open period with " +
              "the state's own unpublished proposals shown and marked, \"draft\" on every page; never frozen. " +
              "{state}.docx, .xlsx or .pdf; ?lang=, ?currency= as for a report")
          .Produces(200, contentType: ReportXlsx.ContentType).ProducesProblem(400).ProducesProblem(401)
          .ProducesProblem(403).ProducesProblem(404);
    }

    private static IResult Forbidden(IStringLocalizer l) =>
        Results.Problem(statusCode: 403, title: l["problem.forbidden"], detail: l["report.secretariat-only"]);

    /// <summary>A refusal as problem details in the reader's language, the field at fault named.</summary>
    internal static IResult Refused(IStringLocalizer l, ReportRefusal refusal) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [refusal.Field] = [MessageFormatter.Format(l, refusal.Message)],
        })
        {
            Status = refusal.Status, Title = l["report.refused"], Detail = MessageFormatter.Format(l, refusal.Message),
            Extensions = { ["code"] = refusal.Message.Code.Key },
        });
}
