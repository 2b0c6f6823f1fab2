using Caravan.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// The one-time link from an invitation: the person chooses their password, then signs in and sets up TOTP.
/// </summary>
public sealed class InvitationModel(AccountService accounts, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    public bool Done { get; private set; }
    public List<FormProblem> Problems { get; } = [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Password != Confirm)
        {
            Problems.Add(new("confirm", l["invitation.mismatch"]));
            return Page();
        }
        var (user, errors) = await accounts.AcceptInvitationAsync(UserId, Token, Password ?? "");
        Problems.AddRange(errors.Select(e => new FormProblem(e.Field, MessageFormatter.Format(l, e.Message))));
        Done = user is not null;
        return Page();
    }
}
