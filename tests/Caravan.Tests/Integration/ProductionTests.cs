using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caravan.Tests.Integration;

/// <summary>
/// The app as deployed: the Production environment on real Kestrel over plain HTTP, with one configured proxy
/// address (127.0.0.2) and one configured network (127.0.0.4/30). Every loopback address reaches Kestrel, so a
/// client binding 127.0.0.2 is "the proxy" and one on 127.0.0.1 an unknown sender.
/// </summary>
public abstract partial class ProductionTests(CaravanApp app)
{
    private const string PublicHost = "caravan.example.org";

    private static HttpClient From(CaravanApp app, string address)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch { socket.Dispose(); throw; }
            },
        };
        _ = app.Client(); // skips when the provider is unavailable
        return new HttpClient(handler) { BaseAddress = app.BaseAddress };
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, bool forwardedHttps, IEnumerable<string>? cookies = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Host = PublicHost;
        if (forwardedHttps)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }
        if (cookies is not null && cookies.Any()) request.Headers.Add("Cookie", string.Join("; ", cookies));
        return request;
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    [Theory]
    [InlineData("en", "Signing in needs HTTPS")]
    [InlineData("ru", "Для входа нужен HTTPS")]
    [InlineData("zh", "登录需要 HTTPS")]
    public async Task Over_plain_http_the_sign_in_page_says_what_to_set_in_the_readers_language_never_a_500(string culture, string title)
    {
        using var http = From(app, "127.0.0.1");
        var ct = TestContext.Current.CancellationToken;
        using var page = await http.SendAsync(Request(HttpMethod.Get, $"/account/sign-in?culture={culture}", forwardedHttps: false), ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(title, html);
        Assert.Contains("Caravan:Proxy:KnownProxies", html);
        Assert.Contains("X-Forwarded-Proto", html);
        Assert.Contains($"href=\"https://{PublicHost}/account/sign-in?culture={culture}\"", html);
        Assert.DoesNotContain("<form method=\"post\"", html);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");

        // A sign-in attempt over plain HTTP is refused with the same explanation; nothing is checked or stored.
        using var post = await http.SendAsync(Request(HttpMethod.Post, $"/account/sign-in?culture={culture}", forwardedHttps: false,
            content: new FormUrlEncodedContent([new("email", "someone@example.org"), new("password", "not important at all")])), ct);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains(title, await post.Content.ReadAsStringAsync(ct));

        // The other pages with forms too: the invitation link a new person opens.
        using var invitation = await http.SendAsync(Request(HttpMethod.Get, $"/account/invitation?culture={culture}", forwardedHttps: false), ct);
        Assert.Equal(HttpStatusCode.OK, invitation.StatusCode);
        Assert.Contains(title, await invitation.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Public_pages_read_over_plain_http_in_production()
    {
        using var http = From(app, "127.0.0.1");
        var ct = TestContext.Current.CancellationToken;
        foreach (var url in new[] { "/", "/states/KZ", "/commitments?culture=ru", "/documents?culture=zh" })
        {
            using var response = await http.SendAsync(Request(HttpMethod.Get, url, forwardedHttps: false), ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("127.0.0.2")] // a configured proxy address
    [InlineData("127.0.0.5")] // an address in a configured network
    public async Task Behind_a_known_proxy_that_terminates_tls_sign_in_works_and_hsts_is_sent(string proxy)
    {
        var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        using var http = From(app, proxy);
        var ct = TestContext.Current.CancellationToken;
        var cookies = new Dictionary<string, string>();
        void Keep(HttpResponseMessage r) { foreach (var c in Cookies(r)) cookies[c.Split('=')[0]] = c; }

        using var form = await http.SendAsync(Request(HttpMethod.Get, "/account/sign-in", forwardedHttps: true), ct);
        var html = await form.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("<form method=\"post\"", html);
        Assert.StartsWith("max-age=31536000", Assert.Single(form.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("caravan.antiforgery=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Keep(form);

        var token = WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);
        using var password = await http.SendAsync(Request(HttpMethod.Post, "/account/sign-in", forwardedHttps: true, cookies.Values,
            new FormUrlEncodedContent([new("email", person.Email), new("password", person.Password), new("__RequestVerificationToken", token)])), ct);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/sign-in/code", password.Headers.Location!.OriginalString);
        Keep(password);

        using var codeForm = await http.SendAsync(Request(HttpMethod.Get, password.Headers.Location!.OriginalString, forwardedHttps: true, cookies.Values), ct);
        var codeHtml = await codeForm.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, codeForm.StatusCode);
        Keep(codeForm);
        using var code = await http.SendAsync(Request(HttpMethod.Post, "/account/sign-in/code", forwardedHttps: true, cookies.Values,
            new FormUrlEncodedContent([new("code", person.TotpNow()), new("__RequestVerificationToken", WebUtility.HtmlDecode(TokenField().Match(codeHtml).Groups[1].Value))])), ct);
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Contains(code.Headers.GetValues("Set-Cookie"), c => c.StartsWith("caravan.session=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Keep(code);

        using var account = await http.SendAsync(Request(HttpMethod.Get, "/account", forwardedHttps: true, cookies.Values), ct);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Contains(person.Email, await account.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_address_are_ignored()
    {
        using var http = From(app, "127.0.0.1");
        var ct = TestContext.Current.CancellationToken;
        using var page = await http.SendAsync(Request(HttpMethod.Get, "/account/sign-in", forwardedHttps: true), ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Caravan:Proxy:KnownProxies", html);
        Assert.DoesNotContain("<form method=\"post\"", html);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_form_page_over_plain_http_is_logged_as_a_warning_that_says_what_to_set()
    {
        using var http = From(app, "127.0.0.1");
        using var page = await http.SendAsync(Request(HttpMethod.Get, "/account/sign-in", forwardedHttps: false), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var log = ((IProductionApp)app).Log;
        Assert.Contains(log, l => l.Contains("plain HTTP", StringComparison.Ordinal) && l.Contains("Caravan:Proxy:KnownProxies", StringComparison.Ordinal)
            && l.Contains("X-Forwarded-Proto", StringComparison.Ordinal));
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>What a Production app needs in these tests: Kestrel, the proxy settings, and a log to read.</summary>
public interface IProductionApp
{
    IReadOnlyCollection<string> Log { get; }
}

internal static class ProductionSetup
{
    public static IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Caravan:Proxy:KnownProxies:0", "127.0.0.2"),
        new("Caravan:Proxy:KnownNetworks:0", "127.0.0.4/30"),
    ];

    public static void KeepLog(IWebHostBuilder builder, ConcurrentQueue<string> log) =>
        builder.ConfigureServices(s => s.AddLogging(l => l.AddProvider(new QueueLogger(log))));

    private sealed class QueueLogger(ConcurrentQueue<string> log) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }
}

public sealed class ProductionSqliteApp : SqliteApp, IProductionApp
{
    private readonly ConcurrentQueue<string> _log = new();
    public IReadOnlyCollection<string> Log => _log;
    protected override string EnvironmentName => "Production";
    protected override bool OnKestrel => true;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => ProductionSetup.Settings;
    protected override void Configure(IWebHostBuilder builder) => ProductionSetup.KeepLog(builder, _log);
}

public sealed class ProductionPostgresApp : PostgresApp, IProductionApp
{
    private readonly ConcurrentQueue<string> _log = new();
    public IReadOnlyCollection<string> Log => _log;
    protected override string EnvironmentName => "Production";
    protected override bool OnKestrel => true;
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => ProductionSetup.Settings;
    protected override void Configure(IWebHostBuilder builder) => ProductionSetup.KeepLog(builder, _log);
}

public sealed class ProductionTestsOnSqlite(ProductionSqliteApp app) : ProductionTests(app), IClassFixture<ProductionSqliteApp>;

public sealed class ProductionTestsOnPostgres(ProductionPostgresApp app) : ProductionTests(app), IClassFixture<ProductionPostgresApp>;
