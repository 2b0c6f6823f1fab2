using Caravan.Data;
using Caravan.Features.Projects;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// The map of the matching projects' locations: ECharts over world-atlas boundaries served from this site (no
/// tile server), with a table of the same points for readers without JavaScript.
/// </summary>
// Cached until projects, rates, directions or states, commitments or sources change.
[Caravan.Web.Infrastructure.DependsOn(typeof(Caravan.Features.Projects.Project),
    typeof(Caravan.Features.Money.ExchangeRate), typeof(Caravan.Features.Mechanism.MemberState),
    typeof(Caravan.Features.Commitments.Commitment), typeof(Caravan.Features.Sources.Source))]
public sealed class MapModel(ProjectQueries projects) : PageModel
{
    /// <summary>
    /// The mechanism's region (China and Central Asia, west–south–east–north): the map's view unless points lie
    /// outside.
    /// </summary>
    public static readonly decimal[] Region = [44m, 15m, 137m, 57m];

    public ProjectRequest Asked { get; private set; } = new(new ProjectFilter(), ProjectQueries.DefaultCurrency,
        ProjectQueries.DefaultTransactionType);
    public ProjectLocations? Locations { get; private set; }
    public IReadOnlyCollection<string> Problems { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = new ListQuery(Request, ProjectsApi.Filters, ["identifier"], "identifier", ignoreUnknown: true);
        Asked = await ProjectsApi.ReadAsync(HttpContext, query, withMoney: false, ct);
        if (!query.IsValid)
        {
            Problems = query.Invalid;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Locations = await projects.LocationsAsync(Asked.Filter, ct: ct);
    }

    /// <summary>
    /// What the map shows: the region, widened to every point with a margin. Only boundaries inside it are drawn,
    /// which also keeps the countries that cross the antimeridian (Russia, Fiji) from streaking across the map.
    /// </summary>
    public static decimal[] View(IReadOnlyList<ProjectPoint> points)
    {
        if (points.Count == 0) return Region;
        const decimal margin = 2m;
        return [
            Math.Max(-180m, Math.Min(Region[0], points.Min(p => p.Longitude) - margin)),
            Math.Max(-85m, Math.Min(Region[1], points.Min(p => p.Latitude) - margin)),
            Math.Min(180m, Math.Max(Region[2], points.Max(p => p.Longitude) + margin)),
            Math.Min(85m, Math.Max(Region[3], points.Max(p => p.Latitude) + margin)),
        ];
    }
}
