using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>A programme's ledger in headless Chromium: the secretariat records an allocation in Russian and sees the balances change.</summary>
public sealed class ProgrammeBrowserTests : BrowserTest
{
    /// <summary>Digits only: Russian groups thousands with a no-break space.</summary>
    private static string Digits(string text) => new([.. text.Where(char.IsDigit)]);

    [Fact]
    public async Task The_secretariat_records_an_allocation_in_russian_and_sees_the_balance_change()
    {
        RequireChromium();
        var secretariat = await People.CreateAsync(Factory!.Services, CaravanRole.SecretariatEditor);
        var context = await Chromium!.NewContextAsync(new() { Locale = "ru-RU" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

        await page.GotoAsync($"{BaseUrl}/account/sign-in?culture=ru");
        await page.Locator("#field-email").FillAsync(secretariat.Email);
        await page.Locator("#field-password").FillAsync(secretariat.Password);
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-code").FillAsync(secretariat.TotpNow());
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/work", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.GotoAsync($"{BaseUrl}/programmes/grant-2025", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("ru", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(1, await page.Locator("#no-entries").CountAsync()); // the seeded ledger is empty, and says so
        await page.Locator("#field-state").SelectOptionAsync("KZ");
        await page.Locator("#field-kind").SelectOptionAsync("allocation");
        await page.Locator("#field-year").FillAsync("2025");
        await page.Locator("#field-on").FillAsync("2025-07-01");
        await page.Locator("#field-quantity").FillAsync("500000000");
        await page.Locator("#field-note").FillAsync("Первая часть гранта");
        // The allocation's own source (a new figure cannot be recorded without one).
        await page.Locator("[name='s:0:url']").FillAsync("https://example.org/grant-allocation");
        await page.Locator("[name='s:0:title']").FillAsync("Распределение гранта 2025 года");
        await page.Locator("[name='s:0:date']").FillAsync("2025-07-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Записать", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/programmes/grant-2025#states", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        Assert.Equal("500000000", Digits(await page.Locator("#states tr[data-state=KZ] .allocated").InnerTextAsync()));
        Assert.Equal("1000000000", Digits(await page.Locator("#pledge .unallocated").InnerTextAsync()));
        Assert.Contains("Первая часть гранта", await page.Locator("#entries").InnerTextAsync());
        // The entry lists its own source (inside the folded "Sources" box, so read the text content).
        Assert.Contains("Распределение гранта 2025 года", await page.Locator("#entries").TextContentAsync());
        await page.Locator("#burn-up .chart svg").WaitForAsync(); // the burn-up, drawn by ECharts
        Assert.Empty(errors);
        await context.CloseAsync();
    }

}
