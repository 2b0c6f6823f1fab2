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

}
