using Caravan.Features.Mechanism;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Selections;

/// <summary>
/// A call: phase, criteria and weights, nominations; the decision, ranking and means once published; and, for a
/// signed-in caller, the forms of exactly what they may do (sent to <see cref="ActModel"/>). The public's page is
/// output-cached; a signed-in caller's never is (the cache skips authenticated requests).
/// </summary>
public sealed class DetailModel(Caravan.Features.Selections.Selections selections, MechanismQueries mechanism)
    : PageModel
{
    public CallPage? Call { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Call = await CallPage.LoadAsync(selections, mechanism, HttpContext.GetCaller(), id, ct);
        return Call is null ? NotFound() : Page();
    }
}
