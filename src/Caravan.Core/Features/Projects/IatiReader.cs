using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Caravan.Features.Projects;

/// <summary>
/// A problem with one activity: its identifier, where, which rule, a message key and a detail. An error (what
/// the 2.03 schema requires) always keeps the activity out; a warning (the Standard's rules: percentages, date
/// order, codelists, identifier prefix) keeps it out unless the importer accepts warnings.
/// </summary>
public sealed record IatiProblem(string Activity, string Path, string Rule, string Code, string? Detail = null, bool IsError = false);

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
    /// <summary>Loads the official XSD from a folder (iati-activities-schema.xsd and what it imports, local files only).</summary>
    public static XmlSchemaSet LoadSchema(string folder)
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        using var reader = XmlReader.Create(Path.Combine(folder, "iati-activities-schema.xsd"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    public static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit, // no DTD: no XXE, no entity expansion
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>
    /// The activities of the file, in order. With <paramref name="schemas"/> (the official 2.03 XSD, which
    /// Caravan does not carry: see Caravan:Projects:IatiSchemaFolder) each activity is also validated against it.
    /// </summary>
    public static IEnumerable<IatiActivity> Read(Stream stream, XmlSchemaSet? schemas = null)
    {
        var activitySchema = schemas?.GlobalElements[new XmlQualifiedName("iati-activity")];
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
            var activity = Map(element, line);
            if (activitySchema is not null)
            {
                var errors = new List<string>();
                element.Validate(activitySchema, schemas!, (_, e) => errors.Add($"{e.Message}"));
                if (errors.Count > 0) activity.SchemaErrors = errors;
            }
            yield return activity;
        }
    }

    private static readonly XNamespace Xml = XNamespace.Xml;

    private static IatiActivity Map(XElement a, int line)
    {
        var language = (string?)a.Attribute(Xml + "lang") ?? "en";
        var currency = (string?)a.Attribute("default-currency");
        List<IatiNarrative> Narratives(XElement? parent) => parent is null ? [] :
            [.. parent.Elements("narrative").Select(n => new IatiNarrative((string?)n.Attribute(Xml + "lang") ?? language, n.Value.Trim()))];
        IatiOrg? Org(XElement? e) => e is null ? null :
            new IatiOrg(Text(e.Attribute("ref")), Text(e.Attribute("type")), Text(e.Attribute("role")), Narratives(e),
                Text(e.Attribute("activity-id")) ?? Text(e.Attribute("provider-activity-id")) ?? Text(e.Attribute("receiver-activity-id")));
        IatiValue? Value(XElement? v) => v is null || Decimal(v.Value) is not { } amount ? null
            : new IatiValue(amount, Text(v.Attribute("currency")) ?? currency, Date(v.Attribute("value-date")));
        IatiShare Share(XElement e) => new((string?)e.Attribute("code") ?? "", Text(e.Attribute("vocabulary")), Decimal(e.Attribute("percentage")?.Value), NullIfEmpty(Narratives(e)));
        List<IatiDocumentLink> Documents(XElement parent) =>
            [.. parent.Elements("document-link").Select(d => new IatiDocumentLink(
                (string?)d.Attribute("url") ?? "", Text(d.Attribute("format")), Narratives(d.Element("title")), Narratives(d.Element("description")),
                [.. d.Elements("category").Select(c => (string?)c.Attribute("code") ?? "")],
                [.. d.Elements("language").Select(c => (string?)c.Attribute("code") ?? "")],
                Date(d.Element("document-date")?.Attribute("iso-date"))))];

        return new IatiActivity
        {
            Identifier = a.Element("iati-identifier")?.Value.Trim() ?? "",
            ReportingOrg = Org(a.Element("reporting-org")),
            DefaultLanguage = language,
            DefaultCurrency = currency,
            Hierarchy = Text(a.Attribute("hierarchy")),
            Humanitarian = Text(a.Attribute("humanitarian")),
            LastUpdated = DateTimeOffset.TryParse((string?)a.Attribute("last-updated-datetime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated) ? updated : null,
            Titles = Narratives(a.Element("title")),
            Descriptions = [.. a.Elements("description").Select(d => new IatiDescription(Text(d.Attribute("type")), Narratives(d)))],
            ParticipatingOrgs = [.. a.Elements("participating-org").Select(o => Org(o)!)],
            Status = (string?)a.Element("activity-status")?.Attribute("code"),
            ActivityDates = [.. a.Elements("activity-date")
                .Where(d => (string?)d.Attribute("type") is not null && Date(d.Attribute("iso-date")) is not null)
                .Select(d => new IatiActivityDate((string)d.Attribute("type")!, Date(d.Attribute("iso-date"))!.Value, NullIfEmpty(Narratives(d))))],
            Scope = (string?)a.Element("activity-scope")?.Attribute("code"),
            RecipientCountries = [.. a.Elements("recipient-country").Select(Share)],
            RecipientRegions = [.. a.Elements("recipient-region").Select(e => Share(e) with { Vocabulary = Text(e.Attribute("vocabulary")) ?? "1" })],
            Locations = [.. a.Elements("location").Select(l =>
            {
                var pos = l.Element("point")?.Element("pos")?.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return new IatiLocation(
                    Text(l.Attribute("ref")), (string?)l.Element("location-reach")?.Attribute("code"),
                    [.. l.Elements("location-id").Select(i => new IatiCode((string?)i.Attribute("code") ?? "", Text(i.Attribute("vocabulary"))))],
                    Narratives(l.Element("name")), Narratives(l.Element("description")), Narratives(l.Element("activity-description")),
                    [.. l.Elements("administrative").Select(i => new IatiAdministrative((string?)i.Attribute("vocabulary") ?? "", (string?)i.Attribute("code") ?? "",
                        int.TryParse((string?)i.Attribute("level"), CultureInfo.InvariantCulture, out var level) ? level : null))],
                    pos is { Length: 2 } ? Decimal(pos[0]) : null, pos is { Length: 2 } ? Decimal(pos[1]) : null,
                    (string?)l.Element("exactness")?.Attribute("code"), (string?)l.Element("location-class")?.Attribute("code"),
                    (string?)l.Element("feature-designation")?.Attribute("code"));
            })],
            Sectors = [.. a.Elements("sector").Select(e => Share(e) with { Vocabulary = Text(e.Attribute("vocabulary")) ?? "1" })],
            CollaborationType = (string?)a.Element("collaboration-type")?.Attribute("code"),
            DefaultFlowType = (string?)a.Element("default-flow-type")?.Attribute("code"),
            DefaultFinanceType = (string?)a.Element("default-finance-type")?.Attribute("code"),
            DefaultAidTypes = [.. a.Elements("default-aid-type").Select(t => new IatiCode((string?)t.Attribute("code") ?? "", Text(t.Attribute("vocabulary"))))],
            DefaultTiedStatus = (string?)a.Element("default-tied-status")?.Attribute("code"),
            Budgets = [.. a.Elements("budget").Select(b => new IatiBudget(Text(b.Attribute("type")), Text(b.Attribute("status")),
                Date(b.Element("period-start")?.Attribute("iso-date")), Date(b.Element("period-end")?.Attribute("iso-date")), Value(b.Element("value"))))],
            PlannedDisbursements = [.. a.Elements("planned-disbursement").Select(b => new IatiPlannedDisbursement(Text(b.Attribute("type")),
                Date(b.Element("period-start")?.Attribute("iso-date")), Date(b.Element("period-end")?.Attribute("iso-date")), Value(b.Element("value")),
                Org(b.Element("provider-org")), Org(b.Element("receiver-org"))))],
            Transactions = [.. a.Elements("transaction").Select(t => new IatiTransaction(
                (string?)t.Element("transaction-type")?.Attribute("code"),
                Date(t.Element("transaction-date")?.Attribute("iso-date")),
                Value(t.Element("value")),
                Narratives(t.Element("description")),
                Org(t.Element("provider-org")), Org(t.Element("receiver-org")),
                Text(t.Attribute("ref"))))],
            DocumentLinks = Documents(a),
            RelatedActivities = [.. a.Elements("related-activity").Select(r => new IatiRelatedActivity((string?)r.Attribute("ref") ?? "", (string?)r.Attribute("type") ?? ""))],
            Results = [.. a.Elements("result").Select(r => new IatiResult(
                Text(r.Attribute("type")), Bool(r.Attribute("aggregation-status")), Narratives(r.Element("title")), Narratives(r.Element("description")),
                [.. r.Elements("indicator").Select(i => new IatiIndicator(
                    (string?)i.Attribute("measure") ?? "", Bool(i.Attribute("ascending")), Bool(i.Attribute("aggregation-status")),
                    Narratives(i.Element("title")), Narratives(i.Element("description")),
                    [.. i.Elements("baseline").Select(b => new IatiBaseline(
                        int.TryParse((string?)b.Attribute("year"), CultureInfo.InvariantCulture, out var year) ? year : null,
                        Date(b.Attribute("iso-date")), Text(b.Attribute("value"))))],
                    [.. i.Elements("period").Select(p => new IatiPeriod(
                        Date(p.Element("period-start")?.Attribute("iso-date")), Date(p.Element("period-end")?.Attribute("iso-date")),
                        [.. p.Elements("target").Select(v => (string?)v.Attribute("value") ?? "")],
                        [.. p.Elements("actual").Select(v => (string?)v.Attribute("value") ?? "")]))]))]))],
            Line = line,
        };
    }

    private static string? Text(XAttribute? attribute) => attribute is null || attribute.Value.Length == 0 ? null : attribute.Value;
    private static bool? Bool(XAttribute? attribute) => attribute?.Value switch { "1" or "true" => true, "0" or "false" => false, _ => null };
    private static List<T>? NullIfEmpty<T>(List<T> list) => list.Count == 0 ? null : list;
    internal static decimal? Decimal(string? text) =>
        text is not null && decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;
    private static DateOnly? Date(XAttribute? attribute) =>
        attribute is not null && DateOnly.TryParseExact(attribute.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
