using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Accounts;

/// <summary>A clear page for a signed-in person who asked for a page their role or state does not open.</summary>
public sealed class DeniedModel : PageModel
{
    public bool NeedsSecondFactor => User.Identity?.IsAuthenticated == true && !User.HasClaim("amr", "mfa");
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
