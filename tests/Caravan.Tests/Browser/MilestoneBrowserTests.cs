using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>
/// A commitment's milestones and timeline in headless Chromium, in each language at 1280 and 390 px: statuses named
/// in the reader's language, nothing wider than the screen, no error; and a coordinator proposing a milestone through
/// the page's form. With <c>CARAVAN_SCREENSHOTS</c> set, the milestones and timeline are photographed there as
/// <c>commitment-timeline-{language}-{width}.png</c>.
/// </summary>
public sealed class MilestoneBrowserTests : BrowserTest
{
    private const string Commitment = "poverty-reduction-centre-2025";

    private async Task EnsureMilestonesAsync()
    {
        using var scope = Factory!.Services.CreateScope();
        var editor = scope.ServiceProvider.GetRequiredService<RecordEditor>();
        var secretariat = await People.CreateAsync(Factory.Services, CaravanRole.SecretariatEditor);
        foreach (var (suffix, values) in new (string, Dictionary<string, string?>)[]
        {
            ("staff-appointed", new() { ["title.en"] = "Staff appointed", ["title.zh"] = "人员到位", ["title.ru"] = "Назначен персонал", ["due"] = "2026-03" }),
            ("first-cohort", new() { ["title.en"] = "First cohort of officials trained", ["title.zh"] = "首批官员完成培训", ["title.ru"] = "Обучена первая группа специалистов", ["due"] = "2030" }),
        })
        {
            var id = $"{Commitment}:CN:{suffix}";
            var result = await editor.ChangeAsync(secretariat.AsCaller(), "milestones", id, values, "browser test", null,
                submit: true, create: true, TestContext.Current.CancellationToken, Cite.Inputs());
            Assert.Equal(ChangeOutcome.Created, result.Outcome);
        }
    }

    [Theory]
    [InlineData("zh", 1280, "时间线", "已逾期", "已实现")]
    [InlineData("ru", 1280, "Хронология", "просрочен", "достигнут")]
    [InlineData("en", 1280, "Timeline", "overdue", "achieved")]
    [InlineData("zh", 390, "时间线", "已逾期", "已实现")]
    [InlineData("ru", 390, "Хронология", "просрочен", "достигнут")]
    [InlineData("en", 390, "Timeline", "overdue", "achieved")]
    public async Task The_commitment_page_shows_its_milestones_and_timeline_in_each_language_and_fits_the_screen(
        string culture, int width, string heading, string overdue, string achieved)
    {
        RequireChromium();
        await EnsureMilestonesAsync();
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            DeviceScaleFactor = 1, IsMobile = width < 600, HasTouch = width < 600,
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        await page.GotoAsync($"{BaseUrl}/commitments/{Commitment}?culture={culture}", new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(heading, await page.Locator("#timeline-heading").InnerTextAsync());
        var timeline = await page.Locator("#timeline").InnerTextAsync();
        Assert.Contains(overdue, timeline); // staff appointed, due March 2026
        Assert.Contains(achieved, timeline); // the seeded inauguration (21 July 2025)
        Assert.DoesNotContain("MilestoneStatus.", timeline);
        Assert.DoesNotContain("timeline.", timeline);
        Assert.Equal(overdue, await page.Locator("#milestone-table .milestone-overdue").First.InnerTextAsync());
        Assert.True(await page.Locator("#overdue-milestones").IsVisibleAsync()); // beside the freshness light
        // Newest first: the first line is the one due in 2030.
        Assert.Contains(culture switch { "zh" => "首批官员完成培训", "ru" => "Обучена первая группа специалистов", _ => "First cohort of officials trained" },
            await page.Locator("#timeline > li").First.InnerTextAsync());

        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{scrollWidth} px wide at {width} px");
        if (Environment.GetEnvironmentVariable("CARAVAN_SCREENSHOTS") is { Length: > 0 } folder)
        {
            var top = (await page.Locator("#milestones").BoundingBoxAsync())!.Y;
            var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(Directory.CreateDirectory(folder).FullName, $"commitment-timeline-{culture}-{width}.png"),
                FullPage = true,
                Clip = new Clip { X = 0, Y = top - 10, Width = width, Height = Math.Min(height - top + 10, 2000) },
            });
        }
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_coordinator_proposes_a_milestone_from_the_commitment_page()
    {
        RequireChromium();
        var cn = await People.CreateAsync(Factory!.Services, CaravanRole.NationalCoordinator, "CN");
        var context = await Chromium!.NewContextAsync(new() { Locale = "en-GB" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/account/sign-in?culture=en");
        await page.Locator("#field-email").FillAsync(cn.Email);
        await page.Locator("#field-password").FillAsync(cn.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-code").FillAsync(cn.TotpNow());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/work", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.GotoAsync($"{BaseUrl}/commitments/{Commitment}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        // China's coordinator may propose milestones about China only: the form offers China, not "all parties".
        var options = await page.Locator("#propose-milestone select[name=state] option").AllInnerTextsAsync();
        Assert.Equal(["China"], options);
        await page.Locator("#propose-milestone input[name=name]").FillAsync("Curriculum agreed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose a milestone" }).ClickAsync();
        await page.WaitForURLAsync($"**/work/milestones/new?id={Commitment}%3ACN%3Acurriculum-agreed", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-title\\.en").FillAsync("Training curriculum agreed");
        await page.Locator("#field-due").FillAsync("2027-06");
        await page.Locator("[name='s:0:url']").FillAsync("https://example.org/curriculum");
        await page.Locator("[name='s:0:title']").FillAsync("Curriculum of the poverty reduction centre");
        await page.Locator("[name='s:0:date']").FillAsync("2026-11");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for validation" }).ClickAsync();
        await page.WaitForURLAsync("**/submissions/**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains("Training curriculum agreed", await page.Locator("body").InnerTextAsync());
        await context.CloseAsync();
    }
}
