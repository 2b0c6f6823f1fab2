using System.Net;
using System.Text.RegularExpressions;

namespace Caravan.Tests.Support;

/// <summary>
/// A browser-like session over HTTP: keeps cookies, reads the antiforgery token from each form it
/// loads and sends it back, follows no redirects (tests assert them).
/// </summary>
public sealed partial class PortalSession
{
    public PortalSession(CaravanApp app) => Http = app.Client();

    /// <summary>A session over a client of the test's own (e.g. one that keeps cookies for several nodes).</summary>
    public PortalSession(HttpClient http) => Http = http;

    public HttpClient Http { get; }
    private string? _token;

    public async Task<(HttpStatusCode Status, string Html, string? Location)> GetAsync(string url)
    {
        var response = await Http.GetAsync(url, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (TokenField().Match(html) is { Success: true } m) _token = WebUtility.HtmlDecode(m.Groups[1].Value);
        return (response.StatusCode, html, response.Headers.Location?.OriginalString);
    }

    /// <summary>Posts a form with the token of the last page loaded (or the one given, to forge it).</summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string? token = null)
    {
        var form = fields.ToList();
        if ((token ?? _token) is { } t) form.Add(new("__RequestVerificationToken", t));
        var response = await Http.PostAsync(url, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (TokenField().Match(html) is { Success: true } m) _token = WebUtility.HtmlDecode(m.Groups[1].Value);
        return (response.StatusCode, html, response.Headers.Location?.OriginalString);
    }

    /// <summary>Posts a multipart form with a file, as a browser's upload form does.</summary>
    public async Task<(HttpStatusCode Status, string Html, string? Location)> PostFileAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string fileName, byte[] content, string fieldName = "file")
    {
        using var form = new MultipartFormDataContent();
        foreach (var (key, value) in fields) form.Add(new StringContent(value), key);
        if (_token is { } t) form.Add(new StringContent(t), "__RequestVerificationToken");
        form.Add(new ByteArrayContent(content), fieldName, fileName);
        var response = await Http.PostAsync(url, form, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (TokenField().Match(html) is { Success: true } m) _token = WebUtility.HtmlDecode(m.Groups[1].Value);
        return (response.StatusCode, html, response.Headers.Location?.OriginalString);
    }

    /// <summary>Signs in with password and TOTP code, as a person would.</summary>
    public async Task SignInAsync(Person person)
    {
        await GetAsync("/account/sign-in");
        var first = await PostAsync("/account/sign-in", [new("email", person.Email), new("password", person.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.StartsWith("/account/sign-in/code", first.Location);
        await GetAsync(first.Location!);
        var second = await PostAsync("/account/sign-in/code", [new("code", person.TotpNow())]);
        Assert.True(second.Status == HttpStatusCode.Redirect, second.Html);
    }

    private static Regex TokenField() => AnyOrder();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AnyOrder();
}
