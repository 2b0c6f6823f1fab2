using Caravan.Features.Commitments;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// How a status looks wherever it is drawn: its colour, a fill pattern and a symbol, so that it reads without colour
/// too.
/// </summary>
/// <param name="Key">The status in kebab case, as in the stylesheet's classes (<c>status-complied</c>,
/// <c>commitment-complied</c>).</param>
/// <param name="Pattern">The fill ECharts lays over the colour (<c>solid</c>, <c>stripes</c>, <c>cross</c>,
/// <c>dots</c>; site.js draws them).</param>
public sealed record StatusTone(string Key, string Color, string Pattern, string Symbol);

/// <summary>
/// The one status palette of the portal: complied green, partly amber, not complied red, not assessed grey. Charts
/// take it from here (through the chart spec); the stylesheet repeats the same colours and symbols for the tiles,
/// the commitments' status marks and the progress bars, and a test holds the two together.
/// </summary>
public static class StatusPalette
{
    public static readonly StatusTone Complied = new("complied", "#2e7d32", "solid", "✓");
    public static readonly StatusTone Partly = new("partly", "#e69f00", "stripes", "◐");
    public static readonly StatusTone NotComplied = new("not-complied", "#c62828", "cross", "✗");
    public static readonly StatusTone NotAssessed = new("not-assessed", "#9e9e9e", "dots", "○");

    public static IReadOnlyList<StatusTone> All { get; } = [Complied, Partly, NotComplied, NotAssessed];

    /// <summary>The tone of a commitment's status; a cancelled commitment is not charted and has none.</summary>
    public static StatusTone? Of(CommitmentStatus status) => status switch
    {
        CommitmentStatus.Complied => Complied,
        CommitmentStatus.Partly => Partly,
        CommitmentStatus.NotComplied => NotComplied,
        CommitmentStatus.NotAssessed => NotAssessed,
        _ => null,
    };
}
