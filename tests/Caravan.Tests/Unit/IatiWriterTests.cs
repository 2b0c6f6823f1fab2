using Microsoft.EntityFrameworkCore;
using System.Text;
using System.Xml.Linq;
using Caravan.Features.Projects;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>IATI export: valid against the official 2.03 XSD, and the official example survives a round trip.</summary>
public sealed class IatiWriterTests
{
    private static string ExamplePath => Path.Combine(Requirements.SharedFolder("iati"), "examples", "activity-standard-example-annotated.xml");

    private static MemoryStream Write(IEnumerable<IatiActivity> activities)
    {
        var output = new MemoryStream();
        using (var writer = new IatiWriter(output, new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)))
            foreach (var a in activities) writer.Write(a);
        output.Position = 0;
        return output;
    }

    [Fact]
    public void The_official_example_re_exported_is_valid_and_loses_only_what_the_model_does_not_cover()
    {
        using var source = File.OpenRead(ExamplePath);
        var original = Assert.Single(IatiReader.Read(source));
        // Stored as the database stores it: through its JSON.
        var stored = IatiActivity.FromJson(original.ToJson());
        using var exported = Write([stored]);
        Assert.Empty(IatiSchema.Validate(exported));

        // Read back, the record is the same record.
        exported.Position = 0;
        var again = Assert.Single(IatiReader.Read(exported));
        Assert.Equal(original.ToJson(), again.ToJson());

        // Every element path the example has and the export lacks is one the model declares it does not keep.
        exported.Position = 0;
        var before = IatiSchema.ElementPaths(XDocument.Load(ExamplePath));
        var after = IatiSchema.ElementPaths(XDocument.Load(exported));
        var lost = before.Except(after).ToList();
        var declared = IatiModel.NotModelled;
        Assert.All(lost, path => Assert.True(declared.Any(d => path == d || path.StartsWith(d + "/", StringComparison.Ordinal)),
            $"{path} is lost on export but not declared in IatiModel.NotModelled"));
        Assert.Empty(after.Except(before)); // nothing invented
        // The declaration is not wider than the loss: each declared element is present in the example and lost.
        Assert.All(declared, d => Assert.Contains(d, lost));
        // Narratives in all their languages are kept.
        Assert.Equal(["en", "fr", "es"], again.Titles.Select(t => t.Language));
    }

    [Fact]
    public void Amounts_dates_and_narratives_in_chinese_and_russian_are_exported_exactly()
    {
        const string xml = """
            <iati-activities version="2.03"><iati-activity xml:lang="en" default-currency="CNY">
              <iati-identifier>CN-MOFCOM-2025-0001</iati-identifier>
              <reporting-org ref="CN-MOFCOM" type="10"><narrative>Ministry of Commerce</narrative><narrative xml:lang="zh">商务部</narrative></reporting-org>
              <title><narrative>Luban Workshop, Bishkek</narrative><narrative xml:lang="ru">Мастерская Лу Бань, Бишкек</narrative><narrative xml:lang="zh">比什凯克鲁班工坊</narrative></title>
              <description type="1"><narrative>Vocational training.</narrative></description>
              <participating-org ref="CN-MOFCOM" role="1"/>
              <activity-status code="2"/>
              <activity-date iso-date="2024-01-10" type="1"/>
              <recipient-country code="KG" percentage="100"/>
              <transaction><transaction-type code="2"/><transaction-date iso-date="2024-03-01"/><value currency="CNY" value-date="2024-03-01">12500000.000001</value></transaction>
            </iati-activity></iati-activities>
            """;
        var a = Assert.Single(IatiReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml))));
        using var exported = Write([a]);
        Assert.Empty(IatiSchema.Validate(exported));
        exported.Position = 0;
        var text = new StreamReader(exported).ReadToEnd();
        Assert.Contains("12500000.000001", text);
        Assert.Contains("<narrative xml:lang=\"zh\">比什凯克鲁班工坊</narrative>", text);
        Assert.Contains("<narrative xml:lang=\"ru\">Мастерская Лу Бань, Бишкек</narrative>", text);
    }
}

/// <summary>From an activity to the stored project: stage, countries, what changed.</summary>
public sealed class ProjectRulesTests
{
    [Theory]
    [InlineData("1", false, ProjectStage.Pledge)]
    [InlineData("1", true, ProjectStage.Commitment)]
    [InlineData("2", false, ProjectStage.Implementation)]
    [InlineData("3", false, ProjectStage.Completion)]
    [InlineData("4", true, ProjectStage.Completion)]
    [InlineData("5", true, ProjectStage.Cancelled)]
    [InlineData("6", false, ProjectStage.Suspended)]
    [InlineData(null, false, ProjectStage.Pledge)]
    public void The_stage_follows_the_status_and_a_pledge_becomes_a_commitment_when_money_is_committed(string? status, bool committed, ProjectStage expected) =>
        Assert.Equal(expected, ProjectRules.StageOf(status, committed));

    [Fact]
    public void One_country_without_a_percentage_has_all_of_it_several_keep_theirs()
    {
        var one = new IatiActivity { Identifier = "X-1", RecipientCountries = [new("KZ", null, null)] };
        Assert.Equal(100m, Assert.Single(ProjectRules.CountriesOf(one, 1)).Percentage);
        var two = new IatiActivity { Identifier = "X-2", RecipientCountries = [new("KZ", null, 60m), new("UZ", null, 40m)] };
        Assert.Equal([("KZ", 60m), ("UZ", 40m)], ProjectRules.CountriesOf(two, 2).Select(c => (c.CountryCode, c.Percentage)));
    }

    [Fact]
    public void The_diff_names_the_parts_that_changed()
    {
        var before = new IatiActivity { Identifier = "X-1", Status = "1", Titles = [new("en", "Road")], Transactions = [] };
        var after = new IatiActivity
        {
            Identifier = "X-1", Status = "2", Titles = [new("en", "Road")],
            Transactions = [new IatiTransaction("2", new DateOnly(2025, 1, 1), new IatiValue(5m, "USD", new DateOnly(2025, 1, 1)), [], null, null)],
        };
        Assert.Equal(["status", "transactions (0 → 1)"], ProjectRules.Diff(before.ToJson(), after.ToJson()));
        Assert.Empty(ProjectRules.Diff(after.ToJson(), after.ToJson()));
    }

    [Fact]
    public void Transactions_without_a_value_date_are_placed_at_their_date_and_incomplete_ones_are_not_projected()
    {
        var a = new IatiActivity
        {
            Identifier = "X-1", Titles = [new("en", "Road")],
            Transactions =
            [
                new IatiTransaction("3", new DateOnly(2025, 2, 1), new IatiValue(10m, "USD", null), [], null, null),
                new IatiTransaction("3", null, new IatiValue(10m, "USD", null), [], null, null),
                new IatiTransaction("3", new DateOnly(2025, 2, 1), new IatiValue(10m, null, null), [], null, null),
            ],
        };
        var (project, transactions, _) = ProjectRules.ToRows(a, 7, a.ToJson(), DateTimeOffset.UnixEpoch, "test");
        var t = Assert.Single(transactions);
        Assert.Equal((7L, new DateOnly(2025, 2, 1), 2025), (t.ProjectId, t.ValueDate, t.Year));
        Assert.Equal(1, project.TransactionCount);
    }
}

/// <summary>With the official XSD configured, the reader validates as it streams and pins each complaint on its activity.</summary>
public sealed class IatiSchemaValidationTests
{
    [Fact]
    public void An_activity_the_schema_refuses_carries_the_complaint_and_its_neighbours_do_not()
    {
        var good = IatiSamples.Activity("S-1");
        // The sector before the recipient country: the schema's sequence is broken.
        var misordered = IatiSamples.Activity("S-2").Replace("""<sector vocabulary="1" code="11330" percentage="100"/>""", "", StringComparison.Ordinal)
            .Replace("""<recipient-country code="KG" percentage="100"/>""", """<sector vocabulary="1" code="11330" percentage="100"/><recipient-country code="KG" percentage="100"/>""", StringComparison.Ordinal);
        var activities = IatiReader.Read(IatiSamples.Stream(IatiSamples.File(good, misordered, IatiSamples.Activity("S-3"))), IatiSchema.Schemas).ToList();
        Assert.Equal(3, activities.Count);
        Assert.Null(activities[0].SchemaErrors);
        Assert.Contains("recipient-country", Assert.Single(activities[1].SchemaErrors!), StringComparison.Ordinal);
        Assert.Null(activities[2].SchemaErrors);
    }
}

/// <summary>The bulk store writes every column the EF model has: a new column cannot be forgotten by the import.</summary>
public sealed class ProjectStoreColumnsTests
{
    [Fact]
    public void The_bulk_column_lists_are_the_models_columns()
    {
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Caravan.Data.CaravanDbContext>()
            .UseSqlite("Data Source=:memory:").Options;
        using var db = new Caravan.Data.CaravanDbContext(options);
        string[] Columns<T>() => [.. db.Model.FindEntityType(typeof(T))!.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal)];
        Assert.Equal(Columns<Project>(), ProjectStore.ProjectColumns.Order(StringComparer.Ordinal));
        Assert.Equal(Columns<ProjectTransaction>(), ProjectStore.TransactionColumns.Order(StringComparer.Ordinal));
        Assert.Equal(Columns<ProjectCountry>(), ProjectStore.CountryColumns.Order(StringComparer.Ordinal));
    }
}
