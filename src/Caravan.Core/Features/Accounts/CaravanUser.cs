using Caravan.Shared;
using Caravan.Features.Audit;
using Microsoft.AspNetCore.Identity;

namespace Caravan.Features.Accounts;

/// <summary>
/// A person who can write: a member of the secretariat, a national coordinator or a platform or centre
/// officer. The public never has an account. Accounts exist only by invitation.
/// </summary>
public sealed class CaravanUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public CaravanRole Role { get; set; }
    /// <summary>The member state a national coordinator acts for; null for every other role.</summary>
    public string? StateId { get; set; }
    /// <summary>The bodies (platforms, centres) an officer runs; empty for every other role.</summary>
    public List<string> BodyIds { get; set; } = [];
    /// <summary>A disabled account cannot sign in and its tokens are refused; nothing it did is removed.</summary>
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The user id of the administrator who invited this person, or <c>cli</c>.</summary>
    public string? InvitedBy { get; set; }
    /// <summary>
    /// The time step (30 s since 1970) of the last authenticator code accepted: a code is taken once, never again
    /// (RFC 6238 §5.2), so a code seen over a shoulder or replayed from a second session is refused.
    /// </summary>
    public long? LastAuthenticatorStep { get; set; }

    /// <summary>Checks that the binding fits the role: one state for a coordinator, bodies for an officer.</summary>
    public static MessageCode? BindingProblem(CaravanRole role, string? stateId, IReadOnlyCollection<string> bodyIds)
        => role switch
    {
        CaravanRole.NationalCoordinator when string.IsNullOrEmpty(stateId) => AccountMessages.StateRequired,
        CaravanRole.NationalCoordinator when bodyIds.Count > 0 => AccountMessages.BodiesNotAllowed,
        CaravanRole.ProgrammeOfficer when bodyIds.Count == 0 => AccountMessages.BodiesRequired,
        CaravanRole.ProgrammeOfficer when !string.IsNullOrEmpty(stateId) => AccountMessages.StateNotAllowed,
        CaravanRole.SecretariatAdmin or CaravanRole.SecretariatEditor when !string.IsNullOrEmpty(stateId)
            || bodyIds.Count > 0 => AccountMessages.SecretariatUnbound,
        _ => null,
    };
}

/// <summary>The roles of the mechanism's people. The public is anonymous and has no role.</summary>
public enum CaravanRole
{
    /// <summary>Validates and publishes everything, and manages accounts.</summary>
    SecretariatAdmin,
    /// <summary>Validates and publishes everything; does not manage accounts.</summary>
    SecretariatEditor,
    /// <summary>Submits changes to records whose subject is their member state.</summary>
    NationalCoordinator,
    /// <summary>Submits changes to records of the platforms or centres they run.</summary>
    ProgrammeOfficer,
}

/// <summary>
/// A personal access token for an API client. Only its SHA-256 is stored; the token itself is shown once.
/// It acts with its owner's rights (never more), or read-only.
/// </summary>
public sealed class AccessToken
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the token, so that its owner can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    [RedactedInAudit]
    public required string Hash { get; set; }
    public bool ReadOnly { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public const string Marker = "cvn_";

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>
    /// A new token: 32 random bytes, URL-safe, recognisable by its <c>cvn_</c> marker (secret scanners).
    /// </summary>
    public static (AccessToken Token, string Secret) Issue(string userId, string name, bool readOnly, TimeSpan lifetime,
        DateTimeOffset now)
    {
        var secret = Marker + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new AccessToken
        {
            Id = Guid.CreateVersion7().ToString("N"),
            UserId = userId,
            Name = name,
            Prefix = secret[..10],
            Hash = HashOf(secret),
            ReadOnly = readOnly,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        return (token, secret);
    }

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}
