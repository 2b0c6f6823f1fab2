using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// The treaty status, computed from the recorded ratification steps: the seeded Treaty on Permanent
/// Good-Neighbourliness as the sources leave it, then a clause and instruments recorded through the workflow.
/// </summary>
public abstract class TreatyTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Treaty = "good-neighbourliness-treaty-2025";

    private async Task<JsonElement> Get(string url) => await (await app.Api(null).GetAsync(url, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

    [Fact]
    public async Task The_seeded_treaty_shows_kyrgyzstans_parliamentary_approval_and_no_computed_date()
    {
        var treaty = await Get($"/api/v1/treaties/{Treaty}");
        Assert.Equal(("undetermined", "treaty.rule-not-known"), (treaty.GetProperty("status").GetString(), treaty.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, treaty.GetProperty("entryIntoForce").ValueKind);
        var kg = treaty.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("state").GetString() == "KG");
        var step = Assert.Single(kg.GetProperty("steps").EnumerateArray());
        Assert.Equal(("parliament-approval", "2025-09-24", "2025-06-17"), (step.GetProperty("step").GetString(), step.GetProperty("on").GetString(), kg.GetProperty("signature").GetString()));
        Assert.Contains(step.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "qazinform_kg_ratify" && s.GetProperty("confidence").GetString() == "medium");
        Assert.Equal(6, treaty.GetProperty("awaitingFrom").GetArrayLength()); // no instrument is reported for anyone

        var page = await (await app.Client().GetAsync($"/treaties/{Treaty}?culture=ru", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("24 сентября 2025", page);
        Assert.Contains("не может быть определён", page);
    }

    [Fact]
    public async Task A_coordinator_records_their_states_steps_and_a_step_before_signature_is_rejected()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var early = await app.Api(kz).PostAsJsonAsync("/api/v1/records/ratification-steps", new { id = $"{Treaty}:KZ:parliament-approval", values = new { on = "2025-03-01", evidence_url = (string?)null } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        var body = await early.Content.ReadAsStringAsync(Ct);
        Assert.Contains("evidence_url", body); // an unknown field is named, not dropped
        early = await app.Api(kz).PostAsJsonAsync("/api/v1/records/ratification-steps", new { id = $"{Treaty}:KZ:parliament-approval", values = new Dictionary<string, string> { ["on"] = "2025-03-01", ["evidence-url"] = "parliament.kz" } }, Ct);
        var errors = (await early.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("2025-06-17", errors.GetProperty("on")[0].GetString());
        Assert.Contains("https://", errors.GetProperty("evidence-url")[0].GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(uz).PostAsJsonAsync("/api/v1/records/ratification-steps", new { id = $"{Treaty}:KZ:instrument", values = new { on = "2025-11-01" } }, Ct)).StatusCode);
        var proposed = await app.Api(kz).PostAsJsonAsync("/api/v1/records/ratification-steps", new { id = $"{Treaty}:KZ:parliament-approval", values = new Dictionary<string, string> { ["on"] = "2025-10-15", ["evidence-url"] = "https://example.org/mazhilis" }, sources = Cite.One() }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var kzRow = (await Get($"/api/v1/treaties/{Treaty}")).GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("state").GetString() == "KZ");
        Assert.Equal(0, kzRow.GetProperty("steps").GetArrayLength()); // not before the secretariat publishes
    }

    [Fact]
    public async Task With_a_clause_and_every_instrument_recorded_the_treaty_is_computed_in_force()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var api = app.Api(secretariat);
        var clause = await api.PutChangeAsync($"/api/v1/records/documents/{Treaty}", new { values = new Dictionary<string, string> { ["entry-into-force"] = "after-instrument-count", ["entry-into-force-days"] = "30", ["entry-into-force-instruments"] = "7" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, clause.StatusCode); // 7 instruments among 6 parties
        clause = await api.PutChangeAsync($"/api/v1/records/documents/{Treaty}", new { values = new Dictionary<string, string> { ["entry-into-force"] = "after-last-instrument", ["entry-into-force-days"] = "30" }, reason = "test clause", sources = Cite.One() }, Ct);
        Assert.Equal(HttpStatusCode.OK, clause.StatusCode);

        string[] states = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];
        foreach (var (state, i) in states.Select((s, i) => (s, i)))
        {
            var recorded = await api.PostAsJsonAsync("/api/v1/records/ratification-steps", new { id = $"{Treaty}:{state}:instrument", values = new { on = $"2025-{10 + (i % 2)}-{10 + i}" }, sources = Cite.One() }, Ct);
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            var partial = await Get($"/api/v1/treaties/{Treaty}");
            Assert.Equal(i < 5 ? "not-in-force" : "in-force", partial.GetProperty("status").GetString());
            Assert.Equal(5 - i, partial.GetProperty("instrumentsStillRequired").GetInt32());
        }
        var treaty = await Get($"/api/v1/treaties/{Treaty}");
        Assert.Equal("2025-12-15", treaty.GetProperty("entryIntoForce").GetString()); // UZ's 2025-11-15 + 30 days
        var page = await (await app.Client().GetAsync($"/treaties/{Treaty}?culture=en", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("15 December 2025", page);
        var history = await Get($"/api/v1/records/ratification-steps/{Treaty}:UZ:instrument/history");
        Assert.Equal("create", history[0].GetProperty("action").GetString());

        // Put the seeded state back for the other tests of this class.
        await using var db = app.NewDbContext();
        db.RatificationSteps.RemoveRange(db.RatificationSteps.Where(s => s.Kind == Caravan.Features.Treaties.RatificationStepKind.Instrument));
        var doc = await db.Documents.FindAsync([Treaty], Ct);
        doc!.EntryIntoForce = Caravan.Features.Treaties.EntryIntoForceKind.Unknown;
        doc.EntryIntoForceDays = 0;
        await db.SaveChangesAsync(Ct);
    }
}

public sealed class TreatyTestsOnSqlite(SqliteApp app) : TreatyTests(app), IClassFixture<SqliteApp>;

public sealed class TreatyTestsOnPostgres(PostgresApp app) : TreatyTests(app), IClassFixture<PostgresApp>;
