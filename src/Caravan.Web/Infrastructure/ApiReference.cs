using System.Net;
using Microsoft.Extensions.Localization;
using Scalar.AspNetCore;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// The browsable API reference (Scalar, served from this site): in the reader's language (Scalar ships Chinese and
/// Russian), without the vendor's promotion — no developer toolbar ("Deploy"), no AI agent ("Ask AI"), no MCP or SDK
/// generation, no telemetry, no fonts from the vendor's CDN — and with a header back to the portal.
/// </summary>
public static class ApiReference
{
    public static void MapCaravanApiReference(this WebApplication app) =>
        app.MapScalarApiReference("/api/reference", (o, context) =>
        {
            var language = CaravanLocalization.Language;
            var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            o.WithTitle($"{l["footer.api"]} · {l["site.name"]}")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .WithLocalization(new ScalarLocalizationOptions { Locale = language == "zh" ? "zh-CN" : language })
                .HideDeveloperTools()
                .DisableAgent()
                .DisableMcp()
                .DisableTelemetry()
                .DisableDefaultFonts()
                .WithDotNetFlag(false)
                .WithFavicon("/favicon.svg");
            o.HeaderContent = Header(language, l);
        });

    // A plain line in the portal's colours: the way back, and the language switch (the page keeps ?culture=).
    private static string Header(string language, IStringLocalizer l)
    {
        string Link(string culture, string name) => culture == language
            ? $"<strong lang=\"{culture}\">{name}</strong>"
            : $"<a lang=\"{culture}\" hreflang=\"{culture}\" href=\"/api/reference/?culture={culture}\" style=\"color:#a4243b\">{name}</a>";
        return $"""
            <header style="display:flex;flex-wrap:wrap;gap:.3rem 1rem;justify-content:space-between;align-items:center;padding:.5rem 1rem;border-bottom:3px solid #a4243b;background:#fff;font:15px/1.4 system-ui,sans-serif">
              <span><a href="/" style="color:#1d1d1f;font-weight:700;text-decoration:none">{WebUtility.HtmlEncode(l["site.name"])}</a> · {WebUtility.HtmlEncode(l["footer.api"])} · <a href="/openapi/v1.json" style="color:#a4243b">OpenAPI</a></span>
              <span style="display:flex;gap:.8rem">{Link("zh", "中文")} {Link("ru", "Русский")} {Link("en", "English")}</span>
              {EnglishOnly(language, l)}
            </header>
            """;
    }

    // The tool's own interface follows the reader's language; the document's descriptions are written in English:
    // the reader is told so, as the portal says "only in English" beside untranslated data.
    private static string EnglishOnly(string language, IStringLocalizer l) => language == "en" ? ""
        : $"<p id=\"api-descriptions-english\" style=\"flex-basis:100%;margin:0;color:#555;font-size:13px\">{WebUtility.HtmlEncode(l["api.descriptions-english"])}</p>";
}
