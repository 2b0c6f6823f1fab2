using Caravan.Tests.Support;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>
/// The main pages as a reader meets them, in each language on a desktop (1280 px) and a phone (390 and 360 px): no
/// console error, no failed request, nothing wider than the screen, and every chart and map drawn. With
/// <c>CARAVAN_SCREENSHOTS</c> set to a folder, each page checked is also photographed there as
/// <c>{page}-{language}-{width}.png</c> at 1280 and 390 px (scripts/screenshots.sh).
/// </summary>
public sealed class MainPagesBrowserTests : BrowserTest
{
    /// <summary>The pages, each with the name its screenshot gets.</summary>
    public static readonly (string Name, string Path)[] Pages =
    [
        ("home", "/"), ("about", "/about"), ("states", "/states"), ("state-kz", "/states/KZ"), ("bodies", "/bodies"),
        ("documents", "/documents"), ("treaties", "/treaties"), ("commitments", "/commitments"), ("scorecards", "/scorecards"),
        ("programmes", "/programmes"), ("partnerships", "/partnerships"), ("projects", "/projects"), ("indicators", "/indicators"),
        ("dashboard", "/dashboard"), ("sign-in", "/account/sign-in"), ("api-reference", "/api/reference/"),
    ];

    /// <summary>What the API reference's vendor shows unless told not to: none of it may appear.</summary>
    private static readonly string[] Promotion = ["Deploy", "Ask AI", "Generate SDK", "Generate MCP", "Agent Scalar"];

    // What fails a page, measured in the page itself: the widest elements that stick out (outside a box that
    // scrolls on its own), and the chart and map containers in which nothing was drawn.
    private const string Measure = """
        () => {
          // The layout viewport: on a phone the visual one (innerWidth) zooms out to fit whatever sticks out.
          const width = document.documentElement.clientWidth;
          const overflow = document.documentElement.scrollWidth > width;
          const within = el => { for (let p = el.parentElement; p; p = p.parentElement) { const s = getComputedStyle(p); if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return true; } return false; };
          const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
          const wide = overflow ? [...document.body.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > width + 1 && !within(el))
              .slice(0, 4).map(el => name(el) + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)') : [];
          const blank = [...document.querySelectorAll('.chart, .map')].filter(el => !el.querySelector('svg, canvas')).map(name);
          return { scrollWidth: document.documentElement.scrollWidth, wide, blank };
        }
        """;

    [Theory]
    [InlineData("zh", 1280)]
    [InlineData("ru", 1280)]
    [InlineData("en", 1280)]
    [InlineData("zh", 390)]
    [InlineData("ru", 390)]
    [InlineData("en", 390)]
    // The narrowest phone the portal promises to fit (checked, not photographed).
    [InlineData("zh", 360)]
    [InlineData("ru", 360)]
    [InlineData("en", 360)]
    public async Task Every_main_page_draws_its_charts_without_errors_and_fits_the_screen(string culture, int width)
    {
        RequireChromium();
        var screenshots = Environment.GetEnvironmentVariable("CARAVAN_SCREENSHOTS") is { Length: > 0 } folder ? Directory.CreateDirectory(folder).FullName : null;
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            DeviceScaleFactor = 1,
            IsMobile = width < 600,
            HasTouch = width < 600,
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var failures = new List<string>();
        foreach (var (name, path) in Pages)
        {
            var page = await context.NewPageAsync();
            var problems = new List<string>();
            page.PageError += (_, e) => problems.Add($"script error: {e}");
            page.Console += (_, m) => { if (m.Type == "error") problems.Add($"console: {m.Text}"); };
            page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };
            var url = $"{BaseUrl}{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}culture={culture}";
            var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            if (response is null || response.Status != 200) problems.Add($"status {response?.Status}");
            // Charts draw on DOMContentLoaded, maps once the boundaries are fetched: give them time, then look.
            try
            {
                await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.chart, .map')].every(el => el.querySelector('svg, canvas'))",
                    null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            }
            catch (TimeoutException) { }
            if (name == "api-reference")
            {
                // Scalar draws the document after loading it: wait for its title, then read what it shows.
                await page.Locator("h1", new PageLocatorOptions { HasText = "Caravan API" }).First.WaitForAsync();
                var text = await page.Locator("body").InnerTextAsync();
                problems.AddRange(Promotion.Where(p => text.Contains(p, StringComparison.Ordinal)).Select(p => $"vendor promotion shown: {p}"));
            }
            var measured = await page.EvaluateAsync<Measured>(Measure);
            if (measured.ScrollWidth > width) problems.Add($"{measured.ScrollWidth} px wide: {string.Join(", ", measured.Wide)}");
            problems.AddRange(measured.Blank.Select(b => $"nothing drawn in {b}"));
            if (screenshots is not null && width != 360)
            {
                var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(screenshots, $"{name}-{culture}-{width}.png"),
                    FullPage = true,
                    // The first screens, not a 20 000 px strip: enough to show the page, small enough for the repository.
                    Clip = new Clip { X = 0, Y = 0, Width = width, Height = Math.Min(height, width < 600 ? 2400 : 1800) },
                });
            }
            failures.AddRange(problems.Select(p => $"{path} ({culture}, {width} px): {p}"));
            await page.CloseAsync();
        }
        await context.CloseAsync();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed class Measured
    {
        public int ScrollWidth { get; set; }
        public string[] Wide { get; set; } = [];
        public string[] Blank { get; set; } = [];
    }
}
