using Caravan.Shared;

namespace Caravan.Features.Accounts;

/// <summary>
/// Why a caller may not write, whatever the feature: the messages of <see cref="Access"/>'s refusals.
/// </summary>
public static class AccessMessages
{
    public static readonly MessageCode ReadOnlyRefused = new("token.read-only-refused");
    public static readonly MessageCode SecondFactorRequired = new("account.second-factor-required");
}
