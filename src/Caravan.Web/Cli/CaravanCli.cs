using System.CommandLine;
using Caravan.Data;
using Caravan.Features.Seed;
using Caravan.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Cli;

/// <summary>
/// The command-line verbs of the <c>caravan</c> executable. Each reads the same configuration as the web
/// host (appsettings.json, then <c>Caravan__…</c> environment variables, then --options).
/// </summary>
public static class CaravanCli
{
    private static readonly string[] Verbs = ["migrate", "seed", "audit", "--help", "-h", "-?", "--version"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var provider = new Option<string?>("--provider") { Description = "Database provider: sqlite (default) or postgres. Overrides Caravan:Database:Provider." };
        var connection = new Option<string?>("--connection") { Description = "Connection string. Overrides Caravan:Database:ConnectionString." };

        var migrate = new Command("migrate", "Create or upgrade the database schema to the latest migration.") { provider, connection };
        migrate.SetAction(async (result, ct) =>
        {
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            await DatabaseMaintenance.EnsureReadyAsync(db, settings, migrate: true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            await output.WriteLineAsync($"{DatabaseMaintenance.Describe(settings)}: {(pending.Count == 0 ? "already up to date" : $"applied {string.Join(", ", pending)}")}");
            return 0;
        });

        var file = new Option<string?>("--file") { Description = "Seed dataset to load (default: the one shipped with Caravan)." };
        var check = new Option<bool>("--check") { Description = "Only validate the file; do not touch the database." };
        var seed = new Command("seed", "Load the seed dataset (idempotent: a newer version updates rows, the same version changes nothing).") { file, check, provider, connection };
        seed.SetAction(async (result, ct) =>
        {
            var path = result.GetValue(file) ?? (Configuration().GetSection(SeedSettings.Section).Get<SeedSettings>() ?? new SeedSettings()).ResolvedPath;
            var loaded = SeedFile.Load(path);
            var d = loaded.Dataset;
            if (result.GetValue(check))
            {
                await output.WriteLineAsync($"{path}: valid, dataset {d.Dataset} version {d.Version}, {d.MemberStates.Count} member states, {d.Bodies.Count} bodies, {d.Meetings.Count} meetings, {d.Documents.Count} documents, {d.Measures.Count} measures, {d.Indicators.Count} indicators, {d.Sources.Count} sources");
                return 0;
            }
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await DatabaseMaintenance.EnsureReadyAsync(db, settings, migrate: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var r = await new SeedImporter(db).ImportAsync(loaded, ct);
            await output.WriteLineAsync(r.Outcome switch
            {
                SeedOutcome.Loaded => $"Loaded {d.Dataset} version {r.FileVersion} (was {r.StoredVersion}): {r.Added} rows added, {r.Updated} updated.",
                SeedOutcome.Unchanged => $"{d.Dataset} version {r.FileVersion} is already loaded; nothing changed.",
                SeedOutcome.OlderThanDatabase => $"Not applied: the database holds version {r.StoredVersion}, newer than the file's {r.FileVersion}.",
                _ => $"Not applied: the file differs from the loaded version {r.FileVersion}; raise \"version\" in the file.",
            });
            return r.Outcome is SeedOutcome.Loaded or SeedOutcome.Unchanged ? 0 : 3;
        });

        var anchor = new Option<string?>("--anchor") { Description = "An anchor kept out of band, ID:HASH (as printed by `caravan audit anchor`): also catches a rewritten or truncated tail." };
        var verify = new Command("verify", "Walk the audit trail's hash chain and name the first altered, inserted or deleted entry.") { anchor, provider, connection };
        verify.SetAction(async (result, ct) =>
        {
            (long, string)? expected = null;
            if (result.GetValue(anchor) is { } text)
            {
                var parts = text.Split(':', 2);
                if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || parts[1].Length != 64)
                {
                    await error.WriteLineAsync($"--anchor '{text}' is not ID:HASH (e.g. 1234:9f86d0…, 64 hex digits).");
                    return 2;
                }
                expected = (id, parts[1].ToLowerInvariant());
            }
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await DatabaseMaintenance.EnsureReadyAsync(db, settings, migrate: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var verification = new Caravan.Features.Audit.AuditQueries(db).Verify(expected);
            await (verification.Intact ? output : error).WriteLineAsync(verification.Describe());
            return verification.Intact ? 0 : 4;
        });
        var printAnchor = new Command("anchor", "Print the last entry's ID:HASH, to keep out of band (e.g. in the minutes of a meeting).") { provider, connection };
        printAnchor.SetAction(async (result, ct) =>
        {
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await DatabaseMaintenance.EnsureReadyAsync(db, settings, migrate: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var last = await new Caravan.Features.Audit.AuditQueries(db).AnchorAsync(ct);
            await output.WriteLineAsync(last is { } a ? $"{a.Id}:{a.Hash}" : "The audit trail is empty.");
            return 0;
        });
        var audit = new Command("audit", "The tamper-evident audit trail.") { verify, printAnchor };

        var root = new RootCommand("Caravan: tracks the outcomes of the China–Central Asia mechanism to delivery. Run without a verb to serve the portal and API.")
        {
            migrate,
            seed,
            audit,
        };
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is SeedFileException or CaravanStartupException or InvalidOperationException)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    private static DatabaseSettings Settings(string? provider, string? connection)
    {
        var settings = DatabaseSetup.ReadDatabaseSettings(Configuration());
        if (provider is not null)
        {
            settings.Provider = provider;
            if (connection is null && settings.ParsedProvider != DatabaseProvider.Sqlite) settings.ConnectionString = null;
        }
        if (connection is not null) settings.ConnectionString = connection;
        return settings;
    }

    private static CaravanDbContext Context(DatabaseSettings settings)
    {
        settings.EnsureSqliteFolder();
        var options = new DbContextOptionsBuilder<CaravanDbContext>();
        settings.Apply(options);
        return new CaravanDbContext(options.Options);
    }
}
