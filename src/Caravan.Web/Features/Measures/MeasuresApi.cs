using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Measures;

public sealed record PeriodDto(string? From, string? To);
public sealed record MeasureDto(string Id, string PledgedBy, string? Meeting, string? AnnouncedOn,
    LocalizedText Description, decimal? Amount, string? Unit, PeriodDto Period, string? Direction, LocalizedText? Note,
    IReadOnlyList<string> Translated, IReadOnlyList<SourceDto> Sources);

/// <summary>/api/v1/measures: pledged measures (grants, training places, scholarships, targets).</summary>
public static class MeasuresApi
{
    public static void MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/measures").WithTags("Measures");

        api.MapGet("/", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["pledgedBy", "meeting", "direction"], ["announcedOn", "id"],
                "-announcedOn");
            var filter = new MeasureFilter(query.OneOf("pledgedBy", MemberState.Codes), query.Text("meeting"),
                query.Text("direction"));
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<MeasureQueries>(http, async (q, c) =>
            {
                var measures = await q.ListAsync(filter, ct);
                var sources = await c.ForAsync(SubjectTypes.Measure, measures.Select(m => m.Id));
                var sorted = MechanismApi.Sort(measures, query, m => query.SortField == "id" ? m.Id
                    : (m.AnnouncedOn?.ToIso() ?? "0000") + m.Id);
                return query.Paginate(sorted.Select(m => ToDto(m, sources)).ToList());
            });
        }).WithName("ListMeasures")
            .WithSummary("Pledged measures; filter by pledgedBy (ISO code), meeting or direction")
          .Produces<Page<MeasureDto>>().ProducesValidationProblem();

        api.MapGet("/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<MeasureQueries>(http, async (q, c) =>
        {
            var measure = await q.GetAsync(id, ct);
            return measure is null ? null : ToDto(measure, await c.ForAsync(SubjectTypes.Measure, [measure.Id]));
        })).WithName("GetMeasure").WithSummary("A pledged measure by its id (e.g. grant-2025)").Produces<MeasureDto>()
            .ProducesProblem(404);
    }

    private static MeasureDto ToDto(PledgedMeasure m,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(m.Id, m.PledgedById, m.MeetingId, Iso(m.AnnouncedOn), m.Description, m.Amount, m.Unit,
            new PeriodDto(Iso(m.PeriodFrom), Iso(m.PeriodTo)), m.DirectionId, m.Note, m.Translated,
            SourceDto.From(sources, m.Id));
}
