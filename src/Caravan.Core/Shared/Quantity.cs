using System.Globalization;

namespace Caravan.Shared;

/// <summary>
/// Large figures as a reader of each language writes them: "1.5 billion", "15亿", "1,5 млрд".
/// Chinese counts in 万 (10⁴) and 亿 (10⁸), not in thousands and millions.
/// </summary>
public static class Quantity
{
    public static string Format(decimal value, CultureInfo culture)
    {
        var language = LocalizedText.LanguageOf(culture);
        var abs = Math.Abs(value);
        (decimal Divisor, string Suffix)? scale = language switch
        {
            "zh" when abs >= 100_000_000m => (100_000_000m, "亿"),
            "zh" when abs >= 100_000m => (10_000m, "万"),
            "ru" when abs >= 1_000_000_000m => (1_000_000_000m, " млрд"),
            "ru" when abs >= 1_000_000m => (1_000_000m, " млн"),
            "en" when abs >= 1_000_000_000m => (1_000_000_000m, " billion"),
            "en" when abs >= 1_000_000m => (1_000_000m, " million"),
            _ => null,
        };
        if (scale is { } s)
            return (value / s.Divisor).ToString("#,0.###", culture) + s.Suffix;
        return value.ToString("#,0.###", culture);
    }
}
