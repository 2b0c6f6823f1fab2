using Caravan.Features.Indicators;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;

namespace Caravan.Web.Features.Indicators;

public sealed record IndicatorValueDto(int Year, string? State, decimal Value, Qualifier Qualifier, LocalizedText? Note, IReadOnlyList<SourceDto> Sources);
public sealed record IndicatorDto(string Id, LocalizedText Name, string Unit, LocalizedText? Description, IReadOnlyList<string> Translated,
    IReadOnlyList<IndicatorValueDto> Values);
public sealed record ReportedFigureDto(string Id, LocalizedText Name, decimal Value, string Unit, Qualifier Qualifier, string? RegistryCount,
    int? Registered, LocalizedText? Note, IReadOnlyList<SourceDto> Sources);

/// <summary>/api/v1/indicators (sourced series) and /api/v1/reported-figures (totals stated by sources).</summary>
public static class IndicatorsApi
{
    public static void MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Indicators");

        api.MapGet("/indicators", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [], ["id"], "id");
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<IndicatorQueries>(http, async (q, c) =>
            {
                var indicators = await q.ListAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.IndicatorValue, indicators.SelectMany(i => i.Values).Select(v => v.Id));
                return query.Paginate(MechanismApi.Sort(indicators, query, i => i.Id).Select(i => ToDto(i, sources)).ToList());
            });
        }).WithName("ListIndicators").WithSummary("Sourced indicator series, per year and per state where known")
          .Produces<Page<IndicatorDto>>().ProducesValidationProblem();

        api.MapGet("/indicators/{id}", (string id, HttpContext http, CancellationToken ct) => Api.CachedJsonById<IndicatorQueries>(http, async (q, c) =>
        {
            var indicator = await q.GetAsync(id, ct);
            return indicator is null ? null : ToDto(indicator, await c.ForAsync(SubjectTypes.IndicatorValue, indicator.Values.Select(v => v.Id)));
        })).WithName("GetIndicator").WithSummary("An indicator by its id (e.g. trade-turnover-usd)").Produces<IndicatorDto>().ProducesProblem(404);

        api.MapGet("/reported-figures", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [], ["id"], "id");
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<IndicatorQueries>(http, async (q, c) =>
            {
                var figures = await q.ReportedFiguresAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.ReportedFigure, figures.Select(f => f.Figure.Id));
                return query.Paginate(MechanismApi.Sort(figures, query, f => f.Figure.Id).Select(f => new ReportedFigureDto(
                    f.Figure.Id, f.Figure.Name, f.Figure.Value, f.Figure.Unit, f.Figure.Qualifier, f.Figure.RegistryCount, f.Registered,
                    f.Figure.Note, SourceDto.From(sources, f.Figure.Id))).ToList());
            });
        }).WithName("ListReportedFigures").WithSummary("Totals stated by sources, beside the count Caravan has registered")
          .Produces<Page<ReportedFigureDto>>().ProducesValidationProblem();
    }

    private static IndicatorDto ToDto(Indicator i, IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(i.Id, i.Name, i.Unit, i.Description, i.Translated,
            i.Values.Select(v => new IndicatorValueDto(v.Year, v.StateId, v.Value, v.Qualifier, v.Note, SourceDto.From(sources, v.Id))).ToList());
}
