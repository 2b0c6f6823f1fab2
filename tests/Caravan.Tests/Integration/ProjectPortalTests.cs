using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Projects over HTTP, on a small IATI file imported through the app's own import: the list's filters and paging,
/// totals converted at each value date with their rates' sources, umbrellas never counted, amounts without a rate
/// reported apart, unpublished projects invisible, bad filters named, the project page in each language, the map.
/// </summary>
public abstract class ProjectPortalTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task SeededAsync()
    {
        await using var db = app.NewDbContext();
        if (await db.Projects.AnyAsync(Ct)) return;
        await ProjectData.SeedAsync(app.Services);
    }

    private async Task<JsonElement> Get(string url)
    {
        await SeededAsync();
        var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<(HttpStatusCode Status, string Html)> Page(string url)
    {
        await SeededAsync();
        var response = await app.Client().GetAsync(url, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string[]> Identifiers(string url) =>
        [.. (await Get(url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("identifier").GetString()!)];

    private static decimal Amount(JsonElement line) => line.GetProperty("amount").GetDecimal();

    private static JsonElement Line(JsonElement totals, string dimension, string? key) =>
        totals.GetProperty(dimension).EnumerateArray().Single(l => l.GetProperty("key").GetString() == key);

    private static string[] Unconverted(JsonElement line) =>
        [.. line.GetProperty("unconverted").EnumerateArray().Select(u => $"{u.GetProperty("amount").GetDecimal().ToString("0.############", System.Globalization.CultureInfo.InvariantCulture)} {u.GetProperty("currency").GetString()}")];

    [Fact]
    public async Task The_list_filters_by_state_status_stage_year_and_text_and_pages_with_links()
    {
        Assert.Equal([ProjectData.Grant, ProjectData.Luban, ProjectData.Plan, ProjectData.Umbrella, ProjectData.Child], await Identifiers("/api/v1/projects"));
        Assert.Equal([ProjectData.Umbrella, ProjectData.Child], await Identifiers("/api/v1/projects?state=KG"));
        Assert.Equal([ProjectData.Grant, ProjectData.Luban], await Identifiers("/api/v1/projects?state=kz"));
        Assert.Equal([ProjectData.Grant, ProjectData.Plan], await Identifiers("/api/v1/projects?status=1"));
        Assert.Equal([ProjectData.Grant], await Identifiers("/api/v1/projects?stage=commitment"));
        Assert.Equal([ProjectData.Plan], await Identifiers("/api/v1/projects?stage=pledge"));
        // The year of a transaction: the umbrella's commitment of December 2024 and the workshop's of March 2024.
        Assert.Equal([ProjectData.Luban, ProjectData.Umbrella], await Identifiers("/api/v1/projects?year=2024"));
        // Text in any language and any case, in titles and identifiers.
        Assert.Equal([ProjectData.Child], await Identifiers("/api/v1/projects?q=%D0%B6%D0%B5%D0%BB%D0%B5%D0%B7%D0%BD%D0%B0%D1%8F")); // "железная"
        Assert.Equal([ProjectData.Umbrella, ProjectData.Child], await Identifiers("/api/v1/projects?q=%D0%96%D0%95%D0%9B%D0%95%D0%97%D0%9D")); // "ЖЕЛЕЗН"
        Assert.Equal([ProjectData.Luban], await Identifiers("/api/v1/projects?q=%E9%B2%81%E7%8F%AD")); // "鲁班"
        Assert.Equal([ProjectData.Child], await Identifiers("/api/v1/projects?q=rail-kg"));
        Assert.Equal([ProjectData.Plan, ProjectData.Grant, ProjectData.Child, ProjectData.Umbrella, ProjectData.Luban], await Identifiers("/api/v1/projects?sort=-start"));

        var first = await Get("/api/v1/projects?pageSize=3&state=");
        Assert.Equal((5, 3, 1), (first.GetProperty("total").GetInt32(), first.GetProperty("items").GetArrayLength(), first.GetProperty("page").GetInt32()));
        var links = first.GetProperty("links");
        Assert.Equal(JsonValueKind.Null, links.GetProperty("prev").ValueKind);
        Assert.Equal("/api/v1/projects?pageSize=3&state=&page=2", links.GetProperty("next").GetString());
        var second = await Get(links.GetProperty("next").GetString()!);
        Assert.Equal([ProjectData.Umbrella, ProjectData.Child], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("identifier").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("links").GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client().GetAsync("/api/v1/projects?pageSize=201", Ct)).StatusCode);

        var child = (await Get("/api/v1/projects?q=rail-kg")).GetProperty("items")[0];
        Assert.Equal(("KG", 100m), (child.GetProperty("recipientCountries")[0].GetProperty("code").GetString(), child.GetProperty("recipientCountries")[0].GetProperty("percentage").GetDecimal()));
        Assert.Equal((ProjectData.Umbrella, "implementation"), (child.GetProperty("parent").GetString(), child.GetProperty("stage").GetString()));
    }

    [Fact]
    public async Task Totals_convert_each_amount_at_its_value_date_name_the_rates_sources_skip_umbrellas_and_report_what_has_no_rate()
    {
        var usd = await Get("/api/v1/projects/totals");
        Assert.Equal(("USD", "2"), (usd.GetProperty("currency").GetString(), usd.GetProperty("transactionType").GetString()));
        // 12,000,000 USD (workshop) + 300,000,000 CNY at the USD/CNY rate of 17 June 2025 (the child's value date is 20 June);
        // the umbrella's 1,000,000,000 USD is its child's money and is not counted again.
        var childInUsd = 300_000_000m / 7.1811m;
        Assert.Equal(12_000_000m + childInUsd, Amount(usd.GetProperty("total")));
        // The grant's tenge are dated 2023, before any tenge rate: kept apart, in tenge.
        Assert.Equal(["5000000000 KZT"], Unconverted(usd.GetProperty("total")));
        Assert.Equal(1, usd.GetProperty("umbrellasExcluded").GetInt32());
        var rate = Assert.Single(usd.GetProperty("rates").EnumerateArray());
        Assert.Equal((ProjectData.PbocSource, "USD", "CNY", "2025-06-17", "2025-06-17"), (rate.GetProperty("source").GetString(), rate.GetProperty("from").GetString(),
            rate.GetProperty("to").GetString(), rate.GetProperty("firstOn").GetString(), rate.GetProperty("lastOn").GetString()));

        // By state, each amount split by the country's percentage.
        Assert.Equal(childInUsd, Amount(Line(usd, "byState", "KG")));
        Assert.Equal(7_200_000m, Amount(Line(usd, "byState", "TJ")));
        Assert.Equal(4_800_000m, Amount(Line(usd, "byState", "KZ")));
        Assert.Equal(["5000000000 KZT"], Unconverted(Line(usd, "byState", "KZ")));
        Assert.DoesNotContain(usd.GetProperty("byState").EnumerateArray(), l => l.GetProperty("key").ValueKind == JsonValueKind.Null);
        Assert.Equal(12_000_000m, Amount(Line(usd, "byYear", "2024")));
        Assert.Equal(childInUsd, Amount(Line(usd, "byYear", "2025")));
        Assert.Equal(["5000000000 KZT"], Unconverted(Line(usd, "byYear", "2023")));
        Assert.Equal(12_000_000m + childInUsd, Amount(Line(usd, "byStage", "implementation")));
        Assert.Equal(12_000_000m + childInUsd, Amount(Line(usd, "byDirection", null)));

        // In yuan: the yuan stay as they are; the workshop's dollars of March 2024 precede every USD/CNY rate.
        var cny = await Get("/api/v1/projects/totals?currency=cny");
        Assert.Equal(300_000_000m, Amount(cny.GetProperty("total")));
        Assert.Equal(["5000000000 KZT", "12000000 USD"], Unconverted(cny.GetProperty("total")));
        Assert.Empty(cny.GetProperty("rates").EnumerateArray());

        // Disbursements in tenge: yuan → dollars → tenge, with both sources.
        var kzt = await Get("/api/v1/projects/totals?type=3&currency=KZT");
        Assert.Equal(50_000_000m / 7.1811m * 510.26m, Amount(kzt.GetProperty("total")));
        Assert.Equal([ProjectData.NbkSource, ProjectData.PbocSource], kzt.GetProperty("rates").EnumerateArray().Select(r => r.GetProperty("source").GetString()));

        // A year counts that year's transactions only.
        var year = await Get("/api/v1/projects/totals?year=2024");
        Assert.Equal(12_000_000m, Amount(year.GetProperty("total")));
        Assert.Empty(Unconverted(year.GetProperty("total")));
        var kg = await Get("/api/v1/projects/totals?state=KG");
        Assert.Equal(childInUsd, Amount(kg.GetProperty("total")));
    }

    [Fact]
    public async Task Bad_filter_values_are_a_400_naming_each_parameter()
    {
        await SeededAsync();
        foreach (var (url, names) in new[]
        {
            ("/api/v1/projects/totals?currency=XYZ&state=QQ&type=99", new[] { "currency", "state", "type" }),
            ("/api/v1/projects?stage=dreaming&year=abc&direction=nowhere&status=9", ["stage", "year", "direction", "status"]),
            ("/api/v1/projects?colour=red", ["colour"]),
            ("/api/v1/projects/locations?state=QQ", ["state"]),
            ("/api/v1/exchange-rates?currency=usd1", ["currency"]),
            ($"/api/v1/projects/{ProjectData.Child}?currency=XYZ", ["currency"]),
        })
        {
            var response = await app.Client().GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
            Assert.All(names, n => Assert.True(errors.TryGetProperty(n, out _), $"{url}: {n}"));
        }
        var page = await Page("/projects?state=QQ&currency=XYZ&culture=ru");
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Некоторые значения недопустимы", page.Html);
        Assert.Contains("<code>state</code>", page.Html);
    }

    [Fact]
    public async Task Unpublished_projects_are_invisible_to_the_public()
    {
        await SeededAsync();
        Assert.DoesNotContain(ProjectData.Draft, await Identifiers("/api/v1/projects?pageSize=200"));
        Assert.Equal(0, (await Get("/api/v1/projects?q=hidden")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/api/v1/projects/{ProjectData.Draft}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/projects/{ProjectData.Draft}", Ct)).StatusCode);
        var totals = await Get("/api/v1/projects/totals?state=KG");
        Assert.Equal(300_000_000m / 7.1811m, Amount(totals.GetProperty("total"))); // not the draft's 777,000,000 USD
        var points = await Get("/api/v1/projects/locations");
        Assert.DoesNotContain(points.GetProperty("points").EnumerateArray(), p => p.GetProperty("identifier").GetString() == ProjectData.Draft);
        var html = (await Page("/projects?culture=en")).Html;
        Assert.DoesNotContain("Hidden draft project", html);
        Assert.DoesNotContain("Osh", (await Page("/projects/map")).Html);
    }

    [Fact]
    public async Task A_project_shows_its_narratives_in_the_readers_language_its_money_converted_with_sources_and_its_links()
    {
        await SeededAsync();
        string commitment;
        await using (var db = app.NewDbContext())
        {
            commitment = await db.Commitments.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Ct);
            var id = await db.Projects.Where(p => p.IatiIdentifier == ProjectData.Child).Select(p => p.Id).SingleAsync(Ct);
            if (!await db.ProjectCommitments.AnyAsync(l => l.ProjectId == id, Ct))
            {
                db.ProjectCommitments.Add(new ProjectCommitment { ProjectId = id, CommitmentId = commitment });
                await db.SaveChangesAsync(Ct);
            }
        }

        var json = await Get($"/api/v1/projects/{ProjectData.Child}");
        Assert.Equal(ProjectData.Umbrella, json.GetProperty("parent").GetProperty("identifier").GetString());
        var commitmentTx = json.GetProperty("transactions")[0];
        Assert.Equal((300_000_000m, "CNY", "2025-06-20"), (commitmentTx.GetProperty("value").GetProperty("amount").GetDecimal(),
            commitmentTx.GetProperty("value").GetProperty("currency").GetString(), commitmentTx.GetProperty("value").GetProperty("valueDate").GetString()));
        var converted = commitmentTx.GetProperty("value").GetProperty("converted");
        Assert.Equal(300_000_000m / 7.1811m, converted.GetProperty("amount").GetDecimal());
        Assert.Equal(("2025-06-17", ProjectData.PbocSource), (converted.GetProperty("rates")[0].GetProperty("on").GetString(), converted.GetProperty("rates")[0].GetProperty("source").GetString()));
        Assert.Equal(commitment, json.GetProperty("commitments")[0].GetProperty("id").GetString());
        Assert.Equal("Jalal-Abad", json.GetProperty("activity").GetProperty("locations")[0].GetProperty("name")[0].GetProperty("text").GetString());
        var umbrella = await Get($"/api/v1/projects/{ProjectData.Umbrella}");
        Assert.True(umbrella.GetProperty("umbrella").GetBoolean());
        Assert.Equal(ProjectData.Child, umbrella.GetProperty("children")[0].GetProperty("identifier").GetString());
        // A slash in an identifier, raw or encoded.
        Assert.Equal(ProjectData.Plan, (await Get("/api/v1/projects/XI-CARAVAN-PLAN/2026")).GetProperty("identifier").GetString());
        Assert.Equal(ProjectData.Plan, (await Get("/api/v1/projects/XI-CARAVAN-PLAN%2F2026")).GetProperty("identifier").GetString());
        Assert.Contains("2026年合作规划", (await Page("/projects/XI-CARAVAN-PLAN%2F2026?culture=zh")).Html);
        Assert.Contains("2026年合作规划", (await Page("/projects/XI-CARAVAN-PLAN/2026?culture=zh")).Html);

        var ru = await Page($"/projects/{ProjectData.Child}?culture=ru");
        Assert.Equal(HttpStatusCode.OK, ru.Status);
        Assert.Contains("<span lang=\"ru\">Железная дорога: участок в Кыргызстане</span>", ru.Html);
        Assert.Contains("Строительство кыргызского участка.", ru.Html);
        Assert.Contains("Исполняющая", ru.Html); // the implementing organisation's role
        Assert.Contains("Джалал-Абад", ru.Html);
        var zh = await Page($"/projects/{ProjectData.Child}?culture=zh&currency=USD");
        Assert.Contains("<span lang=\"zh\">铁路吉尔吉斯斯坦段</span>", zh.Html);
        Assert.Contains("吉尔吉斯斯坦段的建设。", zh.Html);
        Assert.Contains("实施方", zh.Html);
        Assert.Contains(ProjectData.PbocSource.Replace("'", "&#x27;", StringComparison.Ordinal), zh.Html);
        Assert.Contains($"href=\"/commitments/{commitment}\"", zh.Html);
        Assert.Contains($"href=\"/projects/{ProjectData.Umbrella}\"", zh.Html);
        Assert.Contains("href=\"https://example.org/rail-kg-agreement.pdf\"", zh.Html);
        Assert.DoesNotContain("href=\"javascript:", zh.Html); // a publisher's other schemes are shown, not linked
        // Results with their indicator's baseline, target and actual.
        Assert.Matches("<td class=\"num\">40</td>\\s*<td class=\"num\">12</td>", zh.Html);
        // Only in English: the English text, marked.
        var en = await Page($"/projects/{ProjectData.Luban}?culture=ru");
        Assert.Contains("Vocational training.", en.Html);
        Assert.Contains("только на языке: английский", en.Html);
    }

    [Fact]
    public async Task The_list_page_shows_totals_with_their_sources_and_unconverted_amounts_and_the_map_page_its_points()
    {
        var (status, html) = await Page("/projects?culture=zh");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("杜尚别鲁班工坊", html);
        Assert.Contains("id=\"rate-sources\"", html);
        Assert.Contains(ProjectData.PbocSource.Replace("'", "&#x27;", StringComparison.Ordinal), html);
        Assert.Contains("id=\"unconverted\"", html);
        Assert.Contains("KZT", html);
        Assert.Contains("class=\"chart\" data-chart=", html);
        Assert.Contains("id=\"by-year\"", html);
        Assert.Contains("共 5 个项目", html);
        var kg = (await Page("/projects?state=KG&culture=en")).Html;
        Assert.Contains("Projects: 2", kg);
        Assert.Contains("href=\"/projects/map?state=KG&amp;culture=en\"", kg);

        var map = await Page("/projects/map?culture=en");
        Assert.Equal(HttpStatusCode.OK, map.Status);
        Assert.Contains("data-world=\"/lib/boundaries/cca-region-50m.json\"", map.Html);
        Assert.Contains("Jalal-Abad", map.Html);
        Assert.Contains("Dushanbe", map.Html);
        Assert.Contains("2 points of 2 located projects (5 projects match the filters)", map.Html);
        foreach (var asset in new[] { "/lib/boundaries/cca-region-50m.json", "/lib/topojson-client/topojson-client.min.js", "/js/world-map.js" })
            Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync(asset, Ct)).StatusCode);
        var points = await Get("/api/v1/projects/locations?state=TJ");
        var point = Assert.Single(points.GetProperty("points").EnumerateArray());
        Assert.Equal((38.5598m, 68.7870m), (point.GetProperty("latitude").GetDecimal(), point.GetProperty("longitude").GetDecimal()));
        Assert.False(points.GetProperty("capped").GetBoolean());

        var rates = await Get("/api/v1/exchange-rates?currency=KZT");
        var kzt = Assert.Single(rates.GetProperty("items").EnumerateArray());
        Assert.Equal((510.26m, ProjectData.NbkSource), (kzt.GetProperty("rate").GetDecimal(), kzt.GetProperty("source").GetString()));
    }

    [Theory]
    [InlineData("en", "No figures reported yet.")]
    [InlineData("zh", "暂无已报告的数据。")]
    [InlineData("ru", "Данных пока нет.")]
    public async Task Totals_charts_with_nothing_to_draw_are_a_sentence_not_empty_axes(string culture, string sentence)
    {
        // No project matches: the charts by year and by direction have nothing to draw, and no totals table a line.
        var (status, html) = await Page($"/projects?q=no-such-project-anywhere&culture={culture}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("class=\"chart\" data-chart=", html);
        Assert.DoesNotContain("<table class=\"data totals\"", html);
        // By year, by direction, by state, by stage: each says so in a sentence.
        Assert.Equal(4, html.Split($"<p class=\"chart-empty-text\">{sentence}</p>").Length - 1);
    }
}

public sealed class ProjectPortalTestsOnSqlite(SqliteApp app) : ProjectPortalTests(app), IClassFixture<SqliteApp>;

public sealed class ProjectPortalTestsOnPostgres(PostgresApp app) : ProjectPortalTests(app), IClassFixture<PostgresApp>;
