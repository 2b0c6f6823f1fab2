using System.Data.Common;
using System.Diagnostics;
using System.Text;

namespace Caravan.Benchmarks;

/// <summary>
/// The large dataset of <c>--scale</c>, written straight into the app's database with plain SQL (the same
/// statements on SQLite and PostgreSQL): 10 reporting periods, 10,000 commitments binding all six states,
/// one score per state and period. Not audited: it is load, not data.
/// </summary>
public static class ScaleData
{
    private static readonly string[] States = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];
    private static readonly string[] Directions = ["trade-facilitation", "industrial-investment", "connectivity", "green-minerals", "agricultural-modernisation", "people-to-people-exchanges"];
    private static readonly string[] Bodies = ["foreign-ministers", "economy-trade-ministers", "industry-investment", "agriculture-ministers", "transport-ministers", "customs-heads", "education-ministers"];

    public static async Task<double> InsertAsync(string provider, string connectionString)
    {
        var clock = Stopwatch.StartNew();
        DbProviderFactory factory = provider == "postgres" ? Npgsql.NpgsqlFactory.Instance : Microsoft.Data.Sqlite.SqliteFactory.Instance;
        await using var connection = factory.CreateConnection()!;
        connection.ConnectionString = connectionString;
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task Run(string sql)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 300;
            await command.ExecuteNonQueryAsync();
        }

        var periods = new StringBuilder("INSERT INTO \"ReportingPeriods\" (\"Id\", \"Order\", \"Name\", \"From\", \"Closed\") VALUES ");
        periods.AppendJoin(", ", Enumerable.Range(1, 10).Select(p => $"('bench-{p}', {100 + p}, '{{\"en\":\"Benchmark period {p}\"}}', '{2030 + p}', FALSE)"));
        await Run(periods.ToString());

        var random = new Random(20251117);
        for (var start = 0; start < 10_000; start += 500)
        {
            var sql = new StringBuilder("INSERT INTO \"Commitments\" (\"Id\", \"Text\", \"Translated\", \"Parties\", \"LeadBodies\", \"SupportingBodies\", \"DirectionId\", \"Kind\", \"FirstPeriodId\", \"Cancelled\", \"Combine\", \"Version\") VALUES ");
            sql.AppendJoin(", ", Enumerable.Range(start, 500).Select(c =>
                $"('bench-{c}', '{{\"en\":\"Benchmark commitment {c}\"}}', '[]', '[\"CN\",\"KZ\",\"KG\",\"TJ\",\"TM\",\"UZ\"]', '[\"{Bodies[c % Bodies.Length]}\"]', '[]', '{Directions[c % 6]}', 'Programme', 'bench-1', {(c % 10 == 0 ? "TRUE" : "FALSE")}, 'Average', 0)"));
            await Run(sql.ToString());
        }
        for (var c = 0; c < 10_000; c += 100)
        {
            var sql = new StringBuilder("INSERT INTO \"Assessments\" (\"Id\", \"CommitmentId\", \"StateId\", \"PeriodId\", \"Score\", \"Evidence\", \"Version\") VALUES ");
            sql.AppendJoin(", ", Enumerable.Range(c, 100).SelectMany(i => Enumerable.Range(1, 10).SelectMany(p => States.Select(s =>
                $"('bench-{i}:{s}:bench-{p}', 'bench-{i}', '{s}', 'bench-{p}', {random.Next(-1, 2)}, '{{\"en\":\"benchmark\"}}', 0)"))));
            await Run(sql.ToString());
        }
        await transaction.CommitAsync();
        return clock.Elapsed.TotalSeconds;
    }
}
