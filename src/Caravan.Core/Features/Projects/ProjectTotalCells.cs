using System.Data.Common;
using System.Globalization;
using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;

namespace Caravan.Features.Projects;

/// <summary>
/// One cell of the projects' totals, kept current on every write (ADR 0031): the sum and count of one transaction
/// type's amounts over the published, non-umbrella projects that share a direction, stage, activity status, findings
/// flag, year, currency and rate epoch. A cell with a <see cref="CountryCode"/> holds that country's share of the
/// amounts (the percentage applied); without one, the whole amounts. A cell with no <see cref="Type"/> counts
/// projects (umbrellas too) instead: in all years (<see cref="Year"/> 0) and in each year they have a transaction.
/// Totals then read a few thousand cells instead of joining a million transactions to their projects.
/// </summary>
public sealed class ProjectTotalCell
{
    /// <summary>Every dimension below in one string: the cell's identity.</summary>
    public required string Key { get; set; }
    public required string Type { get; set; }
    public required string CountryCode { get; set; }
    /// <summary>The direction, or "" for none (a key column cannot be null on both providers alike).</summary>
    public required string DirectionId { get; set; }
    /// <summary>The stage as totals count it: the secretariat's override, else the derived one.</summary>
    public ProjectStage Stage { get; set; }
    public required string Status { get; set; }
    public int Year { get; set; }
    public bool Findings { get; set; }
    public bool Umbrella { get; set; }
    public required string Currency { get; set; }
    /// <summary>
    /// The latest date of any stored exchange rate on or before the value dates summed here (MinValue before the
    /// first): every date of an epoch converts with the same rates, so its amounts convert as one sum.
    /// </summary>
    public DateOnly Epoch { get; set; }
    public decimal Amount { get; set; }
    public int Count { get; set; }
}

/// <summary>That the cells are built, and for which rate dates (a new rate date moves the epochs: they are rebuilt).</summary>
public sealed class ProjectTotalsStamp
{
    public int Id { get; set; }
    public required string RateDates { get; set; }
    public DateTimeOffset BuiltAt { get; set; }
}

internal sealed class ProjectTotalCellConfiguration : IEntityTypeConfiguration<ProjectTotalCell>
{
    public void Configure(EntityTypeBuilder<ProjectTotalCell> e)
    {
        e.ToTable("ProjectTotalCells");
        e.HasKey(x => x.Key);
        e.Property(x => x.Key).HasMaxLength(200);
        e.Property(x => x.Type).HasMaxLength(4);
        e.Property(x => x.CountryCode).HasMaxLength(2);
        e.Property(x => x.DirectionId).HasMaxLength(100);
        e.Property(x => x.Status).HasMaxLength(8);
        e.Property(x => x.Currency).HasMaxLength(3);
        // Shares carry the percentage's decimals as well as the amount's.
        e.Property(x => x.Amount).HasPrecision(30, 10);
        e.HasIndex(x => new { x.Type, x.Year });
    }
}

internal sealed class ProjectTotalsStampConfiguration : IEntityTypeConfiguration<ProjectTotalsStamp>
{
    public void Configure(EntityTypeBuilder<ProjectTotalsStamp> e)
    {
        e.ToTable("ProjectTotalsStamps");
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.RateDates).HasMaxLength(80);
    }
}

/// <summary>The rate epochs: the distinct dates of the stored rates, in order.</summary>
public sealed class RateEpochs
{
    private readonly DateOnly[] _dates;

    public RateEpochs(IEnumerable<DateOnly> dates)
    {
        _dates = [.. dates.Distinct().Order()];
        var hash = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.ASCII.GetBytes(string.Join(",", _dates.Select(d => d.DayNumber))));
        Key = $"{_dates.Length}:{Convert.ToHexStringLower(hash)[..32]}";
    }

    /// <summary>Which dates they are, in a short string the stamp keeps.</summary>
    public string Key { get; }

    /// <summary>The latest rate date on or before <paramref name="date"/>, or MinValue.</summary>
    public DateOnly Of(DateOnly date)
    {
        var i = Array.BinarySearch(_dates, date);
        if (i >= 0) return _dates[i];
        i = ~i - 1;
        return i >= 0 ? _dates[i] : DateOnly.MinValue;
    }
}

/// <summary>
/// Keeps <see cref="ProjectTotalCell"/> current. Every path that changes what the totals count (an IATI import's
/// publication and umbrellas, a sheet's edits, a rates import) calls it in its own transaction, under the writers'
/// lock: the projects' contributions before the change are taken away and those after added
/// (<see cref="Change"/>), or all cells are rebuilt when the change is large, the rate dates moved, or the cells were
/// never built. Contributions are computed here in C# from the stored rows, so both providers add decimals alike.
/// </summary>
public static class ProjectTotalCells
{
    /// <summary>Above this many projects a change rebuilds every cell: one pass beats thousands of keyed updates.</summary>
    public const int RebuildAbove = 20_000;

    private const int Chunk = 500;

    public readonly record struct CellKey(string Type, string CountryCode, string DirectionId, ProjectStage Stage,
        string Status, int Year, bool Findings, bool Umbrella, string Currency, DateOnly Epoch)
    {
        public override string ToString() => string.Join('|', Type, CountryCode, DirectionId, Stage, Status,
            Year.ToString(CultureInfo.InvariantCulture), Findings ? "F" : "", Umbrella ? "U" : "", Currency,
            Epoch.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    internal sealed class Sum
    {
        public decimal Amount;
        public int Count;
    }

    /// <summary>
    /// A change to some projects, begun before it is written and ended after, in the same transaction:
    /// <c>var change = await ProjectTotalCells.BeginAsync(db, ids); …write…; await change.EndAsync(ids);</c>.
    /// </summary>
    public sealed class Change
    {
        private readonly DbConnection _connection;
        private readonly DbTransaction? _transaction;
        private readonly RateEpochs _epochs;
        private readonly Dictionary<CellKey, Sum>? _before;

        internal Change(DbConnection connection, DbTransaction? transaction, RateEpochs epochs,
            Dictionary<CellKey, Sum>? before)
        {
            (_connection, _transaction, _epochs, _before) = (connection, transaction, epochs, before);
        }

        /// <summary>
        /// Adds the contributions of <paramref name="ids"/> as now stored (for a new version, the projects as they
        /// are after it) and takes away those taken at the start.
        /// </summary>
        public async Task EndAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
        {
            if (_before is null || ids.Count > RebuildAbove)
            {
                await RebuildAsync(_connection, _transaction, _epochs, ct);
                return;
            }
            var after = await ContributionsAsync(_connection, _transaction, ids, _epochs, ct);
            foreach (var (key, sum) in _before)
            {
                var into = Cell(after, key);
                into.Amount -= sum.Amount;
                into.Count -= sum.Count;
            }
            if (!await ApplyAsync(_connection, _transaction, after, ct))
                await RebuildAsync(_connection, _transaction, _epochs, ct);
        }
    }

    /// <summary>Begins a change of <paramref name="ids"/> in the context's current transaction.</summary>
    public static Task<Change> BeginAsync(CaravanDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        BeginAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), ids, ct);

    /// <summary>Begins a change of <paramref name="ids"/> on a connection and transaction written around EF.</summary>
    public static async Task<Change> BeginAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var epochs = await EpochsAsync(connection, transaction, ct);
        // Cells never built, or built for other rate dates, are rebuilt whole at the end.
        var current = await StampAsync(connection, transaction, ct) == epochs.Key;
        var before = current && ids.Count <= RebuildAbove
            ? await ContributionsAsync(connection, transaction, ids, epochs, ct)
            : null;
        return new Change(connection, transaction, epochs, before);
    }

    /// <summary>
    /// Stores exchange rates (<see cref="Money.ExchangeRates.StoreAsync"/>) and, when they bring a new rate date,
    /// rebuilds the cells for the new epochs, as one write step.
    /// </summary>
    public static Task<(int Added, int Replaced)> StoreRatesAsync(CaravanDbContext db,
        IReadOnlyList<Money.ExchangeRate> rates, CancellationToken ct) => db.WriteAsync(async () =>
    {
        var stored = await Money.ExchangeRates.StoreAsync(db, rates, ct);
        await EnsureAsync(db, ct);
        return stored;
    }, ct);

    /// <summary>
    /// Rebuilds the cells when they were never built or the rate dates moved (a rates import, an upgrade), in the
    /// context's current transaction. True when it rebuilt.
    /// </summary>
    public static async Task<bool> EnsureAsync(CaravanDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var epochs = await EpochsAsync(connection, transaction, ct);
        if (await StampAsync(connection, transaction, ct) == epochs.Key) return false;
        await RebuildAsync(connection, transaction, epochs, ct);
        return true;
    }

    /// <summary>Rebuilds every cell from the stored projects, in the context's current transaction.</summary>
    public static async Task RebuildAsync(CaravanDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await RebuildAsync(connection, transaction, await EpochsAsync(connection, transaction, ct), ct);
    }

    internal static async Task RebuildAsync(DbConnection connection, DbTransaction? transaction, RateEpochs epochs,
        CancellationToken ct)
    {
        var all = await ContributionsAsync(connection, transaction, null, epochs, ct);
        await ExecuteAsync(connection, transaction, """DELETE FROM "ProjectTotalCells" """, [], ct);
        await using (var insert = InsertCommand(connection, transaction))
            foreach (var (key, sum) in all.Where(c => c.Value.Count != 0 || c.Value.Amount != 0))
                await InsertAsync(insert, key, sum, ct);
        await ExecuteAsync(connection, transaction, """DELETE FROM "ProjectTotalsStamps" """, [], ct);
        await ExecuteAsync(connection, transaction,
            """INSERT INTO "ProjectTotalsStamps" ("Id", "RateDates", "BuiltAt") VALUES (1, @p0, @p1)""",
            [epochs.Key, DateTimeOffset.UtcNow], ct);
    }

    /// <summary>The rate dates the cells were built for, or null when they never were.</summary>
    private static async Task<string?> StampAsync(DbConnection connection, DbTransaction? transaction,
        CancellationToken ct)
    {
        await using var command = Command(connection, transaction,
            """SELECT "RateDates" FROM "ProjectTotalsStamps" WHERE "Id" = 1""", []);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    internal static async Task<RateEpochs> EpochsAsync(DbConnection connection, DbTransaction? transaction,
        CancellationToken ct)
    {
        var dates = new List<DateOnly>();
        await using var command = Command(connection, transaction, """SELECT DISTINCT "On" FROM "ExchangeRates" """, []);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) dates.Add(reader.GetFieldValue<DateOnly>(0));
        return new RateEpochs(dates);
    }

    private sealed record ProjectDims(string DirectionId, ProjectStage Stage, string Status, bool Findings,
        bool Umbrella);

    /// <summary>
    /// What the projects (<paramref name="ids"/>, or all) add to the cells as stored now: only published ones count.
    /// The transactions are read in the order stored and added up here.
    /// </summary>
    internal static async Task<Dictionary<CellKey, Sum>> ContributionsAsync(DbConnection connection,
        DbTransaction? transaction, IReadOnlyCollection<long>? ids, RateEpochs epochs, CancellationToken ct)
    {
        var cells = new Dictionary<CellKey, Sum>();
        var projects = new Dictionary<long, ProjectDims>();
        var countries = new Dictionary<long, List<(string Code, decimal Percentage)>>();
        foreach (var (filter, values) in Filters(ids))
        {
            await using (var command = Command(connection, transaction,
                """SELECT "Id", "DirectionId", "Stage", "StageOverride", "Status", "FindingCount", "IsUmbrella" """
                + $"""FROM "Projects" WHERE "Published" {filter.Replace("@id", "\"Id\"")}""", values))
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    projects[reader.GetInt64(0)] = new ProjectDims(
                        reader.IsDBNull(1) ? "" : reader.GetString(1),
                        Enum.Parse<ProjectStage>(reader.IsDBNull(3) ? reader.GetString(2) : reader.GetString(3)),
                        reader.IsDBNull(4) ? "" : reader.GetString(4), reader.GetInt32(5) > 0, reader.GetBoolean(6));
            await using (var command = Command(connection, transaction,
                """SELECT "ProjectId", "CountryCode", "Percentage" FROM "ProjectCountries" """
                + $"""WHERE TRUE {filter.Replace("@id", "\"ProjectId\"")}""", values))
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetInt64(0);
                    if (!projects.ContainsKey(id)) continue;
                    if (!countries.TryGetValue(id, out var list)) countries[id] = list = [];
                    list.Add((reader.GetString(1), reader.GetDecimal(2)));
                }
        }
        // Projects: one in all years and in each of its countries, and one in each year it has a transaction (of
        // the Standard's types, as the list's year filter counts).
        foreach (var (id, p) in projects)
        {
            Add(cells, Key(p, "", "", 0, "", DateOnly.MinValue), 0, 1);
            foreach (var (code, _) in countries.GetValueOrDefault(id) ?? []) Add(cells, Key(p, "", code, 0, "",
                DateOnly.MinValue), 0, 1);
        }
        var years = new HashSet<(long, int)>();
        foreach (var (filter, values) in Filters(ids))
        {
            await using var command = Command(connection, transaction,
                """SELECT "ProjectId", "Type", "Year", "Currency", "ValueDate", "Amount" FROM "ProjectTransactions" """
                + $"""WHERE TRUE {filter.Replace("@id", "\"ProjectId\"")}""", values);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                if (!projects.TryGetValue(id, out var p)) continue;
                var type = reader.GetString(1);
                var year = reader.GetInt32(2);
                if (IatiCodelists.TransactionType.Contains(type) && years.Add((id, year)))
                    Add(cells, Key(p, "", "", year, "", DateOnly.MinValue), 0, 1);
                // Umbrellas' money is their children's: never counted.
                if (p.Umbrella) continue;
                var currency = reader.GetString(3);
                var epoch = epochs.Of(reader.GetFieldValue<DateOnly>(4));
                var amount = reader.GetDecimal(5);
                Add(cells, Key(p, type, "", year, currency, epoch), amount, 1);
                foreach (var (code, percentage) in countries.GetValueOrDefault(id) ?? [])
                    Add(cells, Key(p, type, code, year, currency, epoch), MoneyTally.Share(amount, percentage), 1);
            }
        }
        return cells;
    }

    private static CellKey Key(ProjectDims p, string type, string country, int year, string currency, DateOnly epoch) =>
        new(type, country, p.DirectionId, p.Stage, p.Status, year, p.Findings, type == "" && p.Umbrella, currency,
            epoch);

    private static void Add(Dictionary<CellKey, Sum> cells, CellKey key, decimal amount, int count)
    {
        var sum = Cell(cells, key);
        sum.Amount += amount;
        sum.Count += count;
    }

    private static Sum Cell(Dictionary<CellKey, Sum> cells, CellKey key)
    {
        if (!cells.TryGetValue(key, out var sum)) cells[key] = sum = new Sum();
        return sum;
    }

    /// <summary>The WHERE clauses that select the projects: none for all, else chunks of ids as parameters.</summary>
    private static IEnumerable<(string Filter, object[] Values)> Filters(IReadOnlyCollection<long>? ids)
    {
        if (ids is null)
        {
            yield return ("", []);
            yield break;
        }
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
            yield return ($"AND @id IN ({string.Join(", ", chunk.Select((_, i) => $"@p{i}"))})",
                [.. chunk.Cast<object>()]);
    }

    /// <summary>
    /// Adds the deltas to the stored cells: read, added, written back (the writers' lock is held, so no other writer
    /// moves them meanwhile); a cell left empty is deleted. False when a cell would go below nothing: the cells were
    /// wrong, and the caller rebuilds them.
    /// </summary>
    private static async Task<bool> ApplyAsync(DbConnection connection, DbTransaction? transaction,
        Dictionary<CellKey, Sum> deltas, CancellationToken ct)
    {
        var changed = deltas.Where(d => d.Value.Count != 0 || d.Value.Amount != 0)
            .ToDictionary(d => d.Key.ToString(), d => (d.Key, d.Value), StringComparer.Ordinal);
        var stored = new Dictionary<string, (decimal Amount, int Count)>(StringComparer.Ordinal);
        foreach (var chunk in changed.Keys.Chunk(Chunk))
        {
            await using var command = Command(connection, transaction,
                """SELECT "Key", "Amount", "Count" FROM "ProjectTotalCells" """
                + $"""WHERE "Key" IN ({string.Join(", ", chunk.Select((_, i) => $"@p{i}"))})""", chunk);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                stored[reader.GetString(0)] = (reader.GetDecimal(1), reader.GetInt32(2));
        }
        await using var insert = InsertCommand(connection, transaction);
        await using var update = Command(connection, transaction,
            """UPDATE "ProjectTotalCells" SET "Amount" = @p1, "Count" = @p2 WHERE "Key" = @p0""", ["", 0m, 0]);
        await using var delete = Command(connection, transaction,
            """DELETE FROM "ProjectTotalCells" WHERE "Key" = @p0""", [""]);
        foreach (var (text, (key, delta)) in changed.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var (amount, count) = stored.TryGetValue(text, out var s) ? s : (0m, 0);
            amount += delta.Amount;
            count += delta.Count;
            if (count < 0 || (count == 0 && amount != 0)) return false;
            if (count == 0)
            {
                delete.Parameters[0].Value = text;
                await delete.ExecuteNonQueryAsync(ct);
            }
            else if (stored.ContainsKey(text))
            {
                update.Parameters[0].Value = text;
                update.Parameters[1].Value = amount;
                update.Parameters[2].Value = count;
                await update.ExecuteNonQueryAsync(ct);
            }
            else await InsertAsync(insert, key, new Sum { Amount = amount, Count = count }, ct);
        }
        return true;
    }

    private static readonly string[] Columns = ["Key", "Type", "CountryCode", "DirectionId", "Stage", "Status", "Year",
        "Findings", "Umbrella", "Currency", "Epoch", "Amount", "Count"];

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction? transaction) =>
        Command(connection, transaction,
            $"""INSERT INTO "ProjectTotalCells" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) """
            + $"""VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))})""",
            ["", "", "", "", "", "", 0, false, false, "", DateOnly.MinValue, 0m, 0]);

    private static async Task InsertAsync(DbCommand insert, CellKey key, Sum sum, CancellationToken ct)
    {
        object[] values = [key.ToString(), key.Type, key.CountryCode, key.DirectionId, key.Stage.ToString(), key.Status,
            key.Year, key.Findings, key.Umbrella, key.Currency, key.Epoch, sum.Amount, sum.Count];
        for (var i = 0; i < values.Length; i++) insert.Parameters[i].Value = values[i];
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql,
        object[] values, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, sql, values);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql,
        IReadOnlyList<object> values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{i}";
            p.Value = values[i];
            command.Parameters.Add(p);
        }
        return command;
    }
}

/// <summary>
/// Every save through EF that touches a project, its countries or its transactions (the sheet's edits, a
/// secretariat's direct change) moves the cells in the same transaction.
/// </summary>
internal sealed class ProjectTotalCellsOnSave : ISaveHook
{
    private sealed record State(ProjectTotalCells.Change Change, List<long> Ids);

    public async Task<object?> BeforeSaveAsync(CaravanDbContext db, CancellationToken ct)
    {
        var touched = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity switch
            {
                Project p => p.Id,
                ProjectCountry c => c.ProjectId,
                ProjectTransaction t => t.ProjectId,
                _ => (long?)null,
            })
            .OfType<long>().Distinct().ToList();
        return touched.Count == 0 ? null : new State(await ProjectTotalCells.BeginAsync(db, touched, ct), touched);
    }

    public Task AfterSaveAsync(CaravanDbContext db, object state, CancellationToken ct) =>
        ((State)state).Change.EndAsync(((State)state).Ids, ct);
}
