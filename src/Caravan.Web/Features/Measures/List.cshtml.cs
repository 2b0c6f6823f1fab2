using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Measures;

public sealed class ListModel(MeasureQueries measures, MechanismQueries mechanism, CitationQueries citations)
    : PageModel
{
    public List<PledgedMeasure> Measures { get; private set; } = [];
    public Dictionary<string, Meeting> Meetings { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Measures = await measures.ListAsync(new MeasureFilter(), ct);
        Meetings = (await mechanism.MeetingsAsync(new MeetingFilter(), ct)).ToDictionary(m => m.Id);
        Sources = await citations.ForAsync(SubjectTypes.Measure, Measures.Select(m => m.Id), ct);
    }
}
