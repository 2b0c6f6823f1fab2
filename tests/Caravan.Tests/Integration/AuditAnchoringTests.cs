using Caravan.Features.Audit;
using Caravan.Tests.Support;
using Caravan.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The portal records the audit trail's head by itself: at start, then on its schedule once the head has moved, in
/// the database and in the anchor file; and verify reads the file back.
/// </summary>
public abstract class AuditAnchoringTests(CaravanApp app, string anchorFile)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IEnumerable<KeyValuePair<string, string>> Anchoring(string file) =>
        [new("Caravan:Audit:AnchorEvery", "00:00:01"), new("Caravan:Audit:AnchorFile", file)];

    [Fact]
    public async Task The_head_is_anchored_at_start_and_again_after_it_moves_in_the_database_and_the_file()
    {
        _ = app.Client();
        await using var db = app.NewDbContext();
        var started = await db.Set<AuditAnchor>().AsNoTracking().SingleAsync(a => a.Source == "start-up", Ct);
        Assert.Equal((await new AuditQueries(db).AnchorAsync(Ct))!.Value.Id, started.EntryId);

        var body = await db.Bodies.FirstAsync(Ct);
        body.Website = $"https://example.org/{Guid.NewGuid():N}";
        await db.SaveChangesAsync(Ct);
        var head = (await new AuditQueries(db).AnchorAsync(Ct))!.Value;
        AuditAnchor? scheduled = null;
        for (var i = 0; i < 100 && scheduled is null; i++)
        {
            await Task.Delay(100, Ct);
            scheduled = await db.Set<AuditAnchor>().AsNoTracking()
                .FirstOrDefaultAsync(a => a.Source == "daily" && a.EntryId == head.Id, Ct);
        }
        Assert.NotNull(scheduled);
        Assert.Equal(head.Hash, scheduled.Seal);
        // Recorded once per head: the schedule keeps running, the table does not grow while nothing changes.
        await Task.Delay(2500, Ct);
        Assert.Equal(1, await db.Set<AuditAnchor>().CountAsync(a => a.EntryId == head.Id, Ct));

        var lines = AuditAnchoring.ReadFile(anchorFile);
        Assert.Contains(lines, l => l.Id == started.EntryId && l.Seal == started.Seal);
        Assert.Contains(lines, l => l.Id == head.Id && l.Seal == head.Hash);
        var verified = new AuditQueries(db).Verify(lines);
        Assert.True(verified.Intact, verified.Describe());
    }
}

public sealed class AuditAnchoringTestsOnSqlite(AuditAnchoringTestsOnSqlite.App app)
    : AuditAnchoringTests(app, app.AnchorFile), IClassFixture<AuditAnchoringTestsOnSqlite.App>
{
    public sealed class App : SqliteApp
    {
        public string AnchorFile { get; } = Path.Combine(Path.GetTempPath(), $"caravan-anchors-{Guid.NewGuid():N}.log");
        protected override IEnumerable<KeyValuePair<string, string>> Settings() => Anchoring(AnchorFile);
        protected override async Task DropDatabaseAsync()
        {
            await base.DropDatabaseAsync();
            File.Delete(AnchorFile);
        }
    }
}

public sealed class AuditAnchoringTestsOnPostgres(AuditAnchoringTestsOnPostgres.App app)
    : AuditAnchoringTests(app, app.AnchorFile), IClassFixture<AuditAnchoringTestsOnPostgres.App>
{
    public sealed class App : PostgresApp
    {
        public string AnchorFile { get; } = Path.Combine(Path.GetTempPath(), $"caravan-anchors-{Guid.NewGuid():N}.log");
        protected override IEnumerable<KeyValuePair<string, string>> Settings() => Anchoring(AnchorFile);
        protected override async Task DropDatabaseAsync()
        {
            await base.DropDatabaseAsync();
            File.Delete(AnchorFile);
        }
    }
}
