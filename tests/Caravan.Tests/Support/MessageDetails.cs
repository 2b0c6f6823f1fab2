namespace Caravan.Tests.Support;

/// <summary>A typed message's first value as plain invariant text: what the rule tests check a refusal names.</summary>
public static class MessageDetails
{
    public static string? Detail(this Message message) => message.Args.Count == 0 ? null : message.Args[0].Invariant;
}
