using System.Security.Claims;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// What every feature asks of accounts: the policies a page or endpoint needs, the claims a caller carries, and
/// the caller of a request. The Accounts feature sets them up (<c>AddAccounts</c>); the record rules themselves
/// are in <see cref="Access"/>.
/// </summary>
public static class AccountSetup
{
    public const string TokenScheme = "token";
    public const string ClaimRole = "caravan:role";
    public const string ClaimState = "caravan:state";
    public const string ClaimBody = "caravan:body";
    public const string ClaimReadOnly = "caravan:read-only";
    public const string InvitationPurpose = "invitation";

    /// <summary>Signed in with a second factor (or with a token, which only such a session can create).</summary>
    public const string Writer = "writer";
    public const string Secretariat = "secretariat";
    public const string AccountAdmin = "account-admin";
    /// <summary>
    /// API calls that need a person: a bearer token, never the portal cookie (so no cross-site requests).
    /// </summary>
    public const string ApiCaller = "api-caller";

    /// <summary>The caller of this request, or null for the public.</summary>
    public static Caller? GetCaller(this HttpContext http) => CallerOf(http.User);

    public static Caller? CallerOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || !SeedEnums.TryParse<CaravanRole>(user.FindFirstValue(ClaimRole), out var role)) return null;
        return new Caller(id, user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? id, role,
            user.FindFirstValue(ClaimState),
            user.FindAll(ClaimBody).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            SecondFactor: user.HasClaim("amr", "mfa"), ReadOnly: user.HasClaim(ClaimReadOnly, "true"));
    }
}
