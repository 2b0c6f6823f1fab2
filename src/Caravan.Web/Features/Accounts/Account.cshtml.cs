using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Notifications;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Accounts;

/// <summary>One's own account: second factor, recovery codes, personal access tokens, sign out everywhere.</summary>
[Authorize]
public sealed class AccountModel(UserManager<CaravanUser> users, SignInManager<CaravanUser> signIn,
    AccountService accounts, CaravanDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    public CaravanUser? Me { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public List<AccessToken> Tokens { get; private set; } = [];
    public string? NewTokenSecret { get; private set; }
    public IEnumerable<string>? NewRecoveryCodes { get; private set; }
    public string? Message { get; private set; }
    public List<FormProblem> Problems { get; } = [];
    /// <summary>The person's language for messages and their digest choice (Notifications).</summary>
    public NotificationPreference Preference { get; private set; } = new() { UserId = "" };

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

    public async Task<IActionResult> OnPostCreateTokenAsync(string? tokenName, int days = 90, bool readOnly = false)
    {
        if (!await LoadAsync()) return Challenge();
        var (_, secret, errors) = await accounts.CreateTokenAsync(HttpContext.GetCaller()!, tokenName ?? "",
            days, readOnly);
        Problems.AddRange(errors.Select(e =>
            new FormProblem(e.Field, MessageFormatter.Format(l, e.Message))));
        NewTokenSecret = secret;
        await LoadAsync();
        return Page();
    }

    /// <summary>The language messages are written in, and whether a weekly digest is wanted.</summary>
    public async Task<IActionResult> OnPostMessagesAsync(string? language, string? digest)
    {
        if (!await LoadAsync()) return Challenge();
        if (!MessagePreferences.IsLanguage(language))
            Problems.Add(new("language", MessageFormatter.Format(l,
                new Message(NotificationMessages.UnknownLanguage, language ?? ""))));
        if (!Caravan.Features.Seed.SeedEnums.TryParse<DigestChoice>(digest, out var choice))
            Problems.Add(new("digest", MessageFormatter.Format(l, new Message(NotificationMessages.UnknownDigest))));
        if (Problems.Count > 0) return Page();
        db.Actor = new AuditActor(Me!.Email!, Caller.RoleName(Me.Role), "message preferences");
        await db.WriteAsync(async () =>
        {
            await MessagePreferences.SetAsync(db, Me.Id, language, choice, HttpContext.RequestAborted);
            return await db.SaveChangesAsync(HttpContext.RequestAborted);
        }, HttpContext.RequestAborted);
        Message = l["account.messages-saved"];
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string tokenId)
    {
        if (!await LoadAsync()) return Challenge();
        if (await accounts.RevokeTokenAsync(HttpContext.GetCaller()!, tokenId)) Message = l["token.revoked"];
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        if (!await LoadAsync()) return Challenge();
        if (HttpContext.GetCaller() is not { SecondFactor: true }) return Forbid();
        db.Actor = new AuditActor(Me!.Email!, Caller.RoleName(Me.Role), "new recovery codes");
        NewRecoveryCodes = await users.GenerateNewTwoFactorRecoveryCodesAsync(Me, 10);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        if (!await LoadAsync()) return Challenge();
        await accounts.SignOutEverywhereAsync(Me!, new AuditActor(Me!.Email!, Caller.RoleName(Me.Role), null));
        await signIn.SignOutAsync();
        return LocalRedirect("/account/sign-in");
    }

    private async Task<bool> LoadAsync()
    {
        Me = await users.GetUserAsync(User);
        if (Me is null) return false;
        RecoveryCodesLeft = Me.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(Me) : 0;
        Tokens = await accounts.TokensOfAsync(Me.Id);
        Preference = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == Me.Id)
            ?? new NotificationPreference { UserId = Me.Id };
        return true;
    }
}
