using Caravan.Features.Indicators;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Indicators;

public sealed class ListModel(IndicatorQueries indicators, CitationQueries citations) : PageModel
{
    public List<Indicator> Indicators { get; private set; } = [];
    public List<ReportedFigureView> Figures { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> FigureSources { get; private set; } = new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Indicators = await indicators.ListAsync(ct);
        Figures = await indicators.ReportedFiguresAsync(ct);
        FigureSources = await citations.ForAsync(SubjectTypes.ReportedFigure, Figures.Select(f => f.Figure.Id), ct);
    }
}

public sealed class DetailModel(IndicatorQueries indicators, CitationQueries citations) : PageModel
{
    public Indicator Indicator { get; private set; } = null!;
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } = new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var indicator = await indicators.GetAsync(id, ct);
        if (indicator is null) return NotFound();
        Indicator = indicator;
        Sources = await citations.ForAsync(SubjectTypes.IndicatorValue, indicator.Values.Select(v => v.Id), ct);
        return Page();
    }
}
