using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Notifications;
using Caravan.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Accounts;

/// <summary>A problem with an account request: the field and what is wrong, as a typed message.</summary>
public sealed record AccountError(string Field, Message Message)
{
    public AccountError(string field, MessageCode code, params MessageArg[] args) : this(field, new Message(code, args)) { }
}

/// <summary>
/// Inviting, enabling and disabling accounts, accepting invitations, and personal access tokens. Used by
/// the portal's pages and by <c>caravan users</c>, so the two cannot drift apart. Every change is audited
/// as the person (or the CLI) who made it.
/// </summary>
public sealed class AccountService(UserManager<CaravanUser> users, CaravanDbContext db, AccountSettings settings,
    TimeProvider clock)
{
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(366);

    public async Task<(CaravanUser? User, string? Link, List<AccountError> Errors)> InviteAsync(
        string email, string displayName, CaravanRole role, string? stateId, IReadOnlyCollection<string> bodyIds,
        AuditActor actor, string invitedBy, string? language = null)
    {
        var errors = new List<AccountError>();
        email = email.Trim();
        stateId = string.IsNullOrWhiteSpace(stateId) ? null : stateId.Trim().ToUpperInvariant();
        var bodies = bodyIds.Select(b => b.Trim()).Where(b => b.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            errors.Add(new("email", AccountMessages.Email));
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 200)
            errors.Add(new("displayName", AccountMessages.Name));
        if (CaravanUser.BindingProblem(role, stateId, bodies) is { } problem)
            errors.Add(new(role == CaravanRole.ProgrammeOfficer ? "bodies" : "state", problem));
        if (stateId is not null && !await db.MemberStates.AnyAsync(s => s.Id == stateId))
            errors.Add(new("state", AccountMessages.UnknownState, stateId));
        var known = await db.Bodies.Where(b => bodies.Contains(b.Id)).Select(b => b.Id).ToListAsync();
        foreach (var unknown in bodies.Except(known)) errors.Add(new("bodies", AccountMessages.UnknownBody, unknown));
        if (language is not null && !MessagePreferences.IsLanguage(language))
            errors.Add(new("language", NotificationMessages.UnknownLanguage, language));
        if (errors.Count == 0 && await users.FindByEmailAsync(email) is not null)
            errors.Add(new("email", AccountMessages.Exists));
        if (errors.Count > 0) return (null, null, errors);

        var user = new CaravanUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName.Trim(),
            Role = role, StateId = stateId, BodyIds = bodies, CreatedAt = clock.GetUtcNow(), InvitedBy = invitedBy,
        };
        db.Actor = actor;
        // The account, the invitee's language and the invitation's message are one step: the message is mailed
        // exactly when the account exists.
        return await db.WriteAsync<(CaravanUser?, string?, List<AccountError>)>(async () =>
        {
            var created = await users.CreateAsync(user);
            if (!created.Succeeded) return (null, null,
                [.. created.Errors.Select(e => new AccountError("email", AccountMessages.Identity, e.Description))]);
            var link = await InvitationLinkAsync(user);
            await MessagePreferences.SetAsync(db, user.Id, language ?? "en", null, CancellationToken.None);
            Outbox.Raise(db, NotificationKind.Invitation, [user.Id], new NotificationContent(),
                clock.GetUtcNow(), link);
            await db.SaveChangesAsync();
            return (user, link, []);
        }, CancellationToken.None);
    }

    /// <summary>A new invitation link; earlier links stop working. Also how a forgotten password is reset.</summary>
    public async Task<string?> ReinviteAsync(string userId, AuditActor actor)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return null;
        db.Actor = actor;
        return await db.WriteAsync(async () =>
        {
            await users.UpdateSecurityStampAsync(user);
            var link = await InvitationLinkAsync(user);
            // Someone who has a password is resetting it; someone who never set one is invited again.
            Outbox.Raise(db, user.PasswordHash is null ? NotificationKind.Invitation
                : NotificationKind.PasswordReset, [user.Id], new NotificationContent(), clock.GetUtcNow(), link);
            await db.SaveChangesAsync();
            return link;
        }, CancellationToken.None);
    }

    private async Task<string> InvitationLinkAsync(CaravanUser user)
    {
        var token = await users.GenerateUserTokenAsync(user, AccountSetup.InvitationPurpose,
            AccountSetup.InvitationPurpose);
        var origin = (settings.PublicUrl ?? "http://127.0.0.1:5080").TrimEnd('/');
        return $"{origin}/account/invitation?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}";
    }

    /// <summary>
    /// Sets the password from a valid invitation. Any failure reads the same: no hint whether the account exists.
    /// </summary>
    public async Task<(CaravanUser? User, List<AccountError> Errors)> AcceptInvitationAsync(string? userId,
        string? token, string password)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || user.Disabled || token is null ||
            !await users.VerifyUserTokenAsync(user, AccountSetup.InvitationPurpose,
            AccountSetup.InvitationPurpose, token))
            return (null, [new("token", AccountMessages.InvitationInvalid)]);
        var errors = await SetPasswordAsync(user!, password, new AuditActor(user!.Email!, Caller.RoleName(user.Role),
            "accepted invitation"));
        return errors.Count > 0 ? (null, errors) : (user, errors);
    }

    /// <summary>Sets a password after checking it against the policy; a wrong one changes nothing.</summary>
    public async Task<List<AccountError>> SetPasswordAsync(CaravanUser user, string password, AuditActor actor)
    {
        var errors = new List<AccountError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors.Select(e => new AccountError("password", AccountMessages.Identity, e.Description)));
        }
        if (errors.Count > 0) return errors;
        db.Actor = actor;
        if (await users.HasPasswordAsync(user)) await users.RemovePasswordAsync(user);
        // changes the security stamp: an invitation link is now spent
        var added = await users.AddPasswordAsync(user, password);
        if (!added.Succeeded) return [.. added.Errors.Select(e => new AccountError("password", AccountMessages.Identity, e.Description))];
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        return [];
    }

    public async Task<bool> SetDisabledAsync(string userIdOrEmail, bool disabled, AuditActor actor)
    {
        var user = await users.FindByIdAsync(userIdOrEmail) ?? await users.FindByEmailAsync(userIdOrEmail);
        if (user is null) return false;
        db.Actor = actor;
        user.Disabled = disabled;
        user.LockoutEnabled = true;
        user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
        await users.UpdateAsync(user);
        if (disabled) await users.UpdateSecurityStampAsync(user); // ends every session now
        return true;
    }

    public Task<List<CaravanUser>> ListAsync() =>
        db.Users.AsNoTracking().OrderBy(u => u.Role).ThenBy(u => u.StateId).ThenBy(u => u.Email).ToListAsync();

    /// <summary>Ends every session of the user (cookies elsewhere are refused at their next request).</summary>
    public async Task SignOutEverywhereAsync(CaravanUser user, AuditActor actor)
    {
        db.Actor = actor with { Reason = "sign out everywhere" };
        await users.UpdateSecurityStampAsync(user);
    }

    public async Task<(AccessToken? Token, string? Secret, List<AccountError> Errors)> CreateTokenAsync(Caller owner,
        string name, int days, bool readOnly)
    {
        var errors = new List<AccountError>();
        name = name.Trim();
        if (name.Length is 0 or > 100) errors.Add(new("name", AccountMessages.TokenName));
        if (days < 1 || days > MaxTokenLifetime.TotalDays) errors.Add(new("days", AccountMessages.TokenDays, (int)MaxTokenLifetime.TotalDays));
        if (!owner.SecondFactor) errors.Add(new("name", AccessMessages.SecondFactorRequired));
        if (errors.Count > 0) return (null, null, errors);
        var (token, secret) = AccessToken.Issue(owner.UserId, name, readOnly, TimeSpan.FromDays(days),
            clock.GetUtcNow());
        db.Actor = new AuditActor(owner.Name, owner.AuditRole, "created access token");
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync();
        return (token, secret, []);
    }

    public Task<List<AccessToken>> TokensOfAsync(string userId) =>
        // Newest first: ids are UUID v7, whose leading digits are the creation time (SQLite cannot sort
        // DateTimeOffset).
        db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync();

    public async Task<bool> RevokeTokenAsync(Caller owner, string tokenId)
    {
        var token = await db.AccessTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == owner.UserId);
        if (token is null || token.RevokedAt is not null) return false;
        token.RevokedAt = clock.GetUtcNow();
        db.Actor = new AuditActor(owner.Name, owner.AuditRole, "revoked access token");
        await db.SaveChangesAsync();
        return true;
    }
}
