using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Caravan.Tests.Browser;

/// <summary>
/// The report's download page in headless Chromium: the secretariat reaches it from the menu, downloads the XLSX in
/// Russian, is told in Chinese what exists when a choice is wrong, and the page reads in the three languages at
/// desktop and phone widths (nothing wider than the screen).
/// </summary>
public sealed class ReportBrowserTests : BrowserTest
{
    [Fact]
    public async Task The_secretariat_downloads_the_report_from_the_menu_in_three_languages()
    {
        RequireChromium();
        var secretariat = await People.CreateAsync(Factory!.Services, CaravanRole.SecretariatEditor);
        var context = await Chromium!.NewContextAsync(new() { Locale = "ru-RU", AcceptDownloads = true });
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

        await page.Locator("nav a[href='/reports']").First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Доклад о ходе выполнения к саммиту");
        await page.Locator("#field-lang").SelectOptionAsync("ru");
        await page.Locator("#field-format").SelectOptionAsync("xlsx");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download").ClickAsync());
        Assert.Equal("caravan-report-xian-to-astana-ru-USD.xlsx", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".xlsx");
        await download.SaveAsAsync(path);
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(path, false))
            Assert.Contains(document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>(),
                s => s.Name == "Обязательства");
        File.Delete(path);

        // A wrong choice (a snapshot that does not exist) is named with what exists.
        await page.GotoAsync($"{BaseUrl}/reports?handler=download&snapshot=nope&lang=zh&format=xlsx&culture=zh");
        await Expect(page.Locator("#problems")).ToContainTextAsync("没有名为“nope”的已关闭快照。现有快照：xian-to-astana。");

        var screenshots = Directory.CreateDirectory(Environment.GetEnvironmentVariable("CARAVAN_SCREENSHOTS") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "caravan-report-screens")).FullName;
        var wide = new List<string>();
        foreach (var culture in new[] { "en", "ru", "zh" })
            foreach (var width in new[] { 1280, 390 })
            {
                await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);
                await page.GotoAsync($"{BaseUrl}/reports?culture={culture}");
                Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
                var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (scroll > width) wide.Add($"reports {culture} {width}: {scroll} px");
                await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, $"reports-{culture}-{width}.png"), FullPage = true });
            }
        Assert.Empty(wide);
        await context.CloseAsync();
    }
}
