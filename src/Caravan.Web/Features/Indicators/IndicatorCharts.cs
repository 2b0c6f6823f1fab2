using System.Globalization;
using Caravan.Features.Indicators;
using Caravan.Web.Features.Shared;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Indicators;

/// <summary>The charts of an indicator, built from the same values the tables show.</summary>
public static class IndicatorCharts
{
    /// <summary>
    /// One series per scope (the total, then each state), one category per year; a missing year is a gap.
    /// </summary>
    public static Chart Series(Indicator i, IReadOnlyDictionary<string, string> names, string unit, IStringLocalizer l,
        string id = "indicator-chart")
    {
        var years = i.Values.Select(v => v.Year).Distinct().Order().ToList();
        var series = i.Values.GroupBy(v => v.StateId)
            .Select(g =>
                new ChartSeries(names[g.Key ?? ""],
                [.. years.Select(y => g.FirstOrDefault(v => v.Year == y)?.Value)])).ToList();
        return new Chart(id, Display.Plain(i.Name), unit, "bar", l["table.year"],
            [.. years.Select(y => y.ToString(CultureInfo.InvariantCulture))], series);
    }

    /// <summary>Two sources of one measure, bar beside bar, for each year and state both give.</summary>
    public static Chart SideBySide(Indicator i, Indicator other, IReadOnlyList<SourceDifference> differences,
        IReadOnlyDictionary<string, string> names, string unit, IStringLocalizer l) =>
        new("compare-" + other.Id, $"{Display.Plain(i.Name)} · {Display.Plain(other.Name)}", unit, "bar",
            l["indicator.year-and-state"], [.. differences.Select(d => $"{d.Year} · {names[d.StateId ?? ""]}")],
            [new ChartSeries(Display.Plain(i.Name), [.. differences.Select(d => (decimal?)d.Value)]),
             new ChartSeries(Display.Plain(other.Name), [.. differences.Select(d => (decimal?)d.Other)])]);

    /// <summary>
    /// A percentage with its sign, to two decimals at most, in the reader's locale: "+35.07 %" reads as growth at a
    /// glance.
    /// </summary>
    public static string Signed(decimal percent) =>
        (percent > 0 ? "+" : "") + Math.Round(percent, 2, MidpointRounding.AwayFromZero)
            .ToString("0.##", Display.Culture) + "%";

    /// <summary>
    /// A growth with its basis, "2022 → 2024: 70.2 → 94.82 = +35.07%": the years, the two values as shown, the result.
    /// </summary>
    public static string Basis(string template, int fromYear, string from, int toYear, string to, string percent) =>
        string.Format(Display.Culture, template, $"{fromYear} → {toYear}", $"{from} → {to}", percent);
}
