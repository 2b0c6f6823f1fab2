using System.Diagnostics;

namespace Caravan.Tests.Integration;

/// <summary>
/// Start-up failures as an operator meets them: the real executable, run as a process, says what is
/// wrong in one readable message and touches nothing.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("caravan-start-");

    private static async Task<(int ExitCode, string Output)> RunCaravan(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "caravan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task A_corrupt_seed_file_stops_the_start_with_file_line_and_reason_before_the_database_is_touched()
    {
        var seed = Path.Combine(_folder.FullName, "broken.json");
        var lines = File.ReadAllLines(SeedDataTests.SeedPath).ToList();
        var at = lines.FindIndex(l => l.Contains("\"meeting\": \"summit-2025-astana\"", StringComparison.Ordinal));
        lines[at] = lines[at].Replace("summit-2025-astana", "summit-2025-nowhere", StringComparison.Ordinal);
        File.WriteAllLines(seed, lines);
        var database = Path.Combine(_folder.FullName, "caravan.db");

        var (exit, output) = await RunCaravan(new Dictionary<string, string>
        {
            ["Caravan__Seed__Path"] = seed,
            ["Caravan__Database__ConnectionString"] = $"Data Source={database}",
            ["Urls"] = "http://127.0.0.1:0",
        });

        Assert.NotEqual(0, exit);
        Assert.Contains($"{seed}:{at + 1}:", output);
        Assert.Contains("unknown meeting 'summit-2025-nowhere'", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(database), "the database must not be created");
    }

    [Fact]
    public async Task Malformed_json_is_reported_with_its_line()
    {
        var seed = Path.Combine(_folder.FullName, "malformed.json");
        File.WriteAllText(seed, "{\n  \"dataset\": \"cca-mechanism\",\n  \"version\": 1,\n  \"sources\": { oops }\n}\n");
        var (exit, output) = await RunCaravan(new Dictionary<string, string>(), "seed", "--check", "--file", seed);
        Assert.Equal(2, exit);
        Assert.Contains($"{seed}:4:", output);
    }

    [Fact]
    public async Task An_unreachable_database_is_one_clear_line_not_a_stack_trace()
    {
        var (exit, output) = await RunCaravan(new Dictionary<string, string>
        {
            ["Caravan__Database__Provider"] = "postgres",
            ["Caravan__Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=caravan;Username=caravan;Password=secret;Timeout=3",
            ["Caravan__Database__MigrateOnStart"] = "true",
            ["Urls"] = "http://127.0.0.1:0",
        });
        Assert.NotEqual(0, exit);
        Assert.Contains("Cannot use the database (PostgreSQL, host 127.0.0.1, port 1, database caravan)", output);
        Assert.DoesNotContain("secret", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task The_cli_migrates_and_seeds_explicitly_and_idempotently()
    {
        var database = Path.Combine(_folder.FullName, "cli.db");
        var env = new Dictionary<string, string> { ["Caravan__Database__ConnectionString"] = $"Data Source={database}" };
        var (migrated, migrateOutput) = await RunCaravan(env, "migrate");
        Assert.Equal(0, migrated);
        Assert.Contains("applied", migrateOutput);
        var (seeded, seedOutput) = await RunCaravan(env, "seed");
        Assert.Equal(0, seeded);
        Assert.Contains("Loaded cca-mechanism version", seedOutput);
        var (again, againOutput) = await RunCaravan(env, "seed");
        Assert.Equal(0, again);
        Assert.Contains("nothing changed", againOutput);
        var (_, upToDate) = await RunCaravan(env, "migrate");
        Assert.Contains("already up to date", upToDate);

        var (verified, verifyOutput) = await RunCaravan(env, "audit", "verify");
        Assert.Equal(0, verified);
        Assert.Contains("Audit trail intact", verifyOutput);
        var (_, anchor) = await RunCaravan(env, "audit", "anchor");
        Assert.Matches("^[0-9]+:[0-9a-f]{64}$", anchor.Trim());
        var (anchored, _) = await RunCaravan(env, "audit", "verify", "--anchor", anchor.Trim());
        Assert.Equal(0, anchored);
        var (wrongAnchor, wrongOutput) = await RunCaravan(env, "audit", "verify", "--anchor", anchor.Trim().Split(':')[0] + ":" + new string('0', 64));
        Assert.Equal(4, wrongAnchor);
        Assert.Contains("does not match the anchor", wrongOutput);
    }

    [Fact]
    public async Task Production_on_plain_http_warns_at_start_and_says_what_to_set()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "caravan.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Caravan__Database__ConnectionString"] = $"Data Source={Path.Combine(_folder.FullName, "caravan.db")}";
        start.Environment["Caravan__Accounts__KeysFolder"] = Path.Combine(_folder.FullName, "keys");
        start.Environment["Urls"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var warned = new TaskCompletionSource();
        void Read(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (output.ToString().Contains("Caravan:Proxy:KnownProxies", StringComparison.Ordinal)) warned.TrySetResult();
        }
        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try { await warned.Task.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken); }
        catch (TimeoutException) { }
        finally { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(TestContext.Current.CancellationToken); }
        var text = output.ToString();
        Assert.Contains("warn:", text);
        Assert.Contains("served over plain HTTP in Production", text);
        Assert.Contains("X-Forwarded-Proto: https", text);
        Assert.Contains("https:// address (Urls)", text);
    }

    public void Dispose()
    {
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
