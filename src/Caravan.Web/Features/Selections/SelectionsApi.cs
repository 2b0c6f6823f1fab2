using System.Globalization;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Selections;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Selections;

public sealed record CriterionDto(string Id, LocalizedText Name, decimal Weight);
public sealed record NominationDto(string Id, string State, LocalizedText City, LocalizedText Statement,
    string? EvidenceUrl, DateTimeOffset SubmittedAt);
/// <summary>A nomination's place: its weighted score and, per criterion, the mean of the jurors' scores.</summary>
public sealed record RankedDto(int Rank, string Nomination, string State, LocalizedText City, decimal Score,
    IReadOnlyDictionary<string, decimal> Means, int Jurors);
public sealed record DecisionDto(string Nomination, string State, LocalizedText City, DateOnly DecidedOn,
    LocalizedText Rationale, DateTimeOffset? PublishedAt);
public sealed record ScoreDto(string Juror, string Nomination, string Criterion, decimal Value, string? Comment,
    DateTimeOffset GivenAt);
public sealed record ConflictDto(string State, string Reason, DateTimeOffset DeclaredAt);
public sealed record JurorDto(string Id, string Name, string? State, int Given, int Expected,
    IReadOnlyList<ConflictDto> Conflicts);
/// <summary>The caller's own seat on the jury: what they may score and the scores they gave.</summary>
public sealed record SeatDto(string Juror, string? State, IReadOnlyList<ConflictDto> Conflicts,
    IReadOnlyList<string> MayScore, IReadOnlyList<ScoreDto> Scores);
public sealed record SelectionCallDto(
    string Id, LocalizedText Title, LocalizedText Description, SelectionPhase Phase, DateOnly NominationsFrom,
    DateOnly NominationsTo, DateOnly ScoringDeadline, IReadOnlyList<CriterionDto> Criteria,
    IReadOnlyList<NominationDto> Nominations, int Jurors, IReadOnlyList<JurorDto>? Jury, SeatDto? You,
    IReadOnlyList<RankedDto>? Ranking, IReadOnlyList<ScoreDto>? Scores, DecisionDto? Decision,
    IReadOnlyList<string> YouMay);
public sealed record SelectionSummaryDto(string Id, LocalizedText Title, SelectionPhase Phase, DateOnly NominationsFrom,
    DateOnly NominationsTo, DateOnly ScoringDeadline, int Nominations, DecisionDto? Decision);

// The request bodies, for the API reference. The endpoints read the JSON field by field (so that a wrong type is
// named with its path); weights and score values may be numbers or numeric strings; texts are {"en","ru","zh"} or one
// string (English).
public sealed record CriterionRequest(string? Id, LocalizedText Name, decimal Weight);
public sealed record CallRequest(string? Id, LocalizedText Title, LocalizedText? Description, DateOnly NominationsFrom,
    DateOnly NominationsTo, DateOnly ScoringDeadline, IReadOnlyList<CriterionRequest> Criteria);
public sealed record NominationRequest(string? State, LocalizedText City, LocalizedText? Statement,
    string? EvidenceUrl);
/// <summary>Withdrawing a nomination: the state defaults to the coordinator's own.</summary>
public sealed record WithdrawRequest(string? State);
public sealed record JurorRequest(string User, string? State);
public sealed record ConflictRequest(string State, string Reason);
public sealed record ScoreItemRequest(string Criterion, decimal Value, string? Comment);
public sealed record ScoresRequest(string Nomination, IReadOnlyList<ScoreItemRequest> Scores);
public sealed record PhaseRequest(SelectionPhase Phase);
public sealed record DecisionRequest(string Nomination, DateOnly DecidedOn, LocalizedText Rationale);

/// <summary>
/// /api/v1/selections: the China–Central Asia culture and tourism capital selection. Reads are public (a token
/// adds what its owner may see: their own scores, or the secretariat's progress and, once closed, the ranking);
/// writes need a token, and the rules are those of <see cref="Caravan.Features.Selections.Selections"/> and
/// <see cref="Access"/>.
/// </summary>
public static class SelectionsApi
{
    public static void MapSelectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/selections").WithTags("Selections");

        api.MapGet("/", async (HttpContext http, Caravan.Features.Selections.Selections selections,
            CancellationToken ct) =>
        {
            var caller = await OptionalCallerAsync(http);
            async Task<object?> Build() => (await selections.ListAsync(caller, ct)).Select(ToSummary).ToList();
            return caller is null
                ? await Api.CachedJson(http, Build, varyByQuery: false)
                : Private(http, await Build());
        }).WithName("ListSelections")
            .WithSummary("The culture and tourism capital calls, latest first (drafts only for the secretariat's " +
                "token)")
          .Produces<List<SelectionSummaryDto>>();

        api.MapGet("/{id}", async (string id, HttpContext http, Caravan.Features.Selections.Selections selections,
            CancellationToken ct) =>
        {
            var caller = await OptionalCallerAsync(http);
            async Task<object?> Build() => await selections.ViewAsync(caller, id, ct) is { } view ? ToDto(view) : null;
            if (caller is null) return await Api.CachedJson(http, Build, varyByQuery: false);
            return await Build() is { } dto ? Private(http, dto) : Api.NotFound(http);
        }).WithName("GetSelection")
          .WithSummary("A call: phase, period, criteria and weights, nominations; the decision, ranking and " +
              "per-criterion means once published. With a token: your own scores (a juror), progress counts and " +
              "after closing every score and the ranking (the secretariat)")
          .Produces<SelectionCallDto>().ProducesProblem(404);

        Write(api, "", "CreateSelectionCall", typeof(CallRequest),
            "The secretariat creates a call (draft): title, description, nomination period, scoring deadline, " +
            "criteria with positive weights", 201,
            (s, caller, id, body) =>
                s.CreateCallAsync(caller, new CallInput(Text(body, "id"), Texts(body, "title"),
                Texts(body, "description"), Text(body, "nominationsFrom"), Text(body, "nominationsTo"),
                Text(body, "scoringDeadline"), [.. Items(body, "criteria")
                    .Select(c => new CriterionInput(Text(c, "id"), Texts(c, "name"), Text(c, "weight")))])));
        Write(api, "/{id}/nominations", "NominateCity", typeof(NominationRequest),
            "A national coordinator nominates a city of their state (one per state per call, while the call is open " +
            "for nominations and within its period)", 201,
            (s, caller, id, body) =>
                s.NominateAsync(caller, id, new NominationInput(Text(body, "state"), Texts(body, "city"),
                Texts(body, "statement"), Text(body, "evidenceUrl"))));
        Write(api, "/{id}/nominations/withdraw", "WithdrawNomination", typeof(WithdrawRequest),
            "A national coordinator withdraws their state's nomination while the call is open for nominations (the " +
            "state may then nominate again)", 200,
            (s, caller, id, body) => s.WithdrawNominationAsync(caller, id, Text(body, "state")));
        Write(api, "/{id}/jurors", "AppointJuror", typeof(JurorRequest),
            "The secretariat appoints an existing account (e-mail or user id) to the call's jury, with the state the " +
            "juror comes from, if any", 201,
            (s, caller, id, body) => s.AppointJurorAsync(caller, id, Text(body, "user"), Text(body, "state")));
        Write(api, "/{id}/conflicts", "DeclareConflict", typeof(ConflictRequest),
            "A juror declares a conflict of interest with a state (with the reason): they do not score its " +
            "nomination, and any score they gave it is withdrawn", 201,
            (s, caller, id, body) => s.DeclareConflictAsync(caller, id, Text(body, "state"), Text(body, "reason")));
        Write(api, "/{id}/scores", "ScoreNomination", typeof(ScoresRequest),
            "A juror scores a nomination on one or more criteria, 0–10 (not their own state's, nor a declared " +
            "conflict; only while the call is in scoring)", 200,
            (s, caller, id, body) => s.ScoreAsync(caller, id, Text(body, "nomination"),
                [.. Items(body, "scores")
                    .Select(x => new ScoreInput(Text(x, "criterion"), Text(x, "value"), Text(x, "comment")))]));
        Write(api, "/{id}/phase", "MoveSelectionPhase", typeof(PhaseRequest),
            "The secretariat moves the call one phase on: nominating, scoring, closed", 200,
            (s, caller, id, body) => s.MovePhaseAsync(caller, id, Text(body, "phase")));
        Write(api, "/{id}/decision", "RecordSelectionDecision", typeof(DecisionRequest),
            "The secretariat records the decision on a closed call (nomination, date, rationale); it may be " +
            "corrected until published", 200,
            (s, caller, id, body) =>
                s.DecideAsync(caller, id, new DecisionInput(Text(body, "nomination"), Text(body, "decidedOn"),
                Texts(body, "rationale"))));
        Write(api, "/{id}/publish", "PublishSelectionDecision", typeof(object),
            "The secretariat publishes the decision: the call is decided, and the public sees the decision, the " +
            "ranking and the means", 200,
            (s, caller, id, _) => s.PublishAsync(caller, id));
    }

    /// <summary>
    /// A write: the body read field by field (so a wrong type is named, not a bare 400), the rule applied, the call
    /// returned as the caller now sees it.
    /// </summary>
    private static void Write(RouteGroupBuilder api, string pattern, string name, Type request, string summary,
        int status,
        Func<Caravan.Features.Selections.Selections, Caller?, string, JsonElement, Task<WriteOutcome<string>>> act)
    {
        api.MapPost(pattern, (HttpContext http, Caravan.Features.Selections.Selections selections,
            IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            WriteAsync(http, selections, l, pattern.Length == 0, status, act, ct))
                .RequireAuthorization(AccountSetup.ApiCaller).WithName(name).WithSummary(summary)
          .Accepts(request, "application/json").Produces<SelectionCallDto>(status).ProducesValidationProblem()
              .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> WriteAsync(HttpContext http, Caravan.Features.Selections.Selections selections,
        IStringLocalizer l, bool createsCall, int status,
        Func<Caravan.Features.Selections.Selections, Caller?, string, JsonElement, Task<WriteOutcome<string>>> act,
        CancellationToken ct)
    {
        var id = http.Request.RouteValues.TryGetValue("id", out var v) ? v?.ToString() ?? "" : "";
        JsonElement body;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(ct);
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            body = document.RootElement.Clone();
        }
        catch (JsonException) { return Invalid([new FieldError("body", SelectionApiMessages.BadJson)], l); }
        if (body.ValueKind != JsonValueKind.Object)
            return Invalid([new FieldError("body", SelectionApiMessages.BadJson)], l);
        var wrong = WrongTypes(body).ToList();
        if (wrong.Count > 0) return Invalid(wrong, l);
        var caller = http.GetCaller();
        var result = await act(selections, caller, id, body);
        return await result.ToApiAsync(http, l, invalidTitle: l["selection.invalid"],
            succeeded: async done =>
            {
                var callId = createsCall ? done.Value! : id;
                var dto = ToDto((await selections.ViewAsync(caller, callId, ct))!);
                return status == 201 ? TypedResults.Created($"/api/v1/selections/{callId}", dto) : TypedResults.Ok(dto);
            },
            // A conflict names its field too, as a validation problem does.
            conflict: refused => Task.FromResult<IDictionary<string, object?>>(
                new Dictionary<string, object?> { ["errors"] = WriteAnswers.ByField(refused.Problems, l) }));
    }

    // ---- Answers -----------------------------------------------------------------------------------

    private static IResult Invalid(IEnumerable<FieldError> errors, IStringLocalizer l) =>
        WriteAnswers.Invalid(errors, l, l["selection.invalid"]);

    private static IResult Private(HttpContext http, object? value)
    {
        // What a token's owner sees (their scores, the secretariat's progress) is theirs: never stored by a cache.
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Json(value, Api.Json);
    }

    private static async Task<Caller?> OptionalCallerAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(AccountSetup.TokenScheme);
        return result.Succeeded ? AccountSetup.CallerOf(result.Principal) : null;
    }

    public static SelectionSummaryDto ToSummary(SelectionSummary s) => new(s.Call.Id, s.Call.Title, s.Call.Phase,
        s.Call.NominationsFrom, s.Call.NominationsTo, s.Call.ScoringDeadline, s.Nominations,
        s.PublishedDecision is { } d && s.Chosen is { } n
            ? new DecisionDto(n.Id, n.StateId, n.City, d.DecidedOn, d.Rationale, d.PublishedAt)
            : null);

    public static SelectionCallDto ToDto(SelectionView v)
    {
        var c = v.Call;
        var nominations = v.Nominations.ToDictionary(n => n.Id);
        var you = v.Seat is { } seat ? new SeatDto(seat.Juror.Id, seat.Juror.StateId, [.. seat.Conflicts.Select(ToDto)],
            [.. seat.Eligible.Order(StringComparer.Ordinal)],
            [.. seat.Scores.OrderBy(s => s.NominationId, StringComparer.Ordinal)
                .ThenBy(s => s.CriterionId, StringComparer.Ordinal).Select(ToDto)]) : null;
        var may = new List<string>();
        if (v.Rights.Nominate) may.Add("nominate");
        if (v.Rights.AppointJurors) may.Add("appoint-jurors");
        if (v.Rights.NextPhase is { } next) may.Add("move-to-" + Caravan.Features.Seed.SeedEnums.ToKebab(next));
        if (v.Rights.DeclareConflict) may.Add("declare-conflict");
        if (v.Rights.Score) may.Add("score");
        if (v.Rights.Decide) may.Add("decide");
        if (v.Rights.Publish) may.Add("publish");
        return new SelectionCallDto(c.Id, c.Title, c.Description, c.Phase, c.NominationsFrom, c.NominationsTo,
            c.ScoringDeadline, [.. c.Criteria.Select(x => new CriterionDto(x.Id, x.Name, x.Weight))],
            [.. v.Nominations.Select(n => new NominationDto(n.Id, n.StateId, n.City, n.Statement, n.EvidenceUrl,
                n.SubmittedAt))],
            v.JurorCount,
            v.Progress is null ? null
                : [.. v.Progress.Select(p => new JurorDto(p.Juror.Id, p.Juror.Name, p.Juror.StateId, p.Given,
                p.Expected, [.. p.Conflicts.Select(ToDto)]))],
            you,
            v.Ranking?.Select(r => new RankedDto(r.Rank, r.NominationId, r.StateId, nominations[r.NominationId].City,
                r.Score, r.ByCriterion, r.Jurors)).ToList(),
            v.AllScores?.OrderBy(s => s.NominationId, StringComparer.Ordinal)
                .ThenBy(s => s.JurorId, StringComparer.Ordinal).ThenBy(s => s.CriterionId, StringComparer.Ordinal)
            .Select(ToDto).ToList(), v.Decision is { } d && nominations.TryGetValue(d.NominationId, out var chosen)
                ? new DecisionDto(d.NominationId, chosen.StateId, chosen.City, d.DecidedOn, d.Rationale,
                d.PublishedAt) : null,
            may);
    }

    private static ScoreDto ToDto(SelectionScore s) => new(s.JurorId, s.NominationId, s.CriterionId, s.Value, s.Comment,
        s.GivenAt);
    private static ConflictDto ToDto(SelectionConflict c) => new(c.StateId, c.Reason, c.DeclaredAt);

    // ---- Reading a body ------------------------------------------------------------------------------

    private static readonly HashSet<string> TextFields = ["id", "state", "user", "reason", "nomination", "phase",
        "nominationsFrom", "nominationsTo", "scoringDeadline", "decidedOn", "evidenceUrl", "criterion", "comment"];
    private static readonly HashSet<string> LocalizedFields = ["title", "description", "city", "statement",
        "rationale", "name"];

    /// <summary>
    /// Fields of the wrong JSON type, named with their path: a text field given a number or an object, a list that
    /// is not a list. (A score's or weight's value may be a number or a string; whether it is numeric is the rule's to
    /// say.)
    /// </summary>
    private static IEnumerable<FieldError> WrongTypes(JsonElement body, string prefix = "")
    {
        foreach (var p in body.EnumerateObject())
        {
            var path = prefix + p.Name;
            if (p.Value.ValueKind == JsonValueKind.Null) continue;
            if (TextFields.Contains(p.Name) && p.Value.ValueKind != JsonValueKind.String)
                yield return new FieldError(path, SelectionApiMessages.NotText);
            else if (LocalizedFields.Contains(p.Name) &&
                p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
                yield return new FieldError(path, SelectionApiMessages.NotTexts);
            else if (LocalizedFields.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var language in p.Value.EnumerateObject())
                    if (!LocalizedText.Languages.Contains(language.Name) ||
                        language.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                        yield return new FieldError($"{path}.{language.Name}", SelectionApiMessages.NotTexts);
            }
            else if (p.Name is "criteria" or "scores")
            {
                if (p.Value.ValueKind != JsonValueKind.Array)
                    { yield return new FieldError(path, SelectionApiMessages.NotList); continue; }
                var i = 0;
                foreach (var item in p.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                        yield return new FieldError($"{path}[{i}]", SelectionApiMessages.NotList);
                    else foreach (var e in WrongTypes(item, $"{path}[{i}].")) yield return e;
                    i++;
                }
            }
        }
    }

    private static JsonElement? Field(JsonElement o, string name)
    {
        foreach (var p in o.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    /// <summary>
    /// A string as given; a number as written (so "value": 7.5 and "value": "7.5" are one); anything else as its JSON,
    /// for the rule to refuse.
    /// </summary>
    private static string? Text(JsonElement o, string name) => Field(o, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
    };

    /// <summary>A text in the working languages: {"en": …, "ru": …, "zh": …}, or one string taken as English.</summary>
    private static LocalizedText Texts(JsonElement o, string name) => Field(o, name) switch
    {
        { ValueKind: JsonValueKind.String } s => new LocalizedText { En = s.GetString() },
        { ValueKind: JsonValueKind.Object } t => new LocalizedText { En = Text(t, "en"), Ru = Text(t, "ru"),
            Zh = Text(t, "zh") },
        _ => new LocalizedText(),
    };

    private static IEnumerable<JsonElement> Items(JsonElement o, string name) =>
        Field(o, name) is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList()
            : [];
}

/// <summary>Why the API cannot read a selection request's body.</summary>
public static class SelectionApiMessages
{
    public static readonly MessageCode BadJson = new("selection.bad-json");
    public static readonly MessageCode NotText = new("selection.not-text");
    public static readonly MessageCode NotTexts = new("selection.not-texts");
    public static readonly MessageCode NotList = new("selection.not-list");
}
