using System.Text.RegularExpressions;
using Caravan.Features.Projects;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>
/// The IATI Standard's own schema test suite (IATI-Schemas tests/, in ../shared/iati/schema-tests, used in place):
/// every activity file goes through Caravan's reader and the checks the import makes, with and without the official
/// XSD. A should-pass file must be read without a schema error; a should-fail file must be refused or its activity
/// flagged, for the reason its name gives. Without the XSD, Caravan knows only the rules it restates: the reasons it
/// cannot know are listed in <see cref="XsdOnly"/>, and that list is checked to be exactly what it misses.
/// </summary>
public sealed partial class IatiSchemaSuiteTests
{
    /// <summary>What Caravan made of one file: refused whole (the reason), or its activities' problems.</summary>
    private sealed record Outcome(string File, bool ShouldPass, string? Refused, List<IatiProblem> Problems)
    {
        public bool SchemaError => Refused is not null || Problems.Exists(p => p.IsError && p.Rule == "schema");
        public bool Flagged => Refused is not null || Problems.Exists(p => p.IsError);
        public IEnumerable<string> Codes => Refused is { } r ? [r] : Problems.Where(p => p.IsError).Select(p => p.Code.Key);
    }

    private static string Suite => Requirements.SharedFolder("iati/schema-tests");

    /// <summary>
    /// The activity files: activity-tests/ and the per-element trees under should-pass|should-fail/iati-activities
    /// (organisation-tests and registry-tests use other schemas).
    /// </summary>
    private static List<string> ActivityFiles()
    {
        var root = Suite;
        return [.. Directory.EnumerateFiles(root, "*.xml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f.StartsWith("activity-tests/", StringComparison.Ordinal)
                || f.Contains("/iati-activities/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    private static Outcome Run(string file, System.Xml.Schema.XmlSchemaSet? schema)
    {
        var shouldPass = file.Contains("should-pass/", StringComparison.Ordinal);
        using var stream = File.OpenRead(Path.Combine(Suite, file));
        var problems = new List<IatiProblem>();
        try
        {
            // As the import checks each activity: the rules, then what the XSD refused.
            foreach (var a in IatiReader.Read(stream, schema))
            {
                problems.AddRange(IatiRules.Check(a));
                foreach (var error in a.SchemaErrors ?? [])
                    problems.Add(new IatiProblem(a.Identifier, "xsd", "schema", new(IatiMessages.Xsd, error), IsError: true));
            }
        }
        catch (IatiFileException e) { return new Outcome(file, shouldPass, e.Code.Key, problems); }
        return new Outcome(file, shouldPass, null, problems);
    }

    /// <summary>
    /// The should-fail files Caravan refuses or flags without the XSD, and the code it names them by. Every other
    /// should-fail file needs the XSD: its reason is a rule Caravan's own reader does not restate — an element it does
    /// not model (crs-add, fss, contact-info, conditions, country-budget-items, legacy-data, other-identifier,
    /// document links and comments under results, capital-spend), text inside an element that must be empty
    /// ("contains-text"), an attribute the schema forbids or requires on such elements, a once-only element repeated
    /// (Caravan keeps the first), a narrative missing below a description, or generated-datetime on the root.
    /// </summary>
    private static readonly Dictionary<string, string> KnownWithoutXsd = new(StringComparer.Ordinal)
    {
        ["activity-tests/should-fail/01-empty-activity.xml"] = "iati.element-missing",
        ["activity-tests/should-fail/16-last-updated-datetime.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/17-bad-hierarchy.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/18-missing-iati-activities-version.xml"] = "iati.version-missing",
        ["activity-tests/should-fail/19-has-iati-activity-version.xml"] = "iati.element-missing", // flagged for another reason of the file: missing title etc., not the version attribute on <iati-activity>
        ["activity-tests/should-fail/20-two-reporting-orgs.xml"] = "iati.element-missing", // flagged for another reason of the file: missing activity-status and activity-date, not the second reporting-org
        ["activity-tests/should-fail/22-missing-title-narrative.xml"] = "iati.title-missing",
        ["activity-tests/should-fail/budget/12-non-decimal-value.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/humanitarian/01-humanitarian-activity-flag-empty.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/humanitarian/01-humanitarian-activity-flag-non-numerical.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/participating-org/01-activity-id-empty.xml"] = "iati.element-missing", // flagged for another reason of the file: missing activity-status and activity-date, not the empty activity-id
        ["activity-tests/should-fail/planned-disbursement/12-non-decimal-value.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/result/08-non-boolean-attribute-aggregation-status.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/result/09-non-boolean-attribute-ascending.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/result/18-non-iso-date-period-period-start.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/result/19-non-iso-date-period-period-end.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/result/38-non-positiveInteger-baseline-year.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/transaction/01-missing-transaction-type.xml"] = "iati.element-missing",
        ["activity-tests/should-fail/transaction/02-missing-transaction-date.xml"] = "iati.element-missing",
        ["activity-tests/should-fail/transaction/03-missing-value.xml"] = "iati.value-missing",
        ["activity-tests/should-fail/transaction/19-missing-attribute-transaction-type-code.xml"] = "iati.element-missing",
        ["activity-tests/should-fail/transaction/20-missing-attribute-transaction-date-iso-code.xml"] = "iati.element-missing",
        ["activity-tests/should-fail/transaction/22-incorrect-date-value-date.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/transaction/23-incorrect-date-transaction-date.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/transaction/40-non-decimal-value.xml"] = "iati.unreadable",
        ["activity-tests/should-fail/transaction/41-empty-decimal-value.xml"] = "iati.value-missing",
        ["should-fail/iati-activities/iati-activity/result/indicator/_aggregation-status/err-not-iati-xml-incorrect-datatype.xml"] = "iati.unreadable",
        ["should-fail/iati-activities/iati-activity/result/indicator/baseline/dimension/err-not-iati-xml-incorrect-datatype.xml"] = "iati.unreadable",
    };

    [Fact]
    public async Task Every_activity_file_of_the_suite_is_judged_as_the_standard_says()
    {
        var files = ActivityFiles();
        Assert.NotEmpty(files);
        var schema = IatiSchema.Schemas;
        var withXsd = files.Select(f => Run(f, schema)).ToList();
        var without = files.Select(f => Run(f, null)).ToList();

        // With the official XSD: every should-pass file read without a schema error, every should-fail file refused
        // or its activity flagged by the schema.
        var wrongWith = withXsd.Where(o => o.ShouldPass ? o.SchemaError : !o.SchemaError).Select(o => o.File).ToList();
        // Without it: no should-pass file gets a schema error, and the should-fail files caught are exactly the table.
        var wrongWithout = without.Where(o => o.ShouldPass && o.SchemaError).Select(o => o.File).ToList();
        var caught = without.Where(o => !o.ShouldPass && o.SchemaError).ToDictionary(o => o.File, o => o.Codes.ToList());

        int pass = files.Count(f => f.Contains("should-pass/", StringComparison.Ordinal)), fail = files.Count - pass;
        await TestReport.AddAsync($"IATI schema suite, activity files: with the XSD {files.Count - wrongWith.Count} of "
            + $"{files.Count} agree ({pass} should-pass, {fail} should-fail); without it {pass - wrongWithout.Count} of "
            + $"{pass} should-pass read without a schema error and {caught.Count} of {fail} should-fail caught by "
            + "Caravan's own rules (the rest need the XSD)");

        Assert.Empty(wrongWith);
        Assert.Empty(wrongWithout);
        Assert.Equal(KnownWithoutXsd.Keys.Order(StringComparer.Ordinal), caught.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, code) in KnownWithoutXsd)
        {
            Assert.Contains(code, caught[file]);
            // With the XSD the same reason is named beside the schema's own words.
            Assert.Contains(code, withXsd.Single(o => o.File == file).Codes);
        }
        // The reasons of the name "incorrect datatype", "non-decimal", "non-iso-date"... are told as unreadable values.
        foreach (var o in without.Where(o => DatatypeReason().IsMatch(o.File) && KnownWithoutXsd.ContainsKey(o.File)))
            Assert.Contains(IatiMessages.Unreadable.Key, o.Codes);
    }

    [GeneratedRegex("incorrect-datatype|non-decimal|non-iso-date|incorrect-date|non-boolean|non-positiveInteger")]
    private static partial Regex DatatypeReason();
}
