using Caravan.Features.Audit;
using Caravan.Tests.Support;
using Caravan.Web.Cli;
using Caravan.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caravan.Tests.Integration;

/// <summary>
/// Someone with write access to the database but not the audit key tampers with the real table, and
/// <c>caravan audit verify</c> (the CLI, against the portal's database) names the break and exits 4: change, delete,
/// insert, append and recompute without any anchor; truncate by the anchors recorded automatically (the database's,
/// a snapshot's, the anchor file's). Each test restores the table, so they share one database.
/// </summary>
public abstract class AuditTamperTests(CaravanApp app)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        _ = app.Client();
        var output = new StringWriter();
        var error = new StringWriter();
        var provider = app.Provider == Caravan.Data.DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        var code = await CaravanCli.RunAsync([.. args, "--provider", provider, "--connection", app.ConnectionString],
            output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<string> Broken()
    {
        var (code, output, error) = await Cli("audit", "verify");
        Assert.True(code == 4, $"verify should fail (exit 4), exited {code}: {output}{error}");
        return error.Trim();
    }

    private async Task Intact()
    {
        var (code, output, error) = await Cli("audit", "verify");
        Assert.True(code == 0, $"verify should pass: {output}{error}");
        Assert.StartsWith("Audit trail intact", output);
    }

    private async Task Sql(string sql, params object[] values)
    {
        await using var db = app.NewDbContext();
        await db.Database.ExecuteSqlRawAsync(sql, values, Ct);
    }

    private async Task<List<AuditEntry>> Entries(long fromId)
    {
        await using var db = app.NewDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Id >= fromId).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    private async Task<long> Head()
    {
        await using var db = app.NewDbContext();
        return await db.AuditEntries.MaxAsync(e => e.Id, Ct);
    }

    /// <summary>Adding entries is the one write the trail allows: a restore (or a forgery) goes through EF.</summary>
    private async Task Add(IEnumerable<AuditEntry> entries)
    {
        await using var db = app.NewDbContext();
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>An entry as someone without the key writes it: the content they want, and a correct SHA-256.</summary>
    private static AuditEntry Forged(long id, string previous, string? keyId)
    {
        var e = new AuditEntry
        {
            Id = id, At = AuditChain.Normalise(DateTimeOffset.UtcNow), Actor = "mallory", Role = "secretariat-admin",
            Action = "delete", SubjectType = "outcome-document", SubjectId = "astana-declaration-2025", Before = "{}",
            Reason = "cover-up", PreviousHash = previous, Hash = "", KeyId = keyId,
        };
        e.Hash = AuditChain.ComputeHash(e);
        return e;
    }

    [Fact]
    public async Task The_trail_is_sealed_with_the_key_and_verifies()
    {
        await using var db = app.NewDbContext();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.KeyId == null, Ct));
        Assert.True(await db.Set<AuditAnchor>().AnyAsync(a => a.Source == "start-up", Ct));
        Assert.True(await db.Snapshots.AnyAsync(s => s.AuditHeadId != null, Ct));
        await Intact();
    }

    [Fact]
    public async Task Change_a_field_changed_in_the_table_is_named()
    {
        await Sql("""UPDATE "AuditEntries" SET "Actor" = 'mallory' WHERE "Id" = 7""");
        try { Assert.Equal("Audit trail broken at entry #7: altered (its content does not match its seal).", await Broken()); }
        finally { await Sql("""UPDATE "AuditEntries" SET "Actor" = 'system:seed' WHERE "Id" = 7"""); }
        await Intact();
    }

    [Fact]
    public async Task Delete_an_entry_removed_from_the_middle_is_named()
    {
        var kept = (await Entries(11))[0];
        await Sql("""DELETE FROM "AuditEntries" WHERE "Id" = 11""");
        try { Assert.Equal("Audit trail broken at entry #11: deleted (the entry is missing).", await Broken()); }
        finally { await Add([kept]); }
        await Intact();
    }

    [Fact]
    public async Task Insert_an_entry_put_between_two_others_is_named_without_an_anchor()
    {
        var head = await Head();
        var before = (await Entries(head - 1))[0];
        await Sql("""UPDATE "AuditEntries" SET "Id" = {0} WHERE "Id" = {1}""", head + 1, head);
        try
        {
            await Add([Forged(head, before.Hash, "k1")]);
            Assert.StartsWith($"Audit trail broken at entry #{head}: forged (its seal is a plain SHA-256", await Broken());
        }
        finally
        {
            await Sql("""DELETE FROM "AuditEntries" WHERE "Id" = {0} AND "Actor" = 'mallory'""", head);
            await Sql("""UPDATE "AuditEntries" SET "Id" = {0} WHERE "Id" = {1}""", head, head + 1);
        }
        await Intact();
    }

    [Fact]
    public async Task Append_an_entry_with_a_correct_sha256_is_caught_without_an_anchor()
    {
        var head = await Head();
        var last = (await Entries(head))[0];
        foreach (var (keyId, expected) in new[] { ("k1", "forged"), ((string?)null, "unsealed") })
        {
            await Add([Forged(head + 1, last.Hash, keyId)]);
            try { Assert.StartsWith($"Audit trail broken at entry #{head + 1}: {expected} (", await Broken()); }
            finally { await Sql("""DELETE FROM "AuditEntries" WHERE "Id" = {0}""", head + 1); }
        }
        await Intact();
    }

    [Fact]
    public async Task Recompute_a_tail_rewritten_with_recomputed_hashes_is_caught_without_an_anchor()
    {
        var head = await Head();
        var originals = await Entries(head - 2);
        var rewritten = await Entries(head - 2);
        var previous = (await Entries(head - 3))[0].Hash;
        foreach (var e in rewritten)
        {
            e.Reason = "nothing happened";
            e.PreviousHash = previous;
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            await Sql("""UPDATE "AuditEntries" SET "Reason" = {0}, "PreviousHash" = {1}, "Hash" = {2} WHERE "Id" = {3}""",
                e.Reason, e.PreviousHash, e.Hash, e.Id);
        }
        try { Assert.StartsWith($"Audit trail broken at entry #{head - 2}: forged (", await Broken()); }
        finally
        {
            foreach (var o in originals)
                await Sql("""UPDATE "AuditEntries" SET "Reason" = {0}, "PreviousHash" = {1}, "Hash" = {2} WHERE "Id" = {3}""",
                    (object?)o.Reason ?? DBNull.Value, o.PreviousHash, o.Hash, o.Id);
        }
        await Intact();
    }

    [Fact]
    public async Task Truncate_a_removed_tail_is_caught_by_the_anchor_the_cli_recorded()
    {
        var (code, anchor, _) = await Cli("audit", "anchor");
        Assert.Equal(0, code);
        var head = await Head();
        Assert.Equal($"{head}:{(await Entries(head))[0].Hash}", anchor.Trim());
        var removed = await Entries(head - 1);
        await Sql("""DELETE FROM "AuditEntries" WHERE "Id" >= {0}""", head - 1);
        try
        {
            Assert.Matches($@"^Audit trail cut after entry #{head - 2}: the (cli|start-up) anchor of .* recorded entry "
                + $@"#{head}, so the tail from #{head - 1} was removed\.$", await Broken());
        }
        finally { await Add(removed); }
        await Intact();
    }

    [Fact]
    public async Task Truncate_with_the_anchors_deleted_too_is_caught_by_a_snapshot_head_and_the_anchor_file()
    {
        await using var db = app.NewDbContext();
        var file = Path.Combine(Path.GetTempPath(), $"caravan-anchors-{Guid.NewGuid():N}.log");
        try
        {
            // The anchor as the portal writes it every day, with a copy in the anchor file.
            await AuditAnchoring.Record(db, new AuditSettings { AnchorFile = file }, "daily", DateTimeOffset.UtcNow,
                NullLogger.Instance, Ct);
            var snapshot = await db.Snapshots.AsNoTracking().Where(s => s.AuditHeadId != null)
                .OrderByDescending(s => s.AuditHeadId).FirstAsync(Ct);
            var anchors = await db.Set<AuditAnchor>().AsNoTracking().ToListAsync(Ct);
            var removed = await Entries(snapshot.AuditHeadId!.Value);
            await Sql("""DELETE FROM "AuditAnchors" """);
            await Sql("""DELETE FROM "AuditEntries" WHERE "Id" >= {0}""", snapshot.AuditHeadId!.Value);
            try
            {
                var cut = new AuditQueries(db).Verify();
                Assert.Equal((snapshot.AuditHeadId, AuditBreak.Truncated), (cut.BrokenAt, cut.Break));
                Assert.Contains($"the snapshot {snapshot.Id} recorded entry #{snapshot.AuditHeadId}", cut.Describe());
                var byFile = new AuditQueries(db).Verify(AuditAnchoring.ReadFile(file));
                Assert.Equal(AuditBreak.Truncated, byFile.Break);
                Assert.Contains($"{file}:1 recorded entry #{removed[^1].Id}", byFile.Describe());
            }
            finally
            {
                await Add(removed);
                db.Set<AuditAnchor>().AddRange(anchors.Select(a => new AuditAnchor
                    { EntryId = a.EntryId, Seal = a.Seal, At = a.At, Source = a.Source }));
                await db.SaveChangesAsync(Ct);
            }
        }
        finally { File.Delete(file); }
        await Intact();
    }
}

public sealed class AuditTamperTestsOnSqlite(SqliteApp app) : AuditTamperTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTamperTestsOnPostgres(PostgresApp app) : AuditTamperTests(app), IClassFixture<PostgresApp>;
