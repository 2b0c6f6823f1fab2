using Caravan.Features.Accounts;
using Caravan.Features.Selections;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Selections;

/// <summary>
/// The culture and tourism capital calls: the public sees those opened, the secretariat its drafts too.
/// </summary>
public sealed class ListModel(Caravan.Features.Selections.Selections selections) : PageModel
{
    public List<SelectionSummary> Calls { get; private set; } = [];
    public bool CanCreate { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        CanCreate = Access.CanRunSelections(caller);
        Calls = await selections.ListAsync(caller, ct);
    }
}
