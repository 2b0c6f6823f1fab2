using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Mechanism;

public sealed class DirectionsModel(MechanismQueries mechanism, CitationQueries citations) : PageModel
{
    public List<PriorityDirection> Directions { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Directions = await mechanism.DirectionsAsync(ct);
        Sources = await citations.ForAsync(SubjectTypes.Direction, Directions.Select(d => d.Id), ct);
    }
}
