using System.Data.Common;
using Caravan.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Caravan.Features.Projects;

/// <summary>A project to write with what the totals query of it.</summary>
public sealed record ProjectRows(Project Project, List<ProjectTransaction> Transactions,
    List<ProjectCountry> Countries);

/// <summary>
/// Writes imported projects in bulk, each batch in one transaction: PostgreSQL through binary COPY, SQLite
/// through prepared inserts reused for every row. EF's change tracker would cost ~10× at 100,000 activities;
/// this is the only place projects are written around EF, and each run is recorded (and audited) as an
/// <see cref="ImportRun"/>. Column lists follow the EF model (CaravanDbContext), checked by the tests.
/// </summary>
public sealed class ProjectStore(CaravanDbContext db)
{
    internal static readonly string[] ProjectColumns =
    [
        "Id", "IatiIdentifier", "ReportingOrgRef", "Titles", "SearchText", "Status", "Stage", "StageOverride",
        "PlannedStart", "ActualStart", "PlannedEnd", "ActualEnd", "DatesEstimated", "AmountsEstimated",
        "DefaultCurrency", "DirectionId", "ParentIdentifier", "IsUmbrella", "Published", "TransactionCount", "Activity",
        "ContentHash", "UpdatedAt", "UpdatedBy", "Version", "Staged", "Replaces", "Findings", "FindingCount",
    ];
    internal static readonly string[] TransactionColumns = ["ProjectId", "Seq", "Type", "Date", "Year", "Amount",
        "Currency", "ValueDate"];
    internal static readonly string[] CountryColumns = ["ProjectId", "CountryCode", "Percentage"];
    // On update the secretariat's own fields stay: direction, stage override, estimate flags, publication, links.
    private static readonly string[] UpdatedColumns =
        ["ReportingOrgRef", "Titles", "SearchText", "Status", "Stage", "PlannedStart", "ActualStart", "PlannedEnd",
         "ActualEnd", "DefaultCurrency", "ParentIdentifier", "TransactionCount", "Activity", "ContentHash", "UpdatedAt",
         "UpdatedBy", "Findings", "FindingCount"];

    private static readonly string[] Tags = [CacheTags.Of(typeof(Project))!];

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// The stored id, content hash and findings of each identifier that exists already (the same activity checked by
    /// other rules, e.g. a newer codelist, is written again with its new findings).
    /// </summary>
    public async Task<Dictionary<string, (long Id, string Hash, string? Findings)>> ExistingAsync(
        IReadOnlyCollection<string> identifiers, CancellationToken ct)
    {
        var found = new Dictionary<string, (long, string, string?)>(StringComparer.Ordinal);
        foreach (var chunk in identifiers.Chunk(1000))
            foreach (var p in await db.Projects.AsNoTracking().Where(p => chunk.Contains(p.IatiIdentifier) && !p.Staged)
                         .Select(p => new { p.IatiIdentifier, p.Id, p.ContentHash, p.Findings }).ToListAsync(ct))
                found[p.IatiIdentifier] = (p.Id, p.ContentHash, p.Findings);
        return found;
    }

    public async Task<Dictionary<long, string>> ActivitiesAsync(IReadOnlyCollection<long> ids, CancellationToken ct) =>
        await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Activity, ct);

    public async Task<long> NextIdAsync(CancellationToken ct)
        => (await db.Projects.MaxAsync(p => (long?)p.Id, ct) ?? 0) + 1;

    /// <summary>
    /// On SQLite, an import's connection syncs to disk at each checkpoint rather than at each batch
    /// (synchronous=NORMAL, safe in WAL mode: a crash loses at most the last batches, which a re-import
    /// restores, and never corrupts the file).
    /// </summary>
    public async Task PrepareForBulkAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        if (connection is not SqliteConnection sqlite) return;
        await using var pragma = sqlite.CreateCommand();
        // A 32 MB page cache for this connection (SQLite's default is 2 MB): the transactions' covering index takes
        // rows in an order of its own, and with a small cache many inserts read a page back first.
        pragma.CommandText = "PRAGMA cache_size=-32768";
        await pragma.ExecuteNonQueryAsync(ct);
        pragma.CommandText = "PRAGMA journal_mode; ";
        var mode = (string?)await pragma.ExecuteScalarAsync(ct);
        if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            await pragma.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Inserts new projects and replaces changed ones, in one transaction, with the run's heartbeat. Staged rows
    /// (an import that is all or nothing) are all inserts: nobody reads them, so no cache version moves.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<ProjectRows> inserted, IReadOnlyList<ProjectRows> updated,
        CancellationToken ct, string? runId = null)
    {
        if (inserted.Count == 0 && updated.Count == 0) return;
        var connection = await OpenAsync(ct);
        await using var _ = await CaravanDbContext.WriteLock.AcquireAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Rows the public sees change here (an import that is not staged): the totals' cells move with them, under the
        // writers' lock in the database as every other write to the cells.
        var visible = inserted.Where(r => r.Project.Published).Concat(updated).Select(r => r.Project.Id).ToList();
        ProjectTotalCells.Change? cells = null;
        if (visible.Count > 0)
        {
            await CaravanDbContext.LockWritersAsync(connection, tx, ct);
            cells = await ProjectTotalCells.BeginAsync(connection, tx, [.. updated.Select(r => r.Project.Id)], ct);
        }
        if (connection is NpgsqlConnection pg) await WritePostgresAsync(pg, inserted, updated, ct);
        else await WriteSqliteAsync((SqliteConnection)connection, (SqliteTransaction)tx, inserted, updated, ct);
        if (runId is not null)
        {
            await using var beat = connection.CreateCommand();
            beat.Transaction = tx;
            beat.CommandText = connection is NpgsqlConnection
                ? """UPDATE "ImportRuns" SET "HeartbeatAt" = $1 WHERE "Id" = $2"""
                : """UPDATE "ImportRuns" SET "HeartbeatAt" = $p0 WHERE "Id" = $p1""";
            var now = DateTimeOffset.UtcNow;
            if (connection is NpgsqlConnection)
            {
                beat.Parameters.Add(new NpgsqlParameter { Value = now });
                beat.Parameters.Add(new NpgsqlParameter { Value = runId });
            }
            else
            {
                beat.Parameters.Add(new SqliteParameter("$p0", null));
                beat.Parameters.Add(new SqliteParameter("$p1", null));
                Bind((SqliteCommand)beat, now, runId);
            }
            await beat.ExecuteNonQueryAsync(ct);
        }
        if (cells is not null) await cells.EndAsync(visible, ct);
        // Written around EF, so the cache version is raised here, in the batch's transaction.
        if (inserted.Any(r => !r.Project.Staged) || updated.Count > 0)
            await CacheVersions.BumpAsync(connection, tx, Tags, ct);
        await tx.CommitAsync(ct);
    }

    // The SQL below says "Staged" exactly as the partial index IX_Projects_Staged does, so that SQLite uses it.
    private const string StagedVersions = """SELECT "Id" FROM "Projects" WHERE "Staged" AND "Replaces" <> 0""";
    private const string ReplacedIds = """SELECT "Replaces" FROM "Projects" WHERE "Staged" AND "Replaces" <> 0""";

    /// <summary>
    /// Makes the staged rows visible, in the caller's transaction (with the write lock held): a staged new version
    /// moves its columns and projections onto the project it replaces (whose own fields — direction, override,
    /// flags, publication, links — stay), and is removed; staged new projects become published, or drafts.
    /// </summary>
    public async Task PublishStagedAsync(bool publishNew, CancellationToken ct)
    {
        // The projects whose published version changes, and the new ones: the totals' cells move with them.
        var replaced = await IdsAsync(ReplacedIds, ct);
        var added = await IdsAsync("""SELECT "Id" FROM "Projects" WHERE "Staged" AND "Replaces" = 0""", ct);
        var cells = await ProjectTotalCells.BeginAsync(db, replaced, ct);
        foreach (var table in new[] { "ProjectTransactions", "ProjectCountries" })
        {
            await SqlAsync($"""DELETE FROM "{table}" WHERE "ProjectId" IN ({ReplacedIds})""", ct);
            await SqlAsync(
                $"""UPDATE "{table}" SET "ProjectId" = s."Replaces" FROM "Projects" AS s """
                + $"""WHERE s."Staged" AND s."Replaces" <> 0 AND s."Id" = "{table}"."ProjectId" """, ct);
        }
        var set = string.Join(", ", UpdatedColumns.Select(c => $"\"{c}\" = s.\"{c}\""));
        await SqlAsync(
            $"""UPDATE "Projects" AS p SET {set}, "Version" = p."Version" + 1 FROM "Projects" AS s """
            + """WHERE s."Staged" AND s."Replaces" <> 0 AND p."Id" = s."Replaces" """, ct);
        await SqlAsync($"""DELETE FROM "Projects" WHERE "Id" IN ({StagedVersions})""", ct);
        await SqlAsync(
            """UPDATE "Projects" SET "Published" = {0}, "Staged" = {1} WHERE "Staged" """, ct, publishNew, false);
        await cells.EndAsync([.. replaced, .. added], ct);
        await db.BumpCacheVersionsAsync(Tags, ct);
    }

    /// <summary>Deletes every staged row with its projections, in the caller's transaction: nobody saw them.</summary>
    public async Task DiscardStagedAsync(CancellationToken ct)
    {
        foreach (var table in new[] { "ProjectTransactions", "ProjectCountries", "ProjectCommitments" })
            await SqlAsync(
                $"""DELETE FROM "{table}" WHERE "ProjectId" IN (SELECT "Id" FROM "Projects" WHERE "Staged")""", ct);
        await SqlAsync("""DELETE FROM "Projects" WHERE "Staged" """, ct);
    }

    // The statements are built from the column lists above, never from input; values go as parameters.
    private Task<int> SqlAsync(string sql, CancellationToken ct, params object[] values) =>
        db.Database.ExecuteSqlRawAsync(sql, values, ct);

    /// <summary>
    /// An umbrella is a project whose children (related-activity type 1 naming it) are stored: its money is theirs.
    /// Refreshed in the caller's transaction with the write lock held: at the end of an import run, when no staged
    /// row is left (one IATI import runs at a time, and its own are published or deleted first).
    /// </summary>
    public async Task RefreshUmbrellasAsync(CancellationToken ct)
    {
        const string Umbrella =
            """EXISTS (SELECT 1 FROM "Projects" c WHERE c."ParentIdentifier" = "Projects"."IatiIdentifier")""";
        // Only the projects that become or stop being umbrellas change; the totals' cells move with them.
        var flips = await IdsAsync($"SELECT \"Id\" FROM \"Projects\" WHERE \"IsUmbrella\" <> {Umbrella}", ct);
        if (flips.Count == 0) return;
        var cells = await ProjectTotalCells.BeginAsync(db, flips, ct);
        await SqlAsync($"UPDATE \"Projects\" SET \"IsUmbrella\" = {Umbrella} WHERE \"IsUmbrella\" <> {Umbrella}", ct);
        await cells.EndAsync(flips, ct);
        await db.BumpCacheVersionsAsync(Tags, ct);
    }

    private async Task<List<long>> IdsAsync(string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private static async Task WritePostgresAsync(NpgsqlConnection pg, IReadOnlyList<ProjectRows> inserted,
        IReadOnlyList<ProjectRows> updated, CancellationToken ct)
    {
        if (updated.Count > 0)
        {
            var ids = updated.Select(u => u.Project.Id).ToArray();
            await using (var delete = new NpgsqlBatch(pg))
            {
                foreach (var table in new[] { "ProjectTransactions", "ProjectCountries" })
                    delete.BatchCommands.Add(
                        new NpgsqlBatchCommand($"""DELETE FROM "{table}" WHERE "ProjectId" = ANY($1)""")
                        { Parameters = { new() { Value = ids } } });
                await delete.ExecuteNonQueryAsync(ct);
            }
            // One UPDATE … FROM unnest(arrays) replaces all changed rows in one statement.
            var set = string.Join(", ", UpdatedColumns.Select((c, i) => $"\"{c}\" = u.c{i}"));
            var types = new[] { "text", "text", "text", "text", "text", "date", "date", "date", "date", "text", "text",
                "integer", "text", "text", "timestamptz", "text", "text", "integer" };
            var unnest = string.Join(", ", types.Select((t, i) => $"${i + 2}::{t}[]"));
            var cols = string.Join(", ", UpdatedColumns.Select((_, i) => $"c{i}"));
            await using var update = new NpgsqlCommand(
                $"""UPDATE "Projects" p SET {set}, "Version" = p."Version" + 1 """
                + $"""FROM unnest($1::bigint[], {unnest}) AS u(id, {cols}) WHERE p."Id" = u.id""", pg);
            var rows = updated.Select(u => u.Project).ToList();
            update.Parameters.Add(new NpgsqlParameter { Value = rows.Select(p => p.Id).ToArray() });
            foreach (var column in UpdatedColumns)
                update.Parameters.Add(new NpgsqlParameter { Value = ColumnArray(rows, column) });
            await update.ExecuteNonQueryAsync(ct);
        }
        await using (var copy = await pg.BeginBinaryImportAsync(Copy("Projects", ProjectColumns), ct))
        {
            foreach (var p in inserted.Select(r => r.Project))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(p.IatiIdentifier, NpgsqlDbType.Text, ct);
                await WriteNullable(copy, p.ReportingOrgRef, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.Titles, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.SearchText, NpgsqlDbType.Text, ct);
                await WriteNullable(copy, p.Status, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.Stage.ToString(), NpgsqlDbType.Text, ct);
                await WriteNullable(copy, p.StageOverride?.ToString(), NpgsqlDbType.Text, ct);
                await WriteDate(copy, p.PlannedStart, ct);
                await WriteDate(copy, p.ActualStart, ct);
                await WriteDate(copy, p.PlannedEnd, ct);
                await WriteDate(copy, p.ActualEnd, ct);
                await copy.WriteAsync(p.DatesEstimated, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(p.AmountsEstimated, NpgsqlDbType.Boolean, ct);
                await WriteNullable(copy, p.DefaultCurrency, NpgsqlDbType.Text, ct);
                await WriteNullable(copy, p.DirectionId, NpgsqlDbType.Text, ct);
                await WriteNullable(copy, p.ParentIdentifier, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.IsUmbrella, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(p.Published, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(p.TransactionCount, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(p.Activity, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.ContentHash, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.UpdatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullable(copy, p.UpdatedBy, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.Version, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(p.Staged, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(p.Replaces, NpgsqlDbType.Bigint, ct);
                await WriteNullable(copy, p.Findings, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.FindingCount, NpgsqlDbType.Integer, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var all = inserted.Concat(updated).ToList();
        await using (var copy = await pg.BeginBinaryImportAsync(Copy("ProjectTransactions", TransactionColumns), ct))
        {
            foreach (var t in all.SelectMany(r => r.Transactions))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(t.ProjectId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(t.Seq, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(t.Type, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.Date, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(t.Year, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(t.Amount, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(t.Currency, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(t.ValueDate, NpgsqlDbType.Date, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await pg.BeginBinaryImportAsync(Copy("ProjectCountries", CountryColumns), ct))
        {
            foreach (var c in all.SelectMany(r => r.Countries))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(c.ProjectId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(c.CountryCode, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Percentage, NpgsqlDbType.Numeric, ct);
            }
            await copy.CompleteAsync(ct);
        }
    }

    private static string Copy(string table, string[] columns) =>
        $"""COPY "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)""";

    private static Task WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type,
        CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    private static Task WriteDate(NpgsqlBinaryImporter copy, DateOnly? value, CancellationToken ct) =>
        value is { } d ? copy.WriteAsync(d, NpgsqlDbType.Date, ct) : copy.WriteNullAsync(ct);

    private static Array ColumnArray(List<Project> rows, string column) => column switch
    {
        "ReportingOrgRef" => rows.Select(p => p.ReportingOrgRef).ToArray(),
        "Titles" => rows.Select(p => p.Titles).ToArray(),
        "SearchText" => rows.Select(p => p.SearchText).ToArray(),
        "Status" => rows.Select(p => p.Status).ToArray(),
        "Stage" => rows.Select(p => p.Stage.ToString()).ToArray(),
        "PlannedStart" => rows.Select(p => p.PlannedStart).ToArray(),
        "ActualStart" => rows.Select(p => p.ActualStart).ToArray(),
        "PlannedEnd" => rows.Select(p => p.PlannedEnd).ToArray(),
        "ActualEnd" => rows.Select(p => p.ActualEnd).ToArray(),
        "DefaultCurrency" => rows.Select(p => p.DefaultCurrency).ToArray(),
        "ParentIdentifier" => rows.Select(p => p.ParentIdentifier).ToArray(),
        "TransactionCount" => rows.Select(p => p.TransactionCount).ToArray(),
        "Activity" => rows.Select(p => p.Activity).ToArray(),
        "ContentHash" => rows.Select(p => p.ContentHash).ToArray(),
        "UpdatedAt" => rows.Select(p => p.UpdatedAt.ToUniversalTime()).ToArray(),
        "UpdatedBy" => rows.Select(p => p.UpdatedBy).ToArray(),
        "Findings" => rows.Select(p => p.Findings).ToArray(),
        "FindingCount" => rows.Select(p => p.FindingCount).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };

    private static async Task WriteSqliteAsync(SqliteConnection connection, SqliteTransaction tx,
        IReadOnlyList<ProjectRows> inserted, IReadOnlyList<ProjectRows> updated, CancellationToken ct)
    {
        if (updated.Count > 0)
        {
            using var deleteTransactions = Prepared(connection, tx,
                """DELETE FROM "ProjectTransactions" WHERE "ProjectId" = $p0""", 1);
            using var deleteCountries = Prepared(connection, tx,
                """DELETE FROM "ProjectCountries" WHERE "ProjectId" = $p0""", 1);
            var set = string.Join(", ", UpdatedColumns.Select((c, i) => $"\"{c}\" = $p{i + 1}"));
            using var update = Prepared(connection, tx,
                $"""UPDATE "Projects" SET {set}, "Version" = "Version" + 1 WHERE "Id" = $p0""",
                UpdatedColumns.Length + 1);
            foreach (var p in updated.Select(u => u.Project))
            {
                deleteTransactions.Parameters[0].Value = p.Id;
                await deleteTransactions.ExecuteNonQueryAsync(ct);
                deleteCountries.Parameters[0].Value = p.Id;
                await deleteCountries.ExecuteNonQueryAsync(ct);
                Bind(update, p.Id, p.ReportingOrgRef, p.Titles, p.SearchText, p.Status, p.Stage.ToString(),
                    p.PlannedStart, p.ActualStart, p.PlannedEnd, p.ActualEnd, p.DefaultCurrency, p.ParentIdentifier,
                    p.TransactionCount, p.Activity, p.ContentHash, p.UpdatedAt, p.UpdatedBy, p.Findings, p.FindingCount);
                await update.ExecuteNonQueryAsync(ct);
            }
        }
        using (var insert = Prepared(connection, tx, Insert("Projects", ProjectColumns), ProjectColumns.Length))
            foreach (var p in inserted.Select(r => r.Project))
            {
                Bind(insert, p.Id, p.IatiIdentifier, p.ReportingOrgRef, p.Titles, p.SearchText, p.Status,
                    p.Stage.ToString(), p.StageOverride?.ToString(), p.PlannedStart, p.ActualStart, p.PlannedEnd,
                    p.ActualEnd, p.DatesEstimated, p.AmountsEstimated, p.DefaultCurrency, p.DirectionId,
                    p.ParentIdentifier, p.IsUmbrella, p.Published, p.TransactionCount, p.Activity, p.ContentHash,
                    p.UpdatedAt, p.UpdatedBy, p.Version, p.Staged, p.Replaces, p.Findings, p.FindingCount);
                await insert.ExecuteNonQueryAsync(ct);
            }
        var all = inserted.Concat(updated).ToList();
        using (var insert = Prepared(connection, tx, Insert("ProjectTransactions", TransactionColumns),
            TransactionColumns.Length))
            foreach (var t in all.SelectMany(r => r.Transactions))
            {
                Bind(insert, t.ProjectId, t.Seq, t.Type, t.Date, t.Year, t.Amount, t.Currency, t.ValueDate);
                await insert.ExecuteNonQueryAsync(ct);
            }
        using (var insert = Prepared(connection, tx, Insert("ProjectCountries", CountryColumns), CountryColumns.Length))
            foreach (var c in all.SelectMany(r => r.Countries))
            {
                Bind(insert, c.ProjectId, c.CountryCode, c.Percentage);
                await insert.ExecuteNonQueryAsync(ct);
            }
    }

    private static string Insert(string table, string[] columns) =>
        $"""INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) """
        + $"""VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})""";

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction tx, string sql, int parameters)
    {
        var command = new SqliteCommand(sql, connection, tx);
        for (var i = 0; i < parameters; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                // As EF's SQLite provider stores them, so that EF reads back what was written here.
                decimal d
                    => d.ToString("0.0###########################", System.Globalization.CultureInfo.InvariantCulture),
                DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset d
                    => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
                bool b => b ? 1 : 0,
                var v => v,
            };
    }
}
