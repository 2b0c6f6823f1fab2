using System.Globalization;
using System.Resources;
using Caravan.Shared;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// The one place a <see cref="Message"/> becomes text, for the portal, the API's problem details and the CLI alike:
/// the code's UI string in the reader's language, its places filled with the typed arguments — numbers in the reader's
/// locale (as the string's own format says), amounts in their unit with every digit, terms translated, days in the
/// portal's date style, lists joined.
/// </summary>
public static class MessageFormatter
{
    private static readonly ResourceManager Strings = new("Caravan.Web.Resources.SharedResource",
        typeof(SharedResource).Assembly);

    /// <summary>In the request's language (the portal and the API).</summary>
    public static string Format(IStringLocalizer l, Message message) => Format(message, CultureInfo.CurrentCulture,
        Lookup(l));

    /// <summary>In <paramref name="culture"/>, from the same UI strings (the CLI, which has no request).</summary>
    public static string Format(Message message, CultureInfo culture) =>
        Format(message, culture, key => Strings.GetString(key, culture));

    /// <summary>A UI string in <paramref name="culture"/>, or null when there is none (a spreadsheet's words).</summary>
    public static string? Text(string key, CultureInfo culture) => Strings.GetString(key, culture);

    /// <summary>
    /// A quantity in its unit, every digit shown ("1,500,000,000 yuan (CNY)"): a ledger's figures must add up
    /// to the unit, where <see cref="Display.Amount"/> rounds to "1.5 billion" for reading.
    /// </summary>
    public static string Amount(IStringLocalizer l, decimal value, string unit) =>
        Amount(value, unit, CultureInfo.CurrentCulture, Lookup(l));

    private static Func<string, string?> Lookup(IStringLocalizer l) =>
        key => l[key] is { ResourceNotFound: false } s ? s.Value : null;

    private static string Format(Message message, CultureInfo culture, Func<string, string?> lookup)
    {
        var template = lookup(message.Code.Key) ?? message.Code.Key;
        // A string written with a place for a detail the message does not have shows the place empty.
        object[] args = message.Args.Count == 0 ? [""] : [.. message.Args.Select(a => Value(a, culture, lookup))];
        return string.Format(culture, template, args);
    }

    private static object Value(MessageArg arg, CultureInfo culture, Func<string, string?> lookup) => arg switch
    {
        MessageArg.Text t => t.Value ?? "",
        MessageArg.Number n => n.Value,
        MessageArg.Amount a => Amount(a.Value, a.Unit, culture, lookup),
        MessageArg.Term t => lookup(t.Key) ?? t.Key,
        MessageArg.Day d => PartialDate.OfDay(d.Value.Year, d.Value.Month, d.Value.Day).Format(culture),
        // Chinese lists take the enumeration comma, not the ASCII one.
        MessageArg.List list =>
            string.Join(LocalizedText.LanguageOf(culture) == "zh" ? "、" : ", ",
                list.Items.Select(i => Convert.ToString(Value(i, culture, lookup), culture))),
        _ => arg.Invariant,
    };

    private static string Amount(decimal value, string unit, CultureInfo culture, Func<string, string?> lookup)
    {
        var number = value.ToString("#,0.##", culture);
        return lookup("unit." + unit) is { } template ? string.Format(culture, template, number) : $"{number} {unit}";
    }
}
