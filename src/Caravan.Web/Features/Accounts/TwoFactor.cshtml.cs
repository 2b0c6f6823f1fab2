using System.Security.Claims;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using QRCoder;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// Setting up the authenticator app (TOTP, RFC 6238), required before any change can be made: every
/// account can write. Shows the key as a QR code and as text, checks one code, then gives ten recovery codes once.
/// </summary>
[Authorize]
public sealed class TwoFactorModel(UserManager<CaravanUser> users, SignInManager<CaravanUser> signIn,
    CaravanDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    public bool Enabled { get; private set; }
    public string FormattedKey { get; private set; } = "";
    public string QrDataUri { get; private set; } = "";
    public IEnumerable<string>? RecoveryCodes { get; private set; }
    public List<FormProblem> Problems { get; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (user.TwoFactorEnabled) { Enabled = true; return Page(); }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Problems.Add(new("code", l["twofactor.wrong-code"]));
            await LoadAsync(user);
            return Page();
        }
        db.Actor = new AuditActor(user.Email!, Caller.RoleName(user.Role), "set up two-factor sign-in");
        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        // The code just checked is the second factor of this session.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        return Page();
    }

    private async Task LoadAsync(CaravanUser user)
    {
        Enabled = user.TwoFactorEnabled;
        if (Enabled) return;
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            db.Actor = new AuditActor(user.Email!, Caller.RoleName(user.Role), "new authenticator key");
            await users.ResetAuthenticatorKeyAsync(user);
            // A new key changes the security stamp, which would end this very session at the next request.
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        FormattedKey = string.Join(" ", key!.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        var uri =
            $"otpauth://totp/{Uri.EscapeDataString("Caravan:" + user.Email)}?secret={key}&issuer=Caravan&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        QrDataUri = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
    }
}
