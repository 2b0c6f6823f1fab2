using Caravan.Tests.Support;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>
/// /open-data as a reader meets it, in each language on a desktop (1280 px) and a phone (390 px): the releases with
/// their size, hash, citation and changes once built, the download link working, nothing wider than the screen.
/// With <c>CARAVAN_SCREENSHOTS</c> set, photographed as <c>open-data-{language}-{width}.png</c>.
/// </summary>
public sealed class OpenDataBrowserTests : BrowserTest
{
    [Theory]
    [InlineData("zh", 1280)]
    [InlineData("ru", 1280)]
    [InlineData("en", 1280)]
    [InlineData("zh", 390)]
    [InlineData("ru", 390)]
    [InlineData("en", 390)]
    public async Task The_open_data_page_lists_the_releases_and_fits_the_screen(string culture, int width)
    {
        RequireChromium();
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            DeviceScaleFactor = 1, IsMobile = width < 600, HasTouch = width < 600, AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, e) => problems.Add($"script error: {e}");
        page.Console += (_, m) => { if (m.Type == "error") problems.Add($"console: {m.Text}"); };
        // Built once, so that the page shows the releases' sizes, hashes and changes.
        using (var http = new HttpClient { BaseAddress = new Uri(BaseUrl) })
        {
            Assert.True((await http.GetAsync("/api/v1/open-data/xian-to-astana.zip", TestContext.Current.CancellationToken)).IsSuccessStatusCode);
            Assert.True((await http.GetAsync("/api/v1/open-data/current.zip", TestContext.Current.CancellationToken)).IsSuccessStatusCode);
        }
        var response = await page.GotoAsync($"{BaseUrl}/open-data?culture={culture}");
        Assert.Equal(200, response!.Status);
        Assert.Equal(2, await page.Locator("section.release").CountAsync());
        Assert.Equal(2, await page.Locator("section.release code.hash").CountAsync());
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 1, $"the page is {overflow} px wider than the screen");
        await BrowserTest.Photograph(page, $"open-data-{culture}-{width}", width);
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("#release-xian-to-astana a[download]").ClickAsync());
        Assert.Equal("caravan-open-data-xian-to-astana.zip", download.SuggestedFilename);
        Assert.Empty(problems);
        await context.CloseAsync();
    }
}
