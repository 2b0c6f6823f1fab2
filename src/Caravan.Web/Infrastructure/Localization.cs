using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// The reader's language: <c>?culture=zh|ru|en</c> in the URL (remembered in a cookie), else the cookie,
/// else the browser's Accept-Language, else English. An unsupported <c>?culture=</c> falls back to English
/// and the page says so.
/// </summary>
public static class CaravanLocalization
{
    public static readonly string[] Cultures = ["en", "zh", "ru"];
    public const string NoticeKey = "Caravan.UnsupportedCulture";

    public static void AddCaravanLocalization(this IServiceCollection services) =>
        services.AddLocalization(o => o.ResourcesPath = "Resources");

    public static void UseCaravanLocalization(this WebApplication app)
    {
        var supported = Cultures.Select(c => new CultureInfo(c)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en"),
            SupportedCultures = supported,
            SupportedUICultures = supported,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
            RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(FromQuery(context))),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 },
            ],
        };
        app.UseRequestLocalization(options);
        app.Use(async (context, next) =>
        {
            // Remember a language chosen in the URL for the next pages.
            if (context.Request.Query.ContainsKey("culture") && context.Items[NoticeKey] is null)
            {
                var culture = CultureInfo.CurrentUICulture.Name;
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax,
                        Secure = context.Request.IsHttps, IsEssential = true, HttpOnly = true });
            }
            await next();
        });
    }

    /// <summary>The supported culture a <c>?culture=</c> value names (zh-CN → zh), or null.</summary>
    public static string? Supported(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return null;
        var language = requested.Trim().Split('-', '_')[0].ToLowerInvariant();
        return Cultures.Contains(language) ? language : null;
    }

    private static ProviderCultureResult? FromQuery(HttpContext context)
    {
        if (!context.Request.Query.TryGetValue("culture", out var values)) return null;
        var requested = values.ToString();
        var culture = Supported(requested);
        if (culture is null)
        {
            context.Items[NoticeKey] = requested.Length > 20 ? requested[..20] : requested;
            culture = "en";
        }
        return new ProviderCultureResult(culture);
    }

    /// <summary>The reader's language code: en, zh or ru.</summary>
    public static string Language => Caravan.Shared.LocalizedText.LanguageOf(CultureInfo.CurrentUICulture);
}
