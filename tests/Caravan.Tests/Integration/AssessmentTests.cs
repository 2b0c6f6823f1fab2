using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>Scores go through the workflow like any edit, and bad ones are refused with the reason.</summary>
public abstract class AssessmentTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Errors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
    }

    [Fact]
    public async Task A_score_without_evidence_outside_the_scale_for_a_state_not_bound_or_for_a_closed_period_is_refused()
    {
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var evidence = new Dictionary<string, string> { ["score"] = "1", ["evidence.en"] = "Grant agreements signed with all five states (MOFCOM notice)." };

        var notBound = await Errors(await app.Api(kz).PostAsJsonAsync("/api/v1/records/assessments", new { id = "grant-2025:KZ:astana-to-2027", values = evidence }, Ct));
        Assert.Contains("not bound", notBound.GetProperty("id")[0].GetString());
        var outOfScale = await Errors(await app.Api(cn).PostAsJsonAsync("/api/v1/records/assessments", new { id = "grant-2025:CN:astana-to-2027", values = new Dictionary<string, string> { ["score"] = "2", ["evidence.en"] = "x" } }, Ct));
        Assert.Contains("-1, 0, 1", outOfScale.GetProperty("score")[0].GetString());
        var noEvidence = await Errors(await app.Api(cn, "ru").PostAsJsonAsync("/api/v1/records/assessments", new { id = "grant-2025:CN:astana-to-2027", values = new { score = "1" } }, Ct));
        Assert.Contains("подтверждающие материалы", noEvidence.GetProperty("evidence.en")[0].GetString());
        var closed = await Errors(await app.Api(cn).PostAsJsonAsync("/api/v1/records/assessments", new { id = "good-neighbourliness-treaty-ratification:CN:xian-to-astana", values = evidence }, Ct));
        Assert.Contains("is closed", closed.GetProperty("score")[0].GetString());

        var proposed = await app.Api(cn).PostAsJsonAsync("/api/v1/records/assessments", new { id = "grant-2025:CN:astana-to-2027", values = evidence, reason = "MOFCOM notice", sources = Cite.One() }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var grant = await (await app.Client().GetAsync("/api/v1/commitments/grant-2025", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("not-assessed", grant.GetProperty("status").GetString()); // until the secretariat publishes it
    }

    [Fact]
    public async Task A_changed_score_needs_new_evidence()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var first = new Dictionary<string, string> { ["score"] = "0", ["evidence.en"] = "1,200 of the 3,000 places offered in the first year (Ministry of Education)." };
        Assert.Equal(HttpStatusCode.Created, (await app.Api(secretariat).PostAsJsonAsync("/api/v1/records/assessments", new { id = "training-places-2025:CN:astana-to-2027", values = first, sources = Cite.One() }, Ct)).StatusCode);
        var same = await Errors(await app.Api(secretariat).PutChangeAsync("/api/v1/records/assessments/training-places-2025:CN:astana-to-2027", new { values = new { score = "1" } }, Ct));
        Assert.Contains("new evidence", same.GetProperty("evidence.en")[0].GetString());
        var changed = await app.Api(secretariat).PutChangeAsync("/api/v1/records/assessments/training-places-2025:CN:astana-to-2027",
            new { values = new Dictionary<string, string> { ["score"] = "1", ["evidence.en"] = "All 3,000 places offered by June 2026 (Ministry of Education)." }, sources = Cite.One() }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var commitment = await (await app.Client().GetAsync("/api/v1/commitments/training-places-2025", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("complied", "updated"), (commitment.GetProperty("status").GetString(), commitment.GetProperty("freshness").GetString()));
    }
}

public sealed class AssessmentTestsOnSqlite(SqliteApp app) : AssessmentTests(app), IClassFixture<SqliteApp>;

public sealed class AssessmentTestsOnPostgres(PostgresApp app) : AssessmentTests(app), IClassFixture<PostgresApp>;
