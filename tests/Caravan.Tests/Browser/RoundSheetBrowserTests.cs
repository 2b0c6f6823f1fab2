using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Shared;
using Caravan.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Caravan.Tests.Browser;

/// <summary>
/// A round answered by spreadsheet in headless Chromium: a coordinator follows "Answer by spreadsheet" from the round,
/// downloads the XLSX template with the page's button, uploads it filled in (a bad score refused with its row and
/// column, all rows or none, nothing to confirm), uploads it corrected, confirms, and the round shows the tasks as
/// submitted; and the preview with a problem and the result read right in zh, ru and en on a desktop and a phone.
/// </summary>
public sealed partial class RoundSheetBrowserTests : BrowserTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A round opened by the secretariat through the API, on a reporting period of the test's own.</summary>
    private async Task<string> OpenRoundAsync(Person secretariat)
    {
        var period = $"sheet-browser-{Guid.NewGuid():N}"[..40];
        using (var scope = Factory!.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            db.ReportingPeriods.Add(new ReportingPeriod
            {
                Id = period, Order = 990, From = PartialDate.Parse("2026-01"),
                Name = new LocalizedText { En = "Spring 2026", Ru = "Весна 2026 г.", Zh = "2026年春季" },
            });
            await db.SaveChangesAsync(Ct);
        }
        using var api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", secretariat.Token);
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var opened = await api.PostAsJsonAsync("/api/v1/rounds", new
        {
            name = new { en = "Status before the ministers' meeting", ru = "Состояние перед встречей министров",
                zh = "外长会晤前的进展" },
            period, dueOn = due,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    /// <summary>An answer to an assessment task: score (G), date (J), evidence (K) and one source (L–P).</summary>
    private static Dictionary<string, string> Answer(string score, string evidence, string title) => new()
    {
        ["G"] = score, ["J"] = "2026-03-15", ["K"] = evidence, ["L"] = "https://mfa.example.kz/report-2026-03",
        ["M"] = title, ["N"] = "2026-03-01", ["O"] = "ru", ["P"] = "high",
    };

    /// <summary>The template's row number (as the sheet shows it) of each task id, in the sheet's order.</summary>
    private static List<KeyValuePair<string, int>> RowsOf(byte[] template)
    {
        using var stream = new MemoryStream(template, writable: false);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var wb = doc.WorkbookPart!;
        var strings = wb.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList();
        var sheet = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().First().Id!.Value!);
        return [.. sheet.Worksheet.Descendants<Row>().Skip(1)
            .Select(r => (Row: r, A: r.Elements<Cell>().First()))
            .Where(x => x.A.DataType?.Value == CellValues.SharedString)
            .Select(x => KeyValuePair.Create(strings[int.Parse(x.A.CellValue!.Text, CultureInfo.InvariantCulture)],
                (int)x.Row.RowIndex!.Value))];
    }

    private static List<string> Assessments(byte[] template, int skip, int take) =>
        [.. RowsOf(template).Select(r => r.Key).Where(k => k.StartsWith("assessment:", StringComparison.Ordinal))
            .Skip(skip).Take(take)];

    private static async Task<byte[]> DownloadTemplateAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        return await File.ReadAllBytesAsync(await download.PathAsync(), Ct);
    }

    private static async Task UploadAsync(IPage page, byte[] file, string mode)
    {
        await page.Locator("#field-file").SetInputFilesAsync(new FilePayload
        {
            Name = "answers.xlsx", Buffer = file,
            MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        });
        await page.Locator($"#upload-form input[name=mode][value={mode}]").CheckAsync();
        await page.Locator("#preview").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Expect(page.Locator("#rows")).ToBeVisibleAsync();
    }

    private async Task<IPage> SignedInAsync(Person person, string culture)
    {
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => Assert.Fail(e);
        await SignInAsync(page, person, culture);
        return page;
    }

    [Fact]
    public async Task A_coordinator_downloads_the_template_uploads_it_filled_in_corrects_it_and_confirms()
    {
        RequireChromium();
        var secretariat = await People.CreateAsync(Factory!.Services, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(Factory.Services, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat);
        var page = await SignedInAsync(kz, "en");

        // From the round's page to its sheet.
        await page.GotoAsync($"{BaseUrl}/rounds/{round}");
        await page.Locator("#sheet-link a").ClickAsync();
        await page.WaitForURLAsync($"**/rounds/{round}/sheet");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Answer by spreadsheet");
        // A coordinator answers for their own state only: no choice of state.
        await Expect(page.Locator("#template-state")).ToHaveCountAsync(0);
        await Expect(page.Locator("#template-lang")).ToHaveValueAsync("en");

        var template = await DownloadTemplateAsync(page);
        var rows = RowsOf(template).ToDictionary();
        Assert.Equal("Task id (do not change)", SheetEdits.Read(template)[""]["A"]);
        var ids = Assessments(template, 0, 2);
        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.Contains(":KZ:", id, StringComparison.Ordinal));

        // One good row, one with a score that does not exist: all rows or none, so nothing to confirm.
        var good = Answer("1", "The memorandum was signed on 1 March 2026.", "Ministry of Foreign Affairs report");
        var bad = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>>
        {
            [ids[0]] = good, [ids[1]] = Answer("7", "Work is under way.", "Ministry of Trade report"),
        });
        await UploadAsync(page, bad, "all");
        await Expect(page.Locator("#result")).ToHaveTextAsync("What the sheet would change");
        await Expect(page.Locator("#all-or-none")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirm")).ToHaveCountAsync(0);
        await Expect(page.Locator("#summary")).ToContainTextAsync("rows with answers: 2; without problems: 1; with problems: 1");
        var refused = page.Locator($"#rows tr[data-row='{rows[ids[1]]}']");
        await Expect(refused).ToHaveClassAsync("refused");
        await Expect(refused.Locator("td").First).ToHaveTextAsync(rows[ids[1]].ToString(CultureInfo.InvariantCulture));
        await Expect(refused.Locator(".problem")).ToHaveTextAsync(new Regex("^New value: A score is one of .+"));
        await Expect(page.Locator($"#rows tr[data-row='{rows[ids[0]]}'] .problem")).ToHaveCountAsync(0);
        await Photograph(page, "round-sheet-all-or-none-en-1280", 1280);

        // Not a sheet at all: refused whole, saying why, and the form is there to try again.
        await page.Locator("#field-file").SetInputFilesAsync(new FilePayload
        {
            Name = "answers.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7\n"u8.ToArray(),
        });
        await page.Locator("#preview").ClickAsync();
        await Expect(page.Locator("#refusal")).ToContainTextAsync("“answers.pdf” is neither an XLSX workbook nor a CSV file");
        await Expect(page.Locator("#rows")).ToHaveCountAsync(0);
        await Expect(page.Locator("#upload-form")).ToBeVisibleAsync();
        await Photograph(page, "round-sheet-refused-en-1280", 1280);

        // Corrected: the changes are shown, and confirmed.
        var corrected = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>>
        {
            [ids[0]] = good, [ids[1]] = Answer("0", "Work is under way.", "Ministry of Trade report"),
        });
        await UploadAsync(page, corrected, "all");
        await Expect(page.Locator("#all-or-none")).ToHaveCountAsync(0);
        await Expect(page.Locator("#rows .problem")).ToHaveCountAsync(0);
        var first = page.Locator($"#rows tr[data-row='{rows[ids[0]]}']");
        await Expect(first.Locator(".change").Filter(new() { HasText = "The memorandum was signed" })).ToHaveCountAsync(1);
        await Expect(first).ToContainTextAsync("Ministry of Foreign Affairs report");
        await Expect(page.Locator("#confirm")).ToHaveTextAsync("Submit for validation (proposals: 2)");
        await page.Locator("#confirm").ClickAsync();
        await Expect(page.Locator("#submitted")).ToContainTextAsync("Proposals submitted for validation: 2, one per record.");
        await Expect(page.Locator("#result")).ToHaveTextAsync("Result");
        await Expect(page.Locator("#rows a.submission")).ToHaveCountAsync(2);
        await Expect(page.Locator("#upload-form")).ToHaveCountAsync(0);

        // Back on the round, the two tasks are submitted.
        await page.Locator("#submitted a[href$='#tasks']").ClickAsync();
        await page.WaitForURLAsync($"**/rounds/{round}#tasks");
        foreach (var id in ids)
        {
            var task = page.Locator($"#task-table tr[data-key='{id}']");
            await Expect(task.Locator(".status")).ToHaveTextAsync("Submitted");
            await Expect(task.Locator("a.submission")).ToHaveCountAsync(1);
        }
        await page.Context.CloseAsync();
    }

    /// <summary>Words a page in zh or ru may show in Latin letters (the formats, the product, the person's data).</summary>
    private static readonly HashSet<string> Latin = ["XLSX", "CSV", "Excel", "Caravan", "MB"];

    [Fact]
    public async Task The_preview_with_a_problem_and_the_result_read_right_in_three_languages_on_a_desktop_and_a_phone()
    {
        RequireChromium();
        var secretariat = await People.CreateAsync(Factory!.Services, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(Factory.Services, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat);
        // One sign-in (the sign-in limit counts each attempt); the language is chosen in the URL, the widths resized.
        var page = await SignedInAsync(kz, "en");
        var failures = new List<string>();
        var words = new Dictionary<string, (string Evidence, string Title, string Date)>
        {
            ["zh"] = ("备忘录已于2026年3月1日签署。", "外交部报告", "2026年3月15日"),
            ["ru"] = ("Меморандум подписан 1 марта 2026 г.", "Отчёт МИД", "15 марта 2026 г."),
            ["en"] = ("The memorandum was signed on 1 March 2026.", "Ministry of Foreign Affairs report", "15 March 2026"),
        };
        var template = Array.Empty<byte>();
        var used = 0;
        foreach (var (culture, (evidence, title, date)) in words)
        {
            await page.SetViewportSizeAsync(1280, 900);
            await page.GotoAsync($"{BaseUrl}/rounds/{round}/sheet?culture={culture}");
            if (template.Length == 0) template = await DownloadTemplateAsync(page);
            // Each language answers tasks of its own: a submitted task is not answered again.
            var ids = Assessments(template, used, 2);
            used += 2;
            Assert.Equal(2, ids.Count);
            var file = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>>
            {
                [ids[0]] = Answer("1", evidence, title), [ids[1]] = Answer("7", evidence, title),
            });
            // Rows without problems go ahead: the preview shows a problem and still offers to confirm.
            await UploadAsync(page, file, "rows");
            await Expect(page.Locator("#rows .problem")).ToHaveCountAsync(1);
            await Expect(page.Locator("#confirm")).ToBeVisibleAsync();
            await Check(page, culture, "preview", date, failures);
            await page.SetViewportSizeAsync(1280, 900);
            await page.Locator("#confirm").ClickAsync();
            await Expect(page.Locator("#submitted")).ToBeVisibleAsync();
            await Check(page, culture, "result", date, failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await page.Context.CloseAsync();
    }

    /// <summary>The page at both widths: its language, no codes or templates as text, nothing wider than the screen.</summary>
    private static async Task Check(IPage page, string culture, string step, string date, List<string> failures)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            var at = $"{step} {culture} {width}";
            await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);
            if (await page.Locator("html").GetAttributeAsync("lang") != culture) failures.Add($"{at}: lang");
            var text = await page.Locator("main").InnerTextAsync();
            foreach (Match m in Key().Matches(text)) failures.Add($"{at}: a key or template shown: “{m.Value}”");
            if (culture != "en")
                foreach (Match m in LatinWord().Matches(text))
                    if (!Latin.Contains(m.Value))
                        failures.Add($"{at}: Latin text in a {culture} page: “{m.Value}”");
            // Chinese punctuation in Chinese: "国家：哈萨克斯坦", "佐证材料（中文）", not "国家: ", "材料 (中文)".
            if (culture == "zh")
                foreach (Match m in LatinPunctuation().Matches(text)) failures.Add($"{at}: “{m.Value}” in Chinese text");
            var changes = string.Join(" | ", await page.Locator("#rows .change").AllInnerTextsAsync());
            if (!changes.Contains(date, StringComparison.Ordinal))
                failures.Add($"{at}: the date is not written as the reader writes it ({date}): {changes}");
            if (changes.Contains("2026-03-15", StringComparison.Ordinal)) failures.Add($"{at}: an ISO date: {changes}");
            var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (scroll > width) failures.Add($"{at}: the page is {scroll} px wide");
            var body = await page.EvaluateAsync<int>("() => document.body.scrollWidth");
            if (body > width) failures.Add($"{at}: the body is {body} px wide");
            // The reason of a problem is read without scrolling sideways, on a phone too.
            if (await page.Locator("#rows .problem").First.BoundingBoxAsync() is not { } problem)
                failures.Add($"{at}: the problem is not shown");
            else if (problem.X < 0 || problem.X + problem.Width > width)
                failures.Add($"{at}: the problem is outside the screen ({problem.X}–{problem.X + problem.Width} px)");
            await Photograph(page, $"round-sheet-{step}-{culture}-{width}", width);
        }
    }

    /// <summary>A resource key (sheet.col.value), a placeholder ({0}) or a code of an enum or a task (assessment:…).</summary>
    [GeneratedRegex(@"\b(sheet|round|field|confidence|language|nav|sources?|filter|role|upload|score|outcome)\.[a-z]|\{\d\}|\bassessment:\S")]
    private static partial Regex Key();

    [GeneratedRegex(@"[\u4e00-\u9fff] ?[(:]")]
    private static partial Regex LatinPunctuation();

    [GeneratedRegex(@"\b[A-Za-z]{3,}\b")]
    private static partial Regex LatinWord();
}
