using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Caravan.Web.Infrastructure;

public static class Api
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Chinese and Cyrillic as they are, not \u escapes: smaller on slow links, legible to people.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }

    public static void AddCaravanApi(this IServiceCollection services)
    {
        services.AddCaravanErrors();
        services.Configure<OutputCacheOptions>(CachedAnswers.Add);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = Json.Encoder;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Caravan API";
            document.Info.Version = "v1";
            document.Info.Description =
                "Open data on the China–Central Asia mechanism: member states, bodies, meetings, outcome documents, " +
                "priority directions, pledged measures and indicators, each fact with its sources. Reads are public. " +
                "Writes (/api/v1/records, /api/v1/submissions, /api/v1/audit) need a personal access token created " +
                "at /account: send `Authorization: Bearer cvn_…`; the secretariat's changes are published at once " +
                "(200), a coordinator's or officer's become submissions for validation (202), anything outside the " +
                "caller's state or bodies is 403, and other states' submissions are 404. Send the record's `version` " +
                "to be told of a conflicting change (409, with the other change). Lists take `page` (from 1), " +
                "`pageSize` (1–100, default 20) and `sort` (a field, `-field` for descending); unknown or invalid " +
                "parameters are a 400 problem naming the parameter. Every 200 carries an ETag; send it back in " +
                "If-None-Match to get 304.";
            return Task.CompletedTask;
        }));
    }

    /// <summary>
    /// Answers with JSON, kept by the output cache (<see cref="CachedAnswers"/>) until the data it depends on changes,
    /// with a strong ETag and 304 for a matching If-None-Match: the work of a read is done once, not per request.
    /// </summary>
    public static Task<IResult> CachedJson<TQueries>(HttpContext http,
        Func<TQueries, Caravan.Features.Sources.CitationQueries, Task<object?>> build) where TQueries : notnull =>
        // The query services (and so a DbContext) are only created on a cache miss.
        CachedJson(http, () => build(http.RequestServices.GetRequiredService<TQueries>(),
            http.RequestServices.GetRequiredService<Caravan.Features.Sources.CitationQueries>()));

    /// <summary>
    /// As <see cref="CachedJson{TQueries}"/> for a read by id, whose answer does not depend on the query
    /// string: an unrelated <c>?x=…</c> gets the same answer and cannot fill the cache.
    /// </summary>
    public static Task<IResult> CachedJsonById<TQueries>(HttpContext http,
        Func<TQueries, Caravan.Features.Sources.CitationQueries, Task<object?>> build) where TQueries : notnull =>
        CachedJson(http, () => build(http.RequestServices.GetRequiredService<TQueries>(),
            http.RequestServices.GetRequiredService<Caravan.Features.Sources.CitationQueries>()), varyByQuery: false);

    /// <param name="varyByQuery">False where the query string changes nothing: then a request with one is answered, not
    /// stored.</param>
    public static async Task<IResult> CachedJson(HttpContext http, Func<Task<object?>> build, bool varyByQuery = true)
    {
        // The cache keeps an answer per query string; one that cannot change the answer must not add entries.
        if (varyByQuery || !http.Request.QueryString.HasValue) http.Items[CachedAnswers.Marker] = true;
        var value = await build();
        if (value is null) return NotFound(http);
        return new JsonWithETag(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json));
    }

    public static IResult NotFound(HttpContext http) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: $"Nothing is registered at {http.Request.Path}. Ids are the slugs listed by the collection (e.g. /api/v1/documents).");

    public static IResult BadRequest(IReadOnlyDictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors, title: "Invalid query parameters",
        detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));

    /// <summary>
    /// The API's answers built by <see cref="CachedJson(HttpContext, Func{Task{object?}}, bool)"/> are kept by the
    /// output cache, as pages are: per query string, content coding and day (some answers run to today), tagged by the
    /// endpoint's <see cref="DependsOnAttribute"/>. Others (records, exports, anything with a token) are not stored.
    /// </summary>
    public sealed class CachedAnswers : IOutputCachePolicy
    {
        public const string Marker = "caravan.cached-answer";

        public static void Add(OutputCacheOptions options) => options.AddBasePolicy(p => p
            .With(c => c.HttpContext.Request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal))
            .Expire(Caching.Expiry)
            .SetVaryByQuery("*")
            .SetVaryByHeader("Accept-Encoding")
            .VaryByValue(c => new KeyValuePair<string, string>("day", Caravan.Web.Features.Treaties.TreatiesApi
                .Today(c.RequestServices.GetRequiredService<TimeProvider>())
                    .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .AddPolicy<Caching.DependsOnPolicy>()
            .AddPolicy<CachedAnswers>());

        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation) =>
            ValueTask.CompletedTask;
        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) =>
            ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            if (!context.HttpContext.Items.ContainsKey(Marker)) context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// JSON with a strong ETag per representation: the body's hash, and the content coding that response compression
    /// will apply (asked of it, so that q-values are read as it reads them).
    /// </summary>
    private sealed class JsonWithETag(byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var compression = http.RequestServices.GetRequiredService<IResponseCompressionProvider>();
            var encoding = compression.CheckRequestAcceptsCompression(http)
                ? compression.GetCompressionProvider(http)?.EncodingName
                : null;
            var hash = Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12));
            var etag = encoding is null ? $"\"{hash}\"" : $"\"{hash}-{encoding}\"";
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "public, no-cache";
            // Response compression names Accept-Encoding itself when the request sent one.
            if (!http.Request.Headers.ContainsKey(HeaderNames.AcceptEncoding))
                http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (http.Request.Headers.IfNoneMatch is { Count: > 0 } inm && Matches(inm, etag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = body.Length; // compression drops it when it applies
            await http.Response.Body.WriteAsync(body);
        }

        private static bool Matches(StringValues header, string etag) =>
            header.SelectMany(h => (h ?? "").Split(',')).Select(t => t.Trim())
                .Any(t => t == "*" || t == etag || t == "W/" + etag);
    }
}

/// <summary>A page of a list, as every collection answers.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total)
{
    /// <summary>Serialised as "page" (the record member cannot share the type's name).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("page")] public int PageNumber { get; init; } = PageNumber;
}

/// <summary>
/// The query string of a list endpoint, checked whole: every unknown parameter and invalid value is named
/// in one 400 answer, rather than ignored.
/// </summary>
public sealed class ListQuery
{
    public const int MaxPageSize = 100;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly IQueryCollection _query;

    public int Page { get; }
    public int PageSize { get; }
    public string SortField { get; }
    public bool Descending { get; }

    /// <param name="ignoreUnknown">For portal pages: a link's tracking parameters (?utm_source=…) must not turn a page
    /// into an error.</param>
    public ListQuery(HttpRequest request, IReadOnlyCollection<string> filters, IReadOnlyCollection<string> sorts,
        string defaultSort, int maxPageSize = MaxPageSize, bool ignoreUnknown = false)
    {
        _query = request.Query;
        foreach (var name in _query.Keys)
            if (!ignoreUnknown && name is not ("page" or "pageSize" or "sort" or "culture") && !filters.Contains(name))
                Fail(name,
                    $"Unknown parameter. Allowed: page, pageSize, sort{string.Concat(filters.Select(f => ", " + f))}.");
        Page = Integer("page", 1, 1, int.MaxValue);
        PageSize = Integer("pageSize", 20, 1, maxPageSize);
        var sort = Text("sort") ?? defaultSort;
        Descending = sort.StartsWith('-');
        SortField = sort.TrimStart('-');
        if (!sorts.Contains(SortField)) Fail("sort",
            $"'{sort}' is not a sort field. Allowed: {string.Join(", ", sorts)} (prefix '-' for descending).");
    }

    public bool IsValid => _errors.Count == 0;

    /// <summary>The parameters that failed, for a page to name them in the reader's language.</summary>
    public IReadOnlyCollection<string> Invalid => _errors.Keys;

    public IResult Problem() => Api.BadRequest(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public string? Text(string name) => _query.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v)
        ? v.ToString().Trim()
        : null;

    public int? OptionalInteger(string name, int min, int max)
    {
        var text = Text(name);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min &&
            value <= max) return value;
        Fail(name, $"'{text}' is not a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>A filter value that must be one of a known set (an enum in kebab case, or a list of ids).</summary>
    public string? OneOf(string name, IReadOnlyCollection<string> allowed)
    {
        var text = Text(name);
        if (text is null) return null;
        if (allowed.Contains(text)) return text;
        Fail(name, $"'{text}' is not one of: {string.Join(", ", allowed)}.");
        return null;
    }

    public T? Enum<T>(string name) where T : struct, Enum
    {
        var allowed = System.Enum.GetValues<T>().Select(Caravan.Features.Seed.SeedEnums.ToKebab).ToList();
        var text = OneOf(name, allowed);
        return text is null ? null : Caravan.Features.Seed.SeedEnums.Parse<T>(text);
    }

    public void Fail(string name, string message)
    {
        if (!_errors.TryGetValue(name, out var list)) _errors[name] = list = [];
        list.Add(message);
    }

    private int Integer(string name, int fallback, int min, int max) => OptionalInteger(name, min, max) ?? fallback;

    public Page<T> Paginate<T>(IReadOnlyList<T> sorted) =>
        new(sorted.Skip((Page - 1) * PageSize).Take(PageSize).ToList(), Page, PageSize, sorted.Count);
}
