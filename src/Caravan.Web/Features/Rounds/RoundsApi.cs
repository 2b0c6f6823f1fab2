using Microsoft.EntityFrameworkCore;
using Caravan.Web.Features.Commitments;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Rounds;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Rounds;

public sealed record RoundProgressDto(string? State, string? Body, int Requested, int Overdue, int Submitted,
    int Validated, int Total);
/// <summary>Who acts next: a role for a state or a body (none: the secretariat), or one person (the author).</summary>
public sealed record RoundActorDto(CaravanRole? Role, string? State, string? Body, string? Person);
public sealed record RoundPersonDto(string Id, string Name);
public sealed record RoundTaskDto(string Kind, string Key, LocalizedText Title, int? Year, string? State,
    IReadOnlyList<string> Bodies, string RecordKind, string Record, RoundTaskStatus Status, RoundWaitsFor WaitsFor,
    IReadOnlyList<RoundActorDto> Who, IReadOnlyList<RoundPersonDto> People, string? Submission, string Link);
public sealed record RoundSummaryDto(string Id, LocalizedText Name, string Period, LocalizedText PeriodName,
    DateOnly DueOn, IReadOnlyList<int> ReminderDays, bool Open, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt,
    string? Snapshot, int Tasks, int Validated, int Overdue);
public sealed record RoundDto(string Id, LocalizedText Name, string Period, LocalizedText PeriodName, DateOnly DueOn,
    IReadOnlyList<int> ReminderDays, bool Open, DateTimeOffset OpenedAt, string OpenedBy, DateTimeOffset? ClosedAt,
    string? ClosedBy, string? Snapshot, IReadOnlyList<RoundProgressDto> Progress, IReadOnlyList<RoundTaskDto> Tasks);
/// <summary>
/// Opening a round: its name ({"en","ru","zh"} or one string, English), the reporting period's id, the due date
/// (yyyy-MM-dd) and the reminders, in days before the due date.
/// </summary>
public sealed record OpenRoundRequest(LocalizedText Name, string Period, DateOnly DueOn,
    IReadOnlyList<int>? ReminderDays);

/// <summary>
/// /api/v1/rounds: reporting rounds, for people with a token only (an open round's progress is the mechanism's internal
/// work; its result is public as the period's snapshot once closed). A reader sees the tasks of their state or bodies,
/// the secretariat all; the secretariat opens and closes rounds.
/// </summary>
public static class RoundsApi
{
    public static readonly MessageCode BadJson = new("round.bad-json");

    public static void MapRoundsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rounds").WithTags("Rounds").RequireAuthorization(AccountSetup.ApiCaller);

        api.MapGet("/", async (HttpContext http, CaravanDbContext db, TimeProvider clock, CancellationToken ct) =>
                Private(http, (await RoundQueries.ListAsync(db, http.GetCaller(), clock.GetUtcNow(), ct))
                    .Select(ToSummary).ToList()))
            .WithName("ListRounds")
            .WithSummary("The reporting rounds, latest first, with your share of their tasks (all for the secretariat)")
            .Produces<List<RoundSummaryDto>>().ProducesProblem(401);

        api.MapGet("/{id}", async (string id, HttpContext http, CaravanDbContext db, TimeProvider clock,
            CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["state", "body", "status", "kind"], ["key"], "key");
            var status = query.Enum<RoundTaskStatus>("status");
            var kind = query.OneOf("kind", [.. RoundTaskSource.All.Select(s => s.Kind)]);
            if (!query.IsValid) return query.Problem();
            var view = await RoundQueries.ViewAsync(db, http.GetCaller(), id, clock.GetUtcNow(), ct);
            if (view is null) return Api.NotFound(http);
            var tasks = Filter(view.Tasks, query.Text("state"), query.Text("body"), status, kind);
            return Private(http, ToDto(view, tasks));
        }).WithName("GetRound")
          .WithSummary("A round: progress per state and per body (requested, overdue, submitted, validated) and each " +
              "task you may see, with what it waits for and who must act; filter tasks by state, body, status, kind")
          .Produces<RoundDto>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404);

        api.MapPost("", async (HttpContext http, Caravan.Features.Rounds.Rounds rounds, CaravanDbContext db,
            TimeProvider clock, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var (input, problems) = await ReadAsync(http, ct);
            if (input is null) return WriteAnswers.Invalid(problems, l);
            var caller = http.GetCaller();
            var outcome = await rounds.OpenAsync(caller, input, ct);
            return await outcome.ToApiAsync(http, l, async done =>
                TypedResults.Created($"/api/v1/rounds/{done.Value}",
                    ToDto((await RoundQueries.ViewAsync(db, caller, done.Value!, clock.GetUtcNow(), ct))!)),
                conflict: refused => Task.FromResult<IDictionary<string, object?>>(
                    new Dictionary<string, object?> { ["errors"] = WriteAnswers.ByField(refused.Problems, l) }));
        }).WithName("OpenRound").Accepts<OpenRoundRequest>("application/json")
          .WithSummary("The secretariat opens a round for a reporting period (one open round per period), with a due " +
              "date and reminders in days before it; its tasks are derived from the live records")
          .Produces<RoundDto>(201).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403)
          .ProducesProblem(409);

        api.MapPost("/{id}/close", async (string id, HttpContext http, Caravan.Features.Rounds.Rounds rounds,
            CaravanDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            var outcome = await rounds.CloseAsync(caller, id, ct);
            if (outcome.Succeeded) await ClosedAsync(http.RequestServices, db, id, ct);
            return await outcome.ToApiAsync(http, l, async done =>
                TypedResults.Ok(ToDto((await RoundQueries.ViewAsync(db, caller, id, clock.GetUtcNow(), ct))!)));
        }).WithName("CloseRound")
          .WithSummary("The secretariat closes a round, once: the period closes and its snapshot is frozen " +
              "(/api/v1/snapshots/{period}); a submission published later goes to the next open period")
          .Produces<RoundDto>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        // A state's spreadsheet of its tasks, and its answers.
        app.MapRoundSheetsApi();
    }

    /// <summary>After a round's close has committed: its snapshot's work (the report's facts, the release) is queued.</summary>
    public static async Task ClosedAsync(IServiceProvider services, CaravanDbContext db, string round, CancellationToken ct)
    {
        if (await db.Rounds.AsNoTracking().Where(r => r.Id == round).Select(r => r.SnapshotId).FirstOrDefaultAsync(ct)
            is { } snapshot)
            services.GetRequiredService<ClosedSnapshots>().Closed(snapshot);
    }

    public static IReadOnlyList<RoundTaskView> Filter(IReadOnlyList<RoundTaskView> tasks, string? state, string? body,
        RoundTaskStatus? status, string? kind) =>
        [.. tasks.Where(t => (state is null || t.Task.StateId == state)
            && (body is null || t.Task.Bodies.Contains(body)) && (status is null || t.Status == status)
            && (kind is null || t.Task.Kind == kind))];

    /// <summary>
    /// The body, field by field, so that a wrong type is named with its field rather than a bare 400.
    /// </summary>
    private static async Task<(RoundInput? Input, List<FieldError> Problems)> ReadAsync(HttpContext http,
        CancellationToken ct)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            body = document.RootElement.Clone();
        }
        catch (JsonException) { return (null, [new FieldError("body", BadJson)]); }
        if (body.ValueKind != JsonValueKind.Object) return (null, [new FieldError("body", BadJson)]);
        var problems = new List<FieldError>();
        var name = body.TryGetProperty("name", out var n) ? n : default;
        var texts = name.ValueKind switch
        {
            JsonValueKind.String => new LocalizedText { En = name.GetString() },
            JsonValueKind.Object => new LocalizedText { En = Text(name, "en"), Ru = Text(name, "ru"),
                Zh = Text(name, "zh") },
            JsonValueKind.Undefined or JsonValueKind.Null => new LocalizedText(),
            _ => null,
        };
        if (texts is null) problems.Add(new FieldError("name", BadJson));
        var reminders = new List<string>();
        if (body.TryGetProperty("reminderDays", out var r) && r.ValueKind is not JsonValueKind.Null)
        {
            if (r.ValueKind != JsonValueKind.Array) problems.Add(new FieldError("reminderDays", BadJson));
            else reminders.AddRange(r.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String
                ? x.GetString() ?? "" : x.GetRawText()));
        }
        if (problems.Count > 0) return (null, problems);
        return (new RoundInput(texts!, Text(body, "period"), Text(body, "dueOn"), reminders), problems);
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => v.GetString(),
            _ => v.GetRawText(),
        } : null;

    private static IResult Private(HttpContext http, object value)
    {
        // What a reader sees of a round depends on who they are: never kept by a shared cache.
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Json(value, Api.Json);
    }

    public static RoundSummaryDto ToSummary(RoundSummary s) => new(s.Round.Id, s.Round.Name, s.Round.PeriodId,
        s.Period.Name, s.Round.DueOn, s.Round.ReminderDays, s.Round.IsOpen, s.Round.OpenedAt, s.Round.ClosedAt,
        s.Round.SnapshotId, s.Tasks, s.Validated, s.Overdue);

    public static RoundDto ToDto(RoundView v) => ToDto(v, v.Tasks);

    public static RoundDto ToDto(RoundView v, IReadOnlyList<RoundTaskView> tasks)
    {
        var r = v.Round;
        return new RoundDto(r.Id, r.Name, r.PeriodId, v.Period.Name, r.DueOn, r.ReminderDays, r.IsOpen, r.OpenedAt,
            r.OpenedBy, r.ClosedAt, r.ClosedBy, r.SnapshotId,
            [.. v.Progress.Select(p => new RoundProgressDto(p.StateId, p.BodyId, p.Requested, p.Overdue, p.Submitted,
                p.Validated, p.Total))],
            [.. tasks.Select(t => new RoundTaskDto(t.Task.Kind, t.Task.Key, t.Task.Title, t.Task.Year, t.Task.StateId,
                t.Task.Bodies, t.Task.RecordKind, t.Task.RecordId, t.Status, t.WaitsFor,
                [.. t.Actors.Select(a => new RoundActorDto(a.Role, a.StateId, a.BodyId, a.Name))],
                [.. t.People.Select(p => new RoundPersonDto(p.UserId, p.Name))], t.SubmissionId, t.Task.Link))]);
    }
}
