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
    /// <summary>The growth from one year to another, or null when either year is missing or the earlier figure is not positive.</summary>
    public static Growth? Between(IReadOnlyDictionary<int, decimal> series, int fromYear, int toYear) =>
        series.TryGetValue(fromYear, out var from) && series.TryGetValue(toYear, out var to) && from > 0 ? new Growth(fromYear, from, toYear, to) : null;

    /// <summary>
    /// Checks a claimed percentage against the series: it holds when the computed growth, rounded as the claim
    /// is (to whole percent by default), equals it.
    /// </summary>
    public static ClaimCheck Check(IReadOnlyDictionary<int, decimal> series, int fromYear, int toYear, decimal claimedPercent, int decimals = 0)
    {
        if (Between(series, fromYear, toYear) is not { } growth) return new ClaimCheck(ClaimVerdict.NotComputable, null, claimedPercent);
        var rounded = Math.Round(growth.Percent, decimals, MidpointRounding.AwayFromZero);
        return new ClaimCheck(rounded == claimedPercent ? ClaimVerdict.Holds : ClaimVerdict.Differs, growth, claimedPercent);
    }
}
