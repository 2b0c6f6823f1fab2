using Caravan.Features.Mechanism;
using Caravan.Features.Programmes;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Programmes;

/// <summary>Every pledge kept as a ledger: pledged, allocated, used and unallocated, each with its sources.</summary>
public sealed class ListModel(ProgrammeQueries programmes, MechanismQueries mechanism, CitationQueries citations)
    : PageModel
{
    public List<ProgrammeView> Programmes { get; private set; } = [];
    public Dictionary<string, Meeting> Meetings { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Programmes = await programmes.ListAsync(ct);
        Meetings = (await mechanism.MeetingsAsync(new MeetingFilter(), ct)).ToDictionary(m => m.Id);
        Sources = await citations.ForAsync(SubjectTypes.Programme, Programmes.Select(p => p.Programme.Id), ct);
    }
}
