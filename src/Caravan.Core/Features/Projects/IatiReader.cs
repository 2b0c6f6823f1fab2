using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Caravan.Features.Projects;

/// <summary>A narrative in one language (xml:lang, or the activity's default language).</summary>
public sealed record IatiNarrative(string Language, string Text);

public sealed record IatiShare(string Code, string? Vocabulary, decimal? Percentage);

public sealed record IatiTransaction(string? Type, DateOnly? Date, decimal? Value, string? Currency, DateOnly? ValueDate, string? ProviderRef, string? ReceiverRef);

/// <summary>An IATI 2.03 activity as far as Caravan models it (more is added as the project model grows).</summary>
public sealed record IatiActivity(
    string Identifier, string? ReportingOrgRef, string DefaultLanguage, string? DefaultCurrency,
    IReadOnlyList<IatiNarrative> Titles, IReadOnlyList<IatiNarrative> Descriptions, string? Status,
    IReadOnlyDictionary<string, DateOnly> Dates, IReadOnlyList<IatiShare> RecipientCountries, IReadOnlyList<IatiShare> RecipientRegions,
    IReadOnlyList<IatiShare> Sectors, IReadOnlyList<IatiTransaction> Transactions, int Line);

/// <summary>A problem with one activity: its identifier, where, which rule, a message key and a detail.</summary>
public sealed record IatiProblem(string Activity, string Path, string Rule, string Code, string? Detail = null);

/// <summary>Why a whole file cannot be read: the reason as a message key and where.</summary>
public sealed class IatiFileException(string code, string detail) : Exception($"{code}: {detail}")
{
    public string Code { get; } = code;
    public string Detail { get; } = detail;
}

/// <summary>
/// Reads an IATI 2.03 activities file one activity at a time (constant memory whatever the file size),
/// with DTDs and external entities refused. A file that is not IATI 2.x, is truncated or badly encoded
/// stops with one <see cref="IatiFileException"/>; the activities read before it have been yielded already,
/// so a caller storing in batches keeps only whole batches of the good part.
/// </summary>
public static class IatiReader
{
    public static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit, // no DTD: no XXE, no entity expansion
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    public static IEnumerable<IatiActivity> Read(Stream stream)
    {
        using var reader = XmlReader.Create(stream, Settings);
        var lineInfo = (IXmlLineInfo)reader;
        try
        {
            if (!reader.ReadToFollowing("iati-activities") && reader.NodeType != XmlNodeType.Element)
                throw new IatiFileException("iati.not-iati", "no <iati-activities> root");
            var version = reader.GetAttribute("version");
            if (version is null || !version.StartsWith("2.", StringComparison.Ordinal))
                throw new IatiFileException("iati.version", version ?? "none");
        }
        catch (XmlException e) { throw new IatiFileException(e.Message.Contains("DTD", StringComparison.Ordinal) ? "iati.dtd" : "iati.malformed", e.Message); }

        while (true)
        {
            XElement? element;
            int line;
            try
            {
                // After an activity is read the reader already stands on the next node, which may be the next activity.
                if (!(reader.NodeType == XmlNodeType.Element && reader.LocalName == "iati-activity") && !reader.ReadToFollowing("iati-activity")) yield break;
                line = lineInfo.LineNumber;
                element = (XElement)XNode.ReadFrom(reader);
            }
            catch (XmlException e) { throw new IatiFileException("iati.malformed", e.Message); }
            catch (System.Text.DecoderFallbackException e) { throw new IatiFileException("iati.encoding", e.Message); }
            yield return Map(element, line);
        }
    }

    private static readonly XNamespace Xml = XNamespace.Xml;

    private static IatiActivity Map(XElement a, int line)
    {
        var language = (string?)a.Attribute(Xml + "lang") ?? "en";
        List<IatiNarrative> Narratives(XElement? parent) => parent is null ? [] :
            [.. parent.Elements("narrative").Select(n => new IatiNarrative((string?)n.Attribute(Xml + "lang") ?? language, n.Value.Trim()))];
        static decimal? Decimal(XAttribute? attribute) =>
            attribute is not null && decimal.TryParse(attribute.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
        static DateOnly? Date(XAttribute? attribute) =>
            attribute is not null && DateOnly.TryParseExact(attribute.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        static IatiShare Share(XElement e) => new((string?)e.Attribute("code") ?? "", (string?)e.Attribute("vocabulary"), Decimal(e.Attribute("percentage")));

        var dates = new Dictionary<string, DateOnly>();
        foreach (var d in a.Elements("activity-date"))
            if ((string?)d.Attribute("type") is { } type && Date(d.Attribute("iso-date")) is { } on) dates[type] = on;
        return new IatiActivity(
            a.Element("iati-identifier")?.Value.Trim() ?? "",
            (string?)a.Element("reporting-org")?.Attribute("ref"),
            language,
            (string?)a.Attribute("default-currency"),
            Narratives(a.Element("title")),
            [.. a.Elements("description").SelectMany(Narratives)],
            (string?)a.Element("activity-status")?.Attribute("code"),
            dates,
            [.. a.Elements("recipient-country").Select(Share)],
            [.. a.Elements("recipient-region").Select(Share)],
            [.. a.Elements("sector").Select(e => Share(e) with { Vocabulary = (string?)e.Attribute("vocabulary") ?? "1" })],
            [.. a.Elements("transaction").Select(t => new IatiTransaction(
                (string?)t.Element("transaction-type")?.Attribute("code"),
                Date(t.Element("transaction-date")?.Attribute("iso-date")),
                t.Element("value") is { } v && decimal.TryParse(v.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null,
                (string?)t.Element("value")?.Attribute("currency") ?? (string?)a.Attribute("default-currency"),
                Date(t.Element("value")?.Attribute("value-date")),
                (string?)t.Element("provider-org")?.Attribute("ref"),
                (string?)t.Element("receiver-org")?.Attribute("ref")))],
            line);
    }
}

/// <summary>
/// The IATI rules Caravan checks on each activity (after the IATI Standard's rulesets): percentages sum to
/// 100 per vocabulary, dates in order, codes from the codelists, the identifier prefixed by its publisher.
/// </summary>
public static class IatiRules
{
    // Codes of the IATI Standard's embedded codelists (IATI Standard, http://iatistandard.org/, CC BY 4.0).
    public static readonly IReadOnlySet<string> ActivityStatus = new HashSet<string> { "1", "2", "3", "4", "5", "6" };
    public static readonly IReadOnlySet<string> TransactionType = new HashSet<string> { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13" };
    public static readonly IReadOnlySet<string> ActivityDateType = new HashSet<string> { "1", "2", "3", "4" };

    public static List<IatiProblem> Check(IatiActivity a)
    {
        var problems = new List<IatiProblem>();
        var id = a.Identifier;
        void Add(string path, string rule, string code, string? detail = null) => problems.Add(new IatiProblem(id, path, rule, code, detail));

        if (id.Length == 0) Add("iati-identifier", "required", "iati.identifier-missing");
        else if (a.ReportingOrgRef is { Length: > 0 } org && !id.StartsWith(org + "-", StringComparison.Ordinal) && id != org)
            Add("iati-identifier", "identifier-prefix", "iati.identifier-prefix", org);
        if (a.Titles.Count == 0) Add("title/narrative", "required", "iati.title-missing");
        if (a.Status is { } status && !ActivityStatus.Contains(status)) Add("activity-status/@code", "codelist:ActivityStatus", "iati.unknown-code", status);
        foreach (var type in a.Dates.Keys.Where(t => !ActivityDateType.Contains(t))) Add("activity-date/@type", "codelist:ActivityDateType", "iati.unknown-code", type);
        // 1 planned start, 2 actual start, 3 planned end, 4 actual end.
        if (a.Dates.TryGetValue("1", out var ps) && a.Dates.TryGetValue("3", out var pe) && pe < ps) Add("activity-date[@type=3]", "date-order", "iati.end-before-start", $"{ps:yyyy-MM-dd} > {pe:yyyy-MM-dd}");
        if (a.Dates.TryGetValue("2", out var @as) && a.Dates.TryGetValue("4", out var ae) && ae < @as) Add("activity-date[@type=4]", "date-order", "iati.end-before-start", $"{@as:yyyy-MM-dd} > {ae:yyyy-MM-dd}");

        // Recipient countries and regions together sum to 100 when percentages are given.
        var recipients = a.RecipientCountries.Concat(a.RecipientRegions).ToList();
        if (recipients.Count > 1 && recipients.Any(r => r.Percentage is not null) && recipients.Sum(r => r.Percentage ?? 0) != 100)
            Add("recipient-country/@percentage", "percentages-sum", "iati.percentages", recipients.Sum(r => r.Percentage ?? 0).ToString(CultureInfo.InvariantCulture));
        foreach (var group in a.Sectors.GroupBy(s => s.Vocabulary))
            if (group.Count() > 1 && group.Sum(s => s.Percentage ?? 0) != 100)
                Add($"sector[@vocabulary={group.Key}]/@percentage", "percentages-sum", "iati.percentages", group.Sum(s => s.Percentage ?? 0).ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < a.Transactions.Count; i++)
        {
            var t = a.Transactions[i];
            if (t.Type is null || !TransactionType.Contains(t.Type)) Add($"transaction[{i + 1}]/transaction-type/@code", "codelist:TransactionType", "iati.unknown-code", t.Type ?? "none");
            if (t.Value is null) Add($"transaction[{i + 1}]/value", "required", "iati.value-missing");
            if (t.Currency is null) Add($"transaction[{i + 1}]/value/@currency", "currency", "iati.currency-missing");
            if (t.ValueDate is null) Add($"transaction[{i + 1}]/value/@value-date", "required", "iati.value-date-missing");
        }
        return problems;
    }
}
