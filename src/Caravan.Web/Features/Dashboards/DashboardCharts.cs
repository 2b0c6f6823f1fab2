using System.Globalization;
using System.Text.Json;
using Caravan.Features.Commitments;
using Caravan.Features.Dashboards;
using Caravan.Features.Indicators;
using Caravan.Web.Features.Shared;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Dashboards;

/// <summary>The dashboards' charts and map, built from the same figures as their tiles and tables.</summary>
public static class DashboardCharts
{
    private static readonly CommitmentStatus[] Shown = [CommitmentStatus.Complied, CommitmentStatus.Partly,
        CommitmentStatus.NotComplied, CommitmentStatus.NotAssessed];

    /// <summary>
    /// Commitments per direction by status (stacked): the tiles at a glance; those without a direction are a bar of
    /// their own.
    /// </summary>
    public static Chart Directions(DashboardOverview d, Display show, IStringLocalizer l)
    {
        var rows = d.Directions.Select(t => (Name: Display.Plain(t.Direction.Name), t.Figures))
            .Append((Name: l["dashboard.no-direction"].Value, Figures: d.WithoutDirection)).ToList();
        return new Chart("directions-chart", l["dashboard.directions-chart"], l["dashboard.unit-commitments"],
            "stacked", l["dashboard.direction"], [.. rows.Select(r => r.Name)],
            [.. Shown.Select(s => new ChartSeries(show.Enum(s), [.. rows.Select(r => (decimal?)r.Figures.ByStatus[s])],
                StatusPalette.Of(s)))]);
    }

    /// <summary>Commitments binding one state, by status.</summary>
    public static Chart Statuses(TileFigures t, Display show, IStringLocalizer l) =>
        new("status-chart", l["dashboard.status-chart"], l["dashboard.unit-commitments"], "bar", l["dashboard.status"],
            [.. Shown.Select(s => show.Enum(s))],
            [new ChartSeries(l["dashboard.commitments"], [.. Shown.Select(s => (decimal?)t.ByStatus[s])])],
            [.. Shown.Select(s => StatusPalette.Of(s)!)]);

    /// <summary>
    /// The whole-mechanism series of an indicator per year, with each other source of the same measure beside it.
    /// </summary>
    public static Chart Totals(IndicatorAnalysis a, string unit, string id, IStringLocalizer l)
    {
        var series = new[] { a.Indicator }.Concat(a.Comparisons.Select(c => c.Other)).ToList();
        var years = series.SelectMany(i => i.Values.Where(v => v.StateId is null)).Select(v => v.Year).Distinct()
            .Order().ToList();
        return new Chart(id, Display.Plain(a.Indicator.Name), unit, "bar", l["table.year"],
            [.. years.Select(y => y.ToString(CultureInfo.InvariantCulture))],
            [.. series.Where(i => i.Values.Any(v => v.StateId is null))
                .Select(i =>
                    new ChartSeries(Display.Plain(i.Name),
                    [.. years.Select(y => i.Values.FirstOrDefault(v => v.StateId is null && v.Year == y)?.Value)]))]);
    }

    /// <summary>
    /// An indicator's per-state values, one series per year (China's trade with each Central Asian state); titled
    /// apart from the same indicator's totals beside it.
    /// </summary>
    public static Chart ByState(Indicator i, IReadOnlyDictionary<string, string> names, string unit,
        IStringLocalizer l, string id)
    {
        var states = i.Values.Where(v => v.StateId is not null).Select(v => v.StateId!).Distinct()
            .OrderBy(Caravan.Features.Mechanism.MemberState.OrderOf).ToList();
        var years = i.Values.Where(v => v.StateId is not null).Select(v => v.Year).Distinct().Order().ToList();
        return new Chart(id, string.Format(Display.Culture, l["dashboard.by-state-title"], Display.Plain(i.Name)), unit,
            "bar", l["indicator.scope"], [.. states.Select(s => names[s])],
            [.. years.Select(y => new ChartSeries(y.ToString(CultureInfo.InvariantCulture),
                [.. states.Select(s => i.Values.FirstOrDefault(v => v.StateId == s && v.Year == y)?.Value)]))]);
    }

    /// <summary>ISO 3166-1 numeric codes, as world-atlas identifies countries.</summary>
    public static readonly IReadOnlyDictionary<string, string> Numeric = new Dictionary<string, string>
    {
        ["CN"] = "156", ["KZ"] = "398", ["KG"] = "417", ["TJ"] = "762", ["TM"] = "795", ["UZ"] = "860",
    };

    /// <summary>
    /// The map's data: each state shaded by the commitments binding it, with the table's other numbers for the tooltip.
    /// </summary>
    public static string MapSpec(DashboardOverview d, IReadOnlyDictionary<string, string> names, string unit) =>
        JsonSerializer.Serialize(new
    {
        view = Projects.MapModel.Region,
        unit,
        states = d.States.Select(s => new
        {
            code = s.State.Id,
            iso = Numeric.GetValueOrDefault(s.State.Id),
            name = names[s.State.Id],
            value = s.Commitments.Commitments,
            url = "/dashboard/" + s.State.Id,
        }),
    });
}
