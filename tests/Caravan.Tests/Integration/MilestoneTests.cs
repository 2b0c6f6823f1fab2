using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// Milestones go through the workflow like any record, scoped to the state they concern and the bodies that run the
/// commitment; the commitment's timeline (API and page) shows them with their sources, and an overdue one turns the
/// freshness light. On SQLite and PostgreSQL, through HTTP.
/// </summary>
public abstract class MilestoneTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static Task<HttpResponseMessage> Propose(HttpClient client, string id, Dictionary<string, string> values,
        bool sourced = true) =>
        client.PostAsJsonAsync("/api/v1/records/milestones",
            new { id, values, reason = "test", sources = sourced ? Cite.One() : null }, Ct);

    private async Task<JsonElement> Timeline(string commitment, string language = "en") =>
        await Json(await app.Api(null, language).GetAsync($"/api/v1/commitments/{commitment}/timeline", Ct));

    private static JsonElement? Milestone(JsonElement timeline, string id) =>
        timeline.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "milestone"
                && i.GetProperty("milestone").GetProperty("id").GetString() == id)
            .Select(i => (JsonElement?)i).FirstOrDefault();

    [Fact]
    public async Task A_coordinator_proposes_a_milestone_for_their_own_state_only_and_the_secretariat_publishes_it()
    {
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        const string commitment = "poverty-reduction-centre-2025";
        var before = await Json(await app.Api(null).GetAsync($"/api/v1/commitments/{commitment}", Ct));
        Assert.Equal("updated", before.GetProperty("freshness").GetString()); // scored in the current period

        // Kazakhstan is not bound by this commitment; nor may Kazakhstan's coordinator speak for China or for all parties.
        var notBound = await Propose(app.Api(kz), $"{commitment}:KZ:first-cohort", new() { ["title.en"] = "x", ["due"] = "2026-01" });
        Assert.Equal(HttpStatusCode.BadRequest, notBound.StatusCode);
        Assert.Contains("not bound", (await Json(notBound)).GetProperty("errors").GetProperty("id")[0].GetString());
        var flights = "pe-direct-flights";
        Assert.Equal(HttpStatusCode.Forbidden, (await Propose(app.Api(kz), $"{flights}:UZ:tashkent-route", new() { ["title.en"] = "x", ["due"] = "2026" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Propose(app.Api(kz), $"{flights}:all:all-routes", new() { ["title.en"] = "x", ["due"] = "2026" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Propose(app.Api(kz), $"{flights}:KZ:almaty-urumqi", new() { ["title.en"] = "Almaty–Urumqi flights daily", ["due"] = "2030" })).StatusCode);

        var id = $"{commitment}:CN:first-cohort";
        var values = new Dictionary<string, string>
        {
            ["title.en"] = "First cohort of officials trained", ["title.zh"] = "首批官员完成培训", ["title.ru"] = "Обучена первая группа",
            ["due"] = "2026-06",
        };
        var unsourced = await Propose(app.Api(cn), id, values, sourced: false);
        Assert.Equal(HttpStatusCode.BadRequest, unsourced.StatusCode); // a new fact brings its own source
        var proposed = await Propose(app.Api(cn), id, values);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Null(Milestone(await Timeline(commitment), id)); // not public until published
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(kz).GetAsync(url, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(url + "/validate", new { }, Ct)).StatusCode);
        var published = await app.Api(secretariat).PostAsJsonAsync(url + "/publish", new { }, Ct);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);

        var timeline = await Timeline(commitment);
        Assert.Equal("newest-first", timeline.GetProperty("order").GetString());
        var item = Milestone(timeline, id)!.Value;
        Assert.Equal("2026-06", item.GetProperty("date").GetString());
        var m = item.GetProperty("milestone");
        Assert.Equal(("CN", "overdue"), (m.GetProperty("state").GetString(), m.GetProperty("status").GetString()));
        Assert.Contains(item.GetProperty("sources").EnumerateArray(), s => s.GetProperty("url").GetString() == Cite.Url);
        // Its publication is on the timeline too, with the sources it was published with and who (by role) proposed it.
        var change = timeline.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "change"
            && i.GetProperty("change").GetProperty("id").GetString() == id);
        Assert.Equal(("milestone", "create"), (change.GetProperty("change").GetProperty("record").GetString(), change.GetProperty("change").GetProperty("action").GetString()));
        Assert.Contains(change.GetProperty("sources").EnumerateArray(), s => s.GetProperty("url").GetString() == Cite.Url);
        Assert.Equal(1, timeline.GetProperty("overdueMilestones").GetInt32());
        // Newest first, throughout.
        var days = timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("date").GetString()!)
            .Select(d => PartialDateLatest(d)).ToList();
        Assert.Equal(days.OrderByDescending(d => d).ToList(), days);

        // The overdue milestone turns the light, in the API and on the page.
        var after = await Json(await app.Api(null).GetAsync($"/api/v1/commitments/{commitment}", Ct));
        Assert.Equal(("overdue", 1), (after.GetProperty("freshness").GetString(), after.GetProperty("overdueMilestones").GetInt32()));
        var overdueList = await Json(await app.Api(null).GetAsync("/api/v1/commitments?freshness=overdue", Ct));
        Assert.Contains(overdueList.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == commitment);
        foreach (var (language, title, status) in new[] { ("en", "First cohort of officials trained", "overdue"), ("zh", "首批官员完成培训", "已逾期"), ("ru", "Обучена первая группа", "просрочен") })
        {
            var page = await app.Api(null, language).GetStringAsync($"/commitments/{commitment}", Ct);
            Assert.Contains(title, page);
            Assert.Contains(status, page);
            Assert.Contains(Cite.Title, page);
            Assert.Contains("id=\"timeline\"", page);
            Assert.Contains("id=\"overdue-milestones\"", page);
        }

        // Achieved (with evidence): no longer overdue, and the light is the assessments' own again.
        var achieved = await app.Api(secretariat).PutChangeAsync($"/api/v1/records/milestones/{id}", new
        {
            values = new Dictionary<string, string> { ["achieved-on"] = "2026-07-15", ["evidence.en"] = "30 officials from the five states trained in Urumqi." },
            sources = Cite.One("https://example.org/cohort", "First cohort trained (press release)", "2026-07"),
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, achieved.StatusCode);
        var done = Milestone(await Timeline(commitment), id)!.Value;
        Assert.Equal(("2026-07-15", "achieved", true), (done.GetProperty("date").GetString(), done.GetProperty("milestone").GetProperty("status").GetString(), done.GetProperty("milestone").GetProperty("achievedLate").GetBoolean()));
        Assert.Equal("updated", (await Json(await app.Api(null).GetAsync($"/api/v1/commitments/{commitment}", Ct))).GetProperty("freshness").GetString());
        var updates = (await Timeline(commitment)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "change" && i.GetProperty("change").GetProperty("id").GetString() == id).ToList();
        Assert.Equal(["update", "create"], updates.Select(u => u.GetProperty("change").GetProperty("action").GetString()));
        // Each change keeps the sources that stood after it: the update's are the new ones only.
        Assert.Equal(["https://example.org/cohort"], updates[0].GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
    }

    private static DateOnly PartialDateLatest(string iso) => Caravan.Shared.PartialDate.Parse(iso).Latest;

    [Fact]
    public async Task An_officer_proposes_milestones_of_the_commitments_their_body_runs_and_the_state_confirms_its_own()
    {
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        var other = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["business-council"]);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var values = new Dictionary<string, string> { ["title.en"] = "Liaison office staffed", ["due"] = "2030" };
        Assert.Equal(HttpStatusCode.Forbidden, (await Propose(app.Api(other), "secretariat-2023:all:liaison-office", values)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Propose(app.Api(officer), "secretariat-2023:all:liaison-office", values)).StatusCode);
        // About Kazakhstan: the officer proposes, Kazakhstan's coordinator sees it and confirms.
        var forKz = await Propose(app.Api(officer), "secretariat-2023:KZ:liaison-office", values);
        Assert.Equal(HttpStatusCode.Accepted, forKz.StatusCode);
        var url = forKz.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.OK, (await app.Api(kz).PostAsJsonAsync(url + "/confirm", new { }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Bad_milestones_are_refused_with_the_field_and_the_reason()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        async Task<JsonElement> Errors(string id, Dictionary<string, string> values, string language = "en")
        {
            var r = await Propose(app.Api(secretariat, language), id, values);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return (await Json(r)).GetProperty("errors");
        }
        Assert.Contains("due date", (await Errors("grant-2025:all:undated", new() { ["title.en"] = "Undated" })).GetProperty("due")[0].GetString());
        Assert.Contains("будущем", (await Errors("grant-2025:all:future", new() { ["title.en"] = "x", ["achieved-on"] = "2099-01-01", ["evidence.en"] = "x" }, "ru")).GetProperty("achieved-on")[0].GetString());
        Assert.Contains("证据", (await Errors("grant-2025:all:no-evidence", new() { ["title.en"] = "x", ["achieved-on"] = "2025-08" }, "zh")).GetProperty("evidence.en")[0].GetString());
        Assert.Contains("id", (await Errors("grant-2025:all:Bad Name", new() { ["title.en"] = "x", ["due"] = "2027" })).EnumerateObject().Select(p => p.Name));
        Assert.Contains("id", (await Errors("no-such-commitment:all:x", new() { ["title.en"] = "x", ["due"] = "2027" })).EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Two_simultaneous_creations_of_one_milestone_make_one_record_and_one_conflict()
    {
        var a = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var b = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var values = new Dictionary<string, string> { ["title.en"] = "Grant agreements signed", ["due"] = "2027-03" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Propose(app.Api(i % 2 == 0 ? a : b), "grant-2025:all:agreements-signed", values)));
        var codes = answers.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Created));
        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.Conflict));
        var timeline = await Timeline("grant-2025");
        Assert.Single(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "change"
            && i.GetProperty("change").GetProperty("id").GetString() == "grant-2025:all:agreements-signed");
    }

    [Fact]
    public async Task The_seeded_milestones_are_those_the_sources_give_with_their_sources()
    {
        var timeline = await Timeline("secretariat-2023");
        var launched = Milestone(timeline, "secretariat-2023:all:launched")!.Value;
        Assert.Equal(("2024-03-30", "achieved"), (launched.GetProperty("date").GetString(), launched.GetProperty("milestone").GetProperty("status").GetString()));
        Assert.Contains(launched.GetProperty("sources").EnumerateArray(), s => s.GetProperty("url").GetString() == "https://www.globaltimes.cn/page/202403/1309807.shtml");
        // The period's scores are on it too, with each score's sources.
        var scores = timeline.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "scores");
        Assert.Equal("xian-to-astana", scores.GetProperty("period").GetProperty("id").GetString());
        Assert.NotEmpty(scores.GetProperty("scores")[0].GetProperty("sources").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(null).GetAsync("/api/v1/commitments/no-such/timeline", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_timeline_is_in_the_openapi_document()
    {
        var doc = await Json(await app.Client().GetAsync("/openapi/v1.json", Ct));
        var timeline = doc.GetProperty("paths").GetProperty("/api/v1/commitments/{id}/timeline").GetProperty("get");
        Assert.Equal("GetCommitmentTimeline", timeline.GetProperty("operationId").GetString());
        Assert.True(timeline.GetProperty("responses").TryGetProperty("404", out _));
    }

    [Fact]
    public async Task Milestones_falling_due_in_a_period_are_found_for_a_state_and_for_all()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        // Due in 2031 (no seeded milestone is): one about Kazakhstan, one about all parties, one achieved, one later.
        Assert.Equal(HttpStatusCode.Created, (await Propose(app.Api(secretariat), "pe-direct-flights:KZ:astana-xian", new() { ["title.en"] = "Astana–Xi'an", ["due"] = "2031-03" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Propose(app.Api(secretariat), "pe-direct-flights:all:capitals", new() { ["title.en"] = "All capitals", ["due"] = "2031" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Propose(app.Api(secretariat), "pe-direct-flights:UZ:samarkand", new() { ["title.en"] = "Samarkand", ["due"] = "2031-02", ["achieved-on"] = "2025-01", ["evidence.en"] = "Opened early." })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Propose(app.Api(secretariat), "grant-2025:all:final-report", new() { ["title.en"] = "Final report", ["due"] = "2032-01" })).StatusCode);

        await using var db = app.NewDbContext();
        var (from, to) = (new DateOnly(2031, 1, 1), new DateOnly(2031, 12, 31));
        Assert.Equal(["pe-direct-flights:KZ:astana-xian", "pe-direct-flights:all:capitals"],
            (await MilestoneQueries.DueBetweenAsync(db, from, to, ct: Ct)).Select(m => m.Id));
        Assert.Equal(["pe-direct-flights:KZ:astana-xian", "pe-direct-flights:all:capitals"],
            (await MilestoneQueries.DueBetweenAsync(db, from, to, "KZ", Ct)).Select(m => m.Id));
        Assert.Equal(["pe-direct-flights:all:capitals"], (await MilestoneQueries.DueBetweenAsync(db, from, to, "TJ", Ct)).Select(m => m.Id));
        // Only the last day counts: a year-due milestone is not due in its first half.
        Assert.Equal(["pe-direct-flights:KZ:astana-xian"],
            (await MilestoneQueries.DueBetweenAsync(db, from, new DateOnly(2031, 6, 30), ct: Ct)).Select(m => m.Id));
        Assert.True(Today < from); // the test's dates are in the future, so none of these is overdue yet
    }
}

public sealed class MilestoneTestsOnSqlite(SqliteApp app) : MilestoneTests(app), IClassFixture<SqliteApp>;

public sealed class MilestoneTestsOnPostgres(PostgresApp app) : MilestoneTests(app), IClassFixture<PostgresApp>;
