using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Caravan.Tests.Browser;

/// <summary>
/// A reporting round in headless Chromium: the secretariat opens it on /rounds (in Chinese), lands on its page, filters
/// the tasks by state, reads the page in the three languages at desktop and phone widths (nothing wider than the screen),
/// and closes it into the period's snapshot.
/// </summary>
public sealed class RoundBrowserTests : BrowserTest
{
    [Fact]
    public async Task The_secretariat_opens_a_round_follows_it_in_three_languages_and_closes_it()
    {
        RequireChromium();
        var secretariat = await People.CreateAsync(Factory!.Services, CaravanRole.SecretariatEditor);
        await People.CreateAsync(Factory.Services, CaravanRole.NationalCoordinator, "KZ");
        var context = await Chromium!.NewContextAsync(new() { Locale = "zh-CN" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => Assert.Fail(e);
        await page.GotoAsync($"{BaseUrl}/account/sign-in");
        await page.Locator("#field-email").FillAsync(secretariat.Email);
        await page.Locator("#field-password").FillAsync(secretariat.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**");
        await page.Locator("#field-code").FillAsync(secretariat.TotpNow());
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/work");

        // The menu leads to the rounds; none yet.
        await page.Locator("nav a[href='/rounds']").First.ClickAsync();
        await Expect(page.Locator("#no-rounds")).ToContainTextAsync("尚未开启任何报告轮次");
        // A mistake is named on its field, in the reader's language, and nothing is opened.
        await page.Locator("#open-round-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("请至少用一种语言填写轮次名称");
        await page.Locator("[id='field-name.en']").FillAsync("Status before the foreign ministers' meeting, April 2026");
        await page.Locator("[id='field-name.ru']").FillAsync("Состояние перед встречей министров иностранных дел, апрель 2026 г.");
        await page.Locator("[id='field-name.zh']").FillAsync("2026年4月外长会晤前的进展");
        await page.Locator("#field-dueOn").FillAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#field-reminderDays").FillAsync("14, 7, 1");
        await page.Locator("#open-round-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/rounds/*");
        var url = page.Url.Split('?')[0].Split('#')[0];
        await Expect(page.Locator("h1")).ToHaveTextAsync("2026年4月外长会晤前的进展");
        await Expect(page.Locator("#progress-table")).ToContainTextAsync("哈萨克斯坦");
        await Expect(page.Locator("#task-table")).ToContainTextAsync("已请求");

        // Filtered to Kazakhstan: every task shown is Kazakhstan's, waiting for its coordinator.
        await page.Locator("select[name=state]").SelectOptionAsync("KZ");
        await page.Locator("form.filters button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**state=KZ**");
        var rows = page.Locator("#task-table tbody tr");
        Assert.True(await rows.CountAsync() > 0);
        Assert.All(await rows.Locator("td:nth-child(2)").AllInnerTextsAsync(), t => Assert.Equal("哈萨克斯坦", t.Trim()));
        await Expect(rows.First.Locator("td:nth-child(5)")).ToContainTextAsync("国家协调员");

        // The only open period has its round now: the form gives way to a note saying why.
        await page.GotoAsync($"{BaseUrl}/rounds");
        await Expect(page.Locator("#no-free-period")).ToBeVisibleAsync();
        await Expect(page.Locator("#open-round-form")).ToHaveCountAsync(0);

        var screenshots = Directory.CreateDirectory(Environment.GetEnvironmentVariable("CARAVAN_SCREENSHOTS") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "caravan-round-screens")).FullName;
        var wide = new List<string>();
        foreach (var culture in new[] { "en", "ru", "zh" })
            foreach (var width in new[] { 1280, 390 })
            {
                await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);
                foreach (var (name, path) in new[] { ("rounds", "/rounds"), ("round", url[BaseUrl.Length..]) })
                {
                    await page.GotoAsync($"{BaseUrl}{path}?culture={culture}");
                    Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
                    var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    if (scroll > width) wide.Add($"{name} {culture} {width}: {scroll} px");
                    await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, $"{name}-{culture}-{width}.png"), FullPage = true,
                        Clip = new Clip { X = 0, Y = 0, Width = width, Height = 1800 } });
                }
            }
        Assert.Empty(wide);

        // Closing: once, into the period's snapshot.
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync($"{url}?culture=en");
        await page.Locator("#close-round").ClickAsync();
        await Expect(page.Locator("#round-state")).ToContainTextAsync("Closed on");
        await Expect(page.Locator("#close-round")).ToHaveCountAsync(0);
        await Expect(page.Locator("#snapshot-link")).ToHaveAttributeAsync("href", "/scorecards/compare?from=astana-to-2027&to=current");
        await context.CloseAsync();
    }
}
