using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Caravan.Benchmarks;

/// <summary>
/// <c>--cache-after-sign-in</c> (issue 13's measure): at scale, the first <c>/projects</c> after a failed sign-in is
/// served from cache, beside the baseline of the first one after a projects write (which must rebuild it), in the
/// same run, round by round.
/// </summary>
public static partial class IatiImportBenchmark
{
    private const int CacheRounds = 4; // a fifth failure would lock the account (and reset its count)
    private const string BenchEmail = "bench-reader@example.org";
    private const string BenchPassword = "bench correct horse battery staple";

    /// <summary>What the app is given to notice a write by another process (its poll reads the versions each second).</summary>
    private static readonly TimeSpan NoticeBound = TimeSpan.FromSeconds(2);

    private static readonly string[] CachePaths = ["/projects", "/api/v1/projects?page=1"];

    private static async Task<bool> CacheAfterSignInAsync(
        CaravanCli cli, Options options, string[] args, Machine machine, string work, int n)
    {
        var file = EnsureFile(n, options.Seed, 0);
        await using var database = await BenchDatabase.CreateAsync(options.Postgres, work, $"caravan_bench_cache_{n}");
        cli.Migrate(database);
        Progress($"Importing {n:N0} activities for --cache-after-sign-in …");
        var import = Timed(cli.Import(database, [file]));
        Progress($"… {import.Describe()}");
        if (import.Counts is null) throw new BenchmarkException($"The import failed (exit {import.Run.ExitCode}):\n{import.Run.Tail()}");
        var stored = await database.CountAsync();
        await AddAccountAsync(cli, database);

        var rounds = new List<(Timing[] AfterWrite, Timing[] AfterSignIn)>();
        using (var app = WebApp.Start(cli.Dll, new Dictionary<string, string>(database.Environment), Path.Combine(work, "app.log")))
        {
            Console.CancelKeyPress += (_, _) => app.Dispose();
            Progress($"Started the app (pid {app.ProcessId}) at {app.BaseAddress}; log: {app.LogPath}");
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                Timeout = TimeSpan.FromSeconds(120),
            };
            await app.WaitUntilHealthyAsync(http, TimeSpan.FromMinutes(2));
            foreach (var path in CachePaths)
            {
                await TimeAsync(http, app.BaseAddress, path);
                await TimeAsync(http, app.BaseAddress, path);
            }
            for (var round = 1; round <= CacheRounds; round++)
            {
                // Baseline: one new activity imported by the CLI (another process); the app notices within the bound.
                var one = EnsureFile(1, options.Seed, n + round);
                var write = cli.Import(database, [one]);
                if (write.ExitCode != 0)
                    throw new BenchmarkException($"The one-activity import failed (exit {write.ExitCode}):\n{write.Tail()}");
                await Task.Delay(NoticeBound);
                var afterWrite = new Timing[CachePaths.Length];
                for (var i = 0; i < CachePaths.Length; i++) afterWrite[i] = await TimeAsync(http, app.BaseAddress, CachePaths[i]);

                // Warm again, then a failed sign-in (it counts the failure on the account: a write), given the same time.
                foreach (var path in CachePaths) await TimeAsync(http, app.BaseAddress, path);
                await FailedSignInAsync(http, app.BaseAddress);
                await Task.Delay(NoticeBound);
                var afterSignIn = new Timing[CachePaths.Length];
                for (var i = 0; i < CachePaths.Length; i++) afterSignIn[i] = await TimeAsync(http, app.BaseAddress, CachePaths[i]);
                rounds.Add((afterWrite, afterSignIn));
                Progress($"Round {round}: after a projects write {string.Join(", ", afterWrite.Select(t => t.ToString()))} ms; "
                    + $"after a failed sign-in {string.Join(", ", afterSignIn.Select(t => t.ToString()))} ms");
            }
        }
        var failures = await database.AccessFailedCountAsync(BenchEmail);
        if (failures != CacheRounds)
            throw new BenchmarkException($"The account counts {failures} failed sign-ins, not {CacheRounds}: the sign-ins did not write.");

        var report = CacheReport(options, machine, args, database, stored, import, rounds);
        Console.WriteLine(report);
        if (options.Output is { } output)
        {
            Program.WriteFiguresSection(output, $"cache-sign-in-{(options.Postgres is null ? "sqlite" : "postgres")}", report);
            Progress($"Figures written to {output}");
        }
        // Met: every first request after a sign-in came from the cache, every one after a projects write was rebuilt.
        return rounds.All(r => r.AfterSignIn.All(t => t.FromCache) && r.AfterWrite.All(t => !t.FromCache));
    }

    private static string CacheReport(Options options, Machine machine, string[] args, BenchDatabase database,
        (long Projects, long Transactions)? stored, ImportRun import, List<(Timing[] AfterWrite, Timing[] AfterSignIn)> rounds)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.Cores} cores ({machine.Cpu}), {machine.Os}, {machine.Runtime}; load average before the run: {machine.LoadAverage}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Database: {(options.Postgres is null ? "SQLite (fresh temporary file)" : $"PostgreSQL (database {database.Name}, created for this run)")}. App: Release publish, Production environment, http://127.0.0.1.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Dataset: {Stored(stored)} from the generated file of {import.Counts!.Read:N0} activities (seed {options.Seed}), imported by the CLI ({import.Run.Elapsed.TotalSeconds:0.0} s). Each round: the CLI imports one more activity (another process), {NoticeBound.TotalSeconds:0} s pass, and the first request of each endpoint is timed; then both are requested again (warm), a sign-in with a wrong password is posted for an existing account, {NoticeBound.TotalSeconds:0} s pass, and the first request of each is timed. One request at a time, from this process.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Program.CommandLine(args)}`");
        text.AppendLine();
        text.AppendLine("| Round | " + string.Join(" | ", CachePaths.Select(p => $"`{p}` after a projects write, ms | after a failed sign-in, ms"))
            + " |");
        text.AppendLine("|--:|" + string.Concat(CachePaths.Select(_ => "--:|--:|")));
        foreach (var (r, i) in rounds.Select((r, i) => (r, i)))
            text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {string.Join(" | ", CachePaths.Select((_, k) => $"{r.AfterWrite[k]} | {r.AfterSignIn[k]}"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| median | {string.Join(" | ", CachePaths.Select((_, k) => $"{Ms(Median(rounds.Select(r => r.AfterWrite[k].Ms)))} | {Ms(Median(rounds.Select(r => r.AfterSignIn[k].Ms)))}"))} |");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : ms < 100 ? "0.0" : "N0", CultureInfo.InvariantCulture);

    /// <summary>A first request's time, and whether the output cache served it (it then sends an <c>Age</c> header).</summary>
    private sealed record Timing(double Ms, bool FromCache)
    {
        public override string ToString() => $"{IatiImportBenchmark.Ms(Ms)} ({(FromCache ? "cache" : "built")})";
    }

    private static async Task<Timing> TimeAsync(HttpClient http, Uri baseAddress, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri(baseAddress, path));
        await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new BenchmarkException($"{path} answered {(int)response.StatusCode}.");
        return new Timing(ms, response.Headers.Age is not null);
    }

    /// <summary>An account with a password, added by the CLI as an administrator would (the password from stdin).</summary>
    private static async Task AddAccountAsync(CaravanCli cli, BenchDatabase database)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(cli.Dll),
        };
        foreach (var a in new[] { cli.Dll, "users", "add", "--email", BenchEmail, "--role", "secretariat-editor", "--password-stdin" })
            start.ArgumentList.Add(a);
        foreach (var (k, v) in database.Environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(BenchPassword);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new BenchmarkException($"caravan users add failed (exit {process.ExitCode}):\n{output}");
    }

    /// <summary>The sign-in form as a browser posts it (antiforgery cookie and token), with a wrong password.</summary>
    private static async Task FailedSignInAsync(HttpClient http, Uri baseAddress)
    {
        // Signing in needs HTTPS in Production: as behind the TLS-terminating proxy on this machine that it trusts.
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/account/sign-in"));
        get.Headers.Add("X-Forwarded-Proto", "https");
        using var form = await http.SendAsync(get);
        var html = await form.Content.ReadAsStringAsync();
        var token = TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new BenchmarkException($"The sign-in form ({(int)form.StatusCode}) has no antiforgery token.");
        var cookies = string.Join("; ", form.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : []);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/account/sign-in"))
        {
            Content = new FormUrlEncodedContent(
                [new("email", BenchEmail), new("password", "not the password"), new("__RequestVerificationToken", token)]),
        };
        post.Headers.Add("Cookie", cookies);
        post.Headers.Add("X-Forwarded-Proto", "https");
        using var refused = await http.SendAsync(post);
        if (refused.StatusCode != HttpStatusCode.OK)
            throw new BenchmarkException($"The failed sign-in answered {(int)refused.StatusCode}, not 200 with the form again.");
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
