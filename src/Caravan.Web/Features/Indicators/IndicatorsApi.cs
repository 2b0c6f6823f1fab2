using Caravan.Features.Indicators;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;

namespace Caravan.Web.Features.Indicators;

public sealed record IndicatorValueDto(int Year, string? State, decimal Value, Qualifier Qualifier, LocalizedText? Note,
    IReadOnlyList<SourceDto> Sources);
public sealed record IndicatorDto(string Id, LocalizedText Name, string Unit, LocalizedText? Description,
    IReadOnlyList<string> Translated, IReadOnlyList<IndicatorValueDto> Values, string? SameMeasureAs,
    IReadOnlyList<GrowthDto> Growth, IReadOnlyList<OtherSourceDto> OtherSources,
    IReadOnlyList<FigureCheckDto> Checks);
/// <summary>
/// Growth from one year to the next, computed from the two values (with their sources) it rests on; percent rounded to
/// 2 decimals.
/// </summary>
public sealed record GrowthDto(string? State, int FromYear, decimal From, int ToYear, decimal To, decimal Percent,
    bool Approximate, IReadOnlyList<SourceDto> FromSources, IReadOnlyList<SourceDto> ToSources);
/// <summary>
/// One year and state that both sources give: this indicator's value, the other's, the other's difference (absolute and
/// in % of this value).
/// </summary>
public sealed record DifferenceDto(int Year, string? State, decimal Value, decimal Other, decimal Difference,
    decimal? Percent, IReadOnlyList<SourceDto> ValueSources, IReadOnlyList<SourceDto> OtherSources);
public sealed record OtherSourceDto(string Indicator, LocalizedText Name, string Unit, LocalizedText? Description,
    IReadOnlyList<DifferenceDto> Differences);
/// <summary>
/// A quoted growth recomputed from this series: claimed, computed (2 decimals), the verdict at the claim's precision,
/// and its basis.
/// </summary>
public sealed record FigureCheckDto(string Figure, LocalizedText Name, decimal Claimed, int FromYear, int ToYear,
    decimal? From, decimal? To, decimal? Computed, ClaimVerdict Verdict, LocalizedText? Basis,
    IReadOnlyList<SourceDto> FigureSources, IReadOnlyList<SourceDto> FromSources,
    IReadOnlyList<SourceDto> ToSources);
public sealed record ReportedFigureDto(string Id, LocalizedText Name, decimal Value, string Unit, Qualifier Qualifier,
    string? RegistryCount, int? Registered, LocalizedText? Note, IReadOnlyList<SourceDto> Sources);

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
                var analysed = await q.AnalysedAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.IndicatorValue, analysed.SelectMany(a => a.Indicator.Values)
                    .Select(v => v.Id));
                var figures = await c.ForAsync(SubjectTypes.ReportedFigure, analysed.SelectMany(a => a.Checks)
                    .Select(x => x.Figure.Id));
                return query.Paginate(MechanismApi.Sort(analysed, query, a => a.Indicator.Id)
                    .Select(a => ToDto(a, sources, figures)).ToList());
            });
        }).WithName("ListIndicators").WithSummary("Sourced indicator series, per year and per state where known")
          .WithDescription("Each indicator has its values (year, state or null for the mechanism as a whole, value, " +
              "qualifier, sources); `growth`: year on year per series, computed from the two values and their " +
              "sources; `otherSources`: indicators measuring the same thing by another source (Central Asian " +
              "statistics beside China's customs) with, for each year and state both give, the difference; `checks`: " +
              "quoted growth figures (reported figures in %) recomputed from the series, with the verdict (holds, " +
              "differs, not-computable) and its basis.")
          .Produces<Page<IndicatorDto>>().ProducesValidationProblem();

        api.MapGet("/indicators/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<IndicatorQueries>(http, async (q, c) =>
        {
            var analysed = await q.AnalysedAsync(id, ct);
            return analysed is null
                ? null
                : ToDto(analysed, await c.ForAsync(SubjectTypes.IndicatorValue, analysed.ValueIds),
                await c.ForAsync(SubjectTypes.ReportedFigure, analysed.Checks.Select(x => x.Figure.Id)));
        })).WithName("GetIndicator").WithSummary("An indicator by its id (e.g. trade-turnover-usd)")
            .Produces<IndicatorDto>().ProducesProblem(404);

        api.MapGet("/reported-figures", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [], ["id"], "id");
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<IndicatorQueries>(http, async (q, c) =>
            {
                var figures = await q.ReportedFiguresAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.ReportedFigure, figures.Select(f => f.Figure.Id));
                return query.Paginate(MechanismApi.Sort(figures, query, f => f.Figure.Id)
                    .Select(f => new ReportedFigureDto(
                    f.Figure.Id, f.Figure.Name, f.Figure.Value, f.Figure.Unit, f.Figure.Qualifier,
                    f.Figure.RegistryCount, f.Registered, f.Figure.Note,
                    SourceDto.From(sources, f.Figure.Id))).ToList());
            });
        }).WithName("ListReportedFigures")
            .WithSummary("Totals stated by sources, beside the count Caravan has registered")
          .Produces<Page<ReportedFigureDto>>().ProducesValidationProblem();
    }

    public static IndicatorDto ToDto(IndicatorAnalysis a,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> figureSources)
    {
        var i = a.Indicator;
        IReadOnlyList<SourceDto> Of(IndicatorValue? v) => v is null ? [] : SourceDto.From(sources, v.Id);
        return new(i.Id, i.Name, i.Unit, i.Description, i.Translated,
            [.. i.Values.Select(v => new IndicatorValueDto(v.Year, v.StateId, v.Value, v.Qualifier, v.Note, Of(v)))],
            i.SameMeasureAs,
            [.. a.Growth.Select(g => new GrowthDto(g.StateId, g.Growth.FromYear, g.Growth.From, g.Growth.ToYear,
                g.Growth.To, Math.Round(g.Growth.Percent, 2), g.Approximate, Of(g.From), Of(g.To)))],
            [.. a.Comparisons.Select(c =>
            {
                var others = c.Other.Values.ToDictionary(v => (v.Year, v.StateId));
                return new OtherSourceDto(c.Other.Id, c.Other.Name, c.Other.Unit, c.Other.Description,
                    [.. c.Differences.Select(d => new DifferenceDto(
                    d.Year, d.StateId, d.Value, d.Other, d.Difference, d.Percent is { } p ? Math.Round(p, 2) : null,
                    Of(i.Values.FirstOrDefault(v => v.Year == d.Year && v.StateId == d.StateId)),
                    Of(others.GetValueOrDefault((d.Year, d.StateId)))))]);
            })],
            [.. a.Checks.Select(x => new FigureCheckDto(x.Figure.Id, x.Figure.Name, x.Figure.Value, x.Check.FromYear,
                x.Check.ToYear, x.From?.Value, x.To?.Value, x.Result.Basis is { } b ? Math.Round(b.Percent, 2) : null,
                x.Result.Verdict, x.Check.Basis, SourceDto.From(figureSources, x.Figure.Id), Of(x.From), Of(x.To)))]);
    }
}
