using Caravan.Features.Dashboards;
using Caravan.Features.Sources;
using Caravan.Web.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Dashboards;

/// <summary>
/// /dashboard/{state}: one member state's commitments, treaty steps, indicator values and project totals.
/// </summary>
public sealed class StateModel(DashboardQueries dashboards, CitationQueries citations, TimeProvider clock) : PageModel
{
    public StateDashboard? Dashboard { get; private set; }
    public string Asked { get; private set; } = "";
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> FigureSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task OnGetAsync(string state, CancellationToken ct)
    {
        Asked = state;
        Dashboard = await dashboards.StateAsync(state, TreatiesApi.Today(clock), ct);
        if (Dashboard is null)
        {
            // The page itself says which codes exist, in the reader's language (not the generic error page).
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Sources = await citations.ForAsync(SubjectTypes.IndicatorValue,
            Dashboard.Indicators.SelectMany(i => i.Analysis.ValueIds).Distinct(), ct);
        FigureSources = await citations.ForAsync(SubjectTypes.ReportedFigure,
            Dashboard.Indicators.SelectMany(i => i.Analysis.Checks).Select(c => c.Figure.Id), ct);
    }
}
