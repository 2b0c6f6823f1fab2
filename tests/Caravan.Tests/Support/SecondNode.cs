using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Caravan.Data;

namespace Caravan.Tests.Support;

/// <summary>
/// Another Caravan web node: the real `caravan` executable started as a process of its own, on the same database as
/// the test's app, listening on a free loopback port. Whatever guards a rule in one process (its locks, its caches)
/// does not reach this one: only the database is shared, as between two nodes behind a load balancer.
/// </summary>
public sealed partial class SecondNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _output;

    public Uri BaseAddress { get; }

    private SecondNode(Process process, DirectoryInfo folder, Uri address, StringBuilder output) =>
        (_process, _folder, BaseAddress, _output) = (process, folder, address, output);

    public static Task<SecondNode> StartAsync(CaravanApp app, CancellationToken ct,
        IEnumerable<KeyValuePair<string, string>>? settings = null) =>
        StartAsync(app.Provider, app.ConnectionString, Caravan.Web.Features.Audit.AuditKeys.KeyFilePath(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(app.Services)), ct, settings);

    /// <summary>A node of its own on the database given, sharing the audit key file given.</summary>
    public static async Task<SecondNode> StartAsync(DatabaseProvider provider, string connectionString,
        string auditKeyFile, CancellationToken ct, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("caravan-node-");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "caravan.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Caravan__Database__Provider"] = provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        start.Environment["Caravan__Database__ConnectionString"] = connectionString;
        start.Environment["Caravan__Accounts__KeysFolder"] = Path.Combine(folder.FullName, "keys");
        start.Environment["Caravan__Accounts__SignInAttemptsPerMinute"] = "10000";
        // Nodes of one deployment share the audit key (kept outside the database): each verifies the other's seals.
        start.Environment["Caravan__Audit__KeyFile"] = auditKeyFile;
        start.Environment["Urls"] = "http://127.0.0.1:0";
        // Settings the test's own app has too (e.g. its SMTP server), as Section__Key variables.
        foreach (var (key, value) in settings ?? []) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            return new SecondNode(process, folder, address, output);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The second node did not start within 90 s:\n{output}");
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    /// <summary>An API client of this node, signed in with the person's token (tokens live in the database).</summary>
    public HttpClient Api(Person person, string language = "en")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", person.Token);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Kills the process at once (SIGKILL), as a crash would: nothing of it gets to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
