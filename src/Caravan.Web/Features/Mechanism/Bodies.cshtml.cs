using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Mechanism;

public sealed class BodiesModel(MechanismQueries mechanism) : PageModel
{
    public List<Body> Bodies { get; private set; } = [];
    public async Task OnGetAsync(CancellationToken ct) => Bodies = await mechanism.BodiesAsync(new BodyFilter(), ct);
}

public sealed class BodyModel(MechanismQueries mechanism, CitationQueries citations) : PageModel
{
    public Body Body { get; private set; } = null!;
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    public List<Meeting> Meetings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var body = await mechanism.BodyAsync(id, ct);
        if (body is null) return NotFound();
        Body = body;
        Sources = await citations.ForAsync(SubjectTypes.Body, body.Id, ct);
        Meetings = await mechanism.MeetingsAsync(new MeetingFilter(Body: body.Id), ct);
        return Page();
    }
}
