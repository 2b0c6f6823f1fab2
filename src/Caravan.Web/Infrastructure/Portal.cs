using Microsoft.AspNetCore.OutputCaching;

namespace Caravan.Web.Infrastructure;

public static class Portal
{
    /// <summary>
    /// The query keys that change what a portal page shows: the documents, commitments and projects filters, and
    /// `culture`, whose
    /// unsupported values give an English page with a notice that must not be served to other readers.
    /// </summary>
    private static readonly string[] CachedQueryKeys = ["meeting", "kind", "scope", "party", "culture", "state",
        "direction", "body", "document", "status", "freshness", "period", "from", "to",
        // (The partnerships page filters by kind, state and status, listed above.)
        // The projects' list, map and page: their filters, money, sort and paging.
        "q", "stage", "year", "currency", "type", "sort", "page", "pageSize",
        // A chart's table opened by link (partial _Chart: ?table={chart id}), on the dashboards and indicator pages.
        "table"];

    /// <summary>
    /// wwwroot files. URLs written with asp-append-version carry ?v=hash, so they can be kept by browsers
    /// for a year: on slow links ECharts is fetched once.
    /// </summary>
    public static void UseCaravanStaticFiles(this WebApplication app) => app.UseStaticFiles(new StaticFileOptions
    {
        OnPrepareResponse = context =>
        {
            if (context.Context.Request.Query.ContainsKey("v"))
                context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        },
    });

    /// <summary>
    /// Server-rendered Razor Pages, kept with their feature under Features/ (each page names its route).
    /// Public pages are cached per language, tagged by the data they show (<see cref="DependsOnAttribute"/>) and
    /// evicted when it changes.
    /// </summary>
    public static void AddCaravanPortal(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                // Public pages are cached; pages with forms or a person's own data never are (an antiforgery
                // token or a coordinator's draft must not be served to anyone else).
                o.Conventions.AddFolderApplicationModelConvention("/", page =>
                    page.EndpointMetadata.Add(IsPersonal(page.ViewEnginePath)
                    ? new OutputCacheAttribute { NoStore = true }
                    : new OutputCacheAttribute { PolicyName = "portal" }));
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization();
        services.AddOutputCache(o =>
        {
            o.AddPolicy("portal", p => p
                .Expire(Caching.Expiry)
                // Only the query keys pages read: an unrelated key (?utm_source=…) must not bypass the cache.
                .SetVaryByQuery(CachedQueryKeys)
                .SetVaryByHeader("Accept-Encoding")
                .VaryByValue(context => new KeyValuePair<string, string>("lang", CaravanLocalization.Language))
                .AddPolicy<Caching.DependsOnPolicy>());
        });
        // Chinese and Cyrillic are written as characters, not &#x...; entities: pages stay small on slow links.
        services.AddWebEncoders(o =>
            o.TextEncoderSettings =
            new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        // Slow links: ECharts alone is 1 MB uncompressed, about 330 kB with gzip.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes =
                Microsoft.AspNetCore.ResponseCompression.ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml",
                "application/problem+json", "text/csv"]);
        });
        // The output cache keeps the compressed form of pages and API answers: compressed once, so compressed well.
        services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(
            o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(
            o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        services.AddCaravanCaching();
        services.AddScoped<Caravan.Web.Features.Shared.Display>();
    }

    public static bool IsPersonal(string viewEnginePath) =>
        viewEnginePath.StartsWith("/Accounts/", StringComparison.Ordinal) || viewEnginePath.StartsWith("/Submissions/",
            StringComparison.Ordinal)
        || viewEnginePath == "/Audit/Log" || viewEnginePath == "/Projects/Bulk" ||
            viewEnginePath == "/Programmes/Record"
        // A call's forms: the secretariat's new call, and the page a refused form shows (with a juror's own scores).
        || viewEnginePath == "/Selections/New" || viewEnginePath == "/Selections/Act"
        || viewEnginePath == "/Partnerships/Propose";
}
