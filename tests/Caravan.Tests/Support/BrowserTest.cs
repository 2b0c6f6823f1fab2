using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Caravan.Tests.Support;

/// <summary>
/// What every browser test class stands on: the real app on Kestrel with its own SQLite file (seeded as on a
/// fresh install), listening on a free loopback port, and headless Chromium. Without Chromium nothing starts
/// and each test says so through <see cref="RequireChromium"/>.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("caravan-browser-").FullName;
    private IPlaywright? _playwright;

    protected WebApplicationFactory<Program>? Factory { get; private set; }
    protected IBrowser? Chromium { get; private set; }
    protected string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Requirements.ChromiumPath)) return;
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Caravan:Database:ConnectionString", $"Data Source={Path.Combine(_folder, "caravan.db")}");
            // Not appsettings' fixed 127.0.0.1:5080, which Kestrel would bind beside UseKestrel(0): browser
            // classes run in parallel, and the portal itself may be running on this machine.
            b.UseSetting("Urls", "http://127.0.0.1:0");
        });
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        Chromium = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Headless Chromium as this machine runs it (its background connections would be refused).</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Requirements.ChromiumPath,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
    });

    /// <summary>Signs in through the forms in the language given, typing the authenticator app's current code.</summary>
    protected async Task SignInAsync(IPage page, Person person, string culture)
    {
        await page.GotoAsync($"{BaseUrl}/account/sign-in?culture={culture}");
        await page.Locator("#field-email").FillAsync(person.Email);
        await page.Locator("#field-password").FillAsync(person.Password);
        await page.Locator("main form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in/code**", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.Locator("#field-code").FillAsync(person.TotpNow());
        await page.Locator("main form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync("**/work", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>
    /// With <c>CARAVAN_SCREENSHOTS</c> set to a folder, photographs the page's first screens there as
    /// <c>{name}.png</c>, for a person to look at.
    /// </summary>
    public static async Task Photograph(IPage page, string name, int width)
    {
        if (Environment.GetEnvironmentVariable("CARAVAN_SCREENSHOTS") is not { Length: > 0 } folder) return;
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Directory.CreateDirectory(folder).FullName, $"{name}.png"),
            FullPage = true,
            Clip = new Clip { X = 0, Y = 0, Width = width, Height = Math.Min(height, width < 600 ? 2400 : 1800) },
        });
    }

    /// <summary>Skips the test with the reason (fails it under CARAVAN_REQUIRE_ALL) when Chromium is missing.</summary>
    protected void RequireChromium()
    {
        if (Chromium is null) Requirements.Unavailable("Chromium", $"{Requirements.ChromiumPath} is missing (apt-get install chromium)");
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null) await Chromium.CloseAsync();
        _playwright?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
