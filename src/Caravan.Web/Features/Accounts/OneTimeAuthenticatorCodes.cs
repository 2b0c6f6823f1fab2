using Caravan.Data;
using Caravan.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// Authenticator codes (TOTP, RFC 6238), each accepted once. Identity's own provider accepts a code again for as long
/// as it is valid, from any session; this one records the time step of the last code taken, in the same statement
/// that checks it is newer, so two requests with one code — one after the other or at the same instant, on one node
/// or two — sign in once.
/// </summary>
public sealed class OneTimeAuthenticatorCodes(CaravanDbContext db, TimeProvider clock)
    : IUserTwoFactorTokenProvider<CaravanUser>
{
    /// <summary>One step either side of now: a phone's clock a little off, or a code typed as it turned.</summary>
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<CaravanUser> manager, CaravanUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The code comes from the person's authenticator app, never from Caravan.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<CaravanUser> manager, CaravanUser user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<CaravanUser> manager,
        CaravanUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        var code = token.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(key) || code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, Window)) return false;
        // Taken only if no code of this step or a later one was: the check and the record are one update.
        var taken = await db.Users
            .Where(u => u.Id == user.Id && (u.LastAuthenticatorStep == null || u.LastAuthenticatorStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastAuthenticatorStep, step));
        return taken == 1;
    }
}
