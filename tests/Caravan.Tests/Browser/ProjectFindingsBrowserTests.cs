using Caravan.Data;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>
/// A project stored with rule findings, its data-quality panel and the totals' sentence, on a desktop (1280 px) and a
/// phone (390 px) in each language: the panel is shown and nothing is wider than the screen.
/// </summary>
public sealed class ProjectFindingsBrowserTests : BrowserTest
{
    [Theory]
    [InlineData("zh", 1280)]
    [InlineData("ru", 1280)]
    [InlineData("en", 1280)]
    [InlineData("zh", 390)]
    [InlineData("ru", 390)]
    [InlineData("en", 390)]
    public async Task The_data_quality_panel_fits_the_screen(string culture, int width)
    {
        RequireChromium();
        using (var scope = Factory!.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            // Several findings with long paths and messages: a retired sector code, odd percentages, no value date.
            var activity = IatiSamples.Activity("BROWSER-1",
                    countries: """<recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="30"/>""")
                .Replace("code=\"11330\"", "code=\"99999\"", StringComparison.Ordinal)
                .Replace(" value-date=\"2024-03-01\"", "", StringComparison.Ordinal);
            var report = await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(activity)),
                new IatiImportOptions { By = "test", FileName = "browser.xml" }, TestContext.Current.CancellationToken);
            Assert.True(report.Added + report.Unchanged == 1 && report.StoredWithFindings == 1, $"{report.Added} {report.Skipped}");
        }
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            IsMobile = width < 600, HasTouch = width < 600,
        });
        var failures = new List<string>();
        foreach (var path in new[] { "/projects/CN-MOFCOM-BROWSER-1", "/projects?findings=exclude" })
        {
            var page = await context.NewPageAsync();
            var response = await page.GotoAsync($"{BaseUrl}{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}culture={culture}");
            if (response?.Status != 200) failures.Add($"{path}: status {response?.Status}");
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (scrollWidth > width) failures.Add($"{path}: {scrollWidth} px wide at {width} px");
            var shown = path.StartsWith("/projects/", StringComparison.Ordinal) ? "#findings" : "#findings-counted";
            if (!await page.Locator(shown).IsVisibleAsync()) failures.Add($"{path}: {shown} not shown");
            await page.CloseAsync();
        }
        await context.CloseAsync();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
