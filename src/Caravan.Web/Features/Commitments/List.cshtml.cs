using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Features.Mechanism;
using Caravan.Web.Features.Treaties;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Commitments;

/// <summary>
/// The commitments explorer: filter by state, direction, body, status and freshness; readable without JavaScript.
/// </summary>
public sealed class ListModel(CommitmentQueries commitments, CaravanDbContext db, TimeProvider clock,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l) : PageModel
{
    [FromQuery] public string? State { get; set; }
    [FromQuery] public string? Direction { get; set; }
    [FromQuery] public string? Body { get; set; }
    [FromQuery] public string? Status { get; set; }
    [FromQuery] public string? Document { get; set; }
    public List<Caravan.Features.Documents.OutcomeDocument> Documents { get; private set; } = [];
    [FromQuery] public string? Freshness { get; set; }
    public List<CommitmentView> Items { get; private set; } = [];
    public List<PriorityDirection> Directions { get; private set; } = [];
    public List<Body> Bodies { get; private set; } = [];
    public List<string> Problems { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = new ListQuery(Request, ["state", "direction", "body", "document", "status", "freshness", "culture"],
            ["id"], "id");
        var filter = CommitmentsApi.Filter(query);
        Directions = await db.PriorityDirections.AsNoTracking().OrderBy(d => d.Order).ToListAsync(ct);
        Bodies = await db.Bodies.AsNoTracking().OrderBy(b => b.Id).ToListAsync(ct);
        var used = await db.Commitments.Where(c => c.DocumentId != null).Select(c => c.DocumentId!).Distinct()
            .ToListAsync(ct);
        Documents = await db.Documents.AsNoTracking().Where(d => used.Contains(d.Id)).OrderBy(d => d.Id)
            .ToListAsync(ct);
        if (!query.IsValid) { Problems.Add(l["commitment.bad-filter"]); return; }
        Items = await commitments.ListAsync(filter, TreatiesApi.Today(clock), ct);
    }
}
