using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Caravan.Tests.Browser;

/// <summary>
/// A culture and tourism capital selection run from call to published decision entirely in headless Chromium, in
/// Russian: the secretariat creates the call and appoints the jury, two coordinators nominate, the jurors score,
/// the secretariat closes, decides and publishes, and the public page shows the decision and the ranking.
/// </summary>
public sealed class SelectionBrowserTests : BrowserTest
{
    private IBrowser Browser()
    {
        RequireChromium();
        return Chromium!;
    }

    [Fact]
    public async Task A_selection_runs_from_call_to_published_decision_in_theChromium_in_russian()
    {
        var browser = Browser();
        var services = Factory!.Services;
        var secretariat = await People.CreateAsync(services, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(services, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(services, CaravanRole.NationalCoordinator, "UZ");
        var jurorKz = await People.CreateAsync(services, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        var expert = await People.CreateAsync(services, CaravanRole.ProgrammeOfficer, bodies: ["business-council"]);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // The public, before any call: the page explains that none has been opened.
        var reader = await NewPageAsync(browser);
        await reader.GotoAsync($"{BaseUrl}/selections");
        Assert.Equal("ru", await reader.Locator("html").GetAttributeAsync("lang"));
        await Expect(reader.Locator("#no-calls")).ToContainTextAsync("Конкурс пока не объявлен");

        // The secretariat creates the call.
        var desk = await SignedInAsync(browser, secretariat);
        await desk.GotoAsync($"{BaseUrl}/selections");
        await desk.Locator("#new-call").ClickAsync();
        await desk.WaitForURLAsync("**/selections/new");
        await desk.Locator("[id='field-title.en']").FillAsync("China–Central Asia culture and tourism capital 2027");
        await desk.Locator("[id='field-title.ru']").FillAsync("Столица культуры и туризма «Китай – Центральная Азия» 2027");
        await desk.Locator("[id='field-title.zh']").FillAsync("2027年中国—中亚文化和旅游之都");
        await desk.Locator("#field-nominationsFrom").FillAsync(Day(-1));
        await desk.Locator("#field-nominationsTo").FillAsync(Day(10));
        await desk.Locator("#field-scoringDeadline").FillAsync(Day(20));
        await desk.Locator("[id='field-criteria[0].name.ru']").FillAsync("Культурное наследие");
        await desk.Locator("[id='field-criteria[0].weight']").FillAsync("2");
        await desk.Locator("[id='field-criteria[1].name.ru']").FillAsync("Туристическая доступность");
        await desk.Locator("[id='field-criteria[1].weight']").FillAsync("1");
        await desk.Locator("#new-call-form button[type=submit]").ClickAsync();
        await Expect(desk.Locator("#phase")).ToHaveTextAsync("черновик");
        var callUrl = desk.Url.Split('#')[0];
        var id = callUrl.Split('/').Last();
        Assert.Equal("china-central-asia-culture-and-tourism-capital-2027", id);
        await Expect(desk.Locator("#criteria tbody tr")).ToHaveCountAsync(2);

        // … appoints two jurors: one from Kazakhstan, one independent expert.
        await desk.Locator("#field-user").SelectOptionAsync(jurorKz.Email);
        await desk.Locator("#field-state").SelectOptionAsync("KZ");
        await desk.Locator("#appoint button[type=submit]").ClickAsync();
        await Expect(desk.Locator("#jury tbody tr")).ToHaveCountAsync(1);
        await desk.Locator("#field-user").SelectOptionAsync(expert.Email);
        await desk.Locator("#appoint button[type=submit]").ClickAsync();
        await Expect(desk.Locator("#jury tbody tr")).ToHaveCountAsync(2);
        // … and opens it for nominations.
        await desk.Locator("#move-phase").ClickAsync();
        await Expect(desk.Locator("#phase")).ToHaveTextAsync("приём заявок");

        // Two coordinators nominate a city each.
        foreach (var (coordinator, city, cityZh) in new[] { (kz, "Туркестан", "突厥斯坦"), (uz, "Самарканд", "撒马尔罕") })
        {
            var page = await SignedInAsync(browser, coordinator);
            await page.GotoAsync(callUrl);
            await page.Locator("[id='field-city.ru']").FillAsync(city);
            await page.Locator("[id='field-city.zh']").FillAsync(cityZh);
            await page.Locator("[id='field-statement.ru']").FillAsync($"{city} — жемчужина Великого шёлкового пути.");
            await page.Locator("#nominate button[type=submit]").ClickAsync();
            await Expect(page.Locator($"#nominations tr[data-nomination='{id}-{coordinator.StateId!.ToLowerInvariant()}']")).ToContainTextAsync(city);
            await Expect(page.Locator("#nominate")).ToHaveCountAsync(0); // one nomination per state: the form is gone
            await page.Context.CloseAsync();
        }

        await desk.GotoAsync(callUrl);
        await desk.Locator("#move-phase").ClickAsync();
        await Expect(desk.Locator("#phase")).ToHaveTextAsync("оценка жюри");

        // The jurors score: the Kazakh juror only Samarkand (not their own state's), the expert both.
        var kzJuror = await SignedInAsync(browser, jurorKz);
        await kzJuror.GotoAsync(callUrl);
        await Expect(kzJuror.Locator($"#score-{id}-kz")).ToHaveCountAsync(0);
        await ScoreAsync(kzJuror, $"{id}-uz", "9", "7,5");
        var expertPage = await SignedInAsync(browser, expert);
        await expertPage.GotoAsync(callUrl);
        await ScoreAsync(expertPage, $"{id}-uz", "8", "8");
        await ScoreAsync(expertPage, $"{id}-kz", "9", "6");
        // A juror sees their own scores only.
        await Expect(expertPage.Locator("#my-scores tbody tr")).ToHaveCountAsync(4);
        await Expect(expertPage.Locator("#ranking")).ToHaveCountAsync(0);

        // The secretariat sees the progress, closes, reads the ranking, decides and publishes.
        await desk.GotoAsync(callUrl);
        await Expect(desk.Locator("#jury")).ToContainTextAsync("2 из 2");
        await Expect(desk.Locator("#ranking")).ToHaveCountAsync(0);
        await desk.Locator("#move-phase").ClickAsync();
        await Expect(desk.Locator("#phase")).ToHaveTextAsync("оценка завершена");
        // Samarkand: heritage (9 + 8) / 2 = 8.5, access (7.5 + 8) / 2 = 7.75 → (8.5·2 + 7.75) / 3 = 8.25; Turkistan (9·2 + 6) / 3 = 8.
        await Expect(desk.Locator("#ranking tbody tr").First).ToContainTextAsync("Самарканд");
        await Expect(desk.Locator("#ranking tbody tr").First.Locator(".score")).ToHaveTextAsync("8,25");
        await desk.Locator("#field-nomination").SelectOptionAsync($"{id}-uz");
        await desk.Locator("[id='field-rationale.ru']").FillAsync("Первое место в рейтинге жюри.");
        await desk.Locator("#decide button[type=submit]").ClickAsync();
        await Expect(desk.Locator("#published")).ToHaveTextAsync("ещё не опубликовано");
        await desk.Locator("#publish-decision").ClickAsync();
        await Expect(desk.Locator("#phase")).ToHaveTextAsync("решение опубликовано");

        // The public sees the decision, the ranking and the means.
        await reader.GotoAsync(callUrl);
        await Expect(reader.Locator("#phase")).ToHaveTextAsync("решение опубликовано");
        await Expect(reader.Locator("#decision-city")).ToHaveTextAsync("Самарканд");
        await Expect(reader.Locator("#rationale")).ToContainTextAsync("Первое место в рейтинге жюри.");
        await Expect(reader.Locator("#ranking tbody tr")).ToHaveCountAsync(2);
        await Expect(reader.Locator("#ranking tbody tr").Nth(1)).ToContainTextAsync("Туркестан");
        await Expect(reader.Locator("#jury")).ToHaveCountAsync(0);
        await Expect(reader.Locator("form")).ToHaveCountAsync(0);
        await reader.GotoAsync($"{BaseUrl}/selections");
        await Expect(reader.Locator("#calls tbody tr")).ToContainTextAsync("Самарканд");
    }

    private static async Task ScoreAsync(IPage page, string nomination, string heritage, string access)
    {
        var form = page.Locator($"#score-{nomination}");
        await form.Locator(".score-value[data-criterion='c1']").FillAsync(heritage);
        await form.Locator(".score-value[data-criterion='c2']").FillAsync(access);
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#my-scores")).ToContainTextAsync(heritage.Replace('.', ','));
        await Expect(page.Locator($"#score-{nomination} .score-value[data-criterion='c1']")).ToHaveValueAsync(heritage.Replace('.', ','));
    }

    private async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new() { Locale = "ru-RU" });
        // Generous timeouts: on a busy 2-core machine other test classes run beside this one.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => Assert.Fail(e);
        return page;
    }

    /// <summary>Signs in through the forms (in Russian, the browser's language), typing the authenticator app's current code.</summary>
    private async Task<IPage> SignedInAsync(IBrowser browser, Person person)
    {
        var page = await NewPageAsync(browser);
        await page.GotoAsync($"{BaseUrl}/account/sign-in");
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
