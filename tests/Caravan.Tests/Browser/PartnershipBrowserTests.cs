using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>
/// The partnerships page in headless Chromium: the map (points and lines over the boundaries) and the chart of pairs
/// against the target, drawn in each language; and a coordinator recording a pair through the forms.
/// </summary>
public sealed class PartnershipBrowserTests : BrowserTest
{
    private IBrowser Browser()
    {
        RequireChromium();
        return Chromium!;
    }

    private static async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, string locale)
    {
        var context = await browser.NewContextAsync(new() { Locale = locale });
        // Generous timeouts: on a busy 2-core machine other test classes run beside this one.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        return (context, page, errors);
    }

    [Theory]
    [InlineData("zh", "合作伙伴关系", "友好城市和友好省州对数历年变化与100对目标", "筛选")]
    [InlineData("ru", "Партнёрства", "Пары побратимов по годам в сравнении с целью в 100 пар", "Отобрать")]
    [InlineData("en", "Partnerships", "Sister-city and sister-province pairs over time, against the target of 100", "Filter")]
    public async Task The_partnerships_page_draws_the_map_and_the_chart_of_pairs_against_the_target(string culture, string heading, string chartTitle, string filter)
    {
        var (context, page, errors) = await OpenAsync(Browser(), culture);
        await page.GotoAsync($"{BaseUrl}/partnerships?culture={culture}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(heading, await page.Locator("h1").InnerTextAsync());

        // The map: boundaries drawn on a canvas, the four located places of the seeded workshops, and the one line
        // (Dushanbe–Tianjin) between the two places of a partnership.
        await page.Locator("#partnership-map canvas").First.WaitForAsync();
        await page.Locator("#partnership-map[data-drawn='4'][data-lines='1']").WaitForAsync();
        Assert.Null(await page.Locator("#partnership-map").GetAttributeAsync("data-error"));
        // The chart of reported totals, recorded pairs and the target, drawn by ECharts, with its table.
        Assert.Equal(chartTitle, await page.Locator("#pair-counts figcaption").InnerTextAsync());
        await page.Locator("#pair-counts .chart svg").WaitForAsync();
        Assert.Equal(3, await page.Locator("#pair-counts-table thead th.num").CountAsync());

        await page.Locator("select[name=state]").SelectOptionAsync("KG");
        await page.GetByRole(AriaRole.Button, new() { Name = filter }).ClickAsync();
        await page.WaitForURLAsync("**state=KG**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(1, await page.Locator("#partnerships tbody tr").CountAsync());
        await page.Locator("#partnership-map[data-drawn='1'][data-lines='0']").WaitForAsync();
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_coordinator_records_a_pair_through_the_forms_and_it_awaits_the_other_state()
    {
        var browser = Browser();
        var kz = await People.CreateAsync(Factory!.Services, CaravanRole.NationalCoordinator, "KZ");
        var (context, page, errors) = await OpenAsync(browser, "en-GB");
        await page.GotoAsync($"{BaseUrl}/account/sign-in?culture=en");
        await page.Locator("#field-email").FillAsync(kz.Email);
        await page.Locator("#field-password").FillAsync(kz.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-code").FillAsync(kz.TotpNow());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/work", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.GetByRole(AriaRole.Link, new() { Name = "Record a partnership" }).ClickAsync();
        await page.WaitForURLAsync("**/partnerships/propose", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("KZ", await page.Locator("#field-state-a").InputValueAsync());
        // Two states the same: said on the page, in the reader's language.
        await page.Locator("#field-state-b").SelectOptionAsync("KZ");
        await page.Locator("#field-name").FillAsync("Testograd Testzhou");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.Locator("#problems").WaitForAsync();
        Assert.Contains("two different states", await page.Locator("#problems").InnerTextAsync());
        errors.RemoveAll(e => e.Contains("400", StringComparison.Ordinal)); // the refused form answers 400, as it should

        await page.Locator("#field-state-b").SelectOptionAsync("CN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync("**/work/partnerships/new?id=kz-cn-testograd-testzhou", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-place-a\\.en").FillAsync("Testograd");
        await page.Locator("#field-place-b\\.en").FillAsync("Testzhou");
        await page.Locator("#field-latitude-a").FillAsync("95");
        await page.Locator("#field-longitude-a").FillAsync("76.95");
        await page.Locator("#field-source-url").FillAsync("https://example.org/pair");
        // The new pair's own source: address, title, date (language and confidence keep their defaults).
        await page.Locator("[name='s:0:url']").FillAsync("https://example.org/pair");
        await page.Locator("[name='s:0:title']").FillAsync("Testograd and Testzhou become sister cities");
        await page.Locator("[name='s:0:date']").FillAsync("2024-09-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for validation" }).ClickAsync();
        await page.Locator("#problems").WaitForAsync();
        Assert.Contains("between -90 and 90", await page.Locator("#problems").InnerTextAsync());
        errors.RemoveAll(e => e.Contains("400", StringComparison.Ordinal)); // the refused form answers 400, as it should

        await page.Locator("#field-latitude-a").FillAsync("43.25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for validation" }).ClickAsync();
        await page.WaitForURLAsync("**/submissions/**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.StartsWith("CN", await page.Locator("#confirmations li.awaiting").InnerTextAsync()); // China has yet to confirm
        Assert.Empty(errors);
        await context.CloseAsync();
    }

}
