using System.Text.RegularExpressions;
using Caravan.Features.Documents;
using Caravan.Features.Mechanism;

namespace Caravan.Features.Seed;

/// <summary>Enums written in kebab case in the data file and the API: <c>ministerial-platform</c>.</summary>
public static partial class SeedEnums
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && KebabWord().IsMatch(text)
            && Enum.TryParse(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out value);
    }

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}");

    public static string ToKebab<T>(T value) where T : struct, Enum => ToKebab(value.ToString());

    public static string ToKebab(string pascal) => UpperInside().Replace(pascal, "-$1").ToLowerInvariant();

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")] private static partial Regex KebabWord();
    [GeneratedRegex("(?<!^)([A-Z])")] private static partial Regex UpperInside();
}

/// <summary>
/// A registry count a reported figure is compared with: <c>documents:{meeting}:{scope}</c> or <c>bodies:{kind}</c>.
/// </summary>
public sealed record RegistryCount(string Kind, string? MeetingId, DocumentScope? Scope, BodyKind? BodyKind)
{
    public static RegistryCount? TryParse(string text)
    {
        var parts = text.Split(':');
        return parts switch
        {
            ["documents", var meeting, var scope] when SeedEnums.TryParse<DocumentScope>(scope, out var s) =>
                new RegistryCount("documents", meeting, s, null),
            ["bodies", var kind] when SeedEnums.TryParse<BodyKind>(kind, out var k) =>
                new RegistryCount("bodies", null, null, k),
            _ => null,
        };
    }
}
