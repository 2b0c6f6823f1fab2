using System.Net;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Tests.Integration;
using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>
/// The import page's list of runs (a stored one and a refused one, each with its status in words) as the secretariat
/// sees it on a desktop and a phone in each language: the status reads in the page's language and the table fits.
/// </summary>
public sealed class ImportPageBrowserTests : BrowserTest
{
    [Fact]
    public async Task The_runs_and_their_status_read_in_each_language_on_a_desktop_and_a_phone()
    {
        RequireChromium();
        var ct = TestContext.Current.CancellationToken;
        var secretariat = await People.CreateAsync(Factory!.Services, CaravanRole.SecretariatEditor);
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            var stored = await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(IatiSamples.Activity("IMPORT-PAGE-1"))),
                new IatiImportOptions { By = secretariat.Email, FileName = "mofcom-2025.xml" }, ct);
            Assert.Equal(1, stored.Added);
            // Not XML at all: the run is recorded as failed, with the reason.
            await IatiImport.RunAsync(db, IatiSamples.Stream("<iati-activities><iati-activity>"),
                new IatiImportOptions { By = secretariat.Email, FileName = "broken.xml" }, ct);
        }
        var signedIn = await Chromium!.NewContextAsync();
        var page = await signedIn.NewPageAsync();
        await SignInAsync(page, secretariat, "en");
        var cookies = await signedIn.StorageStateAsync();
        await signedIn.CloseAsync();

        var failures = new List<string>();
        var words = new Dictionary<string, (string Completed, string Failed)>
        {
            ["zh"] = ("已完成", "失败"), ["ru"] = ("Завершён", "Не выполнен"), ["en"] = ("Completed", "Failed"),
        };
        foreach (var (culture, (completed, failed)) in words)
        {
            foreach (var width in new[] { 1280, 390 })
            {
                var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
                {
                    StorageState = cookies,
                    ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
                    IsMobile = width < 600, HasTouch = width < 600,
                });
                var shown = await context.NewPageAsync();
                var response = await shown.GotoAsync($"{BaseUrl}/projects/import?culture={culture}");
                if (response?.Status != 200) failures.Add($"{culture} {width}: status {response?.Status}");
                var statuses = await shown.Locator("td[class^=status-]").AllInnerTextsAsync();
                if (!statuses.Any(s => s.StartsWith(completed, StringComparison.Ordinal)))
                    failures.Add($"{culture} {width}: no completed run in [{string.Join(" | ", statuses)}]");
                if (!statuses.Any(s => s.StartsWith(failed + (culture == "zh" ? "：" : ":"), StringComparison.Ordinal)))
                    failures.Add($"{culture} {width}: no failed run with its reason in [{string.Join(" | ", statuses)}]");
                if (statuses.Any(s => s.Contains("completed", StringComparison.Ordinal) && culture != "en"
                        || s.Contains("failed", StringComparison.Ordinal)))
                    failures.Add($"{culture} {width}: a status shown as its code: [{string.Join(" | ", statuses)}]");
                // The kind in words, never its code; the run's person as they signed in.
                var cells = await shown.Locator("#import-runs td").AllInnerTextsAsync();
                if (cells.Any(c => c is "iati" or "projects-xlsx" or "projects-csv" || c.Contains("none", StringComparison.Ordinal)))
                    failures.Add($"{culture} {width}: a code shown as text in [{string.Join(" | ", cells)}]");
                if (!cells.Contains(secretariat.Email)) failures.Add($"{culture} {width}: who imported is not shown");
                var scrollWidth = await shown.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (scrollWidth > width) failures.Add($"{culture} {width}: {scrollWidth} px wide");
                await Photograph(shown, $"import-{culture}-{width}", width);
                await context.CloseAsync();
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}

/// <summary>The app on a PostgreSQL server of its own, served on a port of its own for the browser.</summary>
public sealed class OutageKestrelApp : CaravanApp
{
    public PostgresCluster? Cluster { get; private set; }
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override bool OnKestrel => true;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        Cluster = await PostgresCluster.StartNewAsync();
        return Cluster.ConnectionString("caravan");
    }

    protected override async Task DropDatabaseAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>
/// The page a reader gets while the database is away, on a desktop and a phone in each language: 503, its title and
/// advice in the page's language, and nothing wider than the screen.
/// </summary>
public sealed class OutagePageBrowserTests(OutageKestrelApp app) : IClassFixture<OutageKestrelApp>
{
    [Fact]
    public async Task The_unavailable_page_reads_in_each_language_on_a_desktop_and_a_phone()
    {
        if (!File.Exists(Requirements.ChromiumPath))
            Requirements.Unavailable("Chromium", $"{Requirements.ChromiumPath} is missing (apt-get install chromium)");
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await BrowserTest.LaunchChromiumAsync(playwright);
        var titles = new Dictionary<string, string> { ["zh"] = "暂时无法使用", ["ru"] = "Временно недоступно", ["en"] = "Temporarily unavailable" };
        await app.Cluster!.StopAsync();
        var failures = new List<string>();
        try
        {
            foreach (var (culture, title) in titles)
                foreach (var width in new[] { 1280, 390 })
                {
                    var context = await chromium.NewContextAsync(new BrowserNewContextOptions
                    {
                        ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
                        IsMobile = width < 600, HasTouch = width < 600,
                    });
                    var page = await context.NewPageAsync();
                    var response = await page.GotoAsync($"{app.BaseAddress}commitments?culture={culture}");
                    if (response?.Status != (int)HttpStatusCode.ServiceUnavailable) failures.Add($"{culture} {width}: status {response?.Status}");
                    if (response is not null && (await response.AllHeadersAsync()).GetValueOrDefault("retry-after") != "5")
                        failures.Add($"{culture} {width}: no Retry-After");
                    var heading = await page.Locator("h1").InnerTextAsync();
                    if (heading != title) failures.Add($"{culture} {width}: heading '{heading}'");
                    if (await page.Locator("html").GetAttributeAsync("lang") != culture) failures.Add($"{culture} {width}: lang");
                    var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    if (scrollWidth > width) failures.Add($"{culture} {width}: {scrollWidth} px wide");
                    await BrowserTest.Photograph(page, $"unavailable-{culture}-{width}", width);
                    await context.CloseAsync();
                }
        }
        finally { await app.Cluster.StartAsync(); }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
