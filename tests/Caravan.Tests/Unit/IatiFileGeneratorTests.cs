using System.Collections;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using System.Xml.XPath;

using Caravan.Benchmarks;
using Caravan.Features.Projects;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>
/// The benchmark's IATI file generator (bench/Caravan.Benchmarks/IatiFileGenerator.cs, compiled in by a link):
/// what it writes passes the official 2.03 XSD and codelists (../shared/iati, not copied), the product's reader
/// and rules, and the Standard's rules the product does not check yet; a seed always gives the same bytes.
/// </summary>
public sealed class IatiFileGeneratorTests
{
    private const int Count = 200;

    private static byte[] Generate(int count = Count, int seed = 42)
    {
        using var stream = new MemoryStream();
        IatiFileGenerator.Write(stream, count, seed);
        return stream.ToArray();
    }

    /// <summary>Lets the schema set read its include and import (iati-common.xsd, xml.xsd) from disk, and nothing from the network.</summary>
    private sealed class LocalFilesOnly : XmlUrlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn) =>
            absoluteUri.IsFile ? base.GetEntity(absoluteUri, role, ofObjectToReturn) : throw new XmlException($"Only local files are resolved, not {absoluteUri}.");
    }

    [Fact]
    public void The_file_validates_against_the_official_schema_without_errors_or_warnings()
    {
        var file = Generate();
        var (problems, activities) = Validate(file);

        Assert.Empty(problems);
        Assert.Equal(Count, activities);

        // The check has teeth: the XSD's sequence puts location before sector, and the swap is an error.
        var text = System.Text.Encoding.UTF8.GetString(file);
        var firstActivity = text[..text.IndexOf("</iati-activity>", StringComparison.Ordinal)];
        var sectors = string.Concat(System.Text.RegularExpressions.Regex.Matches(firstActivity, "<sector [^>]*/>").Select(m => m.Value));
        var swapped = text.Remove(text.IndexOf("<sector ", StringComparison.Ordinal), sectors.Length).Insert(text.IndexOf("<location>", StringComparison.Ordinal), sectors);
        Assert.Contains(Validate(System.Text.Encoding.UTF8.GetBytes(swapped)).Problems, p => p.StartsWith("Error", StringComparison.Ordinal) && p.Contains("location", StringComparison.Ordinal));
    }

    private static (List<string> Problems, int Activities) Validate(byte[] file)
    {
        var path = Path.Combine(Requirements.SharedFolder("iati"), "schema", "iati-activities-schema.xsd");
        var problems = new List<string>();
        var schemas = new XmlSchemaSet { XmlResolver = new LocalFilesOnly() };
        schemas.ValidationEventHandler += (_, e) => problems.Add($"schema {e.Severity}: {e.Message}");
        using (var xsd = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = new LocalFilesOnly() }))
            schemas.Add(null, xsd);
        schemas.Compile();

        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = schemas,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings | XmlSchemaValidationFlags.ProcessIdentityConstraints,
            DtdProcessing = DtdProcessing.Prohibit,
        };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} at {e.Exception?.LineNumber}:{e.Exception?.LinePosition}: {e.Message}");
        using var reader = XmlReader.Create(new MemoryStream(file), settings);
        var activities = 0;
        while (reader.Read())
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "iati-activity") activities++;
        return (problems, activities);
    }

    [Fact]
    public void Every_activity_reads_with_the_products_reader_and_passes_its_rules()
    {
        var activities = IatiReader.Read(new MemoryStream(Generate())).ToList();

        Assert.Equal(Count, activities.Count);
        Assert.Empty(activities.SelectMany(IatiRules.Check).Select(p => $"{p.Activity} {p.Path} {p.Rule} {p.Message.Detail()}"));
        Assert.Equal(Count, activities.Select(a => a.Identifier).Distinct().Count());
        Assert.All(activities, a =>
        {
            Assert.StartsWith(a.ReportingOrgRef + "-", a.Identifier, StringComparison.Ordinal);
            Assert.Equal(["en", "ru", "zh"], a.Titles.Select(t => t.Language));
            Assert.Equal(["en", "ru", "zh"], a.Descriptions.SelectMany(d => d.Narratives).Select(t => t.Language));
            Assert.All(a.RecipientCountries, c => Assert.Contains(c.Code, new[] { "CN", "KZ", "KG", "TJ", "TM", "UZ" }));
            Assert.InRange(a.Sectors.Count, 2, 3);
            Assert.All(a.Transactions, t => Assert.Contains(t.Type, new[] { "2", "3", "4" }));
        });
        // The variety the benchmark relies on shows up in 200 activities.
        Assert.Contains(activities, a => a.RecipientRegions.Count > 0);
        Assert.Contains(activities, a => a.RecipientCountries.Count == 3);
        Assert.Contains(activities, a => a.Transactions.Count >= 8);
        Assert.Equal(["CNY", "EUR", "KZT", "USD", "UZS"], activities.Select(a => a.DefaultCurrency).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_coded_value_is_an_active_code_of_the_codelist_the_standards_mapping_names()
    {
        var folder = Path.Combine(Requirements.SharedFolder("iati"), "codelists");
        var document = XDocument.Load(new MemoryStream(Generate()));
        var namespaces = new XmlNamespaceManager(new NameTable()); // knows the xml: prefix some paths use
        var checkedValues = 0;
        var problems = new List<string>();
        foreach (var mapping in XDocument.Load(Path.Combine(folder, "mapping.xml")).Root!.Elements("mapping"))
        {
            var path = mapping.Element("path")!.Value;
            var list = mapping.Element("codelist")!.Attribute("ref")!.Value;
            var condition = mapping.Element("condition")?.Value;
            HashSet<string>? codes = null;
            foreach (var node in ((IEnumerable)document.XPathEvaluate(path, namespaces)).Cast<XObject>())
            {
                var (value, owner) = node switch
                {
                    XAttribute a => (a.Value, a.Parent!),
                    XText t => (t.Value, t.Parent!),
                    _ => throw new InvalidOperationException(path),
                };
                if (condition is not null && !(bool)owner.XPathEvaluate($"boolean({condition})", namespaces)) continue;
                codes ??= ActiveCodes(folder, list);
                checkedValues++;
                if (!codes.Contains(value)) problems.Add($"{path} = {value}: not an active code of {list}");
            }
        }
        Assert.Empty(problems.Distinct());
        Assert.True(checkedValues > Count * 50, $"only {checkedValues} coded values checked");
    }

    private static HashSet<string> ActiveCodes(string folder, string list)
    {
        var file = new[] { "embedded", "non-embedded" }.Select(sub => Path.Combine(folder, sub, list + ".xml")).First(File.Exists);
        return [.. XDocument.Load(file).Descendants("codelist-item")
            .Where(i => (string?)i.Attribute("status") != "withdrawn")
            .Select(i => i.Element("code")!.Value.Trim())];
    }

    [Fact]
    public void The_standards_other_rules_hold_budgets_dates_links_and_places()
    {
        var document = XDocument.Load(new MemoryStream(Generate()));
        var activities = document.Root!.Elements("iati-activity").ToList();
        var identifiers = activities.Select(a => a.Element("iati-identifier")!.Value).ToHashSet();
        static DateOnly Date(XElement? e) => DateOnly.ParseExact(e!.Attribute("iso-date")!.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var asOf = IatiFileGenerator.AsOf;

        foreach (var a in activities)
        {
            var id = a.Element("iati-identifier")!.Value;
            // Periods start before they end, budgets last at most a year (rules 8.6.3, 7.5.3 and 8.6.1).
            foreach (var period in a.Elements("budget").Concat(a.Elements("planned-disbursement")).Concat(a.Descendants("period")))
            {
                var (start, end) = (Date(period.Element("period-start")), Date(period.Element("period-end")));
                Assert.True(start < end, $"{id}: period {start} – {end}");
                Assert.True(end.DayNumber - start.DayNumber <= 365, $"{id}: period {start} – {end} is longer than a year");
            }
            // Nothing actual in the future (11.1.4, 11.1.5, 11.2.1, 11.2.2); at least a start date (6.11.1).
            Assert.Contains(a.Elements("activity-date"), d => (string?)d.Attribute("type") is "1" or "2");
            foreach (var d in a.Elements("activity-date").Where(d => (string?)d.Attribute("type") is "2" or "4"))
                Assert.True(Date(d) <= asOf, $"{id}: actual date {Date(d)} after {asOf}");
            foreach (var t in a.Elements("transaction"))
                Assert.True(Date(t.Element("transaction-date")) <= asOf && DateOnly.Parse(t.Element("value")!.Attribute("value-date")!.Value, CultureInfo.InvariantCulture) <= asOf, $"{id}: transaction after {asOf}");
            // Amounts: invariant decimals with at most two decimal places.
            foreach (var v in a.Descendants("value"))
                Assert.Matches(@"^\d+(\.\d{1,2})?$", v.Value);
            // Related activities point at generated activities, and the parent names the child back.
            foreach (var r in a.Elements("related-activity"))
            {
                var other = r.Attribute("ref")!.Value;
                Assert.Contains(other, identifiers);
                var back = (string)r.Attribute("type")! == "1" ? "2" : "1";
                Assert.Contains(activities.Single(x => x.Element("iati-identifier")!.Value == other).Elements("related-activity"),
                    x => x.Attribute("ref")!.Value == id && x.Attribute("type")!.Value == back);
            }
            // Points lie in Central Asia (with Xinjiang), "lat lon".
            foreach (var pos in a.Descendants("pos"))
            {
                var latLon = pos.Value.Split(' ').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                Assert.InRange(latLon[0], 35.0, 56.0);
                Assert.InRange(latLon[1], 46.0, 96.0);
            }
        }
        Assert.Contains(activities, a => a.Elements("related-activity").Count(r => (string?)r.Attribute("type") == "2") >= 2); // an umbrella programme
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var first = Generate();
        Assert.Equal(first, Generate());
        Assert.NotEqual(first, Generate(seed: 7));
        Assert.True(first.Length > Count * 1000);
    }
}
