using System.Globalization;
using System.CommandLine;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Features.Accounts;
using Caravan.Web.Features.Audit;
using Caravan.Web.Infrastructure;
using Caravan.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Cli;

/// <summary>
/// The command-line verbs of the <c>caravan</c> executable. Each reads the same configuration as the web
/// host (appsettings.json, then <c>Caravan__…</c> environment variables, then --options).
/// </summary>
public static class CaravanCli
{
    /// <summary>An unknown verb or option, a missing argument: the exit code of sysexits.h's EX_USAGE.</summary>
    public const int UsageError = 64;

    /// <summary>
    /// The host's own settings (ASP.NET reads them from the command line as configuration): with these, and nothing
    /// else, the executable serves the portal and API.
    /// </summary>
    private static readonly HashSet<string> HostSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "webroot", "applicationName", "AllowedHosts", "http_ports", "https_port",
        "https_ports", "detailedErrors", "shutdownTimeoutSeconds", "suppressStatusMessages", "preventHostingStartup",
        "hostingStartupAssemblies", "hostingStartupExcludeAssemblies",
    };

    /// <summary>
    /// Whether the arguments start the portal and API: none at all, or only host settings — <c>--urls URL</c>,
    /// <c>--environment NAME</c> (and the other <see cref="HostSettings"/>, also as <c>--name=value</c> or
    /// <c>name=value</c>) — and configuration settings of a section, <c>Section:Key=Value</c> or
    /// <c>--Section:Key=Value</c>. Anything else is a verb, or a usage error that names the verbs: a typo never starts
    /// a web server.
    /// </summary>
    public static bool StartsWebHost(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && IsSettingKey(name[..equals], empty: equals == name.Length - 1)) continue;
            if (equals < 0 && name.Length < arg.Length && HostSettings.Contains(name) && i + 1 < args.Length
                && !args[i + 1].StartsWith('-'))
            {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>
    /// A host setting, a key of a section (<c>Caravan:Database:Provider</c>), or a section itself with no value
    /// (<c>--Caravan=</c>, as WebApplicationFactory passes the settings of a test's host).
    /// </summary>
    private static bool IsSettingKey(string key, bool empty) =>
        HostSettings.Contains(key)
        || ((empty || key.Contains(':', StringComparison.Ordinal)) && char.IsAsciiLetter(key[0])
            && key.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '.' or '-'));

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var provider = new Option<string?>("--provider")
            { Description = "Database provider: sqlite (default) or postgres. Overrides Caravan:Database:Provider." };
        var connection = new Option<string?>("--connection")
            { Description = "Connection string. Overrides Caravan:Database:ConnectionString." };

        var migrate = new Command("migrate", "Create or upgrade the database schema to the latest migration.")
            { provider, connection };
        migrate.SetAction(async (result, ct) =>
        {
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await using var startUp = await DatabaseMaintenance.StartUpLockAsync(settings, ct);
            var (applied, _) = await DatabaseMaintenance.EnsureReadyAsync(db, settings, migrate: true,
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            await output.WriteLineAsync($"{DatabaseMaintenance.Describe(settings)}: "
                + (applied.Count == 0 ? "already up to date" : $"applied {string.Join(", ", applied)}"));
            return 0;
        });

        var file = new Option<string?>("--file")
            { Description = "Seed dataset to load (default: the one shipped with Caravan)." };
        var check = new Option<bool>("--check") { Description = "Only validate the file; do not touch the database." };
        var seed = new Command("seed",
            "Load the seed dataset (idempotent: a newer version updates rows nobody changed since the seed wrote them, the same version changes nothing).")
            { file, check, provider, connection };
        seed.SetAction(async (result, ct) =>
        {
            var path = result.GetValue(file) ?? (Configuration().GetSection(SeedSettings.Section)
                .Get<SeedSettings>() ?? new SeedSettings()).ResolvedPath;
            var loaded = SeedFile.Load(path);
            var d = loaded.Dataset;
            if (result.GetValue(check))
            {
                await output.WriteLineAsync($"{path}: valid, dataset {d.Dataset} version {d.Version}, {d.MemberStates.Count} member states, {d.Bodies.Count} bodies, {d.Meetings.Count} meetings, {d.Documents.Count} documents, {d.Measures.Count} measures, {d.Indicators.Count} indicators, {d.Sources.Count} sources");
                return 0;
            }
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await PrepareAsync(db, settings, error, loadSeed: false);
            var r = await new SeedImporter(db).ImportAsync(loaded, ct);
            await output.WriteLineAsync(r.Outcome switch
            {
                SeedOutcome.Loaded =>
                    $"Loaded {d.Dataset} version {r.FileVersion} (was {r.StoredVersion}): {r.Added} rows added, {r.Updated} updated, {r.Retracted} retracted."
                    + (r.Held is { Count: > 0 } held
                        ? $" Retracted but kept (changed through the workflow after seeding; the secretariat decides): {string.Join(", ", held)}."
                        : ""),
                SeedOutcome.Unchanged => $"{d.Dataset} version {r.FileVersion} is already loaded; nothing changed.",
                SeedOutcome.OlderThanDatabase =>
                    $"Not applied: the database holds version {r.StoredVersion}, newer than the file's {r.FileVersion}.",
                _ =>
                    $"Not applied: the file differs from the loaded version {r.FileVersion}; raise \"version\" in the file.",
            });
            // What the load left as published, and why: the file's values for these rows were not applied.
            if (r.Kept.Count > 0)
            {
                await output.WriteLineAsync($"Kept {r.Kept.Count} row(s) changed outside the seed since it last wrote them (the file's values for them were not applied):");
                foreach (var k in r.Kept)
                    await output.WriteLineAsync($"  {k.SubjectType} {k.Id}: {k.LastChange.Action} by {k.LastChange.Actor} ({k.LastChange.Role}) at {k.LastChange.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, audit entry {k.LastChange.EntryId}{(k.LastChange.Reason is { Length: > 0 } why ? $" ({why})" : "")}");
            }
            return r.Outcome is SeedOutcome.Loaded or SeedOutcome.Unchanged ? 0 : 3;
        });

        var anchor = new Option<string[]>("--anchor")
        {
            Description = "An anchor kept out of band, ID:SEAL (as printed by `caravan audit anchor`), checked with "
                + "those the database and Caravan:Audit:AnchorFile hold (repeat for several).",
            AllowMultipleArgumentsPerToken = true,
        };
        var verify = new Command("verify",
            "Walk the sealed audit trail from the first entry to the head, check it against every recorded anchor, and "
            + "name the first altered, deleted, inserted, forged or removed entry (exit code 4).")
            { anchor, provider, connection };
        verify.SetAction(async (result, ct) =>
        {
            var given = new List<Caravan.Features.Audit.AuditHead>();
            foreach (var text in result.GetValue(anchor) ?? [])
            {
                if (AuditAnchoring.ParseAnchor(text) is not { } parsed)
                {
                    await error.WriteLineAsync(
                        $"--anchor '{text}' is not ID:SEAL (e.g. 1234:9f86d0…, 64 hex digits).");
                    return 2;
                }
                given.Add(new(parsed.Id, parsed.Seal, $"--anchor {parsed.Id}:{parsed.Seal}"));
            }
            if (AuditKeys.Settings(Configuration()).AnchorFile is { Length: > 0 } file)
            {
                try { given.AddRange(AuditAnchoring.ReadFile(file)); }
                catch (InvalidDataException e) { await error.WriteLineAsync(e.Message); return 2; }
            }
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await PrepareAsync(db, settings, error);
            var verification = new Caravan.Features.Audit.AuditQueries(db).Verify(given);
            await (verification.Intact ? output : error).WriteLineAsync(verification.Describe());
            return verification.Intact ? 0 : 4;
        });
        var printAnchor = new Command("anchor",
            "Record the head (the last entry's ID:SEAL) as an anchor, append it to Caravan:Audit:AnchorFile if set, "
            + "and print it, to keep out of band (e.g. in the minutes of a meeting).")
            { provider, connection };
        printAnchor.SetAction(async (result, ct) =>
        {
            var settings = Settings(result.GetValue(provider), result.GetValue(connection));
            await using var db = Context(settings);
            await PrepareAsync(db, settings, error);
            var head = await AuditAnchoring.Record(db, AuditKeys.Settings(Configuration()), "cli",
                DateTimeOffset.UtcNow, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, ct);
            await output.WriteLineAsync(head is { } h ? $"{h.Id}:{h.Seal}" : "The audit trail is empty.");
            return 0;
        });
        var rotate = new Command("rotate-key",
            "Add a new key to the audit key file and seal new entries with it; entries sealed before keep verifying "
            + "with their own key, which stays in the file.");
        rotate.SetAction(async (result, ct) =>
        {
            var configuration = Configuration();
            if (AuditKeys.FromSettings(configuration))
            {
                await error.WriteLineAsync("The audit keys come from Caravan:Audit:Keys: add the new key there (keep "
                    + "the old ones) and set Caravan:Audit:CurrentKey to its id.");
                return 2;
            }
            var id = AuditKeys.Rotate(configuration);
            await output.WriteLineAsync(
                $"New entries are sealed with key {id}, kept in {AuditKeys.KeyFilePath(configuration)}; restart the "
                + "portal to use it. Older keys stay for the entries they sealed.");
            return 0;
        });
        var audit = new Command("audit", "The sealed, tamper-evident audit trail.") { verify, printAnchor, rotate };

        var users = UsersCommand(provider, connection, output, error);
        async Task<CaravanDbContext> OpenContext(string? p, string? c)
        {
            var settings = Settings(p, c);
            var db = Context(settings);
            try
            {
                await PrepareAsync(db, settings, error);
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
            db.Actor = new Caravan.Features.Audit.AuditActor("cli:" + Environment.UserName, "cli", null);
            return db;
        }

        var root =
            new RootCommand("Caravan: tracks the outcomes of the China–Central Asia mechanism to delivery. Without "
                + "arguments (or with only host settings: --urls URL, --environment NAME, Section:Key=Value) it serves "
                + "the portal and API; otherwise the first argument is a verb. Exit code 64: an unknown verb or option. "
                + "On SQLite every verb that uses the database migrates it first, as the portal does at start "
                + "(Caravan:Database:MigrateOnStart), and loads the seed dataset into a database it created.")
        {
            migrate,
            seed,
            audit,
            users,
            ProjectsCli.Import(provider, connection, OpenContext, output, error),
            ProjectsCli.Export(provider, connection, OpenContext, output, error),
            ReportCli.Report(provider, connection, OpenContext, output, error),
        };
        var parsed = root.Parse(args);
        if ((parsed.Errors.Count > 0 || UnknownOptions(parsed).Any())
            && parsed.Action is not System.CommandLine.Help.HelpAction)
            return await UsageAsync(parsed, error);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error,
                EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is SeedFileException or CaravanStartupException or InvalidOperationException)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary>
    /// What was wrong with the command line, then the verbs of the command it reached (or where its usage is), to
    /// standard error: exit code <see cref="UsageError"/>.
    /// </summary>
    private static async Task<int> UsageAsync(ParseResult parsed, TextWriter error)
    {
        // What the reader typed wrong first (each word once); "a verb is required" only when nothing else is wrong.
        var unknown = UnknownOptions(parsed).ToList();
        var said = unknown.Select(o => $"unknown option '{o}'")
            .Concat(parsed.Errors.Select(e => e.Message).Where(m => parsed.UnmatchedTokens
                .Any(t => !unknown.Contains(t) && m.Contains($"'{t}'", StringComparison.Ordinal))))
            .Distinct().ToList();
        if (said.Count == 0) said = [.. parsed.Errors.Select(e => e.Message).Distinct()];
        foreach (var message in said) await error.WriteLineAsync($"caravan: {message}");
        var path = new List<string>();
        for (var r = (System.CommandLine.Parsing.SymbolResult?)parsed.CommandResult; r is not null; r = r.Parent)
            if (r is System.CommandLine.Parsing.CommandResult c) path.Insert(0, c.Command.Name);
        var name = string.Join(' ', ["caravan", .. path.Skip(1)]);
        // The verbs of the command reached, or the top-level verbs under a command that has none.
        var command = parsed.CommandResult.Command;
        var (listed, of) = command.Subcommands.Count > 0
            ? (command, name)
            : (parsed.RootCommandResult.Command, "caravan");
        await error.WriteLineAsync($"The verbs of `{of}`:");
        foreach (var verb in listed.Subcommands)
            await error.WriteLineAsync($"  {verb.Name,-12}{FirstSentence(verb.Description)}");
        await error.WriteLineAsync($"Run `{name} --help` for its usage.");
        return UsageError;
    }

    /// <summary>
    /// Words that look like options (<c>--acept-warnings</c>) where a verb takes file names: System.CommandLine would
    /// read them as files. A file whose name starts with '-' is given as <c>./-name</c>.
    /// </summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parsed) =>
        parsed.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument && t.Value.Length > 1
                && t.Value[0] == '-' && !double.TryParse(t.Value, CultureInfo.InvariantCulture, out _))
            .Select(t => t.Value);

    private static string FirstSentence(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }

    /// <summary>
    /// Readies the database as the portal's start-up does: migrates it where the portal would
    /// (<see cref="DatabaseMaintenance.MigratesOnStart"/>: SQLite by default; PostgreSQL only with
    /// Caravan:Database:MigrateOnStart, else a pending migration is an error naming <c>caravan migrate</c>), and loads
    /// the seed dataset (Caravan:Seed) into a database it has just created, as the portal's first start would. Says on
    /// standard error what it did.
    /// </summary>
    private static async Task PrepareAsync(CaravanDbContext db, DatabaseSettings settings, TextWriter error,
        bool loadSeed = true)
    {
        var configuration = Configuration();
        // As a node's start: one process at a time migrates and seeds (a node may be starting beside this verb).
        await using var startUp = await DatabaseMaintenance.StartUpLockAsync(settings);
        var (applied, created) = await DatabaseMaintenance.EnsureReadyAsync(db, settings,
            DatabaseMaintenance.MigratesOnStart(configuration, settings),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        // As a node's start: keys an earlier version kept on disk move into the database once.
        await Caravan.Web.Features.Accounts.AccountsFeature.ImportFolderKeysAsync(db,
            configuration.GetSection(Caravan.Web.Features.Accounts.AccountSettings.Section)
                .Get<Caravan.Web.Features.Accounts.AccountSettings>() ?? new());
        if (applied.Count == 0) return;
        await error.WriteLineAsync($"{DatabaseMaintenance.Describe(settings)}: {(created ? "created" : "migrated")}, "
            + $"{applied.Count} migration(s) applied");
        var seed = configuration.GetSection(SeedSettings.Section).Get<SeedSettings>() ?? new SeedSettings();
        if (!created || !loadSeed || !seed.LoadOnStart) return;
        var r = await new SeedImporter(db).ImportAsync(SeedFile.Load(seed.ResolvedPath));
        await error.WriteLineAsync($"Seed dataset version {r.FileVersion} loaded: {r.Added} rows added");
    }

    /// <summary>
    /// <c>caravan users add|list|disable|enable</c>: the first administrator, and accounts when the portal is not at
    /// hand.
    /// </summary>
    private static Command UsersCommand(Option<string?> provider, Option<string?> connection, TextWriter output,
        TextWriter error)
    {
        var email = new Option<string>("--email") { Description = "The person's email address (their sign-in name).",
            Required = true };
        var role = new Option<string>("--role")
            { Description = "secretariat-admin, secretariat-editor, national-coordinator or programme-officer.",
            Required = true };
        var name = new Option<string?>("--name")
            { Description = "The name shown in the portal and the audit trail (default: the email address)." };
        var state = new Option<string?>("--state")
            { Description = "For a national coordinator: the member state (CN, KZ, KG, TJ, TM, UZ)." };
        var body = new Option<string[]>("--body")
            { Description = "For a programme officer: a body they run (repeat for several).",
            AllowMultipleArgumentsPerToken = true };
        var language = new Option<string?>("--language")
            { Description = "The language of the person's messages and mail: zh, ru or en (default en; they can change it on /account)." };
        var passwordStdin = new Option<bool>("--password-stdin")
            { Description = "Read the password from standard input instead of printing a one-time invitation link." };
        var add = new Command("add",
            "Invite a person: prints a one-time link to set their password (or reads it from standard input). Two-factor sign-in is set up at first sign-in.")
            { email, role, name, state, body, language, passwordStdin, provider, connection };
        add.SetAction(async (result, ct) =>
        {
            if (!SeedEnums.TryParse<CaravanRole>(result.GetValue(role), out var parsedRole))
            {
                await error.WriteLineAsync($"--role '{result.GetValue(role)}' is not one of: {string.Join(", ", Enum.GetValues<CaravanRole>().Select(Caller.RoleName))}.");
                return 2;
            }
            await using var services = await UserServicesAsync(result.GetValue(provider),
                result.GetValue(connection), error);
            var accounts = services.GetRequiredService<AccountService>();
            var actor = new Caravan.Features.Audit.AuditActor($"cli:{Environment.UserName}", "system",
                "caravan users add");
            var address = result.GetValue(email)!;
            var (user, link, errors) = await accounts.InviteAsync(address, result.GetValue(name) ?? address, parsedRole,
                result.GetValue(state), result.GetValue(body) ?? [], actor, $"cli:{Environment.UserName}",
                result.GetValue(language));
            if (errors.Count > 0)
            {
                foreach (var e in errors) await error.WriteLineAsync($"--{e.Field switch { "displayName" => "name", "bodies" => "body", _ => e.Field }}: {CliMessage(e)}");
                return 2;
            }
            if (result.GetValue(passwordStdin))
            {
                var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') ?? "";
                var problems = await accounts.SetPasswordAsync(user!, password, actor);
                if (problems.Count > 0)
                {
                    foreach (var e in problems) await error.WriteLineAsync($"password: {CliMessage(e)}");
                    await accounts.SetDisabledAsync(user!.Id, true,
                        actor with { Reason = "password refused at creation" });
                    await error.WriteLineAsync($"The account {address} was created disabled; run `caravan users enable --email {address}` after fixing the password, or send the invitation from the portal.");
                    return 2;
                }
                await output.WriteLineAsync($"Created {Caller.RoleName(parsedRole)} {address}. At first sign-in they set up two-factor authentication.");
                return 0;
            }
            await output.WriteLineAsync($"Created {Caller.RoleName(parsedRole)} {address}. Send them this one-time link (valid {services.GetRequiredService<AccountSettings>().InvitationLifetime.TotalDays:0} days) to set a password:");
            await output.WriteLineAsync(link);
            return 0;
        });

        var list = new Command("list", "List accounts: role, state or bodies, two-factor, status.")
            { provider, connection };
        list.SetAction(async (result, ct) =>
        {
            await using var services = await UserServicesAsync(result.GetValue(provider),
                result.GetValue(connection), error);
            var all = await services.GetRequiredService<AccountService>().ListAsync();
            await output.WriteLineAsync($"{"EMAIL",-36} {"ROLE",-22} {"SCOPE",-24} {"2FA",-4} STATUS");
            foreach (var u in all)
            {
                var scope = u.StateId ?? string.Join(",", u.BodyIds);
                var status = u.Disabled ? "disabled" : u.PasswordHash is null ? "invited" : "active";
                await output.WriteLineAsync($"{u.Email,-36} {Caller.RoleName(u.Role),-22} {scope,-24} {(u.TwoFactorEnabled ? "yes" : "no"),-4} {status}");
            }
            await output.WriteLineAsync($"{all.Count} accounts");
            return 0;
        });

        Command Toggle(string verb, bool disabled)
        {
            var who = new Option<string>("--email") { Description = "The account's email address.", Required = true };
            var command = new Command(verb,
                disabled ? "Disable an account: it can no longer sign in, its sessions end and its tokens are refused. Nothing it did is removed."
                : "Enable a disabled account again.") { who, provider, connection };
            command.SetAction(async (result, ct) =>
            {
                await using var services = await UserServicesAsync(result.GetValue(provider),
                    result.GetValue(connection), error);
                var actor = new Caravan.Features.Audit.AuditActor($"cli:{Environment.UserName}", "system",
                    $"caravan users {verb}");
                var found = await services.GetRequiredService<AccountService>()
                    .SetDisabledAsync(result.GetValue(who)!, disabled, actor);
                await (found ? output : error)
                    .WriteLineAsync(found ? $"{result.GetValue(who)}: {verb}d."
                    : $"No account with the address {result.GetValue(who)}.");
                return found ? 0 : 3;
            });
            return command;
        }

        return new Command("users", "Accounts of the secretariat, national coordinators and officers.")
            { add, list, Toggle("disable", true), Toggle("enable", false) };
    }

    /// <summary>
    /// The CLI's own wording where it names its options (--state, --body); any other message as the portal says it,
    /// in English.
    /// </summary>
    private static readonly Dictionary<MessageCode, string> CliWording = new()
    {
        [AccountMessages.Email] = "not a valid email address",
        [AccountMessages.Name] = "a name of 1 to 200 characters is needed",
        [AccountMessages.StateRequired] = "a national coordinator needs --state",
        [AccountMessages.BodiesNotAllowed] = "a national coordinator is bound to a state, not to bodies",
        [AccountMessages.BodiesRequired] = "a programme officer needs at least one --body",
        [AccountMessages.StateNotAllowed] = "a programme officer is bound to bodies, not to a state",
        [AccountMessages.SecretariatUnbound] = "the secretariat is not bound to a state or bodies",
        [AccountMessages.UnknownState] = "no member state {0}",
        [AccountMessages.UnknownBody] = "no body {0}",
        [AccountMessages.Exists] = "an account with this address already exists",
        [Caravan.Features.Notifications.NotificationMessages.UnknownLanguage] = "'{0}' is not one of zh, ru, en",
    };

    private static string CliMessage(AccountError e) =>
        CliWording.TryGetValue(e.Message.Code, out var wording)
            ? string.Format(CultureInfo.InvariantCulture, wording, [.. e.Message.Args.Select(a => a.Invariant)])
            : MessageFormatter.Format(e.Message, CultureInfo.GetCultureInfo("en"));

    private static async Task<ServiceProvider> UserServicesAsync(string? provider, string? connection,
        TextWriter error)
    {
        var settings = Settings(provider, connection);
        var configuration = Configuration();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        var keys = AuditKeys.Load(configuration);
        services.AddDbContext<CaravanDbContext>(o => settings.Apply(o.UseAuditKeys(keys)));
        AccountsFeature.AddCaravanIdentity(services,
            configuration.GetSection(AccountSettings.Section).Get<AccountSettings>() ?? new AccountSettings());
        var provider_ = services.BuildServiceProvider();
        settings.EnsureSqliteFolder();
        await using var scope = provider_.CreateAsyncScope();
        await PrepareAsync(scope.ServiceProvider.GetRequiredService<CaravanDbContext>(), settings, error);
        return provider_;
    }

    /// <summary>The configuration a verb reads, built once per process (a verb reads it several times).</summary>
    internal static IConfiguration Configuration() => LoadedConfiguration.Value;

    private static readonly Lazy<IConfiguration> LoadedConfiguration = new(() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build());

    private static DatabaseSettings Settings(string? provider, string? connection)
    {
        var settings = DatabaseSetup.ReadDatabaseSettings(Configuration());
        if (provider is not null)
        {
            settings.Provider = provider;
            if (connection is null &&
                settings.ParsedProvider != DatabaseProvider.Sqlite) settings.ConnectionString = null;
        }
        if (connection is not null) settings.ConnectionString = connection;
        return settings;
    }

    private static CaravanDbContext Context(DatabaseSettings settings)
    {
        settings.EnsureSqliteFolder();
        var options = new DbContextOptionsBuilder<CaravanDbContext>();
        settings.Apply(options);
        options.UseAuditKeys(AuditKeys.Load(Configuration()));
        return new CaravanDbContext(options.Options);
    }
}
