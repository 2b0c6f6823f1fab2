using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>The JSON API as a program uses it, on each provider.</summary>
public abstract class ApiTests(CaravanApp app)
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Lists_the_six_member_states_in_protocol_order_with_sources()
    {
        var json = await Json(await app.Client().GetAsync("/api/v1/member-states", TestContext.Current.CancellationToken));
        Assert.Equal(6, json.GetProperty("total").GetInt32());
        var ids = json.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(["CN", "KZ", "KG", "TJ", "TM", "UZ"], ids);
        Assert.All(json.GetProperty("items").EnumerateArray(), s => Assert.NotEmpty(s.GetProperty("sources").EnumerateArray()));
    }

    [Fact]
    public async Task A_document_is_read_by_its_slug_with_titles_in_three_languages_and_sources()
    {
        var response = await app.Client().GetAsync("/api/v1/documents/astana-declaration-2025", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = await Json(response);
        Assert.Equal("declaration", d.GetProperty("kind").GetString());
        Assert.Equal("multilateral", d.GetProperty("scope").GetString());
        Assert.Equal("2025-06-17", d.GetProperty("signedOn").GetString());
        Assert.Equal("summit-2025-astana", d.GetProperty("meeting").GetString());
        Assert.Equal(6, d.GetProperty("parties").GetArrayLength());
        var title = d.GetProperty("title");
        Assert.Contains("阿斯塔纳宣言", title.GetProperty("zh").GetString());
        Assert.Contains("Астанинская декларация", title.GetProperty("ru").GetString());
        Assert.Contains("Astana Declaration", title.GetProperty("en").GetString());
        var source = d.GetProperty("sources").EnumerateArray().First();
        Assert.StartsWith("http", source.GetProperty("url").GetString());
        Assert.Contains(source.GetProperty("confidence").GetString(), new[] { "high", "medium", "low" });
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_problem()
    {
        var response = await app.Client().GetAsync("/api/v1/documents/no-such-document", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("/api/v1/documents/no-such-document", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_api_route_is_a_problem_not_a_page()
    {
        var response = await app.Client().GetAsync("/api/v1/no-such-collection", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/documents?page=0", "page")]
    [InlineData("/api/v1/documents?pageSize=1000", "pageSize")]
    [InlineData("/api/v1/documents?kind=novel", "kind")]
    [InlineData("/api/v1/documents?party=RU", "party")]
    [InlineData("/api/v1/documents?sort=colour", "sort")]
    [InlineData("/api/v1/documents?year=twenty", "year")]
    [InlineData("/api/v1/documents?colour=red", "colour")]
    [InlineData("/api/v1/bodies?status=dormant", "status")]
    [InlineData("/api/v1/meetings?host=XX", "host")]
    public async Task An_invalid_parameter_is_a_400_naming_it(string url, string parameter)
    {
        var response = await app.Client().GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"the problem names '{parameter}': {problem}");
    }

    [Fact]
    public async Task Documents_filter_by_kind_scope_party_and_meeting()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var treaties = await Json(await client.GetAsync("/api/v1/documents?kind=treaty", ct));
        Assert.Equal(["good-neighbourliness-treaty-2025"], treaties.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));

        var uz = await Json(await client.GetAsync("/api/v1/documents?party=UZ&scope=bilateral", ct));
        Assert.All(uz.GetProperty("items").EnumerateArray(), d =>
        {
            Assert.Equal("bilateral", d.GetProperty("scope").GetString());
            Assert.Contains("UZ", d.GetProperty("parties").EnumerateArray().Select(p => p.GetString()));
        });
        Assert.True(uz.GetProperty("total").GetInt32() >= 1);

        var xian = await Json(await client.GetAsync("/api/v1/documents?meeting=summit-2023-xian", ct));
        Assert.All(xian.GetProperty("items").EnumerateArray(), d => Assert.Equal("summit-2023-xian", d.GetProperty("meeting").GetString()));
        Assert.True(xian.GetProperty("total").GetInt32() >= 9);
    }

    [Fact]
    public async Task Lists_page_and_sort()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var all = await Json(await client.GetAsync("/api/v1/documents?pageSize=100&sort=id", ct));
        var ids = all.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        var second = await Json(await client.GetAsync("/api/v1/documents?pageSize=5&page=2&sort=id", ct));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(5, second.GetProperty("pageSize").GetInt32());
        Assert.Equal(all.GetProperty("total").GetInt32(), second.GetProperty("total").GetInt32());
        Assert.Equal(ids.Skip(5).Take(5), second.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        var descending = await Json(await client.GetAsync("/api/v1/documents?pageSize=100&sort=-id", ct));
        Assert.Equal(ids.AsEnumerable().Reverse(), descending.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_repeated_read_with_the_etag_is_a_304()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var first = await client.GetAsync("/api/v1/documents/astana-declaration-2025", ct);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents/astana-declaration-2025");
        again.Headers.IfNoneMatch.Add(etag);
        var second = await client.SendAsync(again, ct);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents/xian-declaration-2023");
        other.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(other, ct)).StatusCode);
    }

    [Fact]
    public async Task A_read_by_id_ignores_an_unrelated_query_string()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var plain = await client.GetAsync("/api/v1/documents/astana-declaration-2025", ct);
        var tagged = await client.GetAsync("/api/v1/documents/astana-declaration-2025?utm_source=newsletter", ct);
        Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        Assert.Equal(plain.Headers.ETag, tagged.Headers.ETag);
    }

    [Fact]
    public async Task A_compressed_answer_is_the_same_json_with_its_own_etag()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var plain = await client.GetAsync("/api/v1/documents", ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var gzipped = await client.SendAsync(request, ct);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.NotEqual(plain.Headers.ETag, gzipped.Headers.ETag);
        await using var unzip = new System.IO.Compression.GZipStream(await gzipped.Content.ReadAsStreamAsync(ct), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(unzip);
        Assert.Equal(await plain.Content.ReadAsStringAsync(ct), await reader.ReadToEndAsync(ct));
        Assert.True(gzipped.Content.Headers.ContentLength < plain.Content.Headers.ContentLength / 3);
    }

    [Fact]
    public async Task Reported_totals_come_with_the_registered_count()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var figures = await Json(await client.GetAsync("/api/v1/reported-figures?pageSize=100", ct));
        var multilateral = figures.GetProperty("items").EnumerateArray()
            .First(f => f.GetProperty("registryCount").GetString() == "documents:summit-2025-astana:multilateral" && f.GetProperty("value").GetDecimal() == 10);
        var registered = await Json(await client.GetAsync("/api/v1/documents?meeting=summit-2025-astana&scope=multilateral", ct));
        Assert.Equal(registered.GetProperty("total").GetInt32(), multilateral.GetProperty("registered").GetInt32());
    }

    [Fact]
    public async Task Every_collection_answers_and_every_item_has_a_stable_id_and_sources()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        foreach (var collection in new[] { "bodies", "meetings", "documents", "directions", "measures" })
        {
            var list = await Json(await client.GetAsync($"/api/v1/{collection}?pageSize=100", ct));
            Assert.True(list.GetProperty("total").GetInt32() > 0, collection);
            foreach (var item in list.GetProperty("items").EnumerateArray())
            {
                var id = item.GetProperty("id").GetString();
                Assert.NotEmpty(item.GetProperty("sources").EnumerateArray());
                var one = await client.GetAsync($"/api/v1/{collection}/{id}", ct);
                Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            }
        }
        var indicators = await Json(await client.GetAsync("/api/v1/indicators?pageSize=100", ct));
        Assert.All(indicators.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("values").EnumerateArray()),
            v => Assert.NotEmpty(v.GetProperty("sources").EnumerateArray()));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_collection()
    {
        var doc = await Json(await app.Client().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/v1/member-states", "/api/v1/member-states/{id}", "/api/v1/bodies", "/api/v1/meetings", "/api/v1/documents", "/api/v1/documents/{id}", "/api/v1/directions", "/api/v1/measures", "/api/v1/indicators" })
            Assert.Contains(path, paths);
    }

    [Fact]
    public async Task Health_answers_with_the_database_state()
    {
        var response = await app.Client().GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await Json(response);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var database = health.GetProperty("database");
        Assert.Equal(app.Provider.ToString().ToLowerInvariant(), database.GetProperty("provider").GetString());
        Assert.Equal(0, database.GetProperty("pendingMigrations").GetInt32());
    }
}

public sealed class ApiTestsOnSqlite(SqliteApp app) : ApiTests(app), IClassFixture<SqliteApp>;

public sealed class ApiTestsOnPostgres(PostgresApp app) : ApiTests(app), IClassFixture<PostgresApp>;
