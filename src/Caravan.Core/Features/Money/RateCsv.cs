using System.Globalization;
using Caravan.Shared;

namespace Caravan.Features.Money;

/// <summary>A problem in a rates file: the row (1 is the header), the column and a message key.</summary>
public sealed record RateCsvProblem(int Row, string Column, Message Message)
{
    public RateCsvProblem(int row, string column, MessageCode code, params MessageArg[] args)
        : this(row, column, new Message(code, args)) { }
    public MessageCode Code => Message.Code;
}

/// <summary>
/// Rates from CSV: <c>from,to,date,rate,source</c> (header required; date YYYY-MM-DD; rate with a point,
/// positive). All or nothing: one bad row and no rate is taken.
/// </summary>
public static class RateCsv
{
    public static readonly string[] Header = ["from", "to", "date", "rate", "source"];

    /// <summary>A rates file is a few thousand lines; anything near this is not one.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a rates file as it was uploaded: UTF-8 only (with or without its byte-order mark). Bytes of another
    /// encoding are refused with the line they are on, never read as U+FFFD: a Latin-1 "é" stored as "?" would be a
    /// source nobody can find again.
    /// </summary>
    public static async Task<(List<ExchangeRate> Rates, List<RateCsvProblem> Problems)> ParseAsync(
        Stream stream, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return ([], [new(0, "file", RateMessages.TooLarge, MaxBytes / 1024 / 1024)]);
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        var text = new System.Text.StringBuilder(bytes.Length);
        var line = 1;
        while (bytes.Length > 0)
        {
            var end = bytes.IndexOf((byte)'\n');
            var part = end < 0 ? bytes : bytes[..(end + 1)];
            try
            {
                text.Append(StrictUtf8.GetString(part));
            }
            catch (System.Text.DecoderFallbackException)
            {
                return ([], [new(line, "file", RateMessages.Encoding, line)]);
            }
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            line++;
        }
        return Parse(new StringReader(text.ToString()));
    }

    public static (List<ExchangeRate> Rates, List<RateCsvProblem> Problems) Parse(TextReader reader)
    {
        var rates = new List<ExchangeRate>();
        var problems = new List<RateCsvProblem>();
        var header = reader.ReadLine();
        if (header is null
            || !header.Trim().TrimStart('\uFEFF').Split(',').Select(h => h.Trim().ToLowerInvariant())
                .SequenceEqual(Header))
        {
            problems.Add(new(1, "header", RateMessages.Header, string.Join(",", Header)));
            return ([], problems);
        }
        var row = 1;
        var seen = new HashSet<(string, string, DateOnly)>();
        while (reader.ReadLine() is { } line)
        {
            row++;
            if (line.Trim().Length == 0) continue;
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length != Header.Length)
            {
                problems.Add(
                    new(row, "row", RateMessages.Columns, Header.Length.ToString(CultureInfo.InvariantCulture)));
                continue;
            }
            var (from, to, date, rate, source) = (cells[0], cells[1], cells[2], cells[3], cells[4]);
            var ok = true;
            if (!Money.IsCurrencyCode(from))
            {
                problems.Add(new(row, "from", RateMessages.Currency, from)); ok = false;
            }
            if (!Money.IsCurrencyCode(to) || to == from)
            {
                problems.Add(new(row, "to", RateMessages.Currency, to)); ok = false;
            }
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
                out var on))
            {
                problems.Add(new(row, "date", RateMessages.Date, date)); ok = false;
            }
            if (!decimal.TryParse(rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || value <= 0)
            {
                problems.Add(new(row, "rate", RateMessages.Rate, rate)); ok = false;
            }
            if (source.Length == 0) { problems.Add(new(row, "source", RateMessages.Source)); ok = false; }
            if (ok && !seen.Add((from, to, on)))
            {
                problems.Add(new(row, "date", RateMessages.Duplicate, $"{from}/{to} {date}")); ok = false;
            }
            if (ok) rates.Add(new ExchangeRate(from, to, on, value, source));
        }
        return problems.Count > 0 ? ([], problems) : (rates, problems);
    }
}

/// <summary>Why a row of an exchange-rate CSV is refused.</summary>
public static class RateMessages
{
    public static readonly MessageCode Columns = new("rates.columns");
    public static readonly MessageCode Currency = new("rates.currency");
    public static readonly MessageCode Date = new("rates.date");
    public static readonly MessageCode Duplicate = new("rates.duplicate");
    public static readonly MessageCode Header = new("rates.header");
    public static readonly MessageCode Rate = new("rates.rate");
    public static readonly MessageCode Source = new("rates.source");
    public static readonly MessageCode Encoding = new("rates.encoding");
    public static readonly MessageCode TooLarge = new("rates.too-large");
}
