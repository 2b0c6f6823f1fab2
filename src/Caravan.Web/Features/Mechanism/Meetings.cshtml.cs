using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Mechanism;

public sealed class MeetingsModel(MechanismQueries mechanism) : PageModel
{
    public List<Meeting> Meetings { get; private set; } = [];
    public async Task OnGetAsync(CancellationToken ct) =>
        Meetings = await mechanism.MeetingsAsync(new MeetingFilter(), ct);
}

public sealed class MeetingModel(MechanismQueries mechanism, DocumentQueries documents, CitationQueries citations)
    : PageModel
{
    public Meeting Meeting { get; private set; } = null!;
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    public List<OutcomeDocument> Documents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var meeting = await mechanism.MeetingAsync(id, ct);
        if (meeting is null) return NotFound();
        Meeting = meeting;
        Sources = await citations.ForAsync(SubjectTypes.Meeting, meeting.Id, ct);
        Documents = await documents.ListAsync(new DocumentFilter(Meeting: meeting.Id), ct);
        return Page();
    }
}
