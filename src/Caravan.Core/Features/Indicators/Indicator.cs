using Caravan.Shared;

namespace Caravan.Features.Indicators;

/// <summary>A sourced time series, such as China–Central Asia trade turnover.</summary>
public sealed class Indicator
{
    public required string Id { get; set; }
    public required LocalizedText Name { get; set; }
    public required string Unit { get; set; }
    public LocalizedText? Description { get; set; }
    public List<string> Translated { get; set; } = [];
    public List<IndicatorValue> Values { get; set; } = [];
    /// <summary>
    /// Another indicator that measures the same thing by another source (Central Asian statistics beside China's
    /// customs): their values for the same year and state are shown side by side with the difference, so a
    /// disagreement between sources is visible instead of one figure silently winning.
    /// </summary>
    public string? SameMeasureAs { get; set; }
    /// <summary>
    /// Figures quoted in sources ("+35% in two years") that this series is the basis for: each is recomputed from it.
    /// </summary>
    public List<FigureCheck> Checks { get; set; } = [];
}

/// <summary>
/// A quoted growth (a reported figure in %) checked against this indicator's whole-mechanism values from one
/// year to another; <paramref name="Basis"/> says why those years (a speech of June 2025 about "two years" can
/// only rest on the last full years, 2022 → 2024).
/// </summary>
public sealed record FigureCheck(string Figure, int FromYear, int ToYear, LocalizedText? Basis = null);

/// <summary>One year's value of an indicator, for the mechanism as a whole or for one state.</summary>
public sealed class IndicatorValue : IVersioned
{
    /// <summary>Optimistic concurrency: see <see cref="IVersioned"/>.</summary>
    public int Version { get; set; }
    /// <summary><c>{indicator}:{year}:{state or "all"}</c>, stable across dataset versions.</summary>
    public required string Id { get; set; }
    public required string IndicatorId { get; set; }
    public int Year { get; set; }
    /// <summary>Null for the mechanism as a whole.</summary>
    public string? StateId { get; set; }
    public decimal Value { get; set; }
    public Qualifier Qualifier { get; set; }
    public LocalizedText? Note { get; set; }

    public static string KeyOf(string indicatorId, int year, string? stateId) =>
        $"{indicatorId}:{year}:{stateId ?? "all"}";
}

/// <summary>How a source states a figure: "more than 100", "nearly 1.5 billion".</summary>
public enum Qualifier
{
    Exact,
    MoreThan,
    /// <summary>"At least 3": the figure itself may be the total.</summary>
    AtLeast,
    Nearly,
    About,
}

/// <summary>
/// A total stated in a source ("10 multilateral documents"), kept beside what Caravan has actually
/// registered so that the portal can show both honestly.
/// </summary>
public sealed class ReportedFigure
{
    public required string Id { get; set; }
    public required LocalizedText Name { get; set; }
    public decimal Value { get; set; }
    public required string Unit { get; set; }
    public Qualifier Qualifier { get; set; }
    /// <summary>
    /// The registry count to compare with: <c>documents:{meeting}:{scope}</c> or <c>bodies:{kind}</c>.
    /// </summary>
    public string? RegistryCount { get; set; }
    public LocalizedText? Note { get; set; }
    public List<string> Translated { get; set; } = [];
}
