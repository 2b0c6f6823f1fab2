using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Commitments;
using Caravan.Shared;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// Lineage and dependency: an item repeated from an earlier summit keeps one history and is counted once; a
/// commitment that waits for a treaty's entry into force is not due before it.
/// </summary>
public abstract class LineageTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_superseded_commitment_is_counted_once_and_a_treaty_dependent_one_waits()
    {
        await using (var db = app.NewDbContext())
        {
            // The 2022 target of 100 sister-city pairs, carried into 2025 and superseded by the later item.
            db.Commitments.Add(new Commitment { Id = "sister-cities-2022", Text = new LocalizedText { En = "100 sister-city pairs within 5–10 years" }, MeetingId = "summit-2022-video",
                Parties = ["CN"], Kind = CommitmentKind.Programme, FirstPeriodId = "astana-to-2027", SupersededById = "sister-cities-2025", Combine = CombineRule.Average });
            db.Commitments.Add(new Commitment { Id = "sister-cities-2025", Text = new LocalizedText { En = "Over 100 sister-city pairs" }, MeetingId = "summit-2025-astana",
                Parties = ["CN"], Kind = CommitmentKind.Programme, FirstPeriodId = "astana-to-2027", CarriedOverFromId = "sister-cities-2022", Combine = CombineRule.Average });
            db.Commitments.Add(new Commitment { Id = "after-the-treaty", Text = new LocalizedText { En = "Hold annual consultations under the treaty" }, DocumentId = "good-neighbourliness-treaty-2025",
                Parties = ["CN", "KZ"], Kind = CommitmentKind.Institutional, FirstPeriodId = "astana-to-2027", ActiveOnceInForceId = "good-neighbourliness-treaty-2025", Combine = CombineRule.AllMustComply });
            foreach (var id in new[] { "sister-cities-2022", "sister-cities-2025" })
                db.Assessments.Add(new ComplianceAssessment { Id = ComplianceAssessment.KeyOf(id, "CN", "astana-to-2027"), CommitmentId = id, StateId = "CN", PeriodId = "astana-to-2027", Score = 1,
                    Evidence = new LocalizedText { En = "More than 100 pairs by June 2025 (Xinhua)." } });
            await db.SaveChangesAsync(Ct);
        }
        var card = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/scorecards?period=astana-to-2027", Ct);
        // Seeded: China four scores (three centres, the platform); the sister-city item once, not twice.
        Assert.Equal(5, card.GetProperty("byState").GetProperty("CN").GetProperty("scores").GetInt32());
        var waiting = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/commitments/after-the-treaty", Ct);
        Assert.Equal("not-yet-active", waiting.GetProperty("freshness").GetString());
        var carried = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/commitments/sister-cities-2025", Ct);
        Assert.Equal("sister-cities-2022", carried.GetProperty("carriedOverFrom").GetString());
    }
}

public sealed class LineageTestsOnSqlite(SqliteApp app) : LineageTests(app), IClassFixture<SqliteApp>;

public sealed class LineageTestsOnPostgres(PostgresApp app) : LineageTests(app), IClassFixture<PostgresApp>;
