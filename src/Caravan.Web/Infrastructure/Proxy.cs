using System.Net;
using Caravan.Web.Features.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// <c>Caravan:Proxy</c>: the reverse proxies (usually the one that terminates TLS) whose X-Forwarded-For and
/// X-Forwarded-Proto are believed. None set: only a proxy on this machine (loopback), ASP.NET Core's default.
/// </summary>
public sealed class ProxySettings
{
    public const string Section = "Caravan:Proxy";
    /// <summary>Addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>Networks in CIDR, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// Production as deployed: behind a proxy that terminates TLS (forwarded headers from the configured proxies
/// only, HSTS over HTTPS), or, misconfigured, on plain HTTP. Production cookies are Secure, so on plain HTTP
/// the pages with forms cannot work: they say what to set instead of failing, and the start says it too.
/// </summary>
public static class Proxy
{
    public static void AddCaravanProxy(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ProxySettings.Section)
            .Get<ProxySettings>() ?? new ProxySettings();
        builder.Services.AddSingleton(settings);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The client's address (sign-in rate limit, audit) and the scheme (Secure cookies, HSTS). Not the host:
            // links that leave the site are built from Caravan:Accounts:PublicUrl.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (settings.KnownProxies.Length > 0 || settings.KnownNetworks.Length > 0)
            {
                // What is configured replaces the loopback default: only those proxies are believed.
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var p in settings.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(p.Trim()));
                foreach (var n in settings.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n.Trim()));
            }
        });
        builder.Services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); });
        if (builder.Environment.IsProduction())
            builder.Services.Configure<MvcOptions>(o => o.Filters.Add(new HttpsRequiredFilter()));
    }

    /// <summary>First in the pipeline, so that everything after sees the client's address and scheme.</summary>
    public static void UseCaravanProxy(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // HSTS is written only on HTTPS responses (and not for localhost); a browser then never tries plain HTTP again.
        if (app.Environment.IsProduction()) app.UseHsts();
        if (app.Environment.IsProduction())
            app.Lifetime.ApplicationStarted.Register(() => WarnIfPlainHttp(app));
    }

    private static void WarnIfPlainHttp(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (addresses.Count == 0 ||
            addresses.Any(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))) return;
        var settings = app.Services.GetRequiredService<ProxySettings>();
        var trusted = settings.KnownProxies.Concat(settings.KnownNetworks).ToList();
        // Behind configured proxies plain HTTP is the deployment itself; the pages log it if the proxy does not say
        // https.
        if (trusted.Count > 0)
            app.Logger.LogInformation(
                "Caravan listens on plain HTTP ({Addresses}) behind the proxies {Trusted}, which must send X-Forwarded-Proto: https.",
                string.Join(", ", addresses), string.Join(", ", trusted));
        else
            app.Logger.LogWarning("{Message} ({Addresses})", PlainHttpMessage, string.Join(", ", addresses));
    }

    /// <summary>What the operator reads in the log: why signing in fails and what to set.</summary>
    public const string PlainHttpMessage =
        "Caravan is served over plain HTTP in Production. Signing in needs HTTPS (its cookies are Secure), so the sign-in page says so instead of its form. "
        + "Put Caravan behind a reverse proxy that terminates TLS and sends X-Forwarded-Proto: https, and set Caravan:Proxy:KnownProxies "
        + "(or Caravan:Proxy:KnownNetworks) to the proxy's address unless it runs on this machine; or listen on an https:// address (Urls) with a certificate";

    /// <summary>
    /// In Production, a page with a form (sign-in, invitation, the signed-in pages) reached over plain HTTP shows
    /// what to set, in the reader's language, instead of a form whose Secure cookies the browser would drop (and
    /// before the antiforgery check, which would throw). Runs before every other filter.
    /// </summary>
    private sealed class HttpsRequiredFilter : IAsyncAuthorizationFilter, IOrderedFilter
    {
        private int _logged;
        public int Order => int.MinValue;

        public Task OnAuthorizationAsync(AuthorizationFilterContext context)
        {
            if (context.HttpContext.Request.IsHttps) return Task.CompletedTask;
            if (context.ActionDescriptor is not CompiledPageActionDescriptor page ||
                !Portal.IsPersonal(page.ViewEnginePath)) return Task.CompletedTask;
            var get = HttpMethods.IsGet(context.HttpContext.Request.Method) ||
                HttpMethods.IsHead(context.HttpContext.Request.Method);
            // Once per process: the evidence the start could not have (a proxy that does not send X-Forwarded-Proto, or
            // an unknown one).
            if (Interlocked.Exchange(ref _logged, 1) == 0)
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                    .CreateLogger("Caravan.Web.Proxy")
                    .LogWarning("{Message}. First seen: {Method} {Path} from {Address}, not HTTPS.", PlainHttpMessage,
                        context.HttpContext.Request.Method, context.HttpContext.Request.Path,
                        context.HttpContext.Connection.RemoteIpAddress);
            context.Result = new PartialViewResult
            {
                ViewName = "/Features/Shared/_HttpsRequired.cshtml",
                // The page is served (it explains); an attempt to post over plain HTTP is refused, nothing done.
                StatusCode = get ? StatusCodes.Status200OK : StatusCodes.Status403Forbidden,
                ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(
                    new Microsoft.AspNetCore.Mvc.ModelBinding.EmptyModelMetadataProvider(), context.ModelState),
            };
            return Task.CompletedTask;
        }
    }
}
