namespace Caravan.Web.Features.Shared;

/// <summary>
/// One of the portal's maps (partial <c>_Map</c>), drawn by <c>wwwroot/js/world-map.js</c> from <paramref name="Spec"/>
/// over the prepared regional boundaries. Without script the box says where the map would be and points to
/// <paramref name="TableId"/>, the table of the same figures that every map has beside it.
/// </summary>
/// <param name="Note">An extra sentence after the boundaries' source (what the lines mean on the partnerships
/// map).</param>
public sealed record MapFigure(string Id, string Spec, string Label, string TableId, string? Note = null)
{
    /// <summary>
    /// The boundaries the browser receives: built from world-atlas by <c>build/boundaries.cjs</c> (China with Taiwan,
    /// Hong Kong and Macao; the region only; disputed lines apart). The world file itself is never served.
    /// </summary>
    public const string Boundaries = "/lib/boundaries/cca-region-50m.json";
}
