using Caravan.Shared;

namespace Caravan.Features.Accounts;

/// <summary>What is wrong with an account request or a personal access token.</summary>
public static class AccountMessages
{
    public static readonly MessageCode Email = new("account.error.email");
    public static readonly MessageCode Name = new("account.error.name");
    public static readonly MessageCode StateRequired = new("account.error.state-required");
    public static readonly MessageCode BodiesNotAllowed = new("account.error.bodies-not-allowed");
    public static readonly MessageCode BodiesRequired = new("account.error.bodies-required");
    public static readonly MessageCode StateNotAllowed = new("account.error.state-not-allowed");
    public static readonly MessageCode SecretariatUnbound = new("account.error.secretariat-unbound");
    public static readonly MessageCode UnknownState = new("account.error.unknown-state");
    public static readonly MessageCode UnknownBody = new("account.error.unknown-body");
    public static readonly MessageCode Exists = new("account.error.exists");
    public static readonly MessageCode InvitationInvalid = new("account.error.invitation-invalid");
    public static readonly MessageCode TokenName = new("token.error.name");
    public static readonly MessageCode TokenDays = new("token.error.days");

    /// <summary>
    /// A refusal by ASP.NET Identity (a password too short…): its description, already written in the reader's
    /// language by Caravan's error describer, is the whole message.
    /// </summary>
    public static readonly MessageCode Identity = new("account.error.identity");
}
