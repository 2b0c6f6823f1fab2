using Caravan.Features.Indicators;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Indicators;

public sealed class ListModel(IndicatorQueries indicators, CitationQueries citations) : PageModel
{
    public List<Indicator> Indicators { get; private set; } = [];
    public List<ReportedFigureView> Figures { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> FigureSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Indicators = await indicators.ListAsync(ct);
        Figures = await indicators.ReportedFiguresAsync(ct);
        FigureSources = await citations.ForAsync(SubjectTypes.ReportedFigure, Figures.Select(f => f.Figure.Id), ct);
    }
}

public sealed class DetailModel(IndicatorQueries indicators, CitationQueries citations) : PageModel
{
    public IndicatorAnalysis Analysis { get; private set; } = null!;
    /// <summary>
    /// The sources of every value shown: this indicator's and the other sources' of the same measure.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> FigureSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var analysis = await indicators.AnalysedAsync(id, ct);
        if (analysis is null) return NotFound();
        Analysis = analysis;
        Sources = await citations.ForAsync(SubjectTypes.IndicatorValue, analysis.ValueIds, ct);
        FigureSources = await citations.ForAsync(SubjectTypes.ReportedFigure,
            analysis.Checks.Select(c => c.Figure.Id), ct);
        return Page();
    }
}
