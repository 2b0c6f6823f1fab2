using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>/dashboard in headless Chromium, in each language: the charts and the map drawn, each chart's table view and CSV download there.</summary>
public sealed class DashboardBrowserTests : BrowserTest
{
    [Theory]
    [InlineData("zh", "仪表盘", "贸易畅通")]
    [InlineData("ru", "Панель", "Беспрепятственная торговля")]
    [InlineData("en", "Dashboard", "Trade facilitation")]
    public async Task The_dashboard_draws_its_charts_and_map_with_a_table_view_and_csv_of_each(string culture, string title, string direction)
    {
        RequireChromium();
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync($"{BaseUrl}/dashboard?culture={culture}", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(title, await page.Locator("h1").InnerTextAsync());
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(6, await page.Locator(".tile").CountAsync());
        Assert.Contains(direction, await page.Locator("#tile-trade-facilitation h3").InnerTextAsync());

        // Every chart drawn by the locally served ECharts.
        var charts = page.Locator(".chart[data-chart]");
        Assert.Equal(3, await charts.CountAsync());
        for (var i = 0; i < 3; i++) await charts.Nth(i).Locator("svg").First.WaitForAsync();
        // The map: the prepared boundaries fetched from this site, the six states shaded.
        await page.Locator("#dashboard-map[data-drawn='6']").WaitForAsync();
        Assert.Null(await page.Locator("#dashboard-map").GetAttributeAsync("data-error"));
        Assert.True(await page.Locator("#dashboard-map canvas").CountAsync() > 0);

        // A chart's table view opens on a click and holds the chart's numbers.
        var figure = page.Locator("#directions-chart");
        await figure.Locator("details.chart-table summary").ClickAsync();
        Assert.True(await figure.Locator("table#directions-chart-table").IsVisibleAsync());
        Assert.Equal(7, await figure.Locator("table tbody tr").CountAsync());
        Assert.Contains(direction, await figure.Locator("table tbody tr").First.InnerTextAsync());

        // Its CSV downloads with the same rows.
        var download = await page.RunAndWaitForDownloadAsync(() => figure.Locator("a.chart-csv").ClickAsync());
        Assert.Equal("directions-chart.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var csv = await File.ReadAllTextAsync(path!, TestContext.Current.CancellationToken);
        Assert.Contains(direction, csv);
        Assert.Equal(8, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(3, await page.Locator("a.chart-csv[download$='.csv']").CountAsync());

        // The states' table beside the map, and through it a state's dashboard.
        Assert.Equal(6, await page.Locator("#states-table tbody tr").CountAsync());
        await page.Locator("#states-table a[href='/dashboard/KZ']").ClickAsync();
        await page.WaitForURLAsync("**/dashboard/KZ", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#status-chart .chart svg").First.WaitForAsync();
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task The_map_draws_taiwan_as_china_and_the_status_chart_shows_every_label_in_the_palette(string culture)
    {
        RequireChromium();
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/dashboard?culture={culture}", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#dashboard-map[data-drawn='6']").WaitForAsync();
        await page.WaitForTimeoutAsync(1500); // ECharts' first frame

        // What the browser received has no Taiwan; on the canvas Taipei is in China's colour (as Beijing), not in
        // the colour of other land (Ulaanbaatar), and the map is not blank.
        var served = await page.EvaluateAsync<string>("fetch('/lib/boundaries/cca-region-50m.json').then(r => r.text())");
        Assert.DoesNotContain("Taiwan", served);
        var colours = await page.EvaluateAsync<string[]>(@"() => {
            const el = document.querySelector('#dashboard-map');
            const chart = echarts.getInstanceByDom(el);
            const canvas = el.querySelector('canvas');
            const ratio = canvas.width / canvas.clientWidth;
            const at = (lonLat) => {
                const p = chart.convertToPixel({ geoIndex: 0 }, lonLat);
                const d = canvas.getContext('2d').getImageData(Math.round(p[0] * ratio), Math.round(p[1] * ratio), 1, 1).data;
                return d[0] + ',' + d[1] + ',' + d[2];
            };
            const all = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            const seen = new Set();
            for (let i = 0; i < all.length; i += 4 * 97) seen.add(all[i] + ',' + all[i + 1] + ',' + all[i + 2]);
            return [at([121.56, 25.04]), at([116.40, 39.90]), at([106.92, 47.92]), String(seen.size)];
        }");
        Assert.Equal(colours[1], colours[0]);
        Assert.NotEqual(colours[2], colours[0]);
        Assert.True(int.Parse(colours[3], System.Globalization.CultureInfo.InvariantCulture) > 5, $"the map canvas has {colours[3]} colours");

        // The directions chart: every category label drawn, whole, and the statuses in the palette with their symbols.
        var chart = page.Locator("#directions-chart .chart svg");
        await chart.WaitForAsync();
        var spec = System.Text.Json.JsonDocument.Parse((await page.Locator("#directions-chart .chart").GetAttributeAsync("data-chart"))!).RootElement;
        var drawn = string.Concat((await chart.Locator("text").AllTextContentsAsync()).Select(t => t.Replace(" ", "", StringComparison.Ordinal)));
        foreach (var category in spec.GetProperty("categories").EnumerateArray())
            Assert.Contains(category.GetString()!.Replace(" ", "", StringComparison.Ordinal), drawn);
        foreach (var symbol in new[] { "✓", "◐", "✗", "○" }) Assert.Contains(symbol, drawn);
        var fills = await chart.Locator("path").EvaluateAllAsync<string[]>("ps => ps.map(p => (p.getAttribute('fill') || '').toLowerCase())");
        Assert.Contains("#2e7d32", fills);
        Assert.DoesNotContain("#a4243b", fills.Where(f => f.Length > 0));
        await context.CloseAsync();
    }

    [Fact]
    public async Task Without_script_each_map_box_says_where_the_map_is_drawn_and_links_to_its_table()
    {
        RequireChromium();
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        foreach (var (url, table) in new[] { ("/projects/map", "map-table"), ("/dashboard", "states-table"), ("/partnerships", "map-table") })
        {
            await page.GotoAsync($"{BaseUrl}{url}?culture=en", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
            var fallback = page.Locator(".map .map-fallback");
            Assert.True(await fallback.IsVisibleAsync(), url);
            Assert.Contains("The map is drawn here", await fallback.InnerTextAsync());
            Assert.Equal($"#{table}", await fallback.Locator("a").GetAttributeAsync("href"));
            Assert.Equal(1, await page.Locator($"#{table}").CountAsync());
            Assert.True(await page.Locator(".map-source").IsVisibleAsync(), url);
        }
        await context.CloseAsync();
    }
}
