using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Seed;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>What the app serves is what the versioned data file says; loading is idempotent and versioned.</summary>
public abstract class SeedDataTests(CaravanApp app)
{
    public static string SeedPath => Path.Combine(AppContext.BaseDirectory, "seed", "cca-mechanism.json");

    private async Task<int> Total(string collection)
    {
        var json = await app.Client().GetFromJsonAsync<JsonElement>($"/api/v1/{collection}?pageSize=1", TestContext.Current.CancellationToken);
        return json.GetProperty("total").GetInt32();
    }

    [Fact]
    public async Task The_served_counts_match_the_data_file()
    {
        var d = SeedFile.Load(SeedPath).Dataset;
        Assert.Equal(d.MemberStates.Count, await Total("member-states"));
        Assert.Equal(d.Bodies.Count, await Total("bodies"));
        Assert.Equal(d.Meetings.Count, await Total("meetings"));
        Assert.Equal(d.Documents.Count, await Total("documents"));
        Assert.Equal(d.PriorityDirections.Count, await Total("directions"));
        Assert.Equal(d.Measures.Count, await Total("measures"));
        Assert.Equal(d.Indicators.Count, await Total("indicators"));
        Assert.Equal(d.ReportedFigures.Count, await Total("reported-figures"));
        Assert.Equal(6, d.MemberStates.Count);
        Assert.Equal(6, d.PriorityDirections.Count);
    }

    [Fact]
    public async Task A_sample_of_facts_matches_the_data_file()
    {
        var d = SeedFile.Load(SeedPath).Dataset;
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;

        var grant = d.Measures.Single(m => m.Id == "grant-2025");
        var servedGrant = await client.GetFromJsonAsync<JsonElement>("/api/v1/measures/grant-2025", ct);
        Assert.Equal(1_500_000_000m, grant.Amount);
        Assert.Equal(grant.Amount, servedGrant.GetProperty("amount").GetDecimal());
        Assert.Equal("CNY", servedGrant.GetProperty("unit").GetString());

        var trade = d.Indicators.Single(i => i.Id == "trade-turnover-usd");
        var served = await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators/trade-turnover-usd", ct);
        foreach (var value in trade.Values)
        {
            var match = served.GetProperty("values").EnumerateArray().Single(v =>
                v.GetProperty("year").GetInt32() == value.Year && v.GetProperty("state").GetString() == value.State);
            Assert.Equal(value.Value, match.GetProperty("value").GetDecimal());
        }
        Assert.Contains(trade.Values, v => v is { Year: 2024, State: null, Value: 94.82m });

        foreach (var doc in d.Documents)
        {
            var servedDoc = await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{doc.Id}", ct);
            Assert.Equal(doc.SignedOn, servedDoc.GetProperty("signedOn").GetString());
            Assert.Equal(doc.Title.En, servedDoc.GetProperty("title").GetProperty("en").GetString());
            Assert.Equal(doc.Title.Zh, servedDoc.GetProperty("title").GetProperty("zh").GetString());
            Assert.Equal(doc.Citations.Select(c => c.Source).Order(), servedDoc.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order());
        }

        var astana = await client.GetFromJsonAsync<JsonElement>("/api/v1/meetings/summit-2025-astana", ct);
        Assert.Equal("2025-06-17", astana.GetProperty("date").GetString());
        Assert.Equal("KZ", astana.GetProperty("host").GetString());
    }

    [Theory]
    [InlineData("ru", "только на английском", "изложение Caravan")]
    [InlineData("zh", "仅有英文", "Caravan摘要")]
    [InlineData("en", "in Russian only", "Caravan's summary")]
    public async Task The_commitments_page_lists_every_agreed_item_in_the_readers_language_marked_as_Caravans_summary(string culture, string englishOnly, string summaryMark)
    {
        var d = SeedFile.Load(SeedPath).Dataset;
        var ct = TestContext.Current.CancellationToken;
        var html = System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/commitments?culture={culture}", ct));
        var start = html.IndexOf("id=\"commitments\"", StringComparison.Ordinal);
        var table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        Assert.True(d.Commitments.Count > 30);
        foreach (var c in d.Commitments)
            Assert.Contains($">{c.Text[culture]}</span>", table);
        Assert.DoesNotContain(englishOnly, table);
        Assert.DoesNotContain("(" + (culture == "ru" ? "только на китайском" : culture == "zh" ? "仅有俄文" : "in Chinese only") + ")", table);
        // Each summary says so; the agreed wording would not.
        Assert.Equal(d.Commitments.Count(c => c.Summary), CountOf(table, $"({summaryMark})"));

        var item = d.Commitments.Single(c => c.Id == "decl-ministerial-mechanisms");
        var page = System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/commitments/{item.Id}?culture={culture}", ct));
        Assert.Contains(item.Text[culture]!, page);
        Assert.Contains("id=\"text-is-summary\"", page);
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public async Task The_corrected_facts_are_what_the_api_and_the_portal_serve()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var kg = await client.GetFromJsonAsync<JsonElement>("/api/v1/member-states/KG", ct);
        Assert.Equal("Кыргызстан", kg.GetProperty("shortName").GetProperty("ru").GetString());
        Assert.Equal(0, kg.GetProperty("translated").GetArrayLength());
        // An official name is not marked as Caravan's translation.
        var state = await client.GetStringAsync("/states/KZ?culture=ru", ct);
        Assert.Contains("Республика Казахстан", state);
        Assert.DoesNotContain("перевод Caravan", state[..state.IndexOf("</h1>", StringComparison.Ordinal)]);

        var luban = await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators/luban-workshops", ct);
        Assert.Equal("at-least", luban.GetProperty("values")[0].GetProperty("qualifier").GetString());
        Assert.Contains("не менее 3", await client.GetStringAsync("/indicators/luban-workshops?culture=ru", ct));

        var secretariat = await client.GetFromJsonAsync<JsonElement>("/api/v1/commitments/decl-secretariat-support", ct);
        Assert.Equal(0, secretariat.GetProperty("parties").GetArrayLength()); // the sources do not list them
        Assert.True(secretariat.GetProperty("textIsSummary").GetBoolean());
        var treaty = await client.GetFromJsonAsync<JsonElement>("/api/v1/commitments/good-neighbourliness-treaty-ratification", ct);
        Assert.Equal(0, treaty.GetProperty("leadBodies").GetArrayLength());

        var financing = await client.GetFromJsonAsync<JsonElement>("/api/v1/measures/financing-2023", ct);
        Assert.DoesNotContain(financing.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "24kg_grant");
        var sister = await client.GetFromJsonAsync<JsonElement>("/api/v1/documents/sister-city-agreements-2025", ct);
        Assert.Equal(["CN"], sister.GetProperty("parties").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/commitments/china-kazakhstan-visa-exemption-2023", ct)).StatusCode);
    }

    [Fact]
    public async Task Loading_the_same_file_again_changes_nothing()
    {
        await using var db = app.NewDbContext();
        var before = await db.Citations.CountAsync(TestContext.Current.CancellationToken);
        var result = await new SeedImporter(db).ImportAsync(SeedFile.Load(SeedPath), TestContext.Current.CancellationToken);
        Assert.Equal(SeedOutcome.Unchanged, result.Outcome);
        Assert.Equal(before, await db.Citations.CountAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class SeedDataTestsOnSqlite(SqliteApp app) : SeedDataTests(app), IClassFixture<SqliteApp>;

public sealed class SeedDataTestsOnPostgres(PostgresApp app) : SeedDataTests(app), IClassFixture<PostgresApp>;

/// <summary>Separate from the tests above: it changes the data of its own database.</summary>
public abstract class SeedVersionTests(CaravanApp app)
{
    private static string SeedPath => SeedDataTests.SeedPath;

    [Fact]
    public async Task A_newer_version_updates_only_the_rows_that_changed_and_the_api_shows_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = app.Client();
        var before = await client.GetFromJsonAsync<JsonElement>("/api/v1/directions/connectivity", ct);

        var original = SeedFile.Load(SeedPath);
        var d = original.Dataset;
        var changed = d with
        {
            Version = d.Version + 1,
            PriorityDirections = d.PriorityDirections.Select(x => x.Id == "connectivity" ? x with { Name = x.Name with { En = "Connectivity (renamed in test)" } } : x).ToList(),
        };
        await using (var db = app.NewDbContext())
        {
            var result = await new SeedImporter(db).ImportAsync(original with { Dataset = changed, Sha256 = "changed" }, ct);
            Assert.Equal(SeedOutcome.Loaded, result.Outcome);
            // "Loaded version N+1 (was N)": the version the database held before this load.
            Assert.Equal((d.Version + 1, d.Version), (result.FileVersion, result.StoredVersion));
            Assert.Equal(0, result.Added);
            Assert.Equal(1, result.Updated);
        }
        var after = await client.GetFromJsonAsync<JsonElement>("/api/v1/directions/connectivity", ct);
        Assert.Equal("Connectivity (renamed in test)", after.GetProperty("name").GetProperty("en").GetString());
        Assert.NotEqual(before.GetProperty("name").GetProperty("en").GetString(), after.GetProperty("name").GetProperty("en").GetString());

        await using (var db = app.NewDbContext())
        {
            // The file the app ships is now older than the database: it is not applied over the newer data.
            var again = await new SeedImporter(db).ImportAsync(original, ct);
            Assert.Equal(SeedOutcome.OlderThanDatabase, again.Outcome);
        }
    }
}

public sealed class SeedVersionTestsOnSqlite(SqliteApp app) : SeedVersionTests(app), IClassFixture<SqliteApp>;

public sealed class SeedVersionTestsOnPostgres(PostgresApp app) : SeedVersionTests(app), IClassFixture<PostgresApp>;
