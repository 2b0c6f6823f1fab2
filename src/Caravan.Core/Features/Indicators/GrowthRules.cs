namespace Caravan.Features.Indicators;

/// <summary>Growth between two years of a series, with the figures it rests on (its basis).</summary>
public sealed record Growth(int FromYear, decimal From, int ToYear, decimal To)
{
    /// <summary>The change as a percentage of the earlier figure, unrounded.</summary>
    public decimal Percent => (To - From) / From * 100;
}

/// <summary>What a claimed growth ("+35% in two years") turns out to be when computed from the series.</summary>
public enum ClaimVerdict { Holds, Differs, NotComputable }

public sealed record ClaimCheck(ClaimVerdict Verdict, Growth? Basis, decimal Claimed);

/// <summary>
/// Growth figures reproduced from a series, so that a figure quoted in a speech is shown beside what the data
/// say and how it was computed. Plain functions, no database.
/// </summary>
public static class GrowthRules
{
    /// <summary>
    /// The growth from one year to another, or null when either year is missing or the earlier figure is not positive.
    /// </summary>
    public static Growth? Between(IReadOnlyDictionary<int, decimal> series, int fromYear, int toYear) =>
        series.TryGetValue(fromYear, out var from) && series.TryGetValue(toYear, out var to) && from > 0
            ? new Growth(fromYear, from, toYear, to)
            : null;

    /// <summary>
    /// Checks a claimed percentage against the series: it holds when the computed growth, rounded as the claim
    /// is (to whole percent by default), equals it.
    /// </summary>
    public static ClaimCheck Check(IReadOnlyDictionary<int, decimal> series, int fromYear, int toYear,
        decimal claimedPercent, int decimals = 0)
    {
        if (Between(series, fromYear, toYear) is not { } growth) return new ClaimCheck(ClaimVerdict.NotComputable, null,
            claimedPercent);
        var rounded = Math.Round(growth.Percent, decimals, MidpointRounding.AwayFromZero);
        return new ClaimCheck(rounded == claimedPercent ? ClaimVerdict.Holds : ClaimVerdict.Differs, growth,
            claimedPercent);
    }

    /// <summary>
    /// The growth of each year over the year before, for every pair of consecutive years the series has (gaps are not
    /// bridged).
    /// </summary>
    public static IReadOnlyList<Growth> YearOnYear(IReadOnlyDictionary<int, decimal> series) =>
        [.. series.Keys.Order().Select(year => Between(series, year - 1, year)).OfType<Growth>()];

    /// <summary>
    /// How many decimals a quoted figure has, so that it is compared at its own precision: "35" is whole
    /// percent, "35.1" one decimal. Trailing zeros a store adds (35.0) do not count.
    /// </summary>
    public static int DecimalsOf(decimal quoted)
    {
        var text = Math.Abs(quoted).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return point < 0 ? 0 : text.TrimEnd('0').Length - point - 1;
    }
}

/// <summary>
/// Two sources' values for the same year and state: the second's difference from the first, absolute and in % of the
/// first.
/// </summary>
public sealed record SourceDifference(int Year, string? StateId, decimal Value, decimal Other)
{
    public decimal Difference => Other - Value;
    /// <summary>Null when the first value is zero (no percentage of nothing).</summary>
    public decimal? Percent => Value == 0 ? null : (Other - Value) / Value * 100;
}

/// <summary>Where two sources measure the same thing, the years and states both give, side by side. Pure.</summary>
public static class SourceComparison
{
    public static IReadOnlyList<SourceDifference> Compare(IEnumerable<IndicatorValue> values,
        IEnumerable<IndicatorValue> others)
    {
        var byKey = others.GroupBy(o => (o.Year, o.StateId)).ToDictionary(g => g.Key, g => g.First().Value);
        return [.. values.Where(v => byKey.ContainsKey((v.Year, v.StateId)))
            .OrderBy(v => v.Year).ThenBy(v => v.StateId is null ? -1 : Mechanism.MemberState.OrderOf(v.StateId))
            .Select(v => new SourceDifference(v.Year, v.StateId, v.Value, byKey[(v.Year, v.StateId)]))];
    }
}
