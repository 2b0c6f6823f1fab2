using System.Globalization;
using Caravan.Features.Commitments;
using Caravan.Features.Dashboards;
using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Caravan.Web.Features.Indicators;
using Caravan.Web.Features.Shared;
using Caravan.Web.Features.Treaties;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Dashboards;

/// <summary>
/// A tile's figures. Progress is null when no commitment is assessed (not 50 %); statuses and freshness are keyed in
/// kebab case.
/// </summary>
public sealed record TileDto(int Commitments, IReadOnlyDictionary<string, int> ByStatus, int Assessed,
    double? ProgressPercent, double? ProgressMean, IReadOnlyDictionary<string, int> ByFreshness, int Stale,
    string? LastAssessed,
    // Assessed commitments whose status rests on some of their parties only (the others not assessed).
    int PartlyAssessed);
public sealed record DirectionTileDto(string Direction, int Order, LocalizedText Name, string Url, TileDto Figures);
public sealed record TradeValueDto(string Indicator, int Year, decimal Value, string Unit, Qualifier Qualifier,
    IReadOnlyList<SourceDto> Sources);
public sealed record ProjectMoneyDto(string Currency, string TransactionType, decimal Amount,
    IReadOnlyList<Money> Unconverted, int Transactions);
public sealed record StateFiguresDto(string State, LocalizedText Name, string Url, TileDto Commitments,
    TradeValueDto? TradeWithChina, ProjectMoneyDto? Projects);
public sealed record PeriodRefDto(string Id, LocalizedText Name);
public sealed record DashboardDto(PeriodRefDto? Period, IReadOnlyList<DirectionTileDto> Directions,
    TileDto WithoutDirection, TileDto All, IReadOnlyList<StateFiguresDto> States,
    IReadOnlyList<IndicatorDto> KeyIndicators, ProjectMoneyDto Projects, string Method);
public sealed record StateCommitmentDto(string Id, string Url, LocalizedText Text, string? Direction,
    CommitmentStatus Status, Freshness Freshness, double? Collective, string? CollectivePeriod,
    IReadOnlyList<int> Scores, int PartiesAssessed, int PartiesBound);
public sealed record StepDto(RatificationStepKind Kind, string? On, string? EvidenceUrl);
public sealed record StateTreatyDto(string Treaty, string Url, LocalizedText Title, TreatyStatus Status,
    string? EntryIntoForce, string? SignedOn, IReadOnlyList<StepDto> Steps, string? InstrumentOn, string? InForceOn);
public sealed record StateDashboardDto(string State, LocalizedText Name, PeriodRefDto? Period, TileDto Figures,
    IReadOnlyList<StateCommitmentDto> Commitments, IReadOnlyList<StateTreatyDto> Treaties,
    IReadOnlyList<IndicatorDto> Indicators, ProjectMoneyDto Projects,
    IReadOnlyList<ProjectMoneyLineDto> ProjectsByStage, IReadOnlyList<StateProgrammeDto> Programmes,
    IReadOnlyList<StatePartnershipDto> Partnerships);
/// <summary>
/// A programme the state pledged (<c>pledger</c>) or has a share of: its allocation and each stage (in the programme's
/// unit).
/// </summary>
public sealed record StateProgrammeDto(string Programme, string Url, LocalizedText Name, string Unit, decimal Pledged,
    bool Pledger, decimal? Allocated, IReadOnlyDictionary<string, decimal>? Stages, decimal? Unused);
public sealed record StatePartnershipDto(string Partnership, string Url, string Kind, string Status, string OtherState,
    LocalizedText? Name);
public sealed record ProjectMoneyLineDto(string? Key, decimal Amount, IReadOnlyList<Money> Unconverted,
    int Transactions);

/// <summary>
/// /api/v1/dashboard (the overview) and /api/v1/dashboard/{state}: the numbers of the portal's dashboards, each
/// computed by the same queries as the commitments, treaties, indicators and projects pages.
/// </summary>
public static class DashboardsApi
{
    public const string Method =
        "Commitments counted are those not cancelled, superseded or merged; byStatus also lists cancelled ones. Progress is the mean of the assessed commitments' collective scores (−1…+1, latest period with scores) as (mean + 1) / 2 × 100; null when none is assessed. Stale = overdue + inactive. Projects: outgoing commitments (IATI transaction type 2) of published projects, converted to USD at each value date; by state, split by the recipient country's percentage. Projects stored with rule findings are counted (as /api/v1/projects/totals does by default).";

    public static void MapDashboardsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Dashboards");

        api.MapGet("/dashboard", (HttpContext http, TimeProvider clock, IStringLocalizer<SharedResource> l,
            CancellationToken ct) =>
        {
            if (UnknownParameters(http, l) is { } bad) return Task.FromResult(bad);
            return Api.CachedJson<DashboardQueries>(http, async (q, c) =>
                await ToDto(await q.OverviewAsync(TreatiesApi.Today(clock), ct), c, ct));
        }).WithName("GetDashboard")
          .WithSummary("The overview: one tile per priority direction (commitments, progress, freshness), the member " +
              "states, key indicators with sources")
          .WithDescription(Method)
          .Produces<DashboardDto>().ProducesValidationProblem();

        api.MapGet("/dashboard/{state}", async (string state, HttpContext http, TimeProvider clock,
            MechanismQueries mechanism, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            if (UnknownParameters(http, l) is { } bad) return bad;
            if (await mechanism.StateAsync(state, ct) is null) return UnknownState(state, l);
            return await Api.CachedJsonById<DashboardQueries>(http, async (q, c) =>
                await q.StateAsync(state, TreatiesApi.Today(clock), ct) is { } d ? await ToDto(d, c, ct) : null);
        }).WithName("GetStateDashboard")
          .WithSummary("One member state's dashboard (ISO 3166-1 alpha-2: CN, KZ, KG, TJ, TM, UZ): its commitments " +
              "by status, treaty steps, indicator values, project totals")
          .WithDescription(Method + " An unknown state is a 404 problem naming the six codes.")
          .Produces<StateDashboardDto>().ProducesProblem(404).ProducesValidationProblem();
    }

    /// <summary>
    /// The dashboards take no parameters but the language: anything else is named in a 400, in the caller's language.
    /// </summary>
    private static IResult? UnknownParameters(HttpContext http, IStringLocalizer l)
    {
        var unknown = http.Request.Query.Keys.Where(k => k != "culture").Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0) return null;
        var errors = unknown.ToDictionary(k => k, k =>
            new[] { string.Format(CultureInfo.CurrentCulture, l["dashboard.unknown-parameter"], k) });
        return TypedResults.ValidationProblem(errors, title: l["dashboard.bad-query"],
            detail: string.Join(" ", errors.Values.Select(e => e[0])));
    }

    public static IResult UnknownState(string state, IStringLocalizer l) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: l["dashboard.unknown-state-title"],
        detail: string.Format(CultureInfo.CurrentCulture, l["dashboard.unknown-state"], state,
            string.Join(", ", MemberState.Codes)));

    public static TileDto ToDto(TileFigures t) => new(t.Commitments,
        t.ByStatus.ToDictionary(kv => SeedEnums.ToKebab(kv.Key), kv => kv.Value),
        t.Assessed, t.Assessed == 0 ? null : Math.Round(t.Progress.Percent, 1),
        t.Assessed == 0 ? null : Math.Round(t.Progress.Mean, 3),
        t.ByFreshness.ToDictionary(kv => SeedEnums.ToKebab(kv.Key), kv => kv.Value), t.Stale, t.LastAssessed?.ToIso(),
        t.PartlyAssessed);

    private static ProjectMoneyDto MoneyOf(ProjectTotals totals, TotalLine? line) =>
        new(totals.Currency, totals.TransactionType, line?.Amount ?? 0, line?.Unconverted ?? [],
            line?.Transactions ?? 0);

    private static async Task<object?> ToDto(DashboardOverview d, CitationQueries c, CancellationToken ct)
    {
        var analyses = d.KeyIndicators;
        var trade = d.States.Select(s => s.TradeWithChina).OfType<IndicatorValue>();
        var sources = await c.ForAsync(SubjectTypes.IndicatorValue, analyses.SelectMany(a => a.ValueIds)
            .Concat(trade.Select(v => v.Id)).Distinct(), ct);
        var figures = await c.ForAsync(SubjectTypes.ReportedFigure, analyses.SelectMany(a => a.Checks)
            .Select(x => x.Figure.Id), ct);
        return new DashboardDto(
            d.Period is { } p ? new PeriodRefDto(p.Id, p.Name) : null,
            [.. d.Directions.Select(t => new DirectionTileDto(t.Direction.Id, t.Direction.Order, t.Direction.Name,
                "/commitments?direction=" + Uri.EscapeDataString(t.Direction.Id), ToDto(t.Figures)))],
            ToDto(d.WithoutDirection), ToDto(d.All),
            [.. d.States.Select(s => new StateFiguresDto(s.State.Id, s.State.Name, "/dashboard/" + s.State.Id,
                ToDto(s.Commitments), s.TradeWithChina is { } v ? new TradeValueDto(DashboardQueries.TradeIndicatorId,
                    v.Year, v.Value, "USD bn", v.Qualifier, SourceDto.From(sources, v.Id)) : null,
                s.Projects is null ? null : MoneyOf(d.Projects, s.Projects)))],
            [.. analyses.Select(a => IndicatorsApi.ToDto(a, sources, figures))],
            MoneyOf(d.Projects, d.Projects.Total), Method);
    }

    private static async Task<object?> ToDto(StateDashboard d, CitationQueries c, CancellationToken ct)
    {
        var sources = await c.ForAsync(SubjectTypes.IndicatorValue, d.Indicators.SelectMany(i => i.Analysis.ValueIds)
            .Distinct(), ct);
        var figures = await c.ForAsync(SubjectTypes.ReportedFigure, d.Indicators.SelectMany(i => i.Analysis.Checks)
            .Select(x => x.Figure.Id), ct);
        return new StateDashboardDto(d.State.Id, d.State.Name, d.Period is { } p ? new PeriodRefDto(p.Id, p.Name)
            : null, ToDto(d.Figures),
            [.. d.Commitments.Select(v =>
                new StateCommitmentDto(v.Commitment.Id, "/commitments/" + Uri.EscapeDataString(v.Commitment.Id),
                v.Commitment.Text, v.Commitment.DirectionId, v.Status, v.Freshness, v.Collective, v.CollectivePeriodId,
                [.. v.Assessments.Where(a => a.StateId == d.State.Id && a.PeriodId == v.CollectivePeriodId)
                    .Select(a => a.Score)], v.PartiesAssessed, v.PartiesBound))],
            [.. d.Treaties.Select(t => new StateTreatyDto(t.Treaty.Document.Id,
                "/treaties/" + Uri.EscapeDataString(t.Treaty.Document.Id), t.Treaty.Document.Title,
                t.Treaty.Evaluation.Status, t.Treaty.Evaluation.EntryIntoForce?.ToIso(),
                t.Participant.SignedOn?.ToIso(),
                [.. t.Participant.Steps.Select(s => new StepDto(s.Kind, s.On?.ToIso(), s.EvidenceUrl))],
                t.Participant.InstrumentOn?.ToIso(), t.Participant.InForceOn?.ToIso()))],
            // The state's values only, with the growth and the other sources' figures for the same state.
            [.. d.Indicators.Select(i => IndicatorsApi.ToDto(StateOnly(i), sources, figures))],
            MoneyOf(d.Projects, d.Projects.ByState.FirstOrDefault(l => l.Key == d.State.Id)),
            [.. d.Projects.ByStage.Select(l => new ProjectMoneyLineDto(l.Key, l.Amount, l.Unconverted,
                l.Transactions))],
            [.. d.Programmes.Select(p => new StateProgrammeDto(p.Programme.Programme.Id,
                "/programmes/" + Uri.EscapeDataString(p.Programme.Programme.Id), p.Programme.Programme.Name,
                p.Programme.Programme.Unit, p.Programme.Programme.Pledged, p.Pledger, p.Share?.Allocated,
                p.Share is { } share ? Programmes.ProgrammesApi.Stages(p.Programme.Stages, share.Stages) : null,
                p.Share?.Unused))],
            [.. d.Partnerships.Select(t => new StatePartnershipDto(t.Id, "/partnerships/" + Uri.EscapeDataString(t.Id),
                SeedEnums.ToKebab(t.Kind), SeedEnums.ToKebab(t.Status), t.StateA == d.State.Id ? t.StateB : t.StateA,
                t.Name))]);
    }

    /// <summary>
    /// An indicator cut down to one state's values (China: the totals), with its growth and other sources for the same.
    /// </summary>
    public static IndicatorAnalysis StateOnly(StateIndicator i)
    {
        var a = i.Analysis;
        var indicator = new Indicator
        {
            Id = a.Indicator.Id, Name = a.Indicator.Name, Unit = a.Indicator.Unit,
                Description = a.Indicator.Description, Translated = a.Indicator.Translated,
            SameMeasureAs = a.Indicator.SameMeasureAs, Checks = i.StateKey is null ? a.Indicator.Checks : [],
                Values = [.. i.Values],
        };
        return new IndicatorAnalysis(indicator,
            [.. a.Growth.Where(g => g.StateId == i.StateKey)],
            [.. a.Comparisons.Select(c =>
                new SourceComparisonView(c.Other, [.. c.Differences.Where(x => x.StateId == i.StateKey)]))
                .Where(c => c.Differences.Count > 0)],
            i.StateKey is null ? a.Checks : []);
    }
}
