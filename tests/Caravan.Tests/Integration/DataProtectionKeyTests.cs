using Caravan.Tests.Support;
using Caravan.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The data-protection keys live in the database (issue 18); the keys an earlier version kept in its keys folder move in
/// once at the upgrade, so the cookies and links they protect stay valid; nothing of them reaches the audit trail.
/// </summary>
public abstract class DataProtectionKeyTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keys_kept_on_disk_by_an_earlier_version_move_into_an_empty_database_once()
    {
        var folder = Directory.CreateTempSubdirectory("caravan-keys-");
        try
        {
            const string key = """<key id="6c7b3b4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f" version="1"><creationDate>2026-11-01T00:00:00Z</creationDate></key>""";
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "key-6c7b3b4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f.xml"), key, Ct);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "audit-keys.json"), "{}", Ct); // not a key of the ring
            var settings = new AccountSettings { KeysFolder = folder.FullName };
            await using (var db = app.NewDbContext())
            {
                // The running app made its own key already: with keys in the database, nothing is imported.
                Assert.True(await db.DataProtectionKeys.AnyAsync(Ct));
                Assert.Equal(0, await AccountsFeature.ImportFolderKeysAsync(db, settings, Ct));
                db.DataProtectionKeys.RemoveRange(await db.DataProtectionKeys.ToListAsync(Ct));
                await db.SaveChangesAsync(Ct);
            }
            var auditBefore = 0L;
            await using (var db = app.NewDbContext())
            {
                auditBefore = await db.AuditEntries.CountAsync(Ct);
                Assert.Equal(1, await AccountsFeature.ImportFolderKeysAsync(db, settings, Ct));
                Assert.Equal(0, await AccountsFeature.ImportFolderKeysAsync(db, settings, Ct)); // once
            }
            await using (var db = app.NewDbContext())
            {
                var stored = Assert.Single(await db.DataProtectionKeys.ToListAsync(Ct));
                Assert.Equal(("key-6c7b3b4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f", key), (stored.FriendlyName, stored.Xml));
                Assert.Equal(auditBefore, await db.AuditEntries.CountAsync(Ct));
            }
        }
        finally { folder.Delete(recursive: true); }
    }
}

public sealed class DataProtectionKeyTestsOnSqlite(SqliteApp app) : DataProtectionKeyTests(app), IClassFixture<SqliteApp>;

public sealed class DataProtectionKeyTestsOnPostgres(PostgresApp app) : DataProtectionKeyTests(app), IClassFixture<PostgresApp>;
