using System.Globalization;
using System.Text.Json;
using Caravan.Features.Partnerships;
using Caravan.Features.Sources;
using Caravan.Web.Features.Projects;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Partnerships;

/// <summary>
/// The partnerships page: the count of sister-city pairs against the target, the map of the partnerships that
/// match the filters (with a table of the same places), and the list with lifecycle and sources.
/// </summary>
public sealed class ListModel(PartnershipQueries partnerships, CitationQueries citations, TimeProvider clock)
    : PageModel
{
    public PartnershipFilter Filter { get; private set; } = new();
    public IReadOnlyCollection<string> Problems { get; private set; } = [];
    public List<Partnership> Partnerships { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public PairCountsDto? Counts { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counts = await PartnershipsApi.CountsAsync(partnerships, citations, clock, ct);
        var query = new ListQuery(Request, PartnershipsApi.Filters, ["kind"], "kind", ignoreUnknown: true);
        Filter = PartnershipsApi.Read(query);
        if (!query.IsValid)
        {
            Problems = query.Invalid;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Partnerships = await partnerships.ListAsync(Filter, ct);
        Sources = await citations.ForAsync(SubjectTypes.Partnership, Partnerships.Select(p => p.Id), ct);
    }

    public string? Asked(string name) => Request.Query[name].ToString() is { Length: > 0 } v ? v : null;

    /// <summary>
    /// What the map draws: a point per located place and a line between the two places of a partnership when both are
    /// located; the view is the mechanism's region, widened to every point.
    /// </summary>
    public string MapSpec()
    {
        var points = Partnerships.SelectMany(p => PartnershipsApi.Places(p)
            .Where(x => x.Latitude is not null && x.Longitude is not null)
            .Select(x => new { lon = x.Longitude!.Value, lat = x.Latitude!.Value, name = Display.Plain(x.Name),
                title = Display.Plain(PartnershipRules.TitleOf(p)), url = $"/partnerships/{p.Id}",
                kind = Caravan.Features.Seed.SeedEnums.ToKebab(p.Kind) }))
            .ToList();
        var lines = Partnerships.Where(p => p is { LatitudeA: not null, LongitudeA: not null, LatitudeB: not null,
            LongitudeB: not null })
            .Select(p => new { from = new[] { p.LongitudeA!.Value, p.LatitudeA!.Value },
                to = new[] { p.LongitudeB!.Value, p.LatitudeB!.Value },
                title = Display.Plain(PartnershipRules.TitleOf(p)), url = $"/partnerships/{p.Id}" })
            .ToList();
        const decimal margin = 2m;
        var r = MapModel.Region;
        decimal[] view = points.Count == 0 ? r :
        [
            Math.Max(-180m, Math.Min(r[0], points.Min(p => p.lon) - margin)),
            Math.Max(-85m, Math.Min(r[1], points.Min(p => p.lat) - margin)),
            Math.Min(180m, Math.Max(r[2], points.Max(p => p.lon) + margin)),
            Math.Min(85m, Math.Max(r[3], points.Max(p => p.lat) + margin)),
        ];
        return JsonSerializer.Serialize(new { view, points, lines });
    }

    /// <summary>The reported totals, the recorded pairs and the target, year by year, as one line chart.</summary>
    public Chart CountChart(Microsoft.Extensions.Localization.IStringLocalizer l)
    {
        var rows = Counts!.Years;
        return new Chart("pair-counts", l["partnerships.chart-title"], l["partnerships.pairs-unit"], "line",
            l["partnerships.year"], [.. rows.Select(r => r.Year.ToString(CultureInfo.InvariantCulture))],
            [
                new ChartSeries(l["partnerships.series-reported"], [.. rows.Select(r => r.Reported)]),
                new ChartSeries(l["partnerships.series-recorded"], [.. rows.Select(r => (decimal?)r.Recorded)]),
                new ChartSeries(l["partnerships.series-target"], [.. rows.Select(r => r.Target)]),
            ]);
    }
}
