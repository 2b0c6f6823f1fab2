using Caravan.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Caravan.Tests.Support;

/// <summary>
/// The whole app over HTTP on a real, empty database of one provider, migrated and seeded by the app's
/// own start-up. One per test class; each gets its own database.
/// </summary>
public abstract class CaravanApp : IAsyncLifetime
{
    static CaravanApp()
    {
        // Each app watches its settings files and wwwroot; with inotify that is an instance per watcher, and the
        // user's limit (128 by default) is reached by the suite's many apps and nodes alive at once. Polling watchers
        // use none; the nodes started as processes inherit the setting.
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "1");
    }

    private WebApplicationFactory<Program>? _factory;
    private string? _skipReason;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Extra settings a test class needs (e.g. another seed file).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    /// <summary>
    /// The ASP.NET Core environment the app runs in: "Testing" by default; "Production" to test the app as deployed
    /// (Secure cookies, HSTS, the start-up warning on plain HTTP).
    /// </summary>
    protected virtual string EnvironmentName => "Testing";

    /// <summary>
    /// Serve on real Kestrel (a free loopback port) instead of the in-memory server: needed where the connection's
    /// address matters (forwarded headers are believed only from known proxies). <see cref="Client"/> then connects over TCP.
    /// </summary>
    protected virtual bool OnKestrel => false;

    /// <summary>The in-memory client speaks to the app as https://localhost (not with <see cref="OnKestrel"/>).</summary>
    protected virtual bool Https => false;

    /// <summary>The Kestrel address (http://127.0.0.1:port) when <see cref="OnKestrel"/>.</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>Anything else a test class needs of the host (e.g. a logger that keeps what was logged).</summary>
    protected virtual void Configure(IWebHostBuilder builder) { }

    protected abstract Task<string?> CreateDatabaseAsync();

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var connection = await CreateDatabaseAsync();
        if (connection is null) return;
        ConnectionString = connection;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(EnvironmentName);
            b.UseSetting("Caravan:Database:Provider", Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres");
            b.UseSetting("Caravan:Database:ConnectionString", connection);
            b.UseSetting("Caravan:Database:MigrateOnStart", "true");
            // Many sign-ins from one test process; the limit itself is tested with its own setting.
            b.UseSetting("Caravan:Accounts:SignInAttemptsPerMinute", "10000");
            // Not appsettings' fixed 127.0.0.1:5080 (the portal may be running on this machine; classes run in parallel).
            if (OnKestrel) b.UseSetting("Urls", "http://127.0.0.1:0");
            foreach (var (key, value) in Settings()) b.UseSetting(key, value);
            Configure(b);
        });
        if (OnKestrel)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
            BaseAddress = new Uri(_factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
        }
        else _ = _factory.Server; // start now: migrations and seed run once per class
    }

    protected void Unavailable(string reason) => _skipReason = reason;

    public HttpClient Client(bool allowRedirects = false)
    {
        if (_factory is null) Requirements.Unavailable("PostgreSQL", _skipReason ?? "no database");
        // Over TCP no cookie container: Production cookies are Secure, and a test behind a "proxy" passes them itself.
        if (BaseAddress is not null) return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = allowRedirects, UseCookies = false }) { BaseAddress = BaseAddress };
        return _factory!.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = allowRedirects,
            // As a browser behind a TLS-terminating proxy sees it: Production's Secure cookies and sign-in need HTTPS.
            BaseAddress = new Uri(Https ? "https://localhost" : "http://localhost"),
        });
    }

    public IServiceProvider Services
    {
        get
        {
            if (_factory is null) Requirements.Unavailable("PostgreSQL", _skipReason ?? "no database");
            return _factory!.Services;
        }
    }

    public CaravanDbContext NewDbContext() => Services.CreateScope().ServiceProvider.GetRequiredService<CaravanDbContext>();

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        await DropDatabaseAsync();
        GC.SuppressFinalize(this);
    }
}

public class SqliteApp : CaravanApp
{
    private string? _folder;
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string?> CreateDatabaseAsync()
    {
        _folder = Directory.CreateTempSubdirectory("caravan-test-").FullName;
        return Task.FromResult<string?>($"Data Source={Path.Combine(_folder, "caravan.db")};Pooling=False");
    }

    protected override Task DropDatabaseAsync()
    {
        if (_folder is not null) try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

public class PostgresApp : CaravanApp
{
    private string? _database;
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        var server = Requirements.PostgresServer;
        if (server is null)
        {
            Unavailable("set CARAVAN_TEST_POSTGRES to a server connection string (e.g. Host=127.0.0.1;Port=55432;Username=postgres); .ci/run starts one");
            return null;
        }
        _database = $"caravan_test_{Guid.NewGuid():N}";
        try
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            Unavailable($"the server in CARAVAN_TEST_POSTGRES cannot be reached: {e.Message}");
            _database = null;
            return null;
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_database is null || Requirements.PostgresServer is not { } server) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
