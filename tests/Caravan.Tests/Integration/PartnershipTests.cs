using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Partnerships over HTTP: the seeded workshops and visa regimes with their sources in the API and the portal, the
/// reported totals of pairs against the target, a pair proposed by one state and confirmed by the other through the
/// workflow, bad input refused with its reason and nothing stored, and the API's filters.
/// </summary>
public abstract partial class PartnershipTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Seeded = ["cn-kz-visa-exemption", "cn-uz-visa-exemption", "kg-cn-luban-workshop-bishkek", "kz-cn-luban-workshop-oskemen", "tj-cn-luban-workshop-dushanbe"];

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private async Task<JsonElement> Get(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await Json(response);
    }

    private async Task<string> Page(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private async Task<string[]> Ids(string url) =>
        [.. (await Get(url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    private static string[] SourceIds(JsonElement item) => [.. item.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    /// <summary>The map's data as the page gives it to the script.</summary>
    private static JsonElement MapOf(string html) =>
        JsonDocument.Parse(WebUtility.HtmlDecode(MapAttribute().Match(html).Groups[1].Value)).RootElement;

    [GeneratedRegex("id=\"partnership-map\" data-map=\"([^\"]*)\"")]
    private static partial Regex MapAttribute();

    [Fact]
    public async Task The_seeded_workshops_and_visa_regimes_are_visible_with_their_sources_in_the_api_and_the_portal()
    {
        var list = await Get("/api/v1/partnerships?pageSize=100");
        var seeded = list.GetProperty("items").EnumerateArray().Where(i => Seeded.Contains(i.GetProperty("id").GetString())).ToList();
        Assert.Equal(Seeded.Length, seeded.Count);
        Assert.All(seeded, i => Assert.NotEmpty(SourceIds(i)));

        var dushanbe = await Get("/api/v1/partnerships/tj-cn-luban-workshop-dushanbe");
        Assert.Equal(("luban-workshop", "operating", "2022-11"), (dushanbe.GetProperty("kind").GetString(), dushanbe.GetProperty("status").GetString(), dushanbe.GetProperty("startedOn").GetString()));
        Assert.Equal("Tajik Technical University", dushanbe.GetProperty("institution").GetProperty("en").GetString());
        Assert.Equal("Tianjin Urban Construction Management & Vocation Technology College", dushanbe.GetProperty("partnerInstitution").GetProperty("en").GetString());
        var places = dushanbe.GetProperty("places").EnumerateArray().ToList();
        Assert.Equal(("TJ", 38.53575m, 68.77905m), (places[0].GetProperty("state").GetString(), places[0].GetProperty("latitude").GetDecimal(), places[0].GetProperty("longitude").GetDecimal()));
        Assert.Equal(("CN", "天津"), (places[1].GetProperty("state").GetString(), places[1].GetProperty("name").GetProperty("zh").GetString()));
        Assert.Equal(["geonames", "people_luban_tj", "workercn_luban_tj"], SourceIds(dushanbe).Order(StringComparer.Ordinal));

        var kzVisa = await Get("/api/v1/partnerships/cn-kz-visa-exemption");
        Assert.Equal(("visa-arrangement", "in-force", "2023-05-17", "2023-11-10"), (kzVisa.GetProperty("kind").GetString(), kzVisa.GetProperty("status").GetString(),
            kzVisa.GetProperty("agreedOn").GetString(), kzVisa.GetProperty("startedOn").GetString()));
        Assert.Equal("china-kazakhstan-visa-exemption-agreement-2023", kzVisa.GetProperty("document").GetString());
        Assert.Contains("30 days per entry", kzVisa.GetProperty("terms").GetProperty("en").GetString());
        Assert.Equal(["chinadaily_kzvisa", "inform_kzvisa"], SourceIds(kzVisa).Order(StringComparer.Ordinal));
        Assert.Equal("2025-06-01", (await Get("/api/v1/partnerships/cn-uz-visa-exemption")).GetProperty("startedOn").GetString());
        Assert.Equal("2024-10-26", (await Get("/api/v1/partnerships/kg-cn-luban-workshop-bishkek")).GetProperty("startedOn").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/api/v1/partnerships/kz-cn-nowhere", Ct)).StatusCode);

        // The reported totals of pairs (the indicator) and the target (the measure), each with sources.
        var counts = await Get("/api/v1/partnerships/counts");
        var reported = counts.GetProperty("reported").EnumerateArray().Select(r => (r.GetProperty("year").GetInt32(), r.GetProperty("value").GetDecimal(), r.GetProperty("qualifier").GetString())).ToList();
        Assert.Equal([(2022, 58m, "exact"), (2024, 80m, "exact"), (2025, 100m, "more-than")], reported);
        Assert.All(counts.GetProperty("reported").EnumerateArray(), r => Assert.NotEmpty(SourceIds(r)));
        var target = counts.GetProperty("target");
        Assert.Equal(("sister-cities-target-2022", 100m, "2022-01-25"), (target.GetProperty("measure").GetString(), target.GetProperty("value").GetDecimal(), target.GetProperty("announcedOn").GetString()));
        Assert.NotEmpty(SourceIds(target));
        var years = counts.GetProperty("years").EnumerateArray().ToList();
        Assert.Equal(2022, years[0].GetProperty("year").GetInt32());
        Assert.Equal(JsonValueKind.Null, years[1].GetProperty("reported").ValueKind); // 2023: no source, a gap
        Assert.All(years, y => Assert.Equal(100m, y.GetProperty("target").GetDecimal()));

        var en = await Page("/partnerships?culture=en");
        Assert.Contains("Luban Workshop in Bishkek", en);
        Assert.Contains("https://eurasianet.org/beijing-making-soft-power-push-in-central-asia-with-vocational-training-initiative", en);
        Assert.Contains("In force", en);
        Assert.Contains("Target: 100 pairs", en);
        Assert.Contains("individual pairs appear here as national coordinators record them", en);
        Assert.Contains("id=\"pair-counts\"", en);
        Assert.Contains("class=\"chart\" data-chart=", en);
        var map = MapOf(en);
        Assert.Equal(4, map.GetProperty("points").GetArrayLength() - (map.GetProperty("points").EnumerateArray().Count(p => p.GetProperty("kind").GetString() == "sister-cities")));
        Assert.Contains(map.GetProperty("lines").EnumerateArray(), l => l.GetProperty("url").GetString() == "/partnerships/tj-cn-luban-workshop-dushanbe");
        Assert.Contains("比什凯克鲁班工坊", await Page("/partnerships?culture=zh"));
        Assert.Contains("Мастерская Лубань в Бишкеке", await Page("/partnerships?culture=ru"));
        var detail = await Page("/partnerships/tj-cn-luban-workshop-dushanbe?culture=ru");
        Assert.Contains("Таджикский технический университет", detail); // the institution in the reader's language, marked as Caravan's translation
        Assert.Contains("перевод Caravan", detail);
        Assert.Contains("http://en.people.cn/n3/2024/0705/c90000-20189901.html", detail);
        Assert.Contains("ноябрь 2022", detail);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/partnerships/kz-cn-nowhere", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_pair_kazakhstan_proposes_is_confirmed_by_china_validated_published_and_then_listed_mapped_and_counted()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        const string id = "kz-cn-testograd-testzhou";
        var before = await Get("/api/v1/partnerships/counts");
        int Recorded(JsonElement counts, int year) => counts.GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == year).GetProperty("recorded").GetInt32();

        var values = new Dictionary<string, string>
        {
            ["kind"] = "sister-cities", ["status"] = "signed",
            ["place-a.en"] = "Testograd", ["place-a.ru"] = "Тестоград", ["latitude-a"] = "43.25", ["longitude-a"] = "76.95",
            ["place-b.en"] = "Testzhou", ["place-b.zh"] = "测试州", ["latitude-b"] = "34.26", ["longitude-b"] = "108.94",
            ["agreed-on"] = "2024-09-20", ["source-url"] = "https://example.org/sister-cities/testograd-testzhou",
        };
        var proposed = await app.Api(kz).PostAsJsonAsync("/api/v1/records/partnerships", new { id, values, reason = "signed at the regional forum", sources = Cite.One("https://example.org/sister-cities/testograd-testzhou", "Testograd and Testzhou sign a sister-city agreement", "2024-09-20") }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Equal(["CN"], (await Json(proposed)).GetProperty("awaitingConfirmationFrom").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/api/v1/partnerships/{id}", Ct)).StatusCode); // not before it is published

        Assert.Equal(HttpStatusCode.Conflict, (await app.Api(secretariat).PostAsJsonAsync(url + "/validate", new { }, Ct)).StatusCode); // China has not confirmed
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(uz).PostAsJsonAsync(url + "/confirm", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(cn).PostAsJsonAsync(url + "/confirm", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(url + "/validate", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(url + "/publish", new { }, Ct)).StatusCode);

        var pair = await Get($"/api/v1/partnerships/{id}");
        Assert.Equal(("sister-cities", "signed", "2024-09-20"), (pair.GetProperty("kind").GetString(), pair.GetProperty("status").GetString(), pair.GetProperty("agreedOn").GetString()));
        Assert.Equal(["KZ", "CN"], pair.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("Testograd – Testzhou", pair.GetProperty("title").GetProperty("en").GetString());
        Assert.Equal("https://example.org/sister-cities/testograd-testzhou", pair.GetProperty("sourceUrl").GetString());
        Assert.Contains(id, await Ids("/api/v1/partnerships?kind=sister-cities"));
        Assert.Contains(id, await Ids("/api/v1/partnerships?state=CN&status=signed"));
        Assert.DoesNotContain(id, await Ids("/api/v1/partnerships?state=UZ"));

        // Its history says the secretariat published a coordinator's proposal.
        var history = (await Get($"/api/v1/records/partnerships/{id}/history")).EnumerateArray().ToList();
        Assert.Contains(history, h => h.GetProperty("role").GetString() == "secretariat-editor");
        var detail = await Page($"/partnerships/{id}?culture=en");
        Assert.Contains("Testograd – Testzhou", detail);
        Assert.Contains("href=\"https://example.org/sister-cities/testograd-testzhou\"", detail);
        var html = await Page("/partnerships?culture=zh");
        Assert.Contains("测试州", html);
        Assert.Contains("https://example.org/sister-cities/testograd-testzhou", html);
        var map = MapOf(html);
        Assert.Contains(map.GetProperty("points").EnumerateArray(), p => p.GetProperty("lon").GetDecimal() == 76.95m && p.GetProperty("lat").GetDecimal() == 43.25m);
        var line = Assert.Single(map.GetProperty("lines").EnumerateArray(), l => l.GetProperty("url").GetString() == $"/partnerships/{id}");
        Assert.Equal([76.95m, 43.25m], line.GetProperty("from").EnumerateArray().Select(c => c.GetDecimal()));
        Assert.Equal([108.94m, 34.26m], line.GetProperty("to").EnumerateArray().Select(c => c.GetDecimal()));

        var after = await Get("/api/v1/partnerships/counts");
        Assert.Equal(before.GetProperty("recordedNow").GetInt32() + 1, after.GetProperty("recordedNow").GetInt32());
        Assert.Equal(Recorded(before, 2024) + 1, Recorded(after, 2024));
        Assert.Equal(Recorded(before, 2023), Recorded(after, 2023));

        // The same pair again, the other way round and in another language: refused as a duplicate, nothing proposed.
        await using var db = app.NewDbContext();
        var submissions = await db.Submissions.CountAsync(Ct);
        var again = await app.Api(kz, "ru").PostAsJsonAsync("/api/v1/records/partnerships", new
        {
            id = "cn-kz-testzhou-testograd",
            values = new Dictionary<string, string> { ["place-a.zh"] = "测试州", ["place-b.ru"] = "Тестоград", ["source-url"] = "https://example.org/again" },
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains(id, (await Json(again)).GetProperty("errors").GetProperty("place-b.en")[0].GetString());
        Assert.Equal(submissions, await db.Submissions.CountAsync(Ct));
        Assert.True(new AuditQueries(db).Verify().Intact);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_field_and_the_reason_in_the_callers_language_and_nothing_is_stored()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        await using var db = app.NewDbContext();
        var (partnerships, submissions) = (await db.Partnerships.CountAsync(Ct), await db.Submissions.CountAsync(Ct));
        var good = new Dictionary<string, string>
        {
            ["kind"] = "sister-cities", ["status"] = "signed", ["place-a.en"] = "Alpha", ["place-b.en"] = "Beta", ["source-url"] = "https://example.org/a",
        };
        Dictionary<string, string> With(params (string Key, string? Value)[] changes)
        {
            var values = new Dictionary<string, string>(good);
            foreach (var (key, value) in changes) { if (value is null) values.Remove(key); else values[key] = value; }
            return values;
        }

        async Task<JsonElement> Refused(string id, Dictionary<string, string> values, string language = "en", Person? who = null)
        {
            var response = await app.Api(who ?? secretariat, language).PostAsJsonAsync("/api/v1/records/partnerships", new { id, values }, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{id}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            return (await Json(response)).GetProperty("errors");
        }

        Assert.Contains("государств", (await Refused("xx-cn-alpha-beta", good, "ru")).GetProperty("id")[0].GetString());
        Assert.Contains("两个不同国家", (await Refused("kz-kz-alpha-beta", good, "zh")).GetProperty("id")[0].GetString());
        Assert.Contains("Latin letters", (await Refused("kz-cn-Alpha Beta", good)).GetProperty("id")[0].GetString());
        Assert.Contains("before it began (2024-05)", (await Refused("kz-cn-alpha-beta", With(("status", "ended"), ("started-on", "2024-05"), ("ended-on", "2023")))).GetProperty("ended-on")[0].GetString());
        Assert.Contains("-90", (await Refused("kz-cn-alpha-beta", With(("latitude-a", "95"), ("longitude-a", "76.9")))).GetProperty("latitude-a")[0].GetString());
        Assert.Contains("-180", (await Refused("kz-cn-alpha-beta", With(("latitude-b", "34"), ("longitude-b", "190")))).GetProperty("longitude-b")[0].GetString());
        var noPlaces = await Refused("kz-cn-alpha-beta", With(("place-a.en", null), ("place-b.en", null)));
        Assert.Contains("KZ", noPlaces.GetProperty("place-a.en")[0].GetString());
        Assert.Contains("CN", noPlaces.GetProperty("place-b.en")[0].GetString());
        Assert.True((await Refused("kz-cn-alpha-beta", With(("source-url", null)))).TryGetProperty("source-url", out _));
        Assert.True((await Refused("kz-cn-alpha-beta", With(("colour", "red")))).TryGetProperty("colour", out _));
        Assert.True((await Refused("kz-cn-alpha-beta", With(("kind", "twin-towns")))).TryGetProperty("kind", out _));
        Assert.Contains("unknown-doc", (await Refused("kz-cn-alpha-beta", With(("document", "unknown-doc")))).GetProperty("document")[0].GetString());
        // Duplicates of what the dataset holds: a second workshop at the same university, a second visa regime for the same states.
        Assert.Contains("kg-cn-luban-workshop-bishkek", (await Refused("kg-cn-bishkek-again", new Dictionary<string, string>
        {
            ["kind"] = "luban-workshop", ["status"] = "operating", ["place-a.en"] = "Bishkek", ["institution.en"] = "kyrgyz state technical university", ["source-url"] = "https://example.org/b",
        })).GetProperty("institution.en")[0].GetString());
        Assert.Contains("cn-kz-visa-exemption", (await Refused("kz-cn-visa-again", new Dictionary<string, string>
        {
            ["kind"] = "visa-arrangement", ["status"] = "in-force", ["terms.en"] = "30 days", ["source-url"] = "https://example.org/c",
        })).GetProperty("kind")[0].GetString());
        // The status of an agreement is "in force", of a workshop "operating".
        Assert.True((await Refused("kz-cn-alpha-beta", With(("status", "operating")))).TryGetProperty("status", out _));

        // Out of scope: Uzbekistan's coordinator cannot propose a Kazakhstan–China pair.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(uz).PostAsJsonAsync("/api/v1/records/partnerships", new { id = "kz-cn-alpha-beta", values = good }, Ct)).StatusCode);

        Assert.Equal((partnerships, submissions), (await db.Partnerships.CountAsync(Ct), await db.Submissions.CountAsync(Ct)));
        Assert.False(await db.Partnerships.AnyAsync(p => p.Id == "kz-cn-alpha-beta", Ct));
    }

    [Fact]
    public async Task The_api_filters_by_kind_state_and_status_and_names_a_bad_filter()
    {
        Assert.Equal(["kg-cn-luban-workshop-bishkek", "kz-cn-luban-workshop-oskemen", "tj-cn-luban-workshop-dushanbe"], await Ids("/api/v1/partnerships?kind=luban-workshop"));
        Assert.Equal(["tj-cn-luban-workshop-dushanbe"], await Ids("/api/v1/partnerships?state=TJ"));
        Assert.Equal(["cn-uz-visa-exemption"], await Ids("/api/v1/partnerships?state=UZ"));
        Assert.Equal(["cn-kz-visa-exemption", "cn-uz-visa-exemption"], await Ids("/api/v1/partnerships?status=in-force"));
        Assert.Equal(["cn-kz-visa-exemption"], await Ids("/api/v1/partnerships?kind=visa-arrangement&state=KZ"));
        Assert.Empty(await Ids("/api/v1/partnerships?kind=cultural-centre"));
        var sorted = (await Get("/api/v1/partnerships?kind=luban-workshop&sort=-startedOn")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString());
        Assert.Equal(["kg-cn-luban-workshop-bishkek", "kz-cn-luban-workshop-oskemen", "tj-cn-luban-workshop-dushanbe"], sorted);

        var bad = await app.Client().GetAsync("/api/v1/partnerships?kind=twin-towns&state=XX&status=open&colour=red", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await Json(bad)).GetProperty("errors");
        Assert.Equal(["colour", "kind", "state", "status"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        var page = await app.Client().GetAsync("/partnerships?kind=twin-towns&culture=en", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("<code>kind</code>", await page.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class PartnershipTestsOnSqlite(SqliteApp app) : PartnershipTests(app), IClassFixture<SqliteApp>;

public sealed class PartnershipTestsOnPostgres(PostgresApp app) : PartnershipTests(app), IClassFixture<PostgresApp>;
