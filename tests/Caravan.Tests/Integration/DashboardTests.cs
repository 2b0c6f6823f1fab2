using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Features.Commitments;
using Caravan.Features.Seed;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// The dashboards and the indicators' analysis over HTTP: the tiles' numbers against counts made here from the
/// data file itself, a state's dashboard, an unknown state, and the sources' disagreement and the quoted growth
/// check on the indicator pages and in the API.
/// </summary>
public abstract class DashboardTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static SeedDataset Seed => SeedFile.Load(SeedDataTests.SeedPath).Dataset;

    private async Task<JsonElement> Get(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<(HttpStatusCode Status, string Html)> Page(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        return (response.StatusCode, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    /// <summary>
    /// A tile's numbers counted straight from the data file: commitments (not cancelled), those with no score
    /// ("not assessed"), those whose every score in their latest scored period is +1 ("complied", whatever the
    /// combining rule), and the latest assessment date.
    /// </summary>
    private static (int Commitments, int NotAssessed, int Complied, string? Last) Expected(IEnumerable<SeedCommitment> commitments)
    {
        var periods = Seed.ReportingPeriods.ToDictionary(p => p.Id, p => p.Order);
        var counted = commitments.Where(c => !c.Cancelled).ToList();
        // Complied: the latest period's scores all +1 and, unless the rule is the average, every party bound scored.
        var complied = counted.Count(c => c.Assessments.Count > 0
            && c.Assessments.GroupBy(a => a.Period).MaxBy(g => periods[g.Key]) is { } latest && latest.All(a => a.Score == 1)
            && (c.Combine == "average" || c.Parties.All(p => latest.Any(a => a.State == p))));
        return (counted.Count, counted.Count(c => c.Assessments.Count == 0), complied,
            counted.SelectMany(c => c.Assessments).Select(a => a.AssessedOn).OfType<string>().Order(StringComparer.Ordinal).LastOrDefault());
    }

    private static void AssertTile(JsonElement tile, (int Commitments, int NotAssessed, int Complied, string? Last) expected, string what)
    {
        Assert.True(expected.Commitments == tile.GetProperty("commitments").GetInt32(), $"{what}: commitments");
        var byStatus = tile.GetProperty("byStatus");
        Assert.True(expected.NotAssessed == byStatus.GetProperty("not-assessed").GetInt32(), $"{what}: not assessed");
        Assert.True(expected.Complied == byStatus.GetProperty("complied").GetInt32(), $"{what}: complied");
        Assert.Equal(expected.Commitments - expected.NotAssessed, tile.GetProperty("assessed").GetInt32());
        Assert.Equal(expected.Commitments, byStatus.EnumerateObject().Where(p => p.Name != "cancelled").Sum(p => p.Value.GetInt32()));
        Assert.Equal(expected.Commitments, tile.GetProperty("byFreshness").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.True(expected.Last == (tile.GetProperty("lastAssessed").ValueKind == JsonValueKind.Null ? null : tile.GetProperty("lastAssessed").GetString()), $"{what}: last assessed");
        if (expected.Commitments == expected.NotAssessed) Assert.Equal(JsonValueKind.Null, tile.GetProperty("progressPercent").ValueKind);
    }

    [Fact]
    public async Task The_overview_has_a_tile_per_priority_direction_whose_counts_match_the_data_file()
    {
        var seed = Seed;
        var d = await Get("/api/v1/dashboard");
        var tiles = d.GetProperty("directions").EnumerateArray().ToList();
        Assert.Equal(seed.PriorityDirections.OrderBy(p => p.Order).Select(p => p.Id), tiles.Select(t => t.GetProperty("direction").GetString()));
        Assert.Equal(6, tiles.Count);
        foreach (var tile in tiles)
        {
            var id = tile.GetProperty("direction").GetString();
            AssertTile(tile.GetProperty("figures"), Expected(seed.Commitments.Where(c => c.Direction == id)), id!);
        }
        AssertTile(d.GetProperty("withoutDirection"), Expected(seed.Commitments.Where(c => c.Direction is null)), "without direction");
        AssertTile(d.GetProperty("all"), Expected(seed.Commitments), "all");
        // The tiles and the bar without a direction add up to all commitments: none is lost or counted twice.
        Assert.Equal(d.GetProperty("all").GetProperty("commitments").GetInt32(),
            tiles.Sum(t => t.GetProperty("figures").GetProperty("commitments").GetInt32()) + d.GetProperty("withoutDirection").GetProperty("commitments").GetInt32());
        // Trade facilitation: one commitment (the trade platform), China's +1 in Astana → 2027: 100 %.
        var trade = tiles.Single(t => t.GetProperty("direction").GetString() == "trade-facilitation").GetProperty("figures");
        Assert.Equal(100.0, trade.GetProperty("progressPercent").GetDouble());

        var states = d.GetProperty("states").EnumerateArray().ToList();
        Assert.Equal(["CN", "KZ", "KG", "TJ", "TM", "UZ"], states.Select(s => s.GetProperty("state").GetString()));
        foreach (var s in states)
        {
            var code = s.GetProperty("state").GetString()!;
            AssertTile(s.GetProperty("commitments"), Expected(seed.Commitments.Where(c => c.Parties.Contains(code))), code);
        }
        // China's trade with each state: the GACC series' latest year for it, with its sources.
        var expectedTrade = seed.Indicators.Single(i => i.Id == "trade-turnover-usd").Values.Where(v => v.State == "KZ").MaxBy(v => v.Year)!;
        var kz = states.Single(s => s.GetProperty("state").GetString() == "KZ").GetProperty("tradeWithChina");
        Assert.Equal((expectedTrade.Year, expectedTrade.Value), (kz.GetProperty("year").GetInt32(), kz.GetProperty("value").GetDecimal()));
        Assert.NotEqual(0, kz.GetProperty("sources").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, states[0].GetProperty("tradeWithChina").ValueKind);

        var key = d.GetProperty("keyIndicators").EnumerateArray().ToList();
        Assert.Equal("trade-turnover-usd", key[0].GetProperty("id").GetString());
        Assert.Contains(key, k => k.GetProperty("id").GetString() == "kz-person-trips");
        Assert.Contains(key, k => k.GetProperty("id").GetString() == "flights-may");
        Assert.All(key.SelectMany(k => k.GetProperty("values").EnumerateArray()), v => Assert.NotEqual(0, v.GetProperty("sources").GetArrayLength()));
    }

    [Fact]
    public async Task A_states_dashboard_shows_its_commitments_treaty_steps_indicator_values_and_projects()
    {
        var seed = Seed;
        var tj = await Get("/api/v1/dashboard/tj");
        Assert.Equal("TJ", tj.GetProperty("state").GetString());
        AssertTile(tj.GetProperty("figures"), Expected(seed.Commitments.Where(c => c.Parties.Contains("TJ"))), "TJ");
        Assert.Equal(seed.Commitments.Where(c => c.Parties.Contains("TJ")).Select(c => c.Id).Order(StringComparer.Ordinal),
            tj.GetProperty("commitments").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        var treaty = Assert.Single(tj.GetProperty("treaties").EnumerateArray());
        Assert.Equal(seed.Documents.Single(x => x.Kind == "treaty").Id, treaty.GetProperty("treaty").GetString());

        var indicators = tj.GetProperty("indicators").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        // China's customs figures for Tajikistan only, and Tajik statistics' own figure beside them.
        Assert.Equal([3.9m, 3.86m], indicators["trade-turnover-usd"].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetDecimal()));
        Assert.All(indicators["trade-turnover-usd"].GetProperty("values").EnumerateArray(), v => Assert.Equal("TJ", v.GetProperty("state").GetString()));
        var other = indicators["trade-turnover-usd"].GetProperty("otherSources").EnumerateArray()
            .Single(o => o.GetProperty("indicator").GetString() == "trade-turnover-tj-statistics-usd");
        var difference = Assert.Single(other.GetProperty("differences").EnumerateArray());
        Assert.Equal((2024, 3.86m, 1.96m, -1.90m), (difference.GetProperty("year").GetInt32(), difference.GetProperty("value").GetDecimal(),
            difference.GetProperty("other").GetDecimal(), difference.GetProperty("difference").GetDecimal()));
        Assert.Equal(1.96m, Assert.Single(indicators["trade-turnover-tj-statistics-usd"].GetProperty("values").EnumerateArray()).GetProperty("value").GetDecimal());
        // The whole-mechanism figures and their check are China's, not Tajikistan's.
        Assert.False(indicators.ContainsKey("sister-city-pairs"));
        Assert.Empty(indicators["trade-turnover-usd"].GetProperty("checks").EnumerateArray());
        Assert.Equal("USD", tj.GetProperty("projects").GetProperty("currency").GetString());

        var cn = await Get("/api/v1/dashboard/CN");
        var cnTrade = cn.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "trade-turnover-usd");
        Assert.All(cnTrade.GetProperty("values").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.GetProperty("state").ValueKind));
        Assert.Equal("holds", Assert.Single(cnTrade.GetProperty("checks").EnumerateArray()).GetProperty("verdict").GetString());

        var (status, html) = await Page("/dashboard/TJ?culture=en");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Republic of Tajikistan", html);
        Assert.Contains("id=\"status-chart\"", html);
        Assert.Contains("download=\"status-chart.csv\"", html);
        Assert.Contains("China–Tajikistan trade per Tajik national statistics", html);
        Assert.Contains("(-49.22%)", html);
    }

    [Fact]
    public async Task A_states_dashboard_lists_the_programmes_it_pledged_or_shares_and_its_partnerships_as_the_data_file_has_them()
    {
        // China pledged every seeded programme; the seeded ledgers are empty, so no state has a share yet.
        var pledged = Seed.Programmes.Where(p => p.PledgedBy == "CN").Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(pledged);
        var cn = await Get("/api/v1/dashboard/CN");
        var programmes = cn.GetProperty("programmes").EnumerateArray().ToList();
        Assert.Equal(pledged, programmes.Select(p => p.GetProperty("programme").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(programmes, p => { Assert.True(p.GetProperty("pledger").GetBoolean()); Assert.Equal(JsonValueKind.Null, p.GetProperty("allocated").ValueKind); });
        var kz = await Get("/api/v1/dashboard/KZ");
        Assert.Empty(kz.GetProperty("programmes").EnumerateArray());

        // Kazakhstan's partnerships: the data file's records naming KZ on either side (its id begins with the two states).
        var ties = Seed.Partnerships.Where(p => p.Id.Split('-')[..2].Contains("kz")).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, ties.Count); // the Oskemen Luban Workshop and the visa-free regime with China
        Assert.Equal(ties, kz.GetProperty("partnerships").EnumerateArray().Select(p => p.GetProperty("partnership").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(kz.GetProperty("partnerships").EnumerateArray(), p => Assert.Equal("CN", p.GetProperty("otherState").GetString()));

        var (status, html) = await Page("/dashboard/KZ?culture=ru");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Обещания и программы", html);
        var (_, turkmenistan) = await Page("/dashboard/TM?culture=ru");
        Assert.Contains("Партнёрств этого государства пока не записано", turkmenistan);
        foreach (var id in ties) Assert.Contains($"data-partnership=\"{id}\"", html);
        var (_, china) = await Page("/dashboard/CN?culture=en");
        foreach (var id in pledged) Assert.Contains($"data-programme=\"{id}\"", china);
        Assert.Contains("pledged by this state", china);
    }

    [Theory]
    [InlineData("en", "'XX' is not a member state of the mechanism. Use one of the ISO 3166-1 alpha-2 codes: CN, KZ, KG, TJ, TM, UZ.")]
    [InlineData("ru", "«XX» не является государством — членом механизма. Укажите один из кодов ISO 3166-1 alpha-2: CN, KZ, KG, TJ, TM, UZ.")]
    [InlineData("zh", "“XX”不是机制成员国。请使用以下ISO 3166-1两位字母代码之一：CN, KZ, KG, TJ, TM, UZ。")]
    public async Task An_unknown_state_is_a_404_that_names_the_member_states_in_the_callers_language(string culture, string message)
    {
        var response = await app.Client().GetAsync($"/api/v1/dashboard/XX?culture={culture}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(message, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        var (status, html) = await Page($"/dashboard/XX?culture={culture}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(message, html);

        var bad = await app.Client().GetAsync($"/api/v1/dashboard?year=2024&culture={culture}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("year", problem.GetProperty("errors").GetProperty("year")[0].GetString());
    }

    [Theory]
    [InlineData("en", "/dashboard")]
    [InlineData("zh", "/dashboard")]
    [InlineData("ru", "/dashboard/KZ")]
    [InlineData("en", "/dashboard/KZ")]
    public async Task A_tiles_bar_is_its_commitments_shared_by_status_so_unassessed_ones_are_never_drawn_as_delivered(string culture, string url)
    {
        var (status, html) = await Page($"{url}?culture={culture}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("<meter", html);
        var tiles = Regex.Matches(html, "<dl class=\"tile-figures\">.*?</dl>", RegexOptions.Singleline);
        Assert.NotEmpty(tiles);
        foreach (Match tile in tiles)
        {
            var commitments = int.Parse(Regex.Match(tile.Value, "class=\"tile-count\" data-count=\"(\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
            var bar = Regex.Match(tile.Value, "<div class=\"status-bar\"[^>]*>(.*?)</div>", RegexOptions.Singleline);
            Assert.Equal(commitments > 0, bar.Success);
            if (!bar.Success) continue;
            // Each segment's share is its status's count, the same count the words below the bar give.
            var segments = Regex.Matches(bar.Groups[1].Value, "data-status=\"([a-z-]+)\" data-count=\"(\\d+)\" style=\"flex-grow: (\\d+)\"")
                .Select(m => (Status: m.Groups[1].Value, Count: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Grow: m.Groups[3].Value)).ToList();
            Assert.All(segments, s => Assert.Equal(s.Count.ToString(CultureInfo.InvariantCulture), s.Grow));
            Assert.Equal(commitments, segments.Sum(s => s.Count));
            foreach (var (key, count, _) in segments)
                Assert.Matches($"<li class=\"status-{key}\" data-status=\"{key}\" data-count=\"{count}\">", tile.Value);
        }
        if (url != "/dashboard") return;
        // However high the percentage of the assessed ones, what is not assessed is a grey share of the bar: trade
        // facilitation's 100 % of one assessed commitment is not a full green bar.
        var api = await Get("/api/v1/dashboard");
        foreach (var d in api.GetProperty("directions").EnumerateArray())
        {
            var figures = d.GetProperty("figures");
            if (figures.GetProperty("commitments").GetInt32() == 0) continue;
            var tile = Regex.Match(html, $"id=\"tile-{d.GetProperty("direction").GetString()}\".*?<div class=\"status-bar\"[^>]*>(.*?)</div>", RegexOptions.Singleline);
            var grey = Regex.Match(tile.Groups[1].Value, "data-status=\"not-assessed\" data-count=\"(\\d+)\"");
            var notAssessed = figures.GetProperty("commitments").GetInt32() - figures.GetProperty("assessed").GetInt32();
            Assert.Equal(notAssessed, grey.Success ? int.Parse(grey.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        }
    }

    [Theory]
    [InlineData("en", "The six priority directions", "Trade facilitation", "holds")]
    [InlineData("ru", "Шесть приоритетных направлений", "подтверждается", "подтверждается")]
    [InlineData("zh", "六大优先合作方向", "成立", "成立")]
    public async Task The_overview_page_renders_tiles_charts_and_map_in_each_language(string culture, string heading, string text, string verdict)
    {
        var (status, html) = await Page($"/dashboard?culture={culture}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<html lang=\"{culture}\"", html);
        Assert.Contains(heading, html);
        Assert.Contains(text, html);
        Assert.Contains(verdict, html);
        foreach (var direction in Seed.PriorityDirections) Assert.Contains($"id=\"tile-{direction.Id}\"", html);
        // The quote, attributed to its source (the Xinhua feature), verbatim.
        Assert.Contains("我们一起栽下的6棵石榴树，已经花满枝头，象征着六国合作欣欣向荣。", html);
        Assert.Contains("“和睦与团结就是幸福与财富”", html);
        foreach (var chart in new[] { "directions-chart", "trade-chart", "trade-by-state-chart" })
        {
            Assert.Contains($"id=\"{chart}-table\"", html);
            Assert.Contains($"download=\"{chart}.csv\"", html);
        }
        Assert.Contains("id=\"dashboard-map\"", html);
        Assert.Contains("id=\"states-table\"", html);
        Assert.Contains("data-world=\"/lib/boundaries/cca-region-50m.json\"", html);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/js/world-map.js", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_indicator_page_and_api_show_the_sources_disagreement_growth_and_the_quoted_figure_checked()
    {
        var (_, html) = await Page("/indicators/trade-turnover-usd?culture=en");
        Assert.Contains("2022 → 2024: 70.2 → 94.82 = +35.07%", html);
        Assert.Contains("<strong>holds</strong>", html);
        Assert.Contains("2022 → 2023: 70.2 → 89.4 = +27.35%", html);
        Assert.Contains("id=\"other-trade-turnover-edb-usd\"", html);
        Assert.Contains("-28.62 (-30.18%)", html);
        Assert.Contains("id=\"other-trade-turnover-tj-statistics-usd\"", html);
        Assert.Contains("download=\"indicator-chart.csv\"", html);
        Assert.Contains("https://timesca.com/china-central-asia-trade-nearly-triples-since-2020", html);
        // The other side names GACC as the same measure's other source, and shows the same difference from its side.
        var (_, edb) = await Page("/indicators/trade-turnover-edb-usd?culture=en");
        Assert.Contains("id=\"other-trade-turnover-usd\"", edb);
        Assert.Contains("+28.62 (+43.23%)", edb);

        var api = await Get("/api/v1/indicators/trade-turnover-usd");
        Assert.Equal(4 + 10, api.GetProperty("values").GetArrayLength());
        var check = Assert.Single(api.GetProperty("checks").EnumerateArray());
        Assert.Equal(("trade-growth-xian-astana", "holds", 35.07m, 70.2m, 94.82m, 2022, 2024),
            (check.GetProperty("figure").GetString(), check.GetProperty("verdict").GetString(), check.GetProperty("computed").GetDecimal(),
             check.GetProperty("from").GetDecimal(), check.GetProperty("to").GetDecimal(), check.GetProperty("fromYear").GetInt32(), check.GetProperty("toYear").GetInt32()));
        Assert.NotEqual(0, check.GetProperty("figureSources").GetArrayLength());
        Assert.NotEqual(0, check.GetProperty("fromSources").GetArrayLength());
        var growth = api.GetProperty("growth").EnumerateArray().ToList();
        var kz = growth.Single(g => g.GetProperty("state").GetString() == "KZ");
        Assert.Equal((2023, 41.0m, 2024, 43.82m, 6.88m), (kz.GetProperty("fromYear").GetInt32(), kz.GetProperty("from").GetDecimal(),
            kz.GetProperty("toYear").GetInt32(), kz.GetProperty("to").GetDecimal(), kz.GetProperty("percent").GetDecimal()));
        Assert.Equal(["trade-turnover-edb-usd", "trade-turnover-tj-statistics-usd"],
            api.GetProperty("otherSources").EnumerateArray().Select(o => o.GetProperty("indicator").GetString()).Order(StringComparer.Ordinal));

        var list = await Get("/api/v1/indicators?pageSize=100");
        var edbItem = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "trade-turnover-edb-usd");
        Assert.Equal("trade-turnover-usd", edbItem.GetProperty("sameMeasureAs").GetString());
        Assert.Equal(28.62m, edbItem.GetProperty("otherSources")[0].GetProperty("differences")[0].GetProperty("difference").GetDecimal());
    }
}

public sealed class DashboardTestsOnSqlite(SqliteApp app) : DashboardTests(app), IClassFixture<SqliteApp>;

public sealed class DashboardTestsOnPostgres(PostgresApp app) : DashboardTests(app), IClassFixture<PostgresApp>;
