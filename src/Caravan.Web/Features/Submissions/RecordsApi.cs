using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Submissions;

/// <summary>
/// /api/v1/records and /api/v1/submissions: changing records and the submit-and-validate workflow.
/// Writes need a personal access token (<c>Authorization: Bearer cvn_…</c>); the rules are those of the
/// portal, in <see cref="Access"/> and <see cref="RecordEditor"/>.
/// </summary>
public static class RecordsApi
{
    public static void MapRecordsApi(this IEndpointRouteBuilder app)
    {
        // A document uploaded as a source: always a download of a PDF (the type was checked from its bytes), never
        // rendered as a page of this site.
        app.MapGet("/sources/files/{id}", async (string id, HttpContext http, CaravanDbContext db,
            CancellationToken ct) =>
        {
            var file = await db.SourceFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
            if (file is null) return Api.NotFound(http);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "sandbox";
            return Results.File(file.Content, SourceFile.Pdf, file.FileName);
        }).WithTags("Records").WithName("GetSourceFile")
            .WithSummary("A document uploaded as a figure's source (PDF), by its SHA-256")
          .Produces(200, contentType: SourceFile.Pdf).ProducesProblem(404);

        var records = app.MapGroup("/api/v1/records").WithTags("Records");

        records.MapGet("/{kind}/{id}", async (string kind, string id, HttpContext http, CaravanDbContext db,
            CitationQueries citations, CancellationToken ct) =>
        {
            if (RecordKind.Named(kind) is not { } k) return Api.NotFound(http);
            var record = await k.FindAsync(db, id, ct);
            if (record is null) return Api.NotFound(http);
            http.Response.Headers.ETag = ETagOf(record.Version);
            return Results.Ok(await SubmissionDtos.ToDtoAsync(record, await OptionalCallerAsync(http), citations, ct));
        }).WithName("GetRecord")
            .WithSummary("An editable record as published: its fields, values, sources (with their confidence), " +
                "version and whose business it is; with a token, also your right on it")
          .Produces<RecordDto>().ProducesProblem(404);

        records.MapPut("/{kind}/{id}", ChangeAsync).RequireAuthorization(AccountSetup.ApiCaller)
            .WithName("ChangeRecord")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
                Caravan.Features.Sources.SourceFile.MaxRequestBytes))
          .WithSummary("Change a record: applied at once for the secretariat (200), a submission for a coordinator " +
              "or officer in scope (202), 403 out of scope. The version changed is required: \"version\" in the " +
              "body or If-Match with the record's ETag (without, 428; a version changed since, 409 with what " +
              "changed). A new or changed fact needs sources (at least one; they replace the record's on " +
              "publication): without, a 400 naming the field sources")
          .Produces<RecordDto>().Produces<SubmissionDto>(202).ProducesValidationProblem().ProducesProblem(401)
              .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(428);

        records.MapPost("/{kind}", CreateAsync).RequireAuthorization(AccountSetup.ApiCaller).WithName("CreateRecord")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
                Caravan.Features.Sources.SourceFile.MaxRequestBytes))
          .WithSummary("Propose a new record (indicator-values: id {indicator}:{year}:{state or all}), with its " +
              "sources (at least one)")
          .Produces<RecordDto>(201).Produces<SubmissionDto>(202).ProducesValidationProblem().ProducesProblem(401)
              .ProducesProblem(403).ProducesProblem(409);

        var submissions = app.MapGroup("/api/v1/submissions").WithTags("Submissions")
            .RequireAuthorization(AccountSetup.ApiCaller);

        submissions.MapGet("/", async (HttpContext http, RecordEditor editor, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["status", "kind"], ["updatedAt"], "-updatedAt");
            var status = query.Enum<SubmissionStatus>("status");
            var kind = query.OneOf("kind", [.. RecordKind.All.Select(k => k.Name)]);
            if (!query.IsValid) return query.Problem();
            var visible = editor.VisibleTo(http.GetCaller()!);
            if (status is { } st) visible = visible.Where(s => s.Status == st);
            if (kind is not null) visible = visible.Where(s => s.RecordKind == kind);
            var all = await visible.ToListAsync(ct);
            var sorted = (query.Descending ? all.OrderByDescending(s => s.UpdatedAt) : all.OrderBy(s =>
                s.UpdatedAt)).ToList();
            return Results.Ok(query.Paginate(sorted.Select(SubmissionDtos.ToSummary).ToList()));
        }).WithName("ListSubmissions")
            .WithSummary("Submissions you may see: all for the secretariat, your state's or bodies' otherwise; " +
                "filter by status, kind")
          .Produces<Page<SubmissionSummaryDto>>().ProducesValidationProblem().ProducesProblem(401);

        submissions.MapGet("/{id}", async (string id, HttpContext http, RecordEditor editor, CancellationToken ct) =>
        {
            if (await editor.FindVisibleAsync(http.GetCaller(), id, ct) is not { } s) return Api.NotFound(http);
            http.Response.Headers.ETag = ETagOf(s.Version);
            return Results.Ok(SubmissionDtos.ToDto(s));
        })
            .WithName("GetSubmission")
                .WithSummary("A submission with its field-by-field diff, confirmations and history (404 if it is not " +
                    "yours to see)")
            .Produces<SubmissionDto>().ProducesProblem(401).ProducesProblem(404);

        submissions.MapPut("/{id}", EditSubmissionAsync).WithName("EditSubmission")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
                Caravan.Features.Sources.SourceFile.MaxRequestBytes))
            .WithSummary("The author reworks a draft or returned submission (submit: true to submit it again); the " +
                "submission's version is required (\"version\" or If-Match with its ETag; without, 428)")
          .Produces<SubmissionDto>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403)
              .ProducesProblem(404).ProducesProblem(409).ProducesProblem(428);

        // One route per workflow step, as SubmissionSteps describes them.
        foreach (var step in SubmissionSteps.All)
        {
            submissions.MapPost($"/{{id}}/{step.Name}", (string id, StepRequest? body, HttpContext http,
                    RecordEditor editor, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
                        TakeStepAsync(step, id, body, http, editor, l, ct))
                .WithName("Submission" + CultureInfo.InvariantCulture.TextInfo.ToTitleCase(step.Name))
                .WithSummary(step.Summary)
                .Produces<SubmissionDto>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403)
                    .ProducesProblem(404).ProducesProblem(409);
        }
    }

    private static async Task<IResult> ChangeAsync(string kind, string id, ChangeRequest body, HttpContext http,
        RecordEditor editor, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var version = ExpectedVersion(body.Version, http);
        var (values, errors) = SubmissionDtos.Flatten(body.Values);
        if (errors.Count > 0) return WriteAnswers.Invalid(errors, l);
        var result = await editor.ChangeAsync(http.GetCaller(), kind, id, values, body.Reason, version,
            body.Submit ?? true, create: false, ct, body.Sources);
        return await AnswerAsync(result, http, l);
    }

    private static async Task<IResult> CreateAsync(string kind, CreateRequest body, HttpContext http,
        RecordEditor editor, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var (values, errors) = SubmissionDtos.Flatten(body.Values);
        if (string.IsNullOrWhiteSpace(body.Id)) errors.Add(new FieldError("id", FieldMessages.Required));
        if (errors.Count > 0) return WriteAnswers.Invalid(errors, l);
        var result = await editor.ChangeAsync(http.GetCaller(), kind, body.Id!.Trim(), values, body.Reason, null,
            body.Submit ?? true, create: true, ct, body.Sources);
        return await AnswerAsync(result, http, l);
    }

    private static async Task<IResult> EditSubmissionAsync(string id, ChangeRequest body, HttpContext http,
        RecordEditor editor, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var version = ExpectedVersion(body.Version, http);
        var (values, errors) = SubmissionDtos.Flatten(body.Values);
        if (errors.Count > 0) return WriteAnswers.Invalid(errors, l);
        var caller = http.GetCaller()!;
        var result = await editor.EditSubmissionAsync(caller, id, values, body.Reason, version, ct, body.Sources);
        if (result.Outcome == ChangeOutcome.Proposed && body.Submit == true)
            result = await editor.ActAsync(caller, id, SubmissionAction.Submitted, null, null, ct);
        return await AnswerAsync(result, http, l);
    }

    private static async Task<IResult> TakeStepAsync(SubmissionStep step, string id, StepRequest? body,
        HttpContext http, RecordEditor editor, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        await AnswerAsync(await editor.ActAsync(http.GetCaller(), id, step.Action, body?.Comment, body?.Version,
            ct), http, l);

    /// <summary>
    /// A record written is 200 (201 when new) with the record; a proposal is 202 with the submission made, a step on a
    /// submission 200 with it; a conflict carries what stands now and the change it collided with.
    /// </summary>
    internal static Task<IResult> AnswerAsync(WriteOutcome<RecordChange> r, HttpContext http, IStringLocalizer l)
    {
        // An update that names no version would overwrite whatever was saved since it was read: 428.
        if (r.Outcome == ChangeOutcome.Invalid && r.Problems.Any(p => p.Message.Code == RecordMessages.VersionRequired))
            return Task.FromResult<IResult>(TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: l["problem.version-required"], detail: l["record.version-required"]));
        var caller = http.GetCaller();
        var citations = http.RequestServices.GetRequiredService<CitationQueries>();
        async Task<RecordDto> Dto(EditableRecord record) => await SubmissionDtos.ToDtoAsync(record, caller, citations,
            http.RequestAborted);
        return r.ToApiAsync(http, l,
            succeeded: async done => (done.Outcome, done.Value!) switch
            {
                (ChangeOutcome.Created, { Record: { } record }) =>
                    TypedResults.Created($"/api/v1/records/{record.Kind}/{Uri.EscapeDataString(record.Id)}",
                        await Dto(record)),
                (ChangeOutcome.Done, { Record: { } record }) => TypedResults.Ok(await Dto(record)),
                (_, { Record: not null, Submission: { } made }) =>
                    TypedResults.Accepted($"/api/v1/submissions/{made.Id}", SubmissionDtos.ToDto(made)),
                (_, { Submission: { } moved }) => TypedResults.Ok(SubmissionDtos.ToDto(moved)),
                _ => throw new InvalidOperationException("A write that went through made a record or a submission."),
            },
            conflict: async refused => new Dictionary<string, object?>
            {
                ["current"] = refused.Value switch
                {
                    { Record: { } record } => await Dto(record),
                    { Submission: { } submission } => SubmissionDtos.ToDto(submission),
                    _ => null,
                },
                ["otherChange"] = refused.Value?.OtherChange is { } other ? SubmissionDtos.ToDto(other,
                    showActor: true) : null,
            });
    }

    /// <summary>A version as an entity tag: what If-Match sends back.</summary>
    private static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version a change is made against: the body's "version", else If-Match's tag ("3" or W/"3"); a tag that is
    /// not one Caravan gave matches no version (409). Without either (or with If-Match: *, which names none), the
    /// editor refuses an update after the caller's rights are checked, and <see cref="AnswerAsync"/> says 428.
    /// </summary>
    private static int? ExpectedVersion(int? body, HttpContext http)
    {
        if (body is { } v) return v;
        var match = http.Request.Headers.IfMatch.ToString().Trim();
        if (match.Length == 0 || match == "*") return null;
        if (match.StartsWith("W/", StringComparison.Ordinal)) match = match[2..];
        return match.Length > 2 && match[0] == '"' && match[^1] == '"'
            && int.TryParse(match[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var tagged)
                ? tagged
                : -1;
    }

    /// <summary>On a public read, a token is optional: with one, the answer also says what the caller may do.</summary>
    private static async Task<Caller?> OptionalCallerAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(AccountSetup.TokenScheme);
        return result.Succeeded ? AccountSetup.CallerOf(result.Principal) : null;
    }
}
