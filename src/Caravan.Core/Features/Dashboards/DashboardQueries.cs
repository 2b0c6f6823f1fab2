using Caravan.Features.Commitments;
using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Projects;
using Caravan.Features.Treaties;

namespace Caravan.Features.Dashboards;

/// <summary>One priority direction's tile.</summary>
public sealed record DirectionTile(PriorityDirection Direction, TileFigures Figures);

/// <summary>
/// A member state on the overview's map and table: the commitments binding it, China's trade with it (GACC,
/// latest year; null for China, which is the other side of every figure) and the projects' money it receives.
/// </summary>
public sealed record StateFigures(MemberState State, TileFigures Commitments, IndicatorValue? TradeWithChina,
    TotalLine? Projects);

/// <summary>
/// The overview: six direction tiles (and what has no direction, so the tiles add up), the states, key indicators.
/// </summary>
public sealed record DashboardOverview(
    ReportingPeriod? Period, IReadOnlyList<DirectionTile> Directions, TileFigures WithoutDirection, TileFigures All,
    IReadOnlyList<StateFigures> States, IReadOnlyList<IndicatorAnalysis> KeyIndicators, ProjectTotals Projects);

/// <summary>A treaty the state is party to, with the state's own row of the participant table.</summary>
public sealed record StateTreaty(TreatyView Treaty, TreatyParticipant Participant);

/// <summary>An indicator with the values that are this state's (for China: the China–Central Asia totals).</summary>
public sealed record StateIndicator(IndicatorAnalysis Analysis, IReadOnlyList<IndicatorValue> Values, string? StateKey);

public sealed record StateDashboard(
    MemberState State, ReportingPeriod? Period, TileFigures Figures, IReadOnlyList<CommitmentView> Commitments,
    IReadOnlyList<StateTreaty> Treaties, IReadOnlyList<StateIndicator> Indicators, ProjectTotals Projects,
    IReadOnlyList<StateProgramme> Programmes, IReadOnlyList<Partnerships.Partnership> Partnerships);

/// <summary>
/// A programme as one state sees it: the pledge it made, or its share (null until something is allocated to
/// it — the ledgers are derived, so the share is the same figure as the programme page's row for the state).
/// </summary>
public sealed record StateProgramme(Programmes.ProgrammeView Programme, bool Pledger, Programmes.StateBalance? Share);

/// <summary>
/// The dashboards' reads: they add nothing to the data, only gather what the commitments, treaties, indicators
/// and projects queries already compute, so every number on a tile is the number on the page it links to.
/// </summary>
public sealed class DashboardQueries(MechanismQueries mechanism, CommitmentQueries commitments, TreatyQueries treaties,
    IndicatorQueries indicators, ProjectQueries projects, Programmes.ProgrammeQueries programmes,
    Partnerships.PartnershipQueries partnerships)
{
    /// <summary>
    /// The numbers the public judges the mechanism by (the words): trade, travellers, flights, freight by road.
    /// </summary>
    public static readonly IReadOnlyList<string> KeyIndicatorIds = ["trade-turnover-usd", "kz-person-trips",
        "direct-flights", "flights-may", "road-transport-share"];

    /// <summary>China's customs series of its trade with each Central Asian state.</summary>
    public const string TradeIndicatorId = "trade-turnover-usd";

    public async Task<DashboardOverview> OverviewAsync(DateOnly today, CancellationToken ct = default)
    {
        var directions = await mechanism.DirectionsAsync(ct);
        var states = await mechanism.StatesAsync(ct);
        var all = await commitments.ListAsync(new CommitmentFilter(), today, ct);
        var period = CommitmentQueries.Current(await commitments.PeriodsAsync(ct), today);
        var analysed = await indicators.AnalysedAsync(ct);
        var totals = await projects.TotalsAsync(new ProjectFilter(), ProjectQueries.DefaultTransactionType,
            ProjectQueries.DefaultCurrency, ct);
        var trade = analysed.FirstOrDefault(a => a.Indicator.Id == TradeIndicatorId)?.Indicator;
        return new DashboardOverview(
            period,
            [.. directions.Select(
                d => new DirectionTile(d, DashboardRules.Tile(all.Where(v => v.Commitment.DirectionId == d.Id))))],
            DashboardRules.Tile(
                all.Where(v => v.Commitment.DirectionId is null
                    || directions.All(d => d.Id != v.Commitment.DirectionId))),
            DashboardRules.Tile(all),
            [.. states.Select(s => new StateFigures(s,
                DashboardRules.Tile(all.Where(v => v.Commitment.Parties.Contains(s.Id))),
                trade?.Values.Where(v => v.StateId == s.Id).LastOrDefault(),
                totals.ByState.FirstOrDefault(l => l.Key == s.Id)))],
            [.. KeyIndicatorIds.Select(id => analysed.FirstOrDefault(a => a.Indicator.Id == id))
                .OfType<IndicatorAnalysis>()],
            totals);
    }

    /// <summary>One state's dashboard, or null for a code that is not a member state.</summary>
    public async Task<StateDashboard?> StateAsync(string code, DateOnly today, CancellationToken ct = default)
    {
        var state = await mechanism.StateAsync(code, ct);
        if (state is null) return null;
        var bound = await commitments.ListAsync(new CommitmentFilter(State: state.Id), today, ct);
        var period = CommitmentQueries.Current(await commitments.PeriodsAsync(ct), today);
        var treatyRows = (await treaties.ListAsync(today, ct))
            .SelectMany(t => t.Participants.Where(p => p.StateId == state.Id).Select(p => new StateTreaty(t, p)))
            .ToList();
        // Every series is China–Central Asia: a Central Asian state's figures are those given for it; China's are the
        // totals.
        var key = state.Id == "CN" ? null : state.Id;
        var stateIndicators = (await indicators.AnalysedAsync(ct))
            .Select(a => new StateIndicator(a, [.. a.Indicator.Values.Where(v => v.StateId == key)], key))
            .Where(s => s.Values.Count > 0).ToList();
        var totals = await projects.TotalsAsync(new ProjectFilter(State: state.Id),
            ProjectQueries.DefaultTransactionType, ProjectQueries.DefaultCurrency, ct);
        // The programmes the state pledged, and those that allocated it something.
        var stateProgrammes = (await programmes.ListAsync(ct))
            .Select(p => new StateProgramme(p, p.Programme.PledgedById == state.Id,
                p.States.FirstOrDefault(b => b.StateId == state.Id)))
            .Where(p => p.Pledger || p.Share is not null).ToList();
        var ties = await partnerships.ListAsync(new Partnerships.PartnershipFilter(State: state.Id), ct);
        return new StateDashboard(state, period, DashboardRules.Tile(bound), bound, treatyRows, stateIndicators, totals,
            stateProgrammes, ties);
    }
}
