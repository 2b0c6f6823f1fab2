using System.Globalization;
using System.Xml;
using System.Xml.Schema;

namespace Caravan.Features.Projects;

/// <summary>The XSD type of a value the reader reads, as the report names it (a term key of its own).</summary>
public enum IatiValueKind { Date, DateTime, Decimal, Boolean, Integer }

/// <summary>
/// A value the reader found but could not read as its schema type says: where, what was written, on which line.
/// The element is there, so it is reported as unreadable, never as missing.
/// </summary>
public sealed record IatiUnreadable(string Path, IatiValueKind Kind, string Text, int Line);

/// <summary>
/// The 2.03 schema's simple types as the reader reads them: every lexical form the XSD accepts, whitespace collapsed
/// as those types say (xs:date, xs:dateTime, xs:decimal, xs:boolean, xs:int are all whiteSpace="collapse"). The
/// forms are read without allocating, by the grammar of XSD 1.0 part 2; a date-time (once per activity) is judged
/// by .NET's own XSD datatype, the one that validates against the official schema, with its offset checked here.
/// </summary>
public static class IatiValues
{
    private static readonly XmlSchemaDatatype DateTimeType =
        XmlSchemaType.GetBuiltInSimpleType(XmlTypeCode.DateTime)!.Datatype!;

    /// <summary>XML whitespace only (#x20, #x9, #xD, #xA): a no-break space is not collapsed by the schema.</summary>
    public static ReadOnlySpan<char> Collapse(ReadOnlySpan<char> text) => text.Trim(" \t\r\n");

    /// <summary>
    /// An xs:date: yyyy-mm-dd, with or without a time-zone offset (Z, +hh:mm, -hh:mm). The offset does not move the
    /// day: the publisher's calendar day is the date. A year DateOnly cannot hold (negative, above 9999) is not read.
    /// </summary>
    public static bool TryDate(string text, out DateOnly date)
    {
        var s = Collapse(text);
        if (s.Length == 10) return TryDay(s, out date);
        date = default;
        return s.Length > 10 && IsZone(s[10..]) && TryDay(s[..10], out date);
    }

    /// <summary>
    /// A time-zone offset as XSD 1.0 writes it: Z, or +hh:mm / -hh:mm up to 14:00. Checked here because .NET's own
    /// XSD datatype is laxer than the specification (it takes a lower-case z and +15:00, which xmllint refuses).
    /// </summary>
    private static bool IsZone(ReadOnlySpan<char> z)
    {
        if (z is "Z") return true;
        if (z.Length != 6 || z[0] is not ('+' or '-') || z[3] != ':') return false;
        if (!char.IsAsciiDigit(z[1]) || !char.IsAsciiDigit(z[2]) || !char.IsAsciiDigit(z[4])
            || !char.IsAsciiDigit(z[5])) return false;
        int hours = (z[1] - '0') * 10 + (z[2] - '0'), minutes = (z[4] - '0') * 10 + (z[5] - '0');
        return minutes <= 59 && (hours < 14 || hours == 14 && minutes == 0);
    }

    private static bool TryDay(ReadOnlySpan<char> s, out DateOnly date)
    {
        // yyyy-MM-dd exactly: the fixed widths and the hyphens are checked before the calendar.
        // Read by hand, not by DateOnly.TryParseExact: its format matching compares through the culture's CompareInfo
        // (ICU), which was the import's top frame; every date of every transaction passes here.
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-') return false;
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month)
            || !TryDigits(s.Slice(8, 2), out var day)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>
    /// An xs:dateTime, with or without an offset; without one it is taken as UTC (the Standard's advice for
    /// timestamps). Judged by the XSD datatype: it is read once per activity, not on a hot path.
    /// </summary>
    public static bool TryDateTime(string text, out DateTimeOffset value)
    {
        var s = Collapse(text);
        value = default;
        // The offset, if any, is checked to the letter of XSD 1.0; the date and time before it by the XSD datatype.
        var zoneLength = s.EndsWith('Z') ? 1 : s.Length > 6 && s[^6] is '+' or '-' ? 6 : 0;
        if (zoneLength > 0 && !IsZone(s[^zoneLength..]) || s.Length == zoneLength
            || !char.IsAsciiDigit(s[^(zoneLength + 1)])) return false;
        return s.IndexOf('T') == 10 && IsValid(DateTimeType, s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);
    }

    /// <summary>
    /// An xs:decimal: an optional sign, digits with at most one point, at least one digit (+5, 05.50, .5, 5.), no
    /// exponent, no group separators. More significant digits than a decimal holds (28) cannot be read exactly,
    /// so they are not read.
    /// </summary>
    public static bool TryDecimal(string text, out decimal value)
    {
        var s = Collapse(text);
        value = default;
        var digits = 0;
        var significant = 0;
        var point = false;
        var trailingZeros = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                digits++;
                if (c != '0' || significant > 0) { significant++; trailingZeros = c == '0' ? trailingZeros + 1 : 0; }
            }
            else if (c == '.' && !point) { point = true; trailingZeros = 0; }
            else if (i == 0 && c is '+' or '-') { }
            else return false;
        }
        if (digits == 0) return false;
        // Zeros after the point add no precision; zeros before it do (1000 has four significant digits here).
        if (significant - (point ? trailingZeros : 0) > 28) return false;
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An xs:boolean: true, false, 1 or 0 (nothing else, not even in capitals).</summary>
    public static bool TryBoolean(string text, out bool value)
    {
        var s = Collapse(text);
        if (s is "1" || s.SequenceEqual("true")) { value = true; return true; }
        value = false;
        return s is "0" || s.SequenceEqual("false");
    }

    /// <summary>An integer (xs:int, xs:positiveInteger, xs:nonNegativeInteger): digits with an optional sign.</summary>
    public static bool TryInteger(string text, out long value)
    {
        var s = Collapse(text);
        value = default;
        foreach (var c in s[(s.Length > 0 && s[0] is '+' or '-' ? 1 : 0)..])
            if (c is < '0' or > '9') return false;
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsValid(XmlSchemaDatatype type, ReadOnlySpan<char> s)
    {
        try
        {
            type.ParseValue(s.ToString(), null, null);
            return true;
        }
        catch (XmlSchemaException) { return false; }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
    }
}
