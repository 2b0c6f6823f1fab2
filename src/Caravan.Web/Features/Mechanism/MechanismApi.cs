using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Mechanism;

public sealed record HeadOfStateDto(LocalizedText? Name, LocalizedText? Title, string? TermStart, string? AsOf);
public sealed record MemberStateDto(string Id, LocalizedText Name, LocalizedText ShortName,
    IReadOnlyList<NativeName> NativeNames, LocalizedText? Capital, string Currency,
    IReadOnlyList<StateLanguage> Languages, HeadOfStateDto HeadOfState,
    IReadOnlyList<string> Translated, IReadOnlyList<SourceDto> Sources);
public sealed record LifecycleDto(string? Proposed, string? Agreed, string? Established, string? Operational);
public sealed record BodyDto(string Id, BodyKind Kind, LocalizedText Name, string? Host, LocalizedText? Seat,
    string? Website, string? ContactAddress, BodyStatus Status,
    LifecycleDto Lifecycle, LocalizedText? Note, IReadOnlyList<string> Translated, IReadOnlyList<SourceDto> Sources);
public sealed record MeetingDto(string Id, string Body, int? Number, LocalizedText Name, string? Date,
    string? StartDate, string? EndDate, LocalizedText? Place, string? Host, MeetingStatus Status, LocalizedText? Note,
    IReadOnlyList<string> Translated, IReadOnlyList<SourceDto> Sources);
public sealed record DirectionDto(string Id, int Order, LocalizedText Name, IReadOnlyList<string> Translated,
    IReadOnlyList<SourceDto> Sources);

/// <summary>/api/v1 member-states, bodies, meetings and directions.</summary>
public static class MechanismApi
{
    public static void MapMechanismApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Mechanism");

        api.MapGet("/member-states", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [], ["order", "id"], "order");
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<MechanismQueries>(http, async (q, c) =>
            {
                var states = await q.StatesAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.MemberState, states.Select(s => s.Id));
                var sorted = Sort(states, query, s => query.SortField == "id" ? s.Id : s.Order.ToString("D3",
                    System.Globalization.CultureInfo.InvariantCulture));
                return query.Paginate(sorted.Select(s => ToDto(s, sources)).ToList());
            });
        }).WithName("ListMemberStates").WithSummary("The six member states").Produces<Page<MemberStateDto>>()
            .ProducesValidationProblem();

        api.MapGet("/member-states/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<MechanismQueries>(http, async (q, c) =>
        {
            var state = await q.StateAsync(id, ct);
            return state is null ? null : ToDto(state, await c.ForAsync(SubjectTypes.MemberState, [state.Id]));
        })).WithName("GetMemberState").WithSummary("A member state by its ISO 3166-1 alpha-2 code (e.g. KZ)")
            .Produces<MemberStateDto>().ProducesProblem(404);

        api.MapGet("/bodies", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["kind", "status", "host"], ["id", "kind", "status"], "kind");
            var filter = new BodyFilter(query.Enum<BodyKind>("kind"), query.Enum<BodyStatus>("status"),
                query.OneOf("host", MemberState.Codes));
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<MechanismQueries>(http, async (q, c) =>
            {
                var bodies = await q.BodiesAsync(filter, ct);
                var sources = await c.ForAsync(SubjectTypes.Body, bodies.Select(b => b.Id));
                var sorted = Sort(bodies, query, b => query.SortField switch { "kind" => $"{(int)b.Kind:D2}{b.Id}",
                    "status" => $"{(int)b.Status:D2}{b.Id}", _ => b.Id });
                return query.Paginate(sorted.Select(b => ToDto(b, sources)).ToList());
            });
        }).WithName("ListBodies")
            .WithSummary("Bodies: summit, ministerial platforms, secretariat, cooperation centres…")
            .Produces<Page<BodyDto>>().ProducesValidationProblem();

        api.MapGet("/bodies/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<MechanismQueries>(http, async (q, c) =>
        {
            var body = await q.BodyAsync(id, ct);
            return body is null ? null : ToDto(body, await c.ForAsync(SubjectTypes.Body, [body.Id]));
        })).WithName("GetBody").WithSummary("A body by its id (e.g. secretariat)").Produces<BodyDto>()
            .ProducesProblem(404);

        api.MapGet("/meetings", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["body", "host", "status", "year"], ["date", "id"], "date");
            var filter = new MeetingFilter(query.Text("body"), query.OneOf("host", MemberState.Codes),
                query.Enum<MeetingStatus>("status"), query.OptionalInteger("year", 1900, 2100));
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<MechanismQueries>(http, async (q, c) =>
            {
                var meetings = await q.MeetingsAsync(filter, ct);
                var sources = await c.ForAsync(SubjectTypes.Meeting, meetings.Select(m => m.Id));
                var sorted = Sort(meetings, query, m => query.SortField == "id" ? m.Id
                    : (m.Date?.ToIso() ?? "9999") + m.Id);
                return query.Paginate(sorted.Select(m => ToDto(m, sources)).ToList());
            });
        }).WithName("ListMeetings").WithSummary("Meetings: summits, ministers' meetings and other sessions")
            .Produces<Page<MeetingDto>>().ProducesValidationProblem();

        api.MapGet("/meetings/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<MechanismQueries>(http, async (q, c) =>
        {
            var meeting = await q.MeetingAsync(id, ct);
            return meeting is null ? null : ToDto(meeting, await c.ForAsync(SubjectTypes.Meeting, [meeting.Id]));
        })).WithName("GetMeeting").WithSummary("A meeting by its id (e.g. summit-2025-astana)").Produces<MeetingDto>()
            .ProducesProblem(404);

        api.MapGet("/directions", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [], ["order", "id"], "order");
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<MechanismQueries>(http, async (q, c) =>
            {
                var directions = await q.DirectionsAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.Direction, directions.Select(d => d.Id));
                var sorted = Sort(directions, query, d => query.SortField == "id" ? d.Id : d.Order.ToString("D3",
                    System.Globalization.CultureInfo.InvariantCulture));
                return query.Paginate(sorted.Select(d => ToDto(d, sources)).ToList());
            });
        }).WithName("ListDirections").WithSummary("The six priority directions for 2025–2026")
            .Produces<Page<DirectionDto>>().ProducesValidationProblem();

        api.MapGet("/directions/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<MechanismQueries>(http, async (q, c) =>
        {
            var direction = await q.DirectionAsync(id, ct);
            return direction is null
                ? null
                : ToDto(direction, await c.ForAsync(SubjectTypes.Direction, [direction.Id]));
        })).WithName("GetDirection").WithSummary("A priority direction by its id (e.g. connectivity)")
            .Produces<DirectionDto>().ProducesProblem(404);
    }

    /// <summary>Sorts by an ordinal key; the query says the direction.</summary>
    public static List<T> Sort<T>(IEnumerable<T> rows, ListQuery query, Func<T, string> key) =>
        (query.Descending ? rows.OrderByDescending(key, StringComparer.Ordinal) : rows.OrderBy(key,
            StringComparer.Ordinal)).ToList();

    private static MemberStateDto ToDto(MemberState s,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(s.Id, s.Name, s.ShortName, s.NativeNames, s.Capital, s.Currency, s.Languages,
            new HeadOfStateDto(s.HeadOfStateName, s.HeadOfStateTitle, Iso(s.HeadOfStateTermStart),
                Iso(s.HeadOfStateAsOf)),
            s.Translated, SourceDto.From(sources, s.Id));

    private static BodyDto ToDto(Body b, IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(b.Id, b.Kind, b.Name, b.HostStateId, b.Seat, b.Website, b.ContactAddress, b.Status,
            new LifecycleDto(Iso(b.ProposedOn), Iso(b.AgreedOn), Iso(b.EstablishedOn), Iso(b.OperationalOn)),
            b.Note, b.Translated, SourceDto.From(sources, b.Id));

    private static MeetingDto ToDto(Meeting m, IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(m.Id, m.BodyId, m.Number, m.Name, Iso(m.Date), Iso(m.StartDate), Iso(m.EndDate), m.Place, m.HostStateId,
            m.Status, m.Note, m.Translated, SourceDto.From(sources, m.Id));

    private static DirectionDto ToDto(PriorityDirection d,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(d.Id, d.Order, d.Name, d.Translated, SourceDto.From(sources, d.Id));
}
