using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>The app on a real port, driven in headless Chromium: the main reader journey in each language.</summary>
public sealed class PortalBrowserTests : BrowserTest
{
    private IBrowser Browser()
    {
        RequireChromium();
        return Chromium!;
    }

    [Theory]
    [InlineData("zh", "中国—中亚机制：成果与落实", "成果文件")]
    [InlineData("ru", "Механизм «Китай – Центральная Азия»: итоги и их выполнение", "Итоговые документы")]
    [InlineData("en", "China–Central Asia mechanism: outcomes and delivery", "Outcome documents")]
    public async Task A_reader_opens_the_home_page_in_their_language_and_follows_a_link_to_a_document(string culture, string title, string documentsLink)
    {
        var context = await Browser().NewContextAsync();
        // Generous timeouts: on a busy 2-core CI machine the other test classes run beside this one.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync($"{BaseUrl}/?culture={culture}", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(title, await page.Locator("h1").First.InnerTextAsync());
        // ECharts, served locally, drew the trade chart.
        await page.Locator(".chart svg").First.WaitForAsync();

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = documentsLink, Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync("**/documents", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));

        await page.Locator("a[href='/documents/astana-declaration-2025']").ClickAsync();
        await page.WaitForURLAsync("**/documents/astana-declaration-2025", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        var heading = await page.Locator("h1").InnerTextAsync();
        Assert.Contains(culture switch { "zh" => "阿斯塔纳宣言", "ru" => "Астанинская декларация", _ => "Astana Declaration" }, heading);
        Assert.True(await page.Locator("details.sources").CountAsync() > 0);
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_coordinator_signs_in_with_totp_and_submits_a_change_that_the_secretariat_validates_and_publishes()
    {
        var browser = Browser();
        var coordinator = await People.CreateAsync(Factory!.Services, Caravan.Features.Accounts.CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(Factory.Services, Caravan.Features.Accounts.CaravanRole.SecretariatEditor);

        var kz = await SignedInAsync(browser, coordinator);
        await kz.GotoAsync($"{BaseUrl}/work");
        await kz.Locator("a[href='/work/indicator-values/trade-turnover-usd%3A2023%3AKZ']").ClickAsync();
        await kz.Locator("#field-value").FillAsync("42.5");
        await kz.Locator("#field-reason").FillAsync("Customs statistics, final figure");
        await kz.Locator("[name='s:0:url']").FillAsync(Cite.Url);
        await kz.Locator("[name='s:0:title']").FillAsync(Cite.Title);
        await kz.Locator("[name='s:0:date']").FillAsync("2025-03");
        await kz.GetByRole(AriaRole.Button, new() { Name = "Submit for validation" }).ClickAsync();
        await kz.WaitForURLAsync("**/submissions/*", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("submitted", await kz.Locator("#status").InnerTextAsync());
        Assert.Contains("42.5", await kz.Locator("#diff tr.changed").InnerTextAsync());
        var submission = kz.Url;

        var reader = await (await browser.NewContextAsync()).NewPageAsync();
        await reader.GotoAsync($"{BaseUrl}/indicators/trade-turnover-usd?culture=en");
        Assert.DoesNotContain("42.5", await reader.Locator("main").InnerTextAsync()); // not before validation

        var desk = await SignedInAsync(browser, secretariat);
        await desk.GotoAsync($"{BaseUrl}/work");
        await desk.Locator($"a[href='{new Uri(submission).AbsolutePath}']").First.ClickAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Validate and publish" }).ClickAsync();
        await desk.WaitForURLAsync(submission, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("published", await desk.Locator("#status").InnerTextAsync());

        await reader.GotoAsync($"{BaseUrl}/indicators/trade-turnover-usd?culture=en");
        Assert.Contains("42.5", await reader.Locator("main").InnerTextAsync());
    }

    [Fact]
    public async Task A_reader_filters_the_commitments_opens_one_and_reads_the_scorecard_and_the_treaty_status()
    {
        var context = await Browser().NewContextAsync(new() { Locale = "ru-RU" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync($"{BaseUrl}/commitments");
        Assert.Equal("ru", await page.Locator("html").GetAttributeAsync("lang")); // the browser's language
        await page.Locator("select[name=state]").SelectOptionAsync("KZ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Отобрать" }).ClickAsync();
        await page.WaitForURLAsync("**/commitments?state=KZ**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var data = Caravan.Features.Seed.SeedFile.Load(Integration.SeedDataTests.SeedPath).Dataset;
        Assert.Equal(data.Commitments.Count(c => c.Parties.Contains("KZ")), await page.Locator("#commitments tbody tr").CountAsync());
        await page.Locator("a[href='/commitments/good-neighbourliness-treaty-ratification']").ClickAsync();
        await page.WaitForURLAsync("**/commitments/good-neighbourliness-treaty-ratification", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        // Only Kyrgyzstan's reported ratification is scored (+1); the others are not assessed, not zero, and not
        // taken as complying: all must comply, so the status is "partly", with "1 of 6 parties assessed" beside it.
        Assert.Equal("выполнено частично", await page.Locator("#status").InnerTextAsync());
        Assert.Equal("(оценено сторон: 1 из 6)", (await page.Locator(".parties-assessed").InnerTextAsync()).Trim());
        Assert.Equal(data.Commitments.Single(c => c.Id == "good-neighbourliness-treaty-ratification").Assessments.Count(a => a.Score == 1), await page.Locator("#assessments .score-1").CountAsync());

        await page.GotoAsync($"{BaseUrl}/scorecards?period=xian-to-astana");
        Assert.Contains("Общее выполнение 100 %", await page.Locator("#overall").InnerTextAsync());
        await page.GotoAsync($"{BaseUrl}/treaties/good-neighbourliness-treaty-2025");
        Assert.Contains("24 сентября 2025", await page.Locator("#participants").InnerTextAsync());
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_reader_in_chinese_filters_the_projects_opens_one_and_sees_them_on_the_map()
    {
        var browser = Browser();
        await ProjectData.SeedAsync(Factory!.Services);
        var context = await browser.NewContextAsync(new() { Locale = "zh-CN" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync($"{BaseUrl}/projects", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("zh", await page.Locator("html").GetAttributeAsync("lang"));
        await page.Locator(".chart svg").First.WaitForAsync(); // the totals by year, drawn by ECharts
        await page.Locator("select[name=state]").SelectOptionAsync("KG");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.WaitForURLAsync("**state=KG**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(2, await page.Locator("#projects tbody tr").CountAsync());
        await page.Locator($"#projects a[href='/projects/{ProjectData.Child}']").ClickAsync();
        await page.WaitForURLAsync($"**/projects/{ProjectData.Child}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("铁路吉尔吉斯斯坦段", await page.Locator("#title span[lang=zh]").InnerTextAsync());
        Assert.Contains(ProjectData.PbocSource, await page.Locator("#transactions").InnerTextAsync());

        await page.GotoAsync($"{BaseUrl}/projects/map", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#project-map canvas").First.WaitForAsync();
        await page.Locator("#project-map[data-drawn='2']").WaitForAsync(); // both located projects' points
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    /// <summary>Signs in through the forms, typing the authenticator app's current code.</summary>
    private async Task<IPage> SignedInAsync(IBrowser browser, Person person)
    {
        var context = await browser.NewContextAsync(new() { Locale = "en-GB" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/account/sign-in?culture=en");
        await page.Locator("#field-email").FillAsync(person.Email);
        await page.Locator("#field-password").FillAsync(person.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-code").FillAsync(person.TotpNow());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/work", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        return page;
    }

}
