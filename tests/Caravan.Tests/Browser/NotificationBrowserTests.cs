using System.Net.Http.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Caravan.Tests.Browser;

/// <summary>
/// The inbox and the deliveries page in Chromium, in zh, ru and en at 1280 and 390 px: an author whose submission was
/// returned sees the count in the header, reads the comment in the inbox, opens the submission (read now) and the
/// count is gone; the secretariat reads the deliveries. Neither page is wider than the screen.
/// Screenshots go to CARAVAN_SCREENSHOTS when it is set.
/// </summary>
public sealed class NotificationBrowserTests : BrowserTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_inbox_and_the_deliveries_read_right_in_every_language_and_width()
    {
        RequireChromium();
        var services = Factory!.Services;
        var author = await People.CreateAsync(services, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(services, CaravanRole.SecretariatEditor);
        using var api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", author.Token);
        var proposed = await api.PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2023:KZ",
            new { values = new { value = "41.7" }, reason = "browser", sources = Cite.One() }, Ct);
        var id = proposed.Headers.Location!.OriginalString.Split('/')[^1];
        api.DefaultRequestHeaders.Authorization = new("Bearer", secretariat.Token);
        (await api.PostAsJsonAsync($"/api/v1/submissions/{id}/return",
            new { comment = "Please cite the customs bulletin of March." }, Ct)).EnsureSuccessStatusCode();
        var screenshots = Environment.GetEnvironmentVariable("CARAVAN_SCREENSHOTS") is { Length: > 0 } folder
            ? Directory.CreateDirectory(folder).FullName : null;
        var failures = new List<string>();

        // One sign-in per person (the sign-in limit counts each POST): the widths are the same session resized.
        var pages = new Dictionary<Person, IPage> { [author] = await SignedInAsync(author, 1280),
            [secretariat] = await SignedInAsync(secretariat, 1280) };
        foreach (var (person, path, name) in new[] { (author, "/inbox", "inbox"),
                     (secretariat, "/notifications/deliveries", "deliveries"), (author, "/account", "account") })
            foreach (var width in new[] { 1280, 390 })
            {
                var page = pages[person];
                await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);
                foreach (var culture in new[] { "zh", "ru", "en" })
                {
                    await page.GotoAsync($"{BaseUrl}{path}?culture={culture}");
                    Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
                    var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    if (scroll > width) failures.Add($"{path} ({culture}, {width} px): {scroll} px wide");
                    if (screenshots is not null)
                        await page.ScreenshotAsync(new PageScreenshotOptions
                        {
                            Path = Path.Combine(screenshots, $"{name}-{culture}-{width}.png"), FullPage = true,
                        });
                }
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The journey: the count, the comment, opened (and read), the count gone.
        var desk = pages[author];
        await desk.SetViewportSizeAsync(1280, 900);
        await desk.GotoAsync($"{BaseUrl}/work?culture=en");
        await Expect(desk.Locator("#unread-count")).ToBeVisibleAsync();
        await desk.Locator("#inbox-link").ClickAsync();
        await Expect(desk.Locator("table.inbox")).ToContainTextAsync("Please cite the customs bulletin of March.");
        await desk.Locator("table.inbox tr.unread button.link", new() { HasText = "Returned to you" }).ClickAsync();
        await desk.WaitForURLAsync($"**/submissions/{id}");
        await desk.GotoAsync($"{BaseUrl}/inbox");
        await Expect(desk.Locator("table.inbox tr.unread", new() { HasText = "Returned to you" })).ToHaveCountAsync(0);
    }

    private async Task<IPage> SignedInAsync(Person person, int width)
    {
        var context = await Chromium!.NewContextAsync(new()
        {
            Locale = "en-GB", ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/account/sign-in?culture=en");
        await page.Locator("#field-email").FillAsync(person.Email);
        await page.Locator("#field-password").FillAsync(person.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**");
        await page.Locator("#field-code").FillAsync(person.TotpNow());
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/work");
        return page;
    }
}
