using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Closing a period freezes, right after the close and without anyone asking, the report's facts and the open-data
/// release of its snapshot: "status as at the close" then holds the ledgers, treaties and projects as they stood then.
/// </summary>
public abstract class ClosedSnapshotWorkTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_closed_period_gets_its_report_facts_and_its_open_data_release_at_once()
    {
        string period;
        await using (var db = app.NewDbContext())
            period = await db.ReportingPeriods.Where(p => !p.Closed).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(Ct);
        var api = app.Api(await People.CreateAsync(app, CaravanRole.SecretariatEditor));
        var clock = Stopwatch.StartNew();
        var closed = await api.PostAsJsonAsync("/api/v1/snapshots", new { period }, Ct);
        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        while (true)
        {
            await using var db = app.NewDbContext();
            var facts = await db.ReportFacts.AsNoTracking().FirstOrDefaultAsync(f => f.SnapshotId == period, Ct);
            var release = await db.OpenDataReleases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == period, Ct);
            if (facts is not null && release is not null)
            {
                var snapshot = await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == period, Ct);
                // Taken right after the close, by the node's background work (nobody asked for either).
                Assert.InRange(facts.TakenAt - snapshot.TakenAt, TimeSpan.Zero, TimeSpan.FromSeconds(60));
                Assert.InRange(release.BuiltAt - snapshot.TakenAt, TimeSpan.Zero, TimeSpan.FromSeconds(60));
                return;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"facts {facts is not null}, release {release is not null}");
            await Task.Delay(200, Ct);
        }
    }
}

public sealed class ClosedSnapshotWorkTestsOnSqlite(SqliteApp app) : ClosedSnapshotWorkTests(app), IClassFixture<SqliteApp>;

public sealed class ClosedSnapshotWorkTestsOnPostgres(PostgresApp app) : ClosedSnapshotWorkTests(app), IClassFixture<PostgresApp>;
