using System.Globalization;
using System.Text.Json.Serialization;

namespace Caravan.Shared;

/// <summary>
/// A text in the mechanism's three working languages. Any language may be missing: the reader then
/// sees another language's text, marked as such, never an invented one.
/// </summary>
public sealed record LocalizedText
{
    [JsonPropertyName("en")] public string? En { get; init; }
    [JsonPropertyName("zh")] public string? Zh { get; init; }
    [JsonPropertyName("ru")] public string? Ru { get; init; }

    public static readonly IReadOnlyList<string> Languages = ["en", "zh", "ru"];

    public string? this[string language] => language switch
    {
        "en" => En,
        "zh" => Zh,
        "ru" => Ru,
        _ => null,
    };

    public bool IsEmpty => string.IsNullOrWhiteSpace(En) && string.IsNullOrWhiteSpace(Zh)
        && string.IsNullOrWhiteSpace(Ru);

    /// <summary>
    /// The text for <paramref name="language"/>, or the first available one in the order the
    /// mechanism's readers most share (English, Russian, Chinese), with the language actually used.
    /// </summary>
    public LocalizedValue Pick(string language)
    {
        var own = this[language];
        if (!string.IsNullOrWhiteSpace(own)) return new LocalizedValue(own, language, false);
        foreach (var fallback in FallbackOrder)
        {
            var text = this[fallback];
            if (!string.IsNullOrWhiteSpace(text)) return new LocalizedValue(text, fallback, true);
        }
        return LocalizedValue.None;
    }

    public LocalizedValue Pick(CultureInfo culture) => Pick(LanguageOf(culture));

    public static string LanguageOf(CultureInfo culture)
    {
        var name = culture.TwoLetterISOLanguageName;
        return Languages.Contains(name) ? name : "en";
    }

    private static readonly string[] FallbackOrder = ["en", "ru", "zh"];
}

/// <summary>A text chosen for a reader: <see cref="IsFallback"/> when it is in another language than asked.</summary>
public readonly record struct LocalizedValue(string? Text, string? Language, bool IsFallback)
{
    public static readonly LocalizedValue None = new(null, null, false);
    public bool HasValue => Text is not null;
    public override string ToString() => Text ?? "";
}
