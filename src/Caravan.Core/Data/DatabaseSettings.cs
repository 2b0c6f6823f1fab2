using Microsoft.EntityFrameworkCore;

namespace Caravan.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// <c>Caravan:Database</c>: which store to use. SQLite is the embedded default; PostgreSQL is the
/// production store. Also set as environment variables (<c>Caravan__Database__Provider=postgres</c>).
/// </summary>
public sealed class DatabaseSettings
{
    public const string Section = "Caravan:Database";
    public const string DefaultSqliteFile = "data/caravan.db";

    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL only: where the public's reads go, usually streaming-replication standbys listed as one Npgsql
    /// multi-host connection string (<c>Host=standby-1,standby-2,primary;Target Session Attributes=prefer-standby</c>),
    /// so that Npgsql itself moves on when a host is down. Unset: every read is made on the primary (ADR 0030).
    /// </summary>
    public string? StandbyConnectionString { get; set; }

    /// <summary>A standby further behind the primary than this is not read from until it has caught up.</summary>
    public TimeSpan StandbyMaxLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the public's reads may go to standbys: PostgreSQL with a standby connection string.</summary>
    public bool HasStandbys => ParsedProvider == DatabaseProvider.Postgres
        && !string.IsNullOrWhiteSpace(StandbyConnectionString);

    public DatabaseProvider ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"{Section}:Provider is '{Provider}'; use 'sqlite' (the embedded default) or 'postgres'."),
    };

    /// <summary>The connection string to use, with the embedded default filled in for SQLite.</summary>
    public string EffectiveConnectionString => ParsedProvider switch
    {
        DatabaseProvider.Sqlite => string.IsNullOrWhiteSpace(ConnectionString)
            ? $"Data Source={DefaultSqliteFile}"
            : ConnectionString,
        _ => string.IsNullOrWhiteSpace(ConnectionString)
            ? throw new InvalidOperationException(
                $"{Section}:Provider is postgres but {Section}:ConnectionString is empty "
                + "(e.g. Host=127.0.0.1;Database=caravan;Username=caravan;Password=…).")
            : ConnectionString,
    };

    public const string SqliteMigrationsAssembly = "Caravan.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Caravan.Migrations.Postgres";

    /// <summary>
    /// Whether to use the provider's compiled model (generated into its migrations assembly by
    /// <c>scripts/add-migration.sh</c>) instead of building the model from the configuration classes at the first
    /// use, which costs most of a CLI verb's start (ADR 0024). Off at design time: <c>dotnet ef</c> must see the model
    /// the code declares, not the last one compiled.
    /// </summary>
    public bool UseCompiledModel { get; set; } = true;

    /// <summary>Configures EF Core for the chosen provider, with its own migrations assembly.</summary>
    public void Apply(DbContextOptionsBuilder options)
    {
        var connection = EffectiveConnectionString;
        switch (ParsedProvider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connection, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(connection, o => o.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
        }
        if (UseCompiledModel && CompiledModel(ParsedProvider) is { } model) options.UseModel(model);
    }

    private static readonly Lazy<Microsoft.EntityFrameworkCore.Metadata.IModel?> SqliteModel =
        new(() => LoadCompiledModel(SqliteMigrationsAssembly));
    private static readonly Lazy<Microsoft.EntityFrameworkCore.Metadata.IModel?> PostgresModel =
        new(() => LoadCompiledModel(PostgresMigrationsAssembly));

    /// <summary>The provider's compiled model, or null where its migrations assembly is not deployed beside Core.</summary>
    public static Microsoft.EntityFrameworkCore.Metadata.IModel? CompiledModel(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? SqliteModel.Value : PostgresModel.Value;

    // By name: Core cannot reference the migrations assemblies (they reference Core).
    private static Microsoft.EntityFrameworkCore.Metadata.IModel? LoadCompiledModel(string assembly) =>
        Type.GetType($"{assembly}.CompiledModel.CaravanDbContextModel, {assembly}")
            ?.GetProperty("Instance", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            ?.GetValue(null) as Microsoft.EntityFrameworkCore.Metadata.IModel;

    /// <summary>
    /// SQLite creates the file but not its folder; the embedded default lives under ./data/. Called once
    /// before the database is first opened (start-up, CLI), not per DbContext.
    /// </summary>
    public void EnsureSqliteFolder()
    {
        if (ParsedProvider != DatabaseProvider.Sqlite) return;
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(EffectiveConnectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:"
            && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
    }
}
