using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Shared;

/// <summary>A message code and its detail, in the reader's language.</summary>
public static class Messages
{
    /// <summary>Separates the values of a detail that fills several places of a message ({0}, {1}, …).</summary>
    public const char Separator = '\u001f';

    /// <summary>
    /// The message with its detail. A detail of several values (separated by <see cref="Separator"/>) fills
    /// {0}, {1}…: numbers are formatted in the reader's locale, and <c>@key</c> values are themselves translated
    /// (a stage's name), and <c>#{unit}|{number}</c> is a quantity in its unit ("1,500,000,000 yuan (CNY)"),
    /// so that figures and names read naturally in every language.
    /// </summary>
    public static string Format(IStringLocalizer l, string code, string? detail)
    {
        if (detail is null || !detail.Contains(Separator, StringComparison.Ordinal))
            return string.Format(CultureInfo.CurrentCulture, l[code], detail ?? "");
        var args = detail.Split(Separator).Select(a =>
            a.StartsWith('@') ? l[a[1..]].Value
            : a.StartsWith('#') && a.IndexOf('|', StringComparison.Ordinal) is > 1 and var bar && Number(a[(bar + 1)..]) is { } amount ? Amount(l, amount, a[1..bar])
            : Number(a) is { } n ? n
            : (object)a).ToArray();
        return string.Format(CultureInfo.CurrentCulture, l[code], args);
    }

    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// A quantity in its unit, every digit shown ("1,500,000,000 yuan (CNY)"): a ledger's figures must add up
    /// to the unit, where <see cref="Display.Amount"/> rounds to "1.5 billion" for reading.
    /// </summary>
    public static string Amount(IStringLocalizer l, decimal value, string unit)
    {
        var number = value.ToString("#,0.##", CultureInfo.CurrentCulture);
        var template = l["unit." + unit];
        return template.ResourceNotFound ? $"{number} {unit}" : string.Format(CultureInfo.CurrentCulture, template, number);
    }
}
