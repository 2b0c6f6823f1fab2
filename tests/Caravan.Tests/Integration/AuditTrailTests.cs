using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Documents;
using Caravan.Features.Projects;
using Caravan.Features.Selections;
using Caravan.Features.Sources;
using Caravan.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The audit trail on a real database: every seeded row leaves an entry, and a change, insertion or
/// deletion made directly in the database is reported at exactly that entry. Each test restores what it
/// tampered with, so they can share one database.
/// </summary>
public abstract class AuditTrailTests(CaravanApp app)
{
    private AuditVerification Verify()
    {
        using var db = app.NewDbContext();
        return new AuditQueries(db).Verify();
    }

    private async Task Sql(string sql)
    {
        await using var db = app.NewDbContext();
        await db.Database.ExecuteSqlRawAsync(sql, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Every_seeded_record_has_its_creation_in_the_trail_and_the_chain_is_intact()
    {
        await using var db = app.NewDbContext();
        var history = await new AuditQueries(db).HistoryAsync(
            "outcome-document", "astana-declaration-2025", TestContext.Current.CancellationToken);
        var created = Assert.Single(history);
        Assert.Equal(("create", "system:seed"), (created.Action, created.Actor));
        Assert.Contains("Astana Declaration", created.After);
        Assert.StartsWith("seed dataset cca-mechanism version", created.Reason);
        var result = Verify();
        Assert.True(result.Intact, result.Describe());
        Assert.Equal(await db.AuditEntries.CountAsync(TestContext.Current.CancellationToken), result.Entries);
    }

    [Fact]
    public async Task A_changed_row_is_reported_at_that_entry()
    {
        await Sql("""UPDATE "AuditEntries" SET "Actor" = 'mallory' WHERE "Id" = 7""");
        try
        {
            var result = Verify();
            Assert.Equal((7L, AuditBreak.Altered), (result.BrokenAt!.Value, result.Break!.Value));
        }
        finally
        {
            await Sql("""UPDATE "AuditEntries" SET "Actor" = 'system:seed' WHERE "Id" = 7""");
        }
        Assert.True(Verify().Intact);
    }

    [Fact]
    public async Task A_deleted_row_is_reported_at_that_entry()
    {
        await using var db = app.NewDbContext();
        var kept = await db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Id == 11, TestContext.Current.CancellationToken);
        await Sql("""DELETE FROM "AuditEntries" WHERE "Id" = 11""");
        try
        {
            var result = Verify();
            Assert.Equal((11L, AuditBreak.Deleted), (result.BrokenAt!.Value, result.Break!.Value));
        }
        finally
        {
            // Adding an entry is the one write the trail allows: the restore goes back through EF.
            db.ChangeTracker.Clear();
            db.AuditEntries.Add(kept);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            db.ChangeTracker.Clear();
        }
        Assert.True(Verify().Intact);
    }

    [Fact]
    public async Task An_inserted_row_is_reported_at_that_entry()
    {
        await using var db = app.NewDbContext();
        var last = await new AuditQueries(db).AnchorAsync(TestContext.Current.CancellationToken);
        var forged = AuditChain.Append(last!.Value.Id, new string('f', 64), DateTimeOffset.UtcNow,
            new AuditActor("mallory", "secretariat-admin", "cover-up"), "delete", "outcome-document",
            "astana-declaration-2025", "{}", null, AuditSealExtension.KeysOf(db));
        db.AuditEntries.Add(forged);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        try
        {
            var result = Verify();
            Assert.Equal((forged.Id, AuditBreak.Inserted), (result.BrokenAt!.Value, result.Break!.Value));
        }
        finally
        {
            await Sql($"""DELETE FROM "AuditEntries" WHERE "Id" = {forged.Id}""");
        }
        Assert.True(Verify().Intact);
    }

    [Fact]
    public async Task No_code_path_can_update_or_delete_an_audit_entry()
    {
        await using var db = app.NewDbContext();
        var entry = await db.AuditEntries.FirstAsync(TestContext.Current.CancellationToken);
        entry.Reason = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>What must never reach the trail, by property: a rename keeps the mark, a lost mark fails.</summary>
    public static TheoryData<Type, string> Secrets => new()
    {
        { typeof(CaravanUser), nameof(CaravanUser.PasswordHash) },
        { typeof(CaravanUser), nameof(CaravanUser.SecurityStamp) },
        { typeof(CaravanUser), nameof(CaravanUser.ConcurrencyStamp) },
        // The TOTP key and the recovery codes.
        { typeof(IdentityUserToken<string>), nameof(IdentityUserToken<string>.Value) },
        { typeof(AccessToken), nameof(AccessToken.Hash) },
        { typeof(DocumentAttachment), nameof(DocumentAttachment.Content) },
        { typeof(SourceFile), nameof(SourceFile.Content) },
        { typeof(Project), nameof(Project.Activity) },
        { typeof(SelectionScore), nameof(SelectionScore.Value) },
        { typeof(SelectionScore), nameof(SelectionScore.Comment) },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void A_secret_is_marked_redacted_in_the_model(Type entity, string property)
    {
        using var db = app.NewDbContext();
        var found = db.Model.FindEntityType(entity)?.FindProperty(property);
        Assert.NotNull(found);
        Assert.True(found.IsRedactedInAudit(), $"{entity.Name}.{property} would reach the audit trail");
    }

    [Fact]
    public async Task A_secret_saved_or_changed_leaves_no_value_in_the_trail()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = app.NewDbContext();
        var before = await db.AuditEntries.MaxAsync(a => a.Id, ct);
        var now = DateTimeOffset.UtcNow;
        var user = new CaravanUser
        {
            UserName = "redaction-probe@example.org", Email = "redaction-probe@example.org",
            DisplayName = "Redaction probe", Role = CaravanRole.SecretariatEditor, CreatedAt = now,
            PasswordHash = "first-hash-not-for-the-trail", SecurityStamp = "first-stamp-not-for-the-trail",
        };
        var key = new IdentityUserToken<string>
        {
            UserId = user.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey",
            Value = "first-totp-key-not-for-the-trail",
        };
        var (token, _) = AccessToken.Issue(user.Id, "redaction probe", readOnly: true, TimeSpan.FromDays(1), now);
        db.Users.Add(user);
        db.UserTokens.Add(key);
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        user.PasswordHash = "second-hash-not-for-the-trail";
        key.Value = "second-totp-key-not-for-the-trail";
        await db.SaveChangesAsync(ct);

        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Id > before).ToListAsync(ct);
        Assert.Equal(5, entries.Count); // three rows created, then two of them changed
        Assert.All(entries, e =>
        {
            Assert.DoesNotContain("not-for-the-trail", e.Before ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("not-for-the-trail", e.After ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(token.Hash, e.After ?? "", StringComparison.Ordinal);
        });
        var changed = entries.Single(e => e.SubjectType == "caravan-user" && e.Action == "update");
        Assert.Contains("\"PasswordHash\":\"[redacted] changed\"", changed.After, StringComparison.Ordinal);
        Assert.True(Verify().Intact);
    }
}

public sealed class AuditTrailTestsOnSqlite(SqliteApp app) : AuditTrailTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTrailTestsOnPostgres(PostgresApp app) : AuditTrailTests(app), IClassFixture<PostgresApp>;
