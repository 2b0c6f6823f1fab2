using Caravan.Features.Accounts;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// Email and password, then the TOTP code. Every failure — unknown address, wrong password, locked or
/// disabled account — reads the same, so the form does not tell whether an account exists.
/// </summary>
[SignInThrottled]
public sealed class SignInModel(SignInManager<CaravanUser> signIn, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public List<FormProblem> Problems { get; } = [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Problems.Add(new("email", l["signin.failed"]));
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false,
            lockoutOnFailure: true);
        if (result.RequiresTwoFactor) return LocalRedirect($"/account/sign-in/code?returnUrl={Uri.EscapeDataString(SafeReturnUrl(Url, ReturnUrl))}");
        // Signed in with a password only: the account has no second factor yet, and may do nothing but set one up.
        if (result.Succeeded) return LocalRedirect("/account/two-factor");
        Problems.Add(new("email", l["signin.failed"]));
        return Page();
    }

    public static string SafeReturnUrl(IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : "/work";
}
