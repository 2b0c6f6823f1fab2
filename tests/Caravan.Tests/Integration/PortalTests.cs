using System.Net;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>The server-rendered portal as a reader sees it (no JavaScript), on each provider.</summary>
public abstract class PortalTests(CaravanApp app)
{
    // UI strings that must never appear on a Chinese or Russian page.
    private static readonly string[] EnglishUi = ["Member states", "Outcome documents", "Priority directions", "Sources", "not known", "Key figures", "Next summit"];

    private async Task<(HttpStatusCode Status, string Html)> Get(string url, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        var response = await app.Client().SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("zh", "中国—中亚机制：成果与落实", "成员国")]
    [InlineData("ru", "Механизм «Китай – Центральная Азия»: итоги и их выполнение", "Государства-члены")]
    [InlineData("en", "China–Central Asia mechanism: outcomes and delivery", "Member states")]
    public async Task The_home_page_speaks_the_chosen_language(string culture, string title, string nav)
    {
        var (status, html) = await Get($"/?culture={culture}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<html lang=\"{culture}\"", html);
        Assert.Contains(title, html);
        Assert.Contains(nav, html);
        if (culture != "en")
            foreach (var english in EnglishUi) Assert.DoesNotContain($">{english}<", html);
    }

    [Fact]
    public async Task The_home_page_shows_key_figures_the_next_summit_and_trade_with_sources()
    {
        var (_, html) = await Get("/?culture=en");
        Assert.Contains(">10 reported<", html);                // Xinhua's 10 multilateral documents beside the registry's count
        Assert.Contains("/meetings/summit-2027", html);        // the next summit
        Assert.Contains("data-chart=", html);                  // the trade chart, drawn by ECharts…
        Assert.Contains("<td class=\"num\">106.3</td>", html);  // …and its table for readers without JavaScript
        Assert.Contains("details class=\"sources\"", html);
        Assert.Contains("/lib/echarts/echarts.min.js", html);
    }

    [Fact]
    public async Task The_language_is_remembered_in_a_cookie()
    {
        var response = await app.Client().GetAsync("/states?culture=ru", TestContext.Current.CancellationToken);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        var (_, html) = await Get("/documents", cookie.Split(';')[0]);
        Assert.Contains("<html lang=\"ru\"", html);
        Assert.Contains("Итоговые документы", html);
    }

    [Fact]
    public async Task An_unsupported_language_falls_back_to_english_with_a_notice()
    {
        var (status, html) = await Get("/?culture=fr");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"en\"", html);
        Assert.Contains("The language “fr” is not available", html);
    }

    [Fact]
    public async Task The_notice_for_an_unsupported_language_is_not_served_to_other_readers()
    {
        var (_, first) = await Get("/?culture=xx");
        Assert.Contains("The language “xx” is not available", first);
        var (_, plain) = await Get("/");
        Assert.DoesNotContain("is not available", plain);
    }

    [Fact]
    public async Task A_browser_asking_for_chinese_gets_chinese()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");
        var response = await app.Client().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"zh\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("zh", "未找到页面")]
    [InlineData("ru", "Страница не найдена")]
    [InlineData("en", "Page not found")]
    public async Task An_unknown_page_is_a_translated_404(string culture, string heading)
    {
        var (status, html) = await Get($"/documents/no-such-document?culture={culture}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(heading, html);
    }

    [Fact]
    public async Task Documents_can_be_filtered_and_a_bad_filter_is_named()
    {
        var (status, html) = await Get("/documents?kind=treaty&culture=en");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("/documents/good-neighbourliness-treaty-2025", html);
        Assert.DoesNotContain("/documents/astana-declaration-2025", html);

        var (badStatus, badHtml) = await Get("/documents?kind=novel&party=XX&culture=en");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("kind=novel", badHtml);
        Assert.Contains("party=XX", badHtml);
    }

    [Fact]
    public async Task A_document_page_shows_its_titles_parties_dates_in_the_readers_locale_and_sources()
    {
        var (_, zh) = await Get("/documents/astana-declaration-2025?culture=zh");
        Assert.Contains("2025年6月17日", zh);
        Assert.Contains("lang=\"ru\">Астанинская декларация", zh);
        Assert.Contains("/states/KZ", zh);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", zh);
        var (_, ru) = await Get("/documents/astana-declaration-2025?culture=ru");
        Assert.Contains("17 июня 2025 г.", ru);
    }

    [Fact]
    public async Task Unknown_facts_are_shown_as_not_known()
    {
        // No source gives the heads of state's start of term: the page says so instead of guessing.
        var (_, html) = await Get("/states/KZ?culture=en");
        Assert.Contains("<span class=\"unknown\">not known</span>", html);
        Assert.Contains("Қазақстан", html);
    }

    [Fact]
    public async Task Every_page_forbids_inline_script_framing_and_sniffing()
    {
        var response = await app.Client().GetAsync("/documents", TestContext.Current.CancellationToken);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
    }

    [Fact]
    public async Task Charts_are_served_locally_and_compressed_for_slow_links()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/lib/echarts/echarts.min.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await app.Client().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("/states")]
    [InlineData("/bodies")]
    [InlineData("/bodies/secretariat")]
    [InlineData("/meetings")]
    [InlineData("/meetings/summit-2025-astana")]
    [InlineData("/directions")]
    [InlineData("/measures")]
    [InlineData("/indicators")]
    [InlineData("/indicators/trade-turnover-usd")]
    public async Task Every_section_renders_in_every_language(string url)
    {
        foreach (var culture in new[] { "zh", "ru", "en" })
        {
            var (status, html) = await Get($"{url}?culture={culture}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains($"<html lang=\"{culture}\"", html);
        }
    }
}

public sealed class PortalTestsOnSqlite(SqliteApp app) : PortalTests(app), IClassFixture<SqliteApp>;

public sealed class PortalTestsOnPostgres(PostgresApp app) : PortalTests(app), IClassFixture<PostgresApp>;
