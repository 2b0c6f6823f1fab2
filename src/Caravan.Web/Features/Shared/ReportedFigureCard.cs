using Caravan.Features.Indicators;
using Caravan.Features.Seed;
using Caravan.Features.Sources;

namespace Caravan.Web.Features.Shared;

/// <summary>A reported figure as the home and About pages show it (partial _ReportedFigure).</summary>
public sealed record ReportedFigureCard(ReportedFigureView View, IReadOnlyList<CitedSource> Sources)
{
    /// <summary>
    /// The registry list the "registered" count is taken from, so a reader can see the records counted.
    /// </summary>
    public string? RegistryUrl => View.Figure.RegistryCount is { } spec ? RegistryCount.TryParse(spec) switch
    {
        { Kind: "documents", MeetingId: { } meeting, Scope: { } scope } =>
            $"/documents?meeting={Uri.EscapeDataString(meeting)}&scope={SeedEnums.ToKebab(scope)}",
        { Kind: "bodies", BodyKind: { } kind } => $"/bodies#kind-{SeedEnums.ToKebab(kind)}",
        _ => null,
    } : null;
}
