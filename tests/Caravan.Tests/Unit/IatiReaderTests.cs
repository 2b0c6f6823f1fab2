using System.Text;
using Caravan.Features.Projects;

namespace Caravan.Tests.Unit;

/// <summary>Reading IATI 2.03 activities one at a time, safely, and checking the Standard's rules on each.</summary>
public sealed class IatiReaderTests
{
    private const string Activity = """
        <iati-activity xml:lang="en" default-currency="CNY">
          <iati-identifier>CN-MOFCOM-2025-0001</iati-identifier>
          <reporting-org ref="CN-MOFCOM" type="10"><narrative>Ministry of Commerce</narrative></reporting-org>
          <title>
            <narrative>Luban Workshop, Bishkek</narrative>
            <narrative xml:lang="ru">Мастерская Лу Бань, Бишкек</narrative>
            <narrative xml:lang="zh">比什凯克鲁班工坊</narrative>
          </title>
          <description type="1"><narrative>Vocational training centre.</narrative></description>
          <participating-org ref="CN-MOFCOM" role="1"/>
          <activity-status code="2"/>
          <activity-date iso-date="2024-01-10" type="1"/>
          <activity-date iso-date="2024-10-26" type="2"/>
          <activity-date iso-date="2026-12-31" type="3"/>
          <recipient-country code="KG" percentage="100"/>
          <sector vocabulary="1" code="11330" percentage="60"/>
          <sector vocabulary="1" code="11420" percentage="40"/>
          <transaction>
            <transaction-type code="2"/>
            <transaction-date iso-date="2024-03-01"/>
            <value currency="CNY" value-date="2024-03-01">12500000.50</value>
            <provider-org ref="CN-MOFCOM"/>
            <receiver-org ref="KG-KSTU"/>
          </transaction>
        </iati-activity>
        """;

    private static MemoryStream File(string activities, string version = "2.03") =>
        new(Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"{version}\">\n{activities}\n</iati-activities>"));

    [Fact]
    public void An_activity_keeps_its_narratives_in_every_language_and_its_money_exactly()
    {
        var a = Assert.Single(IatiReader.Read(File(Activity)));
        Assert.Equal(("CN-MOFCOM-2025-0001", "CN-MOFCOM", "2"), (a.Identifier, a.ReportingOrgRef, a.Status));
        Assert.Equal(["en:Luban Workshop, Bishkek", "ru:Мастерская Лу Бань, Бишкек", "zh:比什凯克鲁班工坊"], a.Titles.Select(t => $"{t.Language}:{t.Text}"));
        var t = Assert.Single(a.Transactions);
        Assert.Equal((12500000.50m, "CNY", new DateOnly(2024, 3, 1), "KG-KSTU"), (t.Value!.Amount, t.Currency, t.Value.ValueDate!.Value, t.ReceiverRef));
        Assert.Empty(IatiRules.Check(a));
    }

    [Fact]
    public void The_rules_name_each_problem_with_its_path()
    {
        var bad = Activity.Replace("CN-MOFCOM-2025-0001", "XX-OTHER-1", StringComparison.Ordinal)
            .Replace("percentage=\"40\"", "percentage=\"30\"", StringComparison.Ordinal)
            .Replace("iso-date=\"2026-12-31\" type=\"3\"", "iso-date=\"2023-12-31\" type=\"3\"", StringComparison.Ordinal)
            .Replace("<activity-status code=\"2\"/>", "<activity-status code=\"9\"/>", StringComparison.Ordinal)
            .Replace(" value-date=\"2024-03-01\"", "", StringComparison.Ordinal);
        var problems = IatiRules.Check(Assert.Single(IatiReader.Read(File(bad))));
        Assert.Equal(
            ["identifier-prefix", "codelist:ActivityStatus", "date-order", "percentages-sum", "required"],
            problems.Select(p => p.Rule));
        Assert.Equal("sector[@vocabulary=1]/@percentage", problems.Single(p => p.Rule == "percentages-sum").Path);
        Assert.Equal("transaction[1]/value/@value-date", problems.Last().Path);
    }

    [Fact]
    public async Task A_repeated_single_code_element_is_read_past_and_the_first_kept()
    {
        // A second <activity-status> (which the schema refuses) once left the reader standing on it for ever.
        var twice = Activity.Replace("<activity-status code=\"2\"/>",
            "<activity-status code=\"2\"/><activity-status code=\"3\"/>", StringComparison.Ordinal)
            .Replace("<recipient-country", "<collaboration-type code=\"1\"/><collaboration-type code=\"2\"/><recipient-country", StringComparison.Ordinal);
        var read = await Task.Run(() => IatiReader.Read(File(twice)).ToList(), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // else the reader hangs
        var a = Assert.Single(read);
        Assert.Equal(("2", "1"), (a.Status, a.CollaborationType));
        Assert.Equal("KG", a.RecipientCountries.Single().Code);
    }

    [Fact]
    public void Dtds_and_external_entities_are_refused()
    {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE iati-activities [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><iati-activities version=\"2.03\"><iati-activity><iati-identifier>&x;</iati-identifier></iati-activity></iati-activities>";
        var e = Assert.Throws<IatiFileException>(() => IatiReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xxe))).ToList());
        Assert.Equal("iati.dtd", e.Code.Key);
    }

    [Fact]
    public void A_version_1_file_a_foreign_file_and_a_truncated_file_each_stop_with_one_reason()
    {
        Assert.Equal("iati.version", Assert.Throws<IatiFileException>(() => IatiReader.Read(File(Activity, "1.05")).ToList()).Code.Key);
        // No version at all is said as such, not as a version called "none".
        var unstated = Assert.Throws<IatiFileException>(() => IatiReader.Read(
            new MemoryStream("<iati-activities><iati-activity/></iati-activities>"u8.ToArray())).ToList());
        Assert.Equal("iati.version-missing", unstated.Code.Key);
        Assert.DoesNotContain("none", unstated.Message, StringComparison.Ordinal);
        Assert.Equal("iati.not-iati", Assert.Throws<IatiFileException>(() => IatiReader.Read(new MemoryStream("<rss><channel/></rss>"u8.ToArray())).ToList()).Code.Key);
        var truncated = File(Activity + Activity.Replace("0001", "0002", StringComparison.Ordinal)).ToArray();
        var read = new List<IatiActivity>();
        var e = Assert.Throws<IatiFileException>(() => { foreach (var a in IatiReader.Read(new MemoryStream(truncated[..^200]))) read.Add(a); });
        Assert.Equal("iati.malformed", e.Code.Key);
        Assert.Equal(["CN-MOFCOM-2025-0001"], read.Select(a => a.Identifier)); // the whole activities before the break were read
    }

    [Fact]
    public void Many_activities_stream_one_at_a_time()
    {
        var many = string.Concat(Enumerable.Range(0, 2000).Select(i => Activity.Replace("0001", i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var count = 0;
        foreach (var a in IatiReader.Read(File(many)))
        {
            Assert.Empty(IatiRules.Check(a));
            count++;
        }
        Assert.Equal(2000, count);
    }
}

/// <summary>The official annotated 2.03 example (IATI Standard, CC BY 4.0), read from ../shared/iati, not copied into the project.</summary>
public sealed class IatiOfficialExampleTests
{
    [Fact]
    public void The_official_annotated_example_reads_with_its_narratives_and_passes_the_rules()
    {
        var path = Path.Combine(Caravan.Tests.Support.Requirements.SharedFolder("iati"), "examples", "activity-standard-example-annotated.xml");
        using var file = File.OpenRead(path);
        var a = Assert.Single(IatiReader.Read(file));
        Assert.Equal(("AA-AAA-123456789-ABC123", "AA-AAA-123456789", "2"), (a.Identifier, a.ReportingOrgRef, a.Status));
        Assert.Equal(["en", "fr", "es"], a.Titles.Select(t => t.Language));
        Assert.Equal(["AF", "AG"], a.RecipientCountries.Select(c => c.Code));
        Assert.NotEmpty(a.Transactions);
        Assert.All(a.Transactions, t => Assert.Equal("EUR", t.Currency));
        Assert.Empty(IatiRules.Check(a));
    }
}
