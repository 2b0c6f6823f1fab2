using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Commitments;
using Caravan.Features.Seed;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>The seeded commitments, scored with evidence, in the explorer, on their pages and in the scorecards.</summary>
public abstract class CommitmentTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly SeedDataset Data = SeedFile.Load(SeedDataTests.SeedPath).Dataset;
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
        Assert.Equal("all-must-comply", treaty.GetProperty("combine").GetString());
        // Only the ratification a source reports is scored; the other states are not scored, not zero.
        var kg = Assert.Single(treaty.GetProperty("assessments").EnumerateArray());
        Assert.Equal(("KG", 1), (kg.GetProperty("state").GetString(), kg.GetProperty("score").GetInt32()));

        // Every seeded score is served as the data file states it, with its sources.
        foreach (var c in Data.Commitments.Where(c => c.Assessments.Count > 0))
        {
            var served = (await Get($"/api/v1/commitments/{c.Id}")).GetProperty("assessments").EnumerateArray()
                .Select(a => (a.GetProperty("state").GetString(), a.GetProperty("period").GetString(), a.GetProperty("score").GetInt32(), a.GetProperty("sources").GetArrayLength())).Order();
            Assert.Equal(c.Assessments.Select(a => ((string?)a.State, (string?)a.Period, a.Score, a.Citations.Count)).Order(), served);
        }

        var grant = await Get("/api/v1/commitments/grant-2025");
        Assert.Equal("not-assessed", grant.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_explorer_filters_by_state_direction_body_and_status_and_names_a_bad_filter()
    {
        var kz = await Get("/api/v1/commitments?state=KZ&pageSize=100");
        var bindingKz = Data.Commitments.Where(c => c.Parties.Contains("KZ")).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        Assert.True(bindingKz.Count > 3);
        Assert.Equal(bindingKz, kz.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(bindingKz.Count, kz.GetProperty("total").GetInt32());
        // Complied: every score +1 (here, in the current period, the trade-facilitation platform).
        var complied = Data.Commitments.Where(c => c.Direction == "trade-facilitation" && c.Assessments.Count > 0 && c.Assessments.All(a => a.Score == 1)).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("trade-facilitation-platform-2025", complied);
        var trade = await Get("/api/v1/commitments?direction=trade-facilitation&status=complied");
        Assert.Equal(complied, trade.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("trade-facilitation-platform-2025", Assert.Single((await Get("/api/v1/commitments?body=trade-facilitation-platform")).GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var bad = await app.Client().GetAsync("/api/v1/commitments?state=XX&freshness=stale", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("state", out _) && errors.TryGetProperty("freshness", out _));

        var page = await (await app.Client().GetAsync("/commitments?state=KZ&culture=zh", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"共 {bindingKz.Count} 项承诺", page);
    }

    [Fact]
    public async Task Scorecards_roll_up_each_period_by_state_direction_and_body()
    {
        // What the data file scores in each period, rolled up as the scorecards do: mean of −1/0/+1, percent = (mean + 1) / 2.
        static (double Mean, double Percent, int Scores, int Commitments) Expected(IEnumerable<(string Commitment, SeedAssessment Score)> scores)
        {
            var list = scores.ToList();
            var mean = list.Average(s => (double)s.Score.Score);
            return (mean, (mean + 1) / 2 * 100, list.Count, list.Select(s => s.Commitment).Distinct().Count());
        }
        var all = Data.Commitments.SelectMany(c => c.Assessments.Select(a => (Commitment: c.Id, Score: a))).ToList();

        var closed = await Get("/api/v1/scorecards?period=xian-to-astana");
        var inClosed = all.Where(s => s.Score.Period == "xian-to-astana").ToList();
        // Only China, the Secretariat's host, is scored for the Xi'an–Astana period: no source says what the others did.
        Assert.Equal(["CN"], inClosed.Select(s => s.Score.State).Distinct());
        Assert.Equal(Expected(inClosed), (closed.GetProperty("overall").GetProperty("mean").GetDouble(), closed.GetProperty("overall").GetProperty("percent").GetDouble(),
            closed.GetProperty("scores").GetInt32(), closed.GetProperty("commitments").GetInt32()));

        var current = await Get("/api/v1/scorecards");
        Assert.Equal("astana-to-2027", current.GetProperty("period").GetProperty("id").GetString());
        var inCurrent = all.Where(s => s.Score.Period == "astana-to-2027").ToList();
        foreach (var state in inCurrent.Select(s => s.Score.State).Distinct())
        {
            var e = Expected(inCurrent.Where(s => s.Score.State == state));
            var served = current.GetProperty("byState").GetProperty(state);
            Assert.Equal((e.Mean, e.Percent, e.Scores), (served.GetProperty("mean").GetDouble(), served.GetProperty("percent").GetDouble(), served.GetProperty("scores").GetInt32()));
        }
        var overall = Expected(inCurrent).Percent;
        Assert.Equal(overall, current.GetProperty("overall").GetProperty("percent").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/api/v1/scorecards?period=no-such-period", Ct)).StatusCode);

        var html = await (await app.Client().GetAsync("/scorecards?period=astana-to-2027&culture=ru", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"Общее выполнение {overall:0.#} %", html);
    }
}

public sealed class CommitmentTestsOnSqlite(SqliteApp app) : CommitmentTests(app), IClassFixture<SqliteApp>;

public sealed class CommitmentTestsOnPostgres(PostgresApp app) : CommitmentTests(app), IClassFixture<PostgresApp>;
