using Caravan.Data;
using Caravan.Features.Mechanism;
using Caravan.Features.Projects;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// A project's page: its IATI activity in the reader's language (the other languages a click away), its money in
/// the original currencies and converted at each value date with the rate's date and source, its results,
/// locations, documents, related projects and the commitments it delivers. Unpublished projects are not found.
/// </summary>
// Cached until projects, rates, directions or states, commitments or sources change.
[Caravan.Web.Infrastructure.DependsOn(typeof(Caravan.Features.Projects.Project),
    typeof(Caravan.Features.Money.ExchangeRate), typeof(Caravan.Features.Mechanism.MemberState),
    typeof(Caravan.Features.Commitments.Commitment), typeof(Caravan.Features.Sources.Source))]
public sealed class DetailModel(ProjectQueries projects, CaravanDbContext db) : PageModel
{
    public ProjectDetail? Detail { get; private set; }
    public IReadOnlySet<string> Currencies { get; private set; } = new HashSet<string>();
    public PriorityDirection? Direction { get; private set; }
    public IReadOnlyCollection<string> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string identifier, CancellationToken ct)
    {
        var query = new ListQuery(Request, ["currency"], ["identifier"], "identifier", ignoreUnknown: true);
        var asked = await ProjectsApi.ReadAsync(HttpContext, query, withMoney: true, ct);
        Currencies = await projects.CurrenciesAsync(ct);
        if (!query.IsValid)
        {
            Problems = query.Invalid;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // Slashes in an identifier arrive encoded (%2F stays encoded in the path); the catch-all takes them raw too.
        Detail = await projects.GetAsync(Uri.UnescapeDataString(identifier), asked.Currency, ct);
        if (Detail is null) return NotFound();
        if (Detail.Project.DirectionId is { } direction) Direction = await db.PriorityDirections.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == direction, ct);
        return Page();
    }
}
