using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Caravan.Tests.Support;

/// <summary>The official IATI 2.03 XSD from ../shared/iati/schema (not copied into the project): the oracle for exports.</summary>
public static class IatiSchema
{
    private static readonly Lazy<XmlSchemaSet> Set = new(() => Caravan.Features.Projects.IatiReader.LoadSchema(Path.Combine(Requirements.SharedFolder("iati"), "schema")));

    public static XmlSchemaSet Schemas => Set.Value;

    /// <summary>Every error and warning the official schema reports on a document, with its line.</summary>
    public static List<string> Validate(Stream xml)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(xml, settings);
        while (reader.Read()) { }
        return problems;
    }

    /// <summary>The distinct element paths of a document below each activity (e.g. "transaction/value").</summary>
    public static SortedSet<string> ElementPaths(XDocument document)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var activity in document.Descendants("iati-activity"))
            foreach (var e in activity.Descendants())
                paths.Add(string.Join("/", e.AncestorsAndSelf().TakeWhile(x => x != activity).Reverse().Select(x => x.Name.LocalName)));
        return paths;
    }
}
