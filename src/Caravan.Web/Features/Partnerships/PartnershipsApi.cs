using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Partnerships;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Partnerships;

public sealed record PlaceDto(string State, LocalizedText? Name, decimal? Latitude, decimal? Longitude);
public sealed record PartnershipDto(string Id, PartnershipKind Kind, PartnershipStatus Status,
    IReadOnlyList<string> States, LocalizedText Title, LocalizedText? Name, IReadOnlyList<PlaceDto> Places,
    LocalizedText? Institution, LocalizedText? PartnerInstitution, LocalizedText? Terms,
    LocalizedText? Agreement, string? Document, string? AgreedOn, string? StartedOn, string? EndedOn, string? SourceUrl,
    LocalizedText? Note, IReadOnlyList<string> Translated, IReadOnlyList<SourceDto> Sources);
public sealed record PairTargetDto(string Measure, decimal? Value, string? Unit, string? AnnouncedOn,
    LocalizedText Description, LocalizedText? Note, IReadOnlyList<SourceDto> Sources);
public sealed record ReportedTotalDto(int Year, decimal Value, Qualifier Qualifier, LocalizedText? Note,
    IReadOnlyList<SourceDto> Sources);
public sealed record PairYearDto(int Year, decimal? Reported, Qualifier? ReportedQualifier, int Recorded,
    decimal? Target);
public sealed record PairCountsDto(PairTargetDto? Target, IReadOnlyList<ReportedTotalDto> Reported, int RecordedNow,
    int RecordedUndated, IReadOnlyList<PairYearDto> Years);

/// <summary>
/// /api/v1/partnerships: sister cities and provinces, Luban Workshops, cultural centres and visa arrangements, each
/// with its sources.
/// </summary>
public static class PartnershipsApi
{
    public static readonly string[] Filters = ["kind", "state", "status"];

    public static void MapPartnershipsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/partnerships").WithTags("Partnerships");

        api.MapGet("/", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, Filters, ["kind", "id", "startedOn"], "kind");
            var filter = Read(query);
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<PartnershipQueries>(http, async (q, c) =>
            {
                var list = await q.ListAsync(filter, ct);
                var sources = await c.ForAsync(SubjectTypes.Partnership, list.Select(p => p.Id), ct);
                var sorted = query.SortField switch
                {
                    "id" => MechanismApi.Sort(list, query, p => p.Id),
                    "startedOn" => MechanismApi.Sort(list, query, p => (p.StartedOn ?? p.AgreedOn)?.ToIso() ?? "0000"),
                    _ => query.Descending ? Enumerable.Reverse(list).ToList() : list,
                };
                return query.Paginate(sorted.Select(p => ToDto(p, sources)).ToList());
            });
        }).WithName("ListPartnerships")
          .WithSummary("Partnerships; filter by kind (sister-cities, sister-provinces, luban-workshop, " +
              "cultural-centre, visa-arrangement), state (ISO code, either side) or status (planned, signed, " +
              "in-force, operating, suspended, ended)")
          .Produces<Page<PartnershipDto>>().ProducesValidationProblem();

        // Cached per day as every API answer: the years run to this year, which the date decides as well as the data.
        api.MapGet("/counts", (HttpContext http, TimeProvider clock, CancellationToken ct) =>
            Api.CachedJson(http, async () =>
                await CountsAsync(http.RequestServices.GetRequiredService<PartnershipQueries>(),
                http.RequestServices.GetRequiredService<CitationQueries>(), clock, ct),
                varyByQuery: false))
            .WithName("CountPartnershipPairs")
            .WithSummary("Sister-city and sister-province pairs over time: the totals sources reported, the pairs " +
                "recorded here year by year, and the target of 100 pairs set in January 2022")
            .Produces<PairCountsDto>();

        api.MapGet("/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<PartnershipQueries>(http, async (q, c) =>
        {
            var p = await q.GetAsync(id, ct);
            return p is null ? null : ToDto(p, await c.ForAsync(SubjectTypes.Partnership, [p.Id], ct));
        })).WithName("GetPartnership").WithSummary("A partnership by id (e.g. tj-cn-luban-workshop-dushanbe)")
            .Produces<PartnershipDto>().ProducesProblem(404);
    }

    /// <summary>
    /// The filters, checked: an unknown kind, state or status is named in the 400 answer (or on the page).
    /// </summary>
    public static PartnershipFilter Read(ListQuery query) =>
        new(query.Enum<PartnershipKind>("kind"), query.OneOf("state", MemberState.Codes),
            query.Enum<PartnershipStatus>("status"));

    public static async Task<PairCountsDto> CountsAsync(PartnershipQueries partnerships, CitationQueries citations,
        TimeProvider clock, CancellationToken ct)
    {
        var counts = await partnerships.CountsAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        var valueSources = await citations.ForAsync(SubjectTypes.IndicatorValue, counts.Reported.Select(v => v.Id), ct);
        PairTargetDto? target = null;
        if (counts.Target is { } m)
            target = new(m.Id, m.Amount, m.Unit, Iso(m.AnnouncedOn), m.Description, m.Note,
                [.. (await citations.ForAsync(SubjectTypes.Measure, m.Id, ct)).Select(SourceDto.From)]);
        return new PairCountsDto(target,
            [.. counts.Reported.Select(v => new ReportedTotalDto(v.Year, v.Value, v.Qualifier, v.Note,
                SourceDto.From(valueSources, v.Id)))],
            counts.RecordedNow, counts.RecordedUndated,
            [.. counts.Rows.Select(r => new PairYearDto(r.Year, r.Reported, r.ReportedQualifier, r.Recorded,
                r.Target))]);
    }

    public static PartnershipDto ToDto(Partnership p,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(p.Id, p.Kind, p.Status, [p.StateA, p.StateB], PartnershipRules.TitleOf(p), p.Name, Places(p), p.Institution,
            p.PartnerInstitution, p.Terms, p.Agreement, p.DocumentId, Iso(p.AgreedOn), Iso(p.StartedOn), Iso(p.EndedOn),
            p.SourceUrl, p.Note, p.Translated, SourceDto.From(sources, p.Id));

    /// <summary>The places that are known, each with its state and, where known, coordinates.</summary>
    public static IReadOnlyList<PlaceDto> Places(Partnership p) =>
    [
        .. p.PlaceA is null ? [] : new[] { new PlaceDto(p.StateA, p.PlaceA, p.LatitudeA, p.LongitudeA) },
        .. p.PlaceB is null ? [] : new[] { new PlaceDto(p.StateB, p.PlaceB, p.LatitudeB, p.LongitudeB) },
    ];
}
