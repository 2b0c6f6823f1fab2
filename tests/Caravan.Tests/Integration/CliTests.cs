using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Caravan.Web.Cli;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Caravan.Tests.Integration;

/// <summary>The real `caravan` executable, run as a process: its exit code and what it wrote.</summary>
internal static class CaravanProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "caravan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Were a wrong argument to start the web server after all, never on the portal's own port 5080.
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["LANG"] = "en_US.UTF-8";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`caravan {string.Join(' ', args)}` did not end within 90 s (a web server started?)");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>
/// `caravan import iati`'s documented exit codes for each outcome, and the API's <c>outcome</c> naming the same, on
/// both providers: 0 every activity stored, 2 stored with rule findings, 1 some activities refused, 3 the file
/// refused (broke off, or not found).
/// </summary>
public abstract class CliImportOutcomeTests(CaravanApp app) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("caravan-cli-");
    private static string Suffix() => "CLI-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    /// <summary>Recipient countries summing to 90%: a rule finding (a warning), not a schema error.</summary>
    private const string NinetyPercent =
        """<recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="30"/>""";

    private static string Fine(string id) => IatiSamples.Activity(id);
    private static string WithFindings(string id) => IatiSamples.Activity(id, countries: NinetyPercent);
    /// <summary>No activity-status, which the 2.03 schema requires: the activity is refused, findings or not.</summary>
    private static string SchemaError(string id) =>
        IatiSamples.Activity(id).Replace("<activity-status code=\"2\"/>", "", StringComparison.Ordinal);
    /// <summary>A file cut off inside its second activity.</summary>
    private static string Broken(string a, string b)
    {
        var whole = IatiSamples.File(Fine(a), Fine(b));
        var second = whole.IndexOf(b, StringComparison.Ordinal);
        return whole[..whole.IndexOf("<transaction>", second, StringComparison.Ordinal)];
    }

    private string Write(string xml)
    {
        var path = Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N") + ".xml");
        File.WriteAllText(path, xml);
        return path;
    }

    private Task<(int ExitCode, string Output, string Error)> Import(params string[] args) =>
        CaravanProcess.RunAsync(new Dictionary<string, string>(),
            ["import", "iati", .. args, "--provider", app.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
                "--connection", app.ConnectionString]);

    private async Task<bool> Stored(string id)
    {
        await using var db = app.NewDbContext();
        return await db.Projects.AnyAsync(p => p.IatiIdentifier == "CN-MOFCOM-" + id, Ct);
    }

    [Fact]
    public async Task Each_outcome_of_an_import_has_its_exit_code_and_several_files_give_the_worst()
    {
        await using (app.NewDbContext()) { } // skips here when the provider is not available
        var s = Suffix();
        var fine = Write(IatiSamples.File(Fine(s + "-1")));
        var (code, output, error) = await Import(fine);
        Assert.True(code == 0, output + error);
        Assert.True(await Stored(s + "-1"));

        var findings = Write(IatiSamples.File(WithFindings(s + "-2"), Fine(s + "-3")));
        (code, output, error) = await Import(findings, "--accept-warnings");
        Assert.True(code == 2, output + error);
        Assert.Contains("percentages-sum", error);
        Assert.True(await Stored(s + "-2"));
        // Imported again, unchanged: the stored activity still carries its findings.
        (code, output, error) = await Import(findings, "--accept-warnings");
        Assert.True(code == 2, output + error);
        Assert.Contains("2 unchanged", output);

        var refused = Write(IatiSamples.File(Fine(s + "-4"), SchemaError(s + "-5")));
        (code, output, error) = await Import(refused);
        Assert.True(code == 1, output + error);
        Assert.True(await Stored(s + "-4"));
        Assert.False(await Stored(s + "-5"));

        var broken = Write(Broken(s + "-6", s + "-7"));
        (code, output, error) = await Import(broken);
        Assert.True(code == 3, output + error);
        Assert.Contains("nothing kept", output);
        Assert.False(await Stored(s + "-6"));

        (code, output, error) = await Import(Path.Combine(_folder.FullName, "missing.xml"));
        Assert.True(code == 3, output + error);
        Assert.Contains("no such file", error);

        // Several files: the worst outcome (fine and unchanged is 0, a refused activity 1, a broken file 3).
        (code, output, error) = await Import(fine, refused);
        Assert.True(code == 1, output + error);
        (code, output, error) = await Import(fine, broken, findings, "--accept-warnings");
        Assert.True(code == 3, output + error);
    }

    [Fact]
    public async Task The_api_answer_names_the_same_outcome()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var s = Suffix();
        async Task<(HttpStatusCode Status, string? Outcome)> Post(string query, string xml)
        {
            var response = await app.Api(secretariat).PostAsync("/api/v1/projects/import" + query,
                new StringContent(xml, Encoding.UTF8, "application/xml"), Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return (response.StatusCode, body.GetProperty("outcome").GetString());
        }

        Assert.Equal((HttpStatusCode.OK, "stored"), await Post("", IatiSamples.File(Fine(s + "-1"))));
        Assert.Equal((HttpStatusCode.OK, "stored-with-findings"),
            await Post("?acceptWarnings=true", IatiSamples.File(WithFindings(s + "-2"))));
        Assert.Equal((HttpStatusCode.OK, "activities-refused"),
            await Post("", IatiSamples.File(Fine(s + "-3"), SchemaError(s + "-4"))));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "file-refused"), await Post("", Broken(s + "-5", s + "-6")));

        var openApi = await app.Client().GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("stored-with-findings", openApi);
        Assert.Contains("`activities-refused` (1)", openApi);
    }

    [Fact]
    public async Task While_another_import_runs_the_cli_exits_4_and_the_api_says_busy()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var s = Suffix();
        var file = Write(IatiSamples.File(Fine(s + "-1")));
        // A run of this (living) process holds the import.
        await using var db = app.NewDbContext();
        var (run, _) = await ImportRunLog.StartAsync(db, "held.xml", "test", false, false, Ct);
        Assert.NotNull(run);
        try
        {
            var (code, output, error) = await Import(file);
            Assert.True(code == 4, output + error);
            var response = await app.Api(secretariat).PostAsync("/api/v1/projects/import",
                new StringContent(IatiSamples.File(Fine(s + "-2")), Encoding.UTF8, "application/xml"), Ct);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("busy",
                (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());
        }
        finally
        {
            await ImportRunLog.FinishAsync(db, run!, new ImportReport(), ImportRunStatus.Failed, null,
                StagedAction.Discard, publishNew: false, refreshUmbrellas: false, CancellationToken.None);
        }
        Assert.False(await Stored(s + "-1"));
    }

    public void Dispose()
    {
        try { _folder.Delete(recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed class CliImportOutcomeTestsOnSqlite(SqliteApp app) : CliImportOutcomeTests(app), IClassFixture<SqliteApp>;

public sealed class CliImportOutcomeTestsOnPostgres(PostgresApp app)
    : CliImportOutcomeTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// The command line itself: what starts the web server and what is a verb, usage errors (exit code 64) that name the
/// verbs, --help, and the database readied as the portal readies it (SQLite migrated and seeded; PostgreSQL only
/// with `caravan migrate`), never opened by a verb that does not need it.
/// </summary>
public sealed class CliTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("caravan-cli-");
    private string Database => Path.Combine(_folder.FullName, "fresh.db");
    private Dictionary<string, string> Fresh => new()
    {
        ["Caravan__Database__Provider"] = "sqlite",
        ["Caravan__Database__ConnectionString"] = $"Data Source={Database}",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(true, "--urls", "http://127.0.0.1:6200")]
    [InlineData(true, "--urls=http://127.0.0.1:6200", "--environment", "Production")]
    [InlineData(true, "Caravan:Database:Provider=postgres", "--Logging:LogLevel:Default=Debug")]
    [InlineData(true, "--environment=Testing", "--contentRoot=/tmp", "--Caravan=", "--Caravan:Database=",
        "--Caravan:Database:Provider=sqlite", "--applicationName=caravan")]
    [InlineData(false, "reprot")]
    [InlineData(false, "improt", "iati", "file.xml")]
    [InlineData(false, "--provider", "sqlite")]
    [InlineData(false, "--urls")]
    [InlineData(false, "--urls", "http://127.0.0.1:6200", "migrate")]
    [InlineData(false, "--provder=sqlite")]
    [InlineData(false, "-h")]
    [InlineData(false, "import", "iati", "file.xml")]
    public void Only_no_arguments_or_host_settings_start_the_web_server(bool web, params string[] args) =>
        Assert.Equal(web, CaravanCli.StartsWebHost(args));

    [Theory]
    [InlineData("reprot")]
    [InlineData("improt", "iati", "file.xml")]
    [InlineData("--provder", "sqlite", "migrate")]
    public async Task An_unknown_verb_or_option_is_a_usage_error_listing_the_verbs(params string[] args)
    {
        var (code, output, error) = await CaravanProcess.RunAsync(Fresh, args);
        Assert.True(code == CaravanCli.UsageError, output + error);
        Assert.Contains($"'{args[0]}'", error);
        foreach (var verb in new[] { "migrate", "seed", "audit", "users", "import", "export" })
            Assert.Contains($"  {verb} ", error);
        Assert.Contains(" --help` for its usage", error);
        Assert.DoesNotContain("Now listening", output + error);
        Assert.False(File.Exists(Database), "a usage error must not open the database");
    }

    [Fact]
    public async Task A_mistyped_option_of_a_verb_is_a_usage_error_not_a_file_name()
    {
        var file = Path.Combine(_folder.FullName, "some.xml");
        File.WriteAllText(file, IatiSamples.File(IatiSamples.Activity("CLI-TYPO")));
        var (code, output, error) = await CaravanProcess.RunAsync(Fresh, "import", "iati", "--acept-warnings", file);
        Assert.True(code == CaravanCli.UsageError, output + error);
        Assert.Contains("unknown option '--acept-warnings'", error);
        Assert.Contains("caravan import iati --help", error);
        Assert.False(File.Exists(Database), "a usage error must not open the database");

        (code, output, error) = await CaravanProcess.RunAsync(Fresh, "import");
        Assert.True(code == CaravanCli.UsageError, output + error);
        Assert.Contains("  iati ", error);
        Assert.Contains("  rates ", error);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_touches_no_database()
    {
        var (code, output, error) = await CaravanProcess.RunAsync(Fresh, "--help");
        Assert.True(code == 0, output + error);
        Assert.Contains("import", output);
        Assert.Contains("64", output);
        (code, output, error) = await CaravanProcess.RunAsync(Fresh, "import", "iati", "--help");
        Assert.True(code == 0, output + error);
        Assert.Contains("--accept-warnings", output);
        Assert.Contains("2 stored, some activities with rule findings", output);
        // A verb that does not need the database does not open it either.
        (code, output, error) = await CaravanProcess.RunAsync(Fresh, "import", "iati",
            Path.Combine(_folder.FullName, "missing.xml"));
        Assert.True(code == 3, output + error);
        (code, output, error) = await CaravanProcess.RunAsync(Fresh, "seed", "--check");
        Assert.True(code == 0, output + error);
        Assert.False(File.Exists(Database), "--help, a missing file and seed --check must not create the database");
    }

    [Fact]
    public async Task Import_on_a_fresh_sqlite_file_migrates_and_seeds_it_as_the_portal_does()
    {
        var file = Path.Combine(_folder.FullName, "one.xml");
        File.WriteAllText(file, IatiSamples.File(IatiSamples.Activity("CLI-FRESH")));
        var (code, output, error) = await CaravanProcess.RunAsync(Fresh, "import", "iati", file);
        Assert.True(code == 0, output + error);
        Assert.Contains("created", error);
        Assert.Contains("1 added", output);
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync(Ct);
        async Task<long> Count(string sql)
        {
            await using var command = new SqliteCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync(Ct))!;
        }
        Assert.Equal(1,
            await Count("""SELECT COUNT(*) FROM "Projects" WHERE "IatiIdentifier" = 'CN-MOFCOM-CLI-FRESH'"""));
        Assert.Equal(6, await Count("""SELECT COUNT(*) FROM "MemberStates" """));
        await using var mode = new SqliteCommand("PRAGMA journal_mode", connection);
        Assert.Equal("wal", (string)(await mode.ExecuteScalarAsync(Ct))!);

        // Up to date the next time: nothing applied, nothing said.
        (code, output, error) = await CaravanProcess.RunAsync(Fresh, "import", "iati", file);
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("migration", error);
        Assert.Contains("1 unchanged", output);
    }

    [Fact]
    public async Task Postgres_is_not_migrated_by_a_verb_but_told_to_run_caravan_migrate()
    {
        if (Requirements.PostgresServer is not { } server)
        {
            Requirements.Unavailable("PostgreSQL", "set CARAVAN_TEST_POSTGRES to a server connection string");
            return;
        }
        var name = $"caravan_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync(Ct);
            await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin).ExecuteNonQueryAsync(Ct);
        }
        try
        {
            var file = Path.Combine(_folder.FullName, "one.xml");
            File.WriteAllText(file, IatiSamples.File(IatiSamples.Activity("CLI-PG")));
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            var (code, output, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>(),
                "import", "iati", file, "--provider", "postgres", "--connection", connection);
            Assert.True(code == 5, output + error);
            Assert.Contains("Run `caravan migrate` first", error);
            await using var check = new NpgsqlConnection(connection);
            await check.OpenAsync(Ct);
            var tables = (long)(await new NpgsqlCommand(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", check)
                .ExecuteScalarAsync(Ct))!;
            Assert.Equal(0, tables);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync(Ct);
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin)
                .ExecuteNonQueryAsync(Ct);
        }
    }

    public void Dispose()
    {
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
