using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Submissions;
using Caravan.Web.Features.Submissions;
using Caravan.Web.Infrastructure;

namespace Caravan.Web.Features.Audit;

/// <summary>
/// /api/v1/audit (the secretariat's log, filtered) and /api/v1/records/{kind}/{id}/history (a published
/// record's history, public: the role that made each change is shown, not the person).
/// </summary>
public static class AuditApi
{
    public static readonly string[] Actions = ["create", "update", "delete", "refused"];

    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/records/{kind}/{id}/history", async (string kind, string id, HttpContext http,
            AuditQueries audit, Caravan.Data.CaravanDbContext db, CancellationToken ct) =>
        {
            if (RecordKind.Named(kind) is not { } k ||
                await k.FindAsync(db, id, ct) is not { } record) return Api.NotFound(http);
            var entries = await audit.HistoryAsync(record.AuditSubjectType, record.Id, ct, citedAs: k.CitedAs);
            return Results.Ok(entries.Where(e => e.Action != "refused")
                .Select(e => SubmissionDtos.ToDto(e, showActor: false)).ToList());
        }).WithTags("Records").WithName("GetRecordHistory")
            .WithSummary("Every published change to a record and to its sources (subjectType citation), newest " +
                "first: when, by which role, before and after")
          .Produces<List<AuditEntryDto>>().ProducesProblem(404);

        app.MapGet("/api/v1/audit", async (HttpContext http, AuditQueries audit, CancellationToken ct) =>
        {
            if (!Access.CanReadAuditLog(http.GetCaller())) return Results.Problem(statusCode: 403, title: "Forbidden",
                detail: "The audit log is the secretariat's.");
            var query = new ListQuery(http.Request, ["actor", "role", "action", "subjectType", "subjectId", "from",
                "to"], ["id"], "-id");
            var filter = new AuditFilter(query.Text("actor"), query.Text("role"), query.OneOf("action", Actions),
                query.Text("subjectType"), query.Text("subjectId"), Instant(query, "from"), Instant(query, "to"));
            if (!query.IsValid) return query.Problem();
            var (entries, total) = await audit.SearchAsync(filter, query.Page, query.PageSize, ct);
            return Results.Ok(new Page<AuditEntryDto>([.. entries.Select(e =>
                SubmissionDtos.ToDto(e, showActor: true))], query.Page, query.PageSize, total));
        }).RequireAuthorization(AccountSetup.ApiCaller).WithTags("Audit").WithName("SearchAuditLog")
          .WithSummary("The audit trail, newest first (secretariat only); filter by actor, role, action, " +
              "subjectType, subjectId, from, to (ISO 8601)")
          .Produces<Page<AuditEntryDto>>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403);
    }

    public static DateTimeOffset? Instant(ListQuery query, string name)
    {
        if (query.Text(name) is not { } text) return null;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at)) return at;
        query.Fail(name, $"'{text}' is not a date or time in ISO 8601 (e.g. 2026-11-01 or 2026-11-01T09:30:00Z).");
        return null;
    }
}
