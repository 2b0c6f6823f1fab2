using System.Globalization;
using System.Text.RegularExpressions;
using Caravan.Shared;

namespace Caravan.Features.Documents;

/// <summary>
/// One numbered provision as split from a text: its number ("3", "3.2", "3.2.a"), its marker as written, its text.
/// </summary>
public sealed record ParsedProvision(string Number, string Label, string Text, int Line);

/// <summary>A line whose numbering does not fit: its number in the text, the line, and why.</summary>
/// <summary>A numbering problem on one line: the message names the number expected and quotes the line.</summary>
public sealed record NumberingProblem(int Line, string Text, Message Message)
{
    public NumberingProblem(int line, string text, MessageCode code, params MessageArg[] args)
        : this(line, text, new Message(code, args)) { }
    public MessageCode Code => Message.Code;
}

/// <summary>
/// Splits a treaty or declaration text into numbered provisions by its own numbering, in the languages of
/// the mechanism: articles ("Article 3", "Статья 3", "第三条"), paragraphs ("2.", "2)") and items ("(a)",
/// "а)"). A line without a marker continues the provision before it; text before the first marker is the
/// preamble. Numbers must run in order at each level: a repeated or skipped number is reported with its
/// line, and nothing is kept.
/// </summary>
public static partial class ProvisionParser
{
    public const string Preamble = "preamble";

    public static (List<ParsedProvision> Provisions, List<NumberingProblem> Problems) Parse(string text)
    {
        var provisions = new List<ParsedProvision>();
        var problems = new List<NumberingProblem>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int? article = null, paragraph = null;
        var item = -1;
        string? number = null, label = null;
        var body = new List<string>();
        var startLine = 0;

        void Flush()
        {
            var joined = string.Join("\n", body).Trim();
            if (number is not null) provisions.Add(new ParsedProvision(number, label!, joined, startLine));
            else if (joined.Length > 0) provisions.Add(new ParsedProvision(Preamble, "", joined, 1));
            body.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var lineNumber = i + 1;
            if (line.Length == 0) { body.Add(""); continue; }
            if (Article().Match(line) is { Success: true } a)
            {
                var n = a.Groups["arabic"].Success
                    ? int.Parse(a.Groups["arabic"].Value, CultureInfo.InvariantCulture)
                    : ChineseNumber(a.Groups["zh"].Value);
                if (n != (article ?? 0) + 1)
                    problems.Add(
                        new(lineNumber, line,
                            n <= (article ?? 0)
                                ? ProvisionMessages.Repeated
                                : ProvisionMessages.Skipped, $"{(article ?? 0) + 1}", line));
                Flush();
                (article, paragraph, item) = (n, null, -1);
                (number, label, startLine) = (n.ToString(CultureInfo.InvariantCulture), a.Value.Trim(), lineNumber);
                body.Add(line[a.Length..]);
                continue;
            }
            if (Paragraph().Match(line) is { Success: true } p)
            {
                var n = int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
                if (n != (paragraph ?? 0) + 1)
                    problems.Add(
                        new(lineNumber, line,
                            n <= (paragraph ?? 0)
                                ? ProvisionMessages.Repeated
                                : ProvisionMessages.Skipped, $"{(paragraph ?? 0) + 1}", line));
                Flush();
                (paragraph, item) = (n, -1);
                (number, label, startLine) = (
                    article is { } art
                        ? $"{art}.{n}"
                        : n.ToString(CultureInfo.InvariantCulture), p.Value.Trim(), lineNumber);
                body.Add(line[p.Length..]);
                continue;
            }
            if (Item().Match(line) is { Success: true } m && number is not null)
            {
                var letter = m.Groups["letter"].Value;
                var index = ItemIndex(letter);
                if (index != item + 1)
                    problems.Add(
                        new(lineNumber, line, index <= item ? ProvisionMessages.Repeated : ProvisionMessages.Skipped,
                            ItemLetter(letter, item + 1), line));
                Flush();
                item = index;
                var parent = article is { } art2
                    ? (paragraph is { } par ? $"{art2}.{par}" : $"{art2}")
                    : paragraph?.ToString(CultureInfo.InvariantCulture) ?? "0";
                (number, label, startLine) = ($"{parent}.{letter}", m.Value.Trim(), lineNumber);
                body.Add(line[m.Length..]);
                continue;
            }
            if (number is null && body.Count == 0) startLine = lineNumber;
            body.Add(line);
        }
        Flush();
        if (provisions.All(p => p.Number == Preamble)) problems.Add(new(1, "", ProvisionMessages.None));
        return problems.Count > 0 ? ([], problems) : (provisions, problems);
    }

    /// <summary>一 … 九十九 (and 一百) as a number; Arabic digits pass through.</summary>
    public static int ChineseNumber(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var arabic)) return arabic;
        const string digits = "零一二三四五六七八九";
        if (text == "一百") return 100;
        var ten = text.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0) return digits.IndexOf(text[0], StringComparison.Ordinal);
        var tens = ten == 0 ? 1 : digits.IndexOf(text[0], StringComparison.Ordinal);
        var units = ten == text.Length - 1 ? 0 : digits.IndexOf(text[ten + 1], StringComparison.Ordinal);
        return tens * 10 + units;
    }

    private const string Latin = "abcdefghijklmnopqrstuvwxyz";
    // the order Russian legal texts letter items in (no ё, й)
    private const string Cyrillic = "абвгдежзиклмнопрстуфхцчшщэюя";

    private static int ItemIndex(string letter) => Latin.Contains(letter, StringComparison.Ordinal)
        ? Latin.IndexOf(letter, StringComparison.Ordinal)
        : Cyrillic.IndexOf(letter, StringComparison.Ordinal);

    private static string ItemLetter(string sample, int index) =>
        (Latin.Contains(sample, StringComparison.Ordinal) ? Latin : Cyrillic) is var alphabet && index < alphabet.Length
            ? alphabet[index].ToString()
            : "?";

    [GeneratedRegex(@"^(?:(?:Article|Art\.|Статья|Ст\.)\s*(?<arabic>\d+)\.?|第(?<zh>[一二三四五六七八九十百\d]+)条)\s*",
        RegexOptions.IgnoreCase)]
    private static partial Regex Article();

    [GeneratedRegex(@"^(\d{1,3})[.)．、]\s*")]
    private static partial Regex Paragraph();

    [GeneratedRegex(@"^(?:\((?<letter>[a-zа-я])\)|(?<letter>[a-zа-я])\))\s*")]
    private static partial Regex Item();
}

/// <summary>What the provision parser notices in a text's numbering.</summary>
public static class ProvisionMessages
{
    public static readonly MessageCode None = new("provision.none");
    public static readonly MessageCode Repeated = new("provision.repeated");
    public static readonly MessageCode Skipped = new("provision.skipped");
}
