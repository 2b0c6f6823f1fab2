using System.Data.Common;
using Caravan.Data;
using Caravan.Features.Seed;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// <c>Caravan:Seed</c>: where the seed dataset is, and whether to load it at start.
/// </summary>
public sealed class SeedSettings
{
    public const string Section = "Caravan:Seed";
    public string Path { get; set; } = "seed/cca-mechanism.json";
    public bool LoadOnStart { get; set; } = true;

    /// <summary>A relative path is looked up beside the executable, where the build copies the dataset.</summary>
    public string ResolvedPath => System.IO.Path.IsPathRooted(Path)
        ? Path
        : System.IO.Path.Combine(AppContext.BaseDirectory, Path);
}

public static class DatabaseSetup
{
    public static DatabaseSettings ReadDatabaseSettings(IConfiguration configuration) =>
        configuration.GetSection(DatabaseSettings.Section).Get<DatabaseSettings>() ?? new DatabaseSettings();

    public static void AddCaravanDatabase(this WebApplicationBuilder builder)
    {
        var settings = ReadDatabaseSettings(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(builder.Configuration.GetSection(SeedSettings.Section)
            .Get<SeedSettings>() ?? new SeedSettings());
        builder.Services.AddSingleton<DataVersion>();
        builder.Services.AddSingleton<DataVersionInterceptor>();
        builder.Services.AddSingleton(
            builder.Configuration.GetSection(CacheSettings.Section).Get<CacheSettings>() ?? new CacheSettings());
        builder.Services.AddSingleton<DataVersionWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DataVersionWatch>());
        builder.Services.AddStandbyReads(settings);
        builder.Services.AddDbContext<CaravanDbContext>((services, options) =>
        {
            settings.Apply(options);
            options.AddInterceptors(services.GetRequiredService<DataVersionInterceptor>());
            if (settings.HasStandbys) options.AddInterceptors(services.GetRequiredService<StandbyRouting>());
        }, optionsLifetime: ServiceLifetime.Singleton); // options are built once, not per request
    }

    /// <summary>
    /// Checks the seed file, reaches the database, migrates it where allowed and loads the dataset.
    /// Any failure is one clear log line and a false return (the host exits), never a stack trace.
    /// The seed file is read first: a corrupt file stops the start before the database is touched.
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Caravan.Startup");
        var seedSettings = app.Services.GetRequiredService<SeedSettings>();
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        try
        {
            var seed = seedSettings.LoadOnStart ? SeedFile.Load(seedSettings.ResolvedPath) : null;
            settings.EnsureSqliteFolder();
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            // One node at a time migrates, recovers and seeds; the others then find nothing left to do.
            await using var startUp = await DatabaseMaintenance.StartUpLockAsync(settings);
            await DatabaseMaintenance.EnsureReadyAsync(db, settings,
                DatabaseMaintenance.MigratesOnStart(app.Configuration, settings), log);
            // Keys an earlier version kept on disk move into the database once, so its cookies and links stay valid.
            if (await Caravan.Web.Features.Accounts.AccountsFeature.ImportFolderKeysAsync(db,
                    app.Services.GetRequiredService<Caravan.Web.Features.Accounts.AccountSettings>()) is > 0 and var moved)
                log.LogInformation("{Count} data-protection keys moved from the keys folder into the database", moved);
            // An IATI import left running by a process that is gone (killed, crashed) is failed, its staged rows removed.
            foreach (var run in await Caravan.Features.Projects.ImportRunLog.RecoverAsync(db))
                log.LogWarning("IATI import run {Run} was left running by a process that has ended: recorded as failed, "
                    + "nothing of its file kept", run);
            if (seed is not null) DatabaseMaintenance.Report(await new SeedImporter(db).ImportAsync(seed), log);
            // The projects' totals cells, built once after an upgrade (or if the rates changed around them).
            if (await db.WriteAsync(() => Caravan.Features.Projects.ProjectTotalCells.EnsureAsync(db, default), default))
                log.LogInformation("Projects' totals cells rebuilt");
            return true;
        }
        catch (SeedFileException e)
        {
            log.LogCritical("{Message}", e.Message);
        }
        catch (CaravanStartupException e)
        {
            log.LogCritical("{Message}", e.Message);
        }
        return false;
    }
}

/// <summary>A start-up failure with a message a person can act on.</summary>
public sealed class CaravanStartupException(string message, Exception? inner = null) : Exception(message, inner);

public static class DatabaseMaintenance
{
    /// <summary>The start-up lock's key: "Caramig" in ASCII, beside the writers' lock (<c>pg_locks</c> shows whose).</summary>
    public const long StartUpLockKey = 0x43617261_6D6967;

    /// <summary>
    /// Holds, until disposed, the lock under which a node or a CLI verb migrates and seeds: on PostgreSQL a session
    /// advisory lock on a connection of its own, so that nodes started at the same moment on an empty database
    /// migrate and seed one after the other (the second finds nothing to do) rather than both creating the same
    /// tables. SQLite's file is one machine's: nothing to hold.
    /// </summary>
    public static async Task<IAsyncDisposable> StartUpLockAsync(DatabaseSettings settings, CancellationToken ct = default)
    {
        if (settings.ParsedProvider != DatabaseProvider.Postgres) return NoLock.Instance;
        var connection = new Npgsql.NpgsqlConnection(settings.EffectiveConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({StartUpLockKey})", connection);
            take.CommandTimeout = 0; // as long as the other node's migration takes
            await take.ExecuteNonQueryAsync(ct);
            return new StartUpLock(connection);
        }
        catch (Exception e)
        {
            await connection.DisposeAsync();
            if (e is DbException or TimeoutException)
                throw new CaravanStartupException($"Cannot use the database {Describe(settings)}: {e.Message}", e);
            throw;
        }
    }

    /// <summary>
    /// Releases the lock explicitly: a pooled connection returned to the pool keeps its session, and with it a session
    /// lock, until the pool next reuses it.
    /// </summary>
    private sealed class StartUpLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({StartUpLockKey})",
                    connection);
                await release.ExecuteNonQueryAsync();
            }
            catch (Npgsql.NpgsqlException)
            {
                // The session broke: the server released its lock with it.
            }
            finally { await connection.DisposeAsync(); }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// Whether the app's start-up (and so every CLI verb) migrates the database: Caravan:Database:MigrateOnStart,
    /// by default SQLite only; PostgreSQL is migrated by <c>caravan migrate</c>.
    /// </summary>
    public static bool MigratesOnStart(IConfiguration configuration, DatabaseSettings settings) =>
        configuration.GetValue<bool?>("Caravan:Database:MigrateOnStart")
        ?? settings.ParsedProvider == DatabaseProvider.Sqlite;

    /// <summary>
    /// Connects, then migrates or checks that no migration is pending. Returns the migrations applied, and whether
    /// they were all of them (the database was created: its seed is not loaded yet).
    /// </summary>
    public static async Task<(IReadOnlyList<string> Applied, bool Created)> EnsureReadyAsync(CaravanDbContext db,
        DatabaseSettings settings, bool migrate, ILogger log)
    {
        var where = Describe(settings);
        try
        {
            if (migrate)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                if (pending.Count > 0)
                {
                    log.LogInformation("Migrating {Where}: {Count} migration(s) to apply", where, pending.Count);
                    await db.Database.MigrateAsync();
                }
                // SQLite in write-ahead-log mode: the portal keeps reading while an import writes (the mode is kept in
                // the file).
                if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL");
                return (pending, pending.Count > 0 && pending.Count == db.Database.GetMigrations().Count());
            }
            else
            {
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                if (pending.Count > 0)
                    throw new CaravanStartupException($"The database {where} needs {pending.Count} migration(s) ({string.Join(", ", pending)}). Run `caravan migrate` first, or set Caravan:Database:MigrateOnStart=true.");
                return (Array.Empty<string>(), false);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException &&
            e is not CaravanStartupException)
        {
            throw new CaravanStartupException($"Cannot use the database {where}: {Root(e).Message}", e);
        }
    }

    public static void Report(SeedResult result, ILogger log)
    {
        switch (result.Outcome)
        {
            case SeedOutcome.Loaded:
                log.LogInformation("Seed dataset version {Version} loaded (was {Stored}): {Added} rows added, {Updated} updated, {Retracted} retracted",
                    result.FileVersion, result.StoredVersion, result.Added, result.Updated, result.Retracted);
                if (result.Held is { Count: > 0 } held)
                    log.LogWarning("Retracted by the seed dataset but kept, because they were changed through the workflow after seeding (the secretariat decides): {Held}",
                        string.Join(", ", held));
                foreach (var k in result.Kept)
                    log.LogWarning("Seed dataset version {Version}: kept {Type} {Id} as published, changed outside the seed since it last wrote it ({Action} by {Actor} at {At:O}, audit entry {Entry})",
                        result.FileVersion, k.SubjectType, k.Id, k.LastChange.Action, k.LastChange.Actor,
                        k.LastChange.At, k.LastChange.EntryId);
                break;
            case SeedOutcome.Unchanged:
                log.LogInformation("Seed dataset version {Version} already loaded", result.FileVersion);
                break;
            case SeedOutcome.OlderThanDatabase:
                log.LogWarning("Seed dataset version {Version} is older than the database's version {Stored}; not applied",
                    result.FileVersion, result.StoredVersion);
                break;
            case SeedOutcome.ChangedWithoutNewVersion:
                log.LogWarning("The seed dataset changed but its version is still {Version}; raise \"version\" in the file to apply it",
                    result.FileVersion);
                break;
        }
    }

    /// <summary>Provider and server or file, never the password.</summary>
    public static string Describe(DatabaseSettings settings)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = settings.EffectiveConnectionString };
            string? Get(string key) => builder.TryGetValue(key, out var v) ? v?.ToString() : null;
            return settings.ParsedProvider == DatabaseProvider.Sqlite
                ? $"(SQLite, file {Path.GetFullPath(Get("Data Source") ?? "?")})"
                : $"(PostgreSQL, host {Get("Host") ?? Get("Server") ?? "?"}, port {Get("Port") ?? "5432"}, database {Get("Database") ?? "?"})";
        }
        catch (ArgumentException)
        {
            return $"({settings.Provider}, connection string not readable)";
        }
    }

    private static Exception Root(Exception e) => e.InnerException is { } inner && e is not DbException
        ? Root(inner)
        : e;
}
