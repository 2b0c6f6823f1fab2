using System.Globalization;
using System.Text.RegularExpressions;

namespace Caravan.Shared;

/// <summary>
/// A date known to the year, the month or the day ("2025", "2025-07", "2025-07-21"). Sources often give
/// only a month; storing a made-up day would be a guess. Stored as its ISO text, which sorts correctly.
/// </summary>
public readonly partial record struct PartialDate : IComparable<PartialDate>
{
    public int Year { get; }
    public int? Month { get; }
    public int? Day { get; }

    private PartialDate(int year, int? month, int? day) => (Year, Month, Day) = (year, month, day);

    public static PartialDate OfDay(int year, int month, int day) => new(year, month, day);

    public static bool TryParse(string? text, out PartialDate date)
    {
        date = default;
        if (text is null) return false;
        var m = IsoPattern().Match(text);
        if (!m.Success) return false;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int? month = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        int? day = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : null;
        if (month is < 1 or > 12) return false;
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value))) return false;
        date = new PartialDate(year, month, day);
        return true;
    }

    public static PartialDate Parse(string text) =>
        TryParse(text, out var d)
            ? d
            : throw new FormatException($"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.");

    /// <summary>The earliest day the date can mean, for comparisons with today.</summary>
    public DateOnly Earliest => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The latest day the date can mean.</summary>
    public DateOnly Latest => Day is not null ? new(Year, Month!.Value, Day.Value)
        : Month is not null ? new(Year, Month.Value, DateTime.DaysInMonth(Year, Month.Value))
        : new(Year, 12, 31);

    public string ToIso() => Day is not null ? $"{Year:D4}-{Month:D2}-{Day:D2}"
        : Month is not null ? $"{Year:D4}-{Month:D2}" : $"{Year:D4}";

    public override string ToString() => ToIso();

    /// <summary>The date as a reader of <paramref name="culture"/> writes it, at the precision known.</summary>
    public string Format(CultureInfo culture)
    {
        var language = LocalizedText.LanguageOf(culture);
        if (Day is not null)
        {
            var pattern = language switch { "zh" => "yyyy年M月d日", "ru" => "d MMMM yyyy 'г.'", _ => "d MMMM yyyy" };
            return Earliest.ToString(pattern, culture);
        }
        if (Month is not null)
        {
            // Russian wants the nominative month when no day is given ("июль 2025 г.", not "июля").
            return language switch
            {
                "zh" => $"{Year}年{Month}月",
                "ru" => $"{culture.DateTimeFormat.MonthNames[Month.Value - 1]} {Year} г.",
                _ => Earliest.ToString("MMMM yyyy", culture),
            };
        }
        return language == "zh" ? $"{Year}年" : Year.ToString(CultureInfo.InvariantCulture);
    }

    public int CompareTo(PartialDate other) => string.CompareOrdinal(ToIso(), other.ToIso());

    [GeneratedRegex(@"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")]
    private static partial Regex IsoPattern();
}
