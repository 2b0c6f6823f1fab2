using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>The seeded commitments, scored with evidence, in the explorer, on their pages and in the scorecards.</summary>
public abstract class CommitmentTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private async Task<JsonElement> Get(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task The_seeded_commitments_carry_scores_with_evidence_and_sources()
    {
        var centre = await Get("/api/v1/commitments/poverty-reduction-centre-2025");
        Assert.Equal(("complied", "astana-to-2027"), (centre.GetProperty("status").GetString(), centre.GetProperty("collectivePeriod").GetString()));
        var score = Assert.Single(centre.GetProperty("assessments").EnumerateArray());
        Assert.Equal((1, "CN"), (score.GetProperty("score").GetInt32(), score.GetProperty("state").GetString()));
        Assert.Contains("21 July 2025", score.GetProperty("evidence").GetProperty("en").GetString());
        Assert.Equal("people_xj_centres", score.GetProperty("sources")[0].GetProperty("id").GetString());

        var treaty = await Get("/api/v1/commitments/good-neighbourliness-treaty-ratification");
        Assert.Equal(("partly", "all-must-comply"), (treaty.GetProperty("status").GetString(), treaty.GetProperty("combine").GetString()));
        Assert.Single(treaty.GetProperty("assessments").EnumerateArray()); // only Kyrgyzstan is reported; the others are not scored, not zero

        var grant = await Get("/api/v1/commitments/grant-2025");
        Assert.Equal("not-assessed", grant.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_explorer_filters_by_state_direction_body_and_status_and_names_a_bad_filter()
    {
        var kz = await Get("/api/v1/commitments?state=KZ");
        Assert.Equal(["china-kazakhstan-visa-exemption-2023", "good-neighbourliness-treaty-ratification", "secretariat-2023"],
            kz.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var people = await Get("/api/v1/commitments?direction=people-to-people-exchanges&status=complied");
        Assert.Equal(["china-kazakhstan-visa-exemption-2023", "education-exchange-centre-2025"], people.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("trade-facilitation-platform-2025", Assert.Single((await Get("/api/v1/commitments?body=trade-facilitation-platform")).GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var bad = await app.Client().GetAsync("/api/v1/commitments?state=XX&freshness=stale", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("state", out _) && errors.TryGetProperty("freshness", out _));

        var page = await (await app.Client().GetAsync("/commitments?state=KZ&culture=zh", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("共 3 项承诺", page);
    }

    [Fact]
    public async Task Scorecards_roll_up_each_period_by_state_direction_and_body()
    {
        var closed = await Get("/api/v1/scorecards?period=xian-to-astana");
        // The Secretariat (six +1) and the China–Kazakhstan visa exemption (two +1): 8 scores, all +1.
        Assert.Equal((1.0, 100.0, 8, 2), (closed.GetProperty("overall").GetProperty("mean").GetDouble(), closed.GetProperty("overall").GetProperty("percent").GetDouble(),
            closed.GetProperty("scores").GetInt32(), closed.GetProperty("commitments").GetInt32()));
        Assert.Equal(2, closed.GetProperty("byState").GetProperty("KZ").GetProperty("scores").GetInt32());

        var current = await Get("/api/v1/scorecards");
        Assert.Equal("astana-to-2027", current.GetProperty("period").GetProperty("id").GetString());
        // China: three centres and the platform, +1 each; Kyrgyzstan: the treaty, 0.
        Assert.Equal((1.0, 4), (current.GetProperty("byState").GetProperty("CN").GetProperty("mean").GetDouble(), current.GetProperty("byState").GetProperty("CN").GetProperty("scores").GetInt32()));
        Assert.Equal(50.0, current.GetProperty("byState").GetProperty("KG").GetProperty("percent").GetDouble());
        Assert.Equal(90.0, current.GetProperty("overall").GetProperty("percent").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/api/v1/scorecards?period=no-such-period", Ct)).StatusCode);

        var html = await (await app.Client().GetAsync("/scorecards?period=astana-to-2027&culture=ru", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Общее выполнение 90 %", html);
    }
}

public sealed class CommitmentTestsOnSqlite(SqliteApp app) : CommitmentTests(app), IClassFixture<SqliteApp>;

public sealed class CommitmentTestsOnPostgres(PostgresApp app) : CommitmentTests(app), IClassFixture<PostgresApp>;
