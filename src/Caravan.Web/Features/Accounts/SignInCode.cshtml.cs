using Caravan.Features.Accounts;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Accounts;

/// <summary>The second step: a 6-digit code from the authenticator app, or one of the recovery codes.</summary>
[SignInThrottled]
public sealed class SignInCodeModel(SignInManager<CaravanUser> signIn, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public List<FormProblem> Problems { get; } = [];

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? LocalRedirect("/account/sign-in") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return LocalRedirect("/account/sign-in");
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync((Code ?? "").Trim());
        if (result.Succeeded) return LocalRedirect(SignInModel.SafeReturnUrl(Url, ReturnUrl));
        Problems.Add(new("code", l["signin.code.failed"]));
        return Page();
    }
}
