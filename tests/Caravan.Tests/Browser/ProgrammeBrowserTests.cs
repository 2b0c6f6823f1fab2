using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Browser;

/// <summary>A programme's ledger in headless Chromium: the secretariat records an allocation in Russian and sees the balances change.</summary>
public sealed class ProgrammeBrowserTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("caravan-programmes-").FullName;
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Requirements.ChromiumPath)) return;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("Caravan:Database:ConnectionString", $"Data Source={Path.Combine(_folder, "caravan.db")}"));
        _factory.UseKestrel(0);
        _factory.StartServer();
        _baseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Requirements.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
    }

    /// <summary>Digits only: Russian groups thousands with a no-break space.</summary>
    private static string Digits(string text) => new([.. text.Where(char.IsDigit)]);

    [Fact]
    public async Task The_secretariat_records_an_allocation_in_russian_and_sees_the_balance_change()
    {
        if (_browser is null) Requirements.Unavailable("Chromium", $"{Requirements.ChromiumPath} is missing (apt-get install chromium)");
        var secretariat = await People.CreateAsync(_factory!.Services, CaravanRole.SecretariatEditor);
        var context = await _browser!.NewContextAsync(new() { Locale = "ru-RU" });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

        await page.GotoAsync($"{_baseUrl}/account/sign-in?culture=ru");
        await page.Locator("#field-email").FillAsync(secretariat.Email);
        await page.Locator("#field-password").FillAsync(secretariat.Password);
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-code").FillAsync(secretariat.TotpNow());
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/work", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.GotoAsync($"{_baseUrl}/programmes/grant-2025", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("ru", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(1, await page.Locator("#no-entries").CountAsync()); // the seeded ledger is empty, and says so
        await page.Locator("#field-state").SelectOptionAsync("KZ");
        await page.Locator("#field-kind").SelectOptionAsync("allocation");
        await page.Locator("#field-year").FillAsync("2025");
        await page.Locator("#field-on").FillAsync("2025-07-01");
        await page.Locator("#field-quantity").FillAsync("500000000");
        await page.Locator("#field-note").FillAsync("Первая часть гранта");
        await page.GetByRole(AriaRole.Button, new() { Name = "Записать", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/programmes/grant-2025#states", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        Assert.Equal("500000000", Digits(await page.Locator("#states tr[data-state=KZ] .allocated").InnerTextAsync()));
        Assert.Equal("1000000000", Digits(await page.Locator("#pledge .unallocated").InnerTextAsync()));
        Assert.Contains("Первая часть гранта", await page.Locator("#entries").InnerTextAsync());
        await page.Locator("#burn-up .chart svg").WaitForAsync(); // the burn-up, drawn by ECharts
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
