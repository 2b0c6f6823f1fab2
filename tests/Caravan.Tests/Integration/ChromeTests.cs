using System.Net;
using System.Text.RegularExpressions;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// What frames every page, as served (no JavaScript): the menu that folds on a phone, tables that scroll in their
/// own box, the About page built from the dataset, the home page's figures in plain words, and the API reference
/// in the reader's language without the vendor's promotion.
/// </summary>
public abstract partial class ChromeTests(CaravanApp app)
{
    private async Task<(HttpStatusCode Status, string Html)> Get(string url)
    {
        var response = await app.Client(allowRedirects: true).GetAsync(url, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("zh", "菜单", "关于机制")]
    [InlineData("ru", "Меню", "О механизме")]
    [InlineData("en", "Menu", "About")]
    public async Task Every_page_has_a_menu_that_folds_without_javascript_and_links_the_about_page(string culture, string menu, string about)
    {
        foreach (var url in new[] { "/", "/commitments", "/states/KZ" })
        {
            var (status, html) = await Get($"{url}?culture={culture}");
            Assert.Equal(HttpStatusCode.OK, status);
            // The checkbox comes before its label and the menu, so the CSS sibling rule can open it.
            var toggle = html.IndexOf("<input type=\"checkbox\" id=\"menu-toggle\"", StringComparison.Ordinal);
            var label = html.IndexOf("<label for=\"menu-toggle\"", StringComparison.Ordinal);
            var nav = html.IndexOf("id=\"main-menu\"", StringComparison.Ordinal);
            Assert.True(toggle > 0 && toggle < label && label < nav, url);
            Assert.Contains($"</span> {menu}</label>", html);
            Assert.Contains($"<a href=\"/about\" class=\"\">{about}</a>", html.Replace("class=\"active\"", "class=\"\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_data_table_sits_in_its_own_scrolling_box()
    {
        foreach (var url in new[] { "/commitments", "/states", "/bodies", "/documents", "/about", "/scorecards" })
        {
            var (_, html) = await Get($"{url}?culture=ru");
            var tables = TableTag().Matches(html);
            Assert.True(tables.Count > 0, url);
            Assert.All(tables, t => Assert.EndsWith("<div class=\"table-scroll\">", html[..t.Index].TrimEnd()));
        }
    }

    [Theory]
    [InlineData("zh", "关于机制", "中华人民共和国", "可信度标记", "据报道：10", "目前已登记：")]
    [InlineData("ru", "О механизме", "Китайская Народная Республика", "Отметки достоверности", "сообщается: 10", "пока зарегистрировано: ")]
    [InlineData("en", "About the mechanism", "People&#x27;s Republic of China", "Confidence marks", "10 reported", " registered so far, each with its own sources")]
    public async Task The_about_page_describes_the_mechanism_from_the_dataset_with_sources(string culture, string title, string china, string confidence, string reported, string registered)
    {
        var (status, html) = await Get($"/about?culture={culture}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<h1>{title}</h1>", html);
        // Members: the six, each with its official full name and its own sources.
        var members = Section(html, "members");
        foreach (var code in new[] { "CN", "KZ", "KG", "TJ", "TM", "UZ" }) Assert.Contains($"href=\"/states/{code}\"", members);
        Assert.Contains(china.Replace("&#x27;", "'", StringComparison.Ordinal), WebUtility.HtmlDecode(members));
        Assert.Equal(6, Regex.Count(members, "<details class=\"sources\">"));
        // Bodies by kind, the summits (Astana among them) and the other meetings.
        Assert.Contains("href=\"/bodies#kind-secretariat\"", Section(html, "bodies"));
        Assert.Contains("href=\"/meetings/summit-2025-astana\"", Section(html, "summits"));
        // How to read: the three scores, confidence marks, and reported beside registered with the figure's sources.
        var reading = WebUtility.HtmlDecode(Section(html, "reading"));
        Assert.Contains(confidence, reading);
        Assert.Contains("confidence-high", reading);
        Assert.Contains("+1", reading);
        Assert.Contains("−1", reading);
        var figures = Section(html, "reported");
        Assert.Contains(reported, figures);
        Assert.Contains(registered, figures);
        Assert.Contains("href=\"/documents?meeting=summit-2025-astana&amp;scope=multilateral\"", figures);
        Assert.Contains("<details class=\"sources\">", figures);
    }

    [Fact]
    public async Task The_home_page_gives_key_figures_in_plain_words_linked_to_what_is_registered()
    {
        var (_, html) = await Get("/?culture=en");
        var figure = Regex.Match(html, "<article class=\"figure\" id=\"figure-astana-bilateral-documents\">(.*?)</article>", RegexOptions.Singleline);
        Assert.True(figure.Success);
        Assert.Contains("<p class=\"big\">40 reported</p>", figure.Value);
        Assert.Matches("<a href=\"/documents\\?meeting=summit-2025-astana&amp;scope=bilateral\">\\d+ registered so far, each with its own sources</a>", figure.Value);
        Assert.Contains("<details class=\"sources\">", figure.Value);
    }

    [Theory]
    [InlineData("zh", "zh-CN", "中文")]
    [InlineData("ru", "ru", "Русский")]
    [InlineData("en", "en", "English")]
    public async Task The_api_reference_reads_in_the_readers_language_without_vendor_promotion(string culture, string locale, string current)
    {
        var (status, html) = await Get($"/api/reference/?culture={culture}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"\"localization\":{{\"locale\":\"{locale}\"}}", html);
        Assert.Contains("\"showDeveloperTools\":\"never\"", html);     // no "Deploy" toolbar
        Assert.Contains("\"agent\":{\"disabled\":true}", html);        // no "Ask AI"
        Assert.Contains("\"mcp\":{\"disabled\":true}", html);          // no "Generate MCP"
        Assert.Contains("\"telemetry\":false", html);
        Assert.DoesNotContain("\"_integration\":\"dotnet\"", html);    // no "Deploy .NET"
        Assert.Contains($"<strong lang=\"{culture}\">{current}</strong>", html);
        Assert.Contains("href=\"/openapi/v1.json\"", html);
        // The operations' descriptions are English: a Russian or Chinese reader is told so above them.
        Assert.Equal(culture != "en", html.Contains("api-descriptions-english", StringComparison.Ordinal));
        var (openApi, json) = await Get("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi);
        Assert.Contains("\"openapi\": \"3.1", json);
    }

    [Theory]
    [InlineData("ru", "Все")]
    [InlineData("zh", "全部")]
    [InlineData("en", "Any")]
    public async Task Filters_name_their_empty_choice_and_a_series_of_one_year_is_one_year(string culture, string any)
    {
        // A blank first choice read as a broken control; the documents' filters already said "Any".
        var (_, commitments) = await Get($"/commitments?culture={culture}");
        Assert.Equal(6, Regex.Matches(commitments, $"<option value=\"\">{any}</option>").Count);
        Assert.DoesNotContain("<option value=\"\"></option>", commitments);
        // An indicator with values for one year only shows that year, not "2024–2024".
        var (_, indicators) = await Get($"/indicators?culture={culture}");
        Assert.DoesNotMatch(@"<td>(\d{4})–\1</td>", indicators);
        Assert.Matches(@"<td>\d{4}</td>", indicators);
    }

    [Theory]
    [InlineData("ru", "казахстанский тенге (KZT)", "Казахский")]
    [InlineData("zh", "哈萨克斯坦坚戈（KZT）", "哈萨克语")]
    [InlineData("en", "Kazakhstani tenge (KZT)", "Kazakh")]
    public async Task Currencies_and_languages_are_named_in_the_readers_language(string culture, string tenge, string kazakh)
    {
        var (_, states) = await Get($"/states?culture={culture}");
        Assert.Contains($"<td>{tenge}</td>", states);
        var (_, kz) = await Get($"/states/KZ?culture={culture}");
        Assert.Contains($"<dd>{tenge}</dd>", kz);
        Assert.Contains($"<li>{kazakh}: ", kz);
        Assert.DoesNotContain("<code>kk</code>", kz);
    }

    private static string Section(string html, string id)
    {
        var m = Regex.Match(html, $"<section id=\"{id}\">(.*?)</section>", RegexOptions.Singleline);
        Assert.True(m.Success, id);
        return m.Groups[1].Value;
    }

    [GeneratedRegex("<table class=\"data[^\"]*\"")]
    private static partial Regex TableTag();
}

public sealed class ChromeTestsOnSqlite(SqliteApp app) : ChromeTests(app), IClassFixture<SqliteApp>;

public sealed class ChromeTestsOnPostgres(PostgresApp app) : ChromeTests(app), IClassFixture<PostgresApp>;
