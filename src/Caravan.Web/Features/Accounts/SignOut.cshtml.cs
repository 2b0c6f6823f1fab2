using Caravan.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// Signing out is a POST (with the antiforgery token): a link on another site cannot sign anyone out.
/// </summary>
public sealed class SignOutModel(SignInManager<CaravanUser> signIn) : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
