using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Seed;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>Snapshots: frozen at the close of a period, compared with each other or with the current period.</summary>
public abstract class SnapshotTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_closed_period_from_the_seed_is_frozen_and_compares_with_the_current_one()
    {
        var list = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/snapshots", Ct);
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetString() == "xian-to-astana" && s.GetProperty("meeting").GetString() == "summit-2025-astana");
        var snapshot = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/snapshots/xian-to-astana", Ct);
        var secretariat = snapshot.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("commitmentId").GetString() == "secretariat-2023");
        // Frozen as the data file scores it: the states a source supports (China, the host), each +1 — one party of six
        // bound under all-must-comply, so "partly", not "complied" (a party not scored is not taken as complying).
        var seeded = SeedFile.Load(SeedDataTests.SeedPath).Dataset.Commitments.Single(c => c.Id == "secretariat-2023").Assessments.Where(a => a.Period == "xian-to-astana").ToList();
        Assert.All(seeded, a => Assert.Equal(1, a.Score));
        Assert.Equal(["CN"], seeded.Select(a => a.State));
        Assert.Equal("partly", secretariat.GetProperty("status").GetString());
        Assert.Equal(0, snapshot.GetProperty("retracted").GetArrayLength()); // a fresh v6 database froze nothing retracted
        Assert.Equal(seeded.Select(a => a.State).Order(), secretariat.GetProperty("scores").EnumerateObject().Select(p => p.Name).Order());

        var comparison = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/snapshots/compare?from=xian-to-astana&to=current", Ct);
        var changes = comparison.GetProperty("differences").EnumerateArray().ToDictionary(d => d.GetProperty("commitmentId").GetString()!, d => d.GetProperty("change").GetString());
        Assert.Equal("newly-assessed", changes["poverty-reduction-centre-2025"]);
        Assert.Equal("not-assessed", changes["secretariat-2023"]); // not scored again this period: not assumed
        var bad = await app.Client().GetAsync("/api/v1/snapshots/compare?from=nope", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _) && errors.TryGetProperty("to", out _));

        var page = await (await app.Client().GetAsync("/scorecards/compare?from=xian-to-astana&to=current&culture=zh", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("首次评估", page);
    }

    [Fact]
    public async Task Closing_a_period_freezes_its_scores_and_refuses_later_ones()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(cn).PostAsJsonAsync("/api/v1/snapshots", new { period = "astana-to-2027" }, Ct)).StatusCode);
        (long Id, string Hash)? head;
        using (var db = app.NewDbContext()) head = await new AuditQueries(db).AnchorAsync(Ct);
        var closed = await app.Api(secretariat).PostAsJsonAsync("/api/v1/snapshots", new { period = "astana-to-2027" }, Ct);
        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        // The snapshot carries the audit trail's head at its close: an anchor verify checks, and a reader can keep.
        Assert.Equal($"{head!.Value.Id}:{head.Value.Hash}",
            (await closed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("auditHead").GetString());
        using (var db = app.NewDbContext())
            Assert.Contains(new AuditQueries(db).RecordedAnchors(), a => a.Id == head.Value.Id && a.Source == "the snapshot astana-to-2027");
        Assert.Equal(HttpStatusCode.Conflict, (await app.Api(secretariat).PostAsJsonAsync("/api/v1/snapshots", new { period = "astana-to-2027" }, Ct)).StatusCode);
        var late = await app.Api(secretariat).PostAsJsonAsync("/api/v1/records/assessments", new { id = "grant-2025:CN:astana-to-2027", values = new Dictionary<string, string> { ["score"] = "1", ["evidence.en"] = "late" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        var frozen = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/snapshots/astana-to-2027", Ct);
        Assert.Equal("complied", frozen.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("commitmentId").GetString() == "desertification-control-centre-2025").GetProperty("status").GetString());
    }
}

public sealed class SnapshotTestsOnSqlite(SqliteApp app) : SnapshotTests(app), IClassFixture<SqliteApp>;

public sealed class SnapshotTestsOnPostgres(PostgresApp app) : SnapshotTests(app), IClassFixture<PostgresApp>;
