using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Mechanism;

public sealed class StatesModel(MechanismQueries mechanism) : PageModel
{
    public List<MemberState> States { get; private set; } = [];
    public async Task OnGetAsync(CancellationToken ct) => States = await mechanism.StatesAsync(ct);
}

public sealed class StateModel(MechanismQueries mechanism, DocumentQueries documents, CitationQueries citations)
    : PageModel
{
    public MemberState State { get; private set; } = null!;
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    public List<OutcomeDocument> Documents { get; private set; } = [];
    public List<Body> HostedBodies { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var state = await mechanism.StateAsync(id, ct);
        if (state is null) return NotFound();
        State = state;
        Sources = await citations.ForAsync(SubjectTypes.MemberState, state.Id, ct);
        Documents = await documents.ListAsync(new DocumentFilter(Party: state.Id), ct);
        HostedBodies = await mechanism.BodiesAsync(new BodyFilter(Host: state.Id), ct);
        return Page();
    }
}
