using System.Diagnostics;
using System.Net.Http.Json;
using Caravan.Benchmarks;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// An IATI import is all or nothing (issue 14, item 2): the real CLI process, killed (SIGKILL) while it imports a
/// large generated file, leaves none of the file's projects visible to any read (the API, the queries behind the
/// pages, totals and dashboards, the IATI export), though it had stored batches; its run was recorded, running and
/// audited, from its start; and the next import, or the app's start-up, records it as failed and removes what it
/// staged. Several rounds on each provider.
/// </summary>
public abstract class ImportKillTests(CaravanApp app)
{
    private const int Rounds = 4;
    private const int Activities = 4000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The generator writes the same bytes for a seed: one file, kept and reused by later runs (written aside, then
    // moved, so that a run never reads another's half-written file).
    private static readonly Lazy<string> LargeFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"caravan-kill-test-{Activities}-seed7.xml");
        if (File.Exists(path)) return path;
        var temp = $"{path}.{Guid.NewGuid():N}";
        using (var file = File.Create(temp)) IatiFileGenerator.Write(file, Activities, seed: 7);
        File.Move(temp, path, overwrite: true);
        return path;
    });

    private ProcessStartInfo Caravan(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "caravan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Caravan__Database__Provider"] = app.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        start.Environment["Caravan__Database__ConnectionString"] = app.ConnectionString;
        return start;
    }

    /// <summary>What the public sees of projects: the API's list, the pages' queries, totals, and the IATI export.</summary>
    private async Task<(int Api, int Listed, int Transactions, int Exported, int Countries)> VisibleAsync()
    {
        var page = await app.Client().GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/projects?pageSize=1", Ct);
        using var scope = app.Services.CreateScope();
        var queries = scope.ServiceProvider.GetRequiredService<ProjectQueries>();
        var listed = await queries.ListAsync(new ProjectFilter(), ProjectSort.Identifier, false, 1, 1, Ct);
        var totals = await queries.TotalsAsync(new ProjectFilter(), ProjectQueries.DefaultTransactionType, ProjectQueries.DefaultCurrency, Ct);
        var countries = await queries.RecipientCountriesAsync(Ct);
        using var export = new MemoryStream();
        int exported;
        await using (var db = app.NewDbContext()) exported = await IatiExport.WriteAsync(db, export, Ct);
        return (page.GetProperty("total").GetInt32(), listed.Total, totals.Total.Transactions, exported, countries.Count);
    }

    /// <summary>The rows in Projects, whatever their state (visible, staged, draft), and the running run.</summary>
    private async Task<(int Stored, ImportRun? Running)> StateAsync()
    {
        await using var db = app.NewDbContext();
        var staged = await db.Projects.CountAsync(Ct);
        var running = await db.ImportRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Status == ImportRunStatus.Running, Ct);
        return (staged, running);
    }

    [Fact]
    public async Task A_killed_import_leaves_nothing_visible_and_is_recorded_as_failed_by_the_next_run_or_the_start()
    {
        var before = await VisibleAsync();
        var killedWithRows = 0;
        var killedRuns = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            using var process = Process.Start(Caravan("import", "iati", LargeFile.Value, "--batch", "100"))!;
            var output = process.StandardOutput.ReadToEndAsync(Ct);
            var errors = process.StandardError.ReadToEndAsync(Ct);
            // Killed once several batches are stored: the old import had them published by then.
            var watch = Stopwatch.StartNew();
            var (baseline, _) = await StateAsync();
            var (stored, running) = (0, (ImportRun?)null);
            while (watch.Elapsed < TimeSpan.FromSeconds(120) && !process.HasExited)
            {
                (stored, running) = await StateAsync();
                if (running is not null && stored - baseline >= 300 + 200 * round) break;
                await Task.Delay(25, Ct);
            }
            if (process.HasExited) Assert.Fail($"round {round}: the import ended before it could be killed: {await output}{await errors}");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            (stored, running) = await StateAsync();
            Assert.True(running is not null, $"round {round}: the killed run is still recorded as running");
            if (stored > baseline) killedWithRows++;
            killedRuns.Add(running!.Id);

            // Nothing of the file is visible anywhere, though batches of it were stored.
            Assert.Equal(before, await VisibleAsync());
            // The run was recorded, and audited, from its start.
            await using (var db = app.NewDbContext())
                Assert.True(await db.AuditEntries.AnyAsync(e => e.SubjectType == "import-run" && e.SubjectId == running!.Id, Ct));

            // Odd rounds: the next import finds the killed run; even rounds: the app's start-up does.
            if (round % 2 == 1)
            {
                await using var db = app.NewDbContext();
                var next = await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(IatiSamples.Activity($"K-{round}"))),
                    new IatiImportOptions { By = "test", FileName = "next.xml" }, Ct);
                Assert.Equal((ImportRunStatus.Completed, 1), (next.Status, next.Added));
            }
            else await StartTheAppAsync();

            await using (var db = app.NewDbContext())
            {
                var killed = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == running!.Id, Ct);
                Assert.Equal(ImportRunStatus.Failed, killed.Status);
                Assert.StartsWith("import.abandoned: ", killed.Stopped);
                Assert.Equal(0, await db.Projects.CountAsync(p => p.Staged, Ct));
                Assert.Equal(baseline + round % 2, await db.Projects.CountAsync(Ct));
                Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.SubjectType == "import-run" && e.SubjectId == running!.Id, Ct));
            }
            var after = await VisibleAsync();
            before = round % 2 == 1 ? after : before;
            Assert.Equal(before, after);
        }
        Assert.Equal(Rounds, killedWithRows);
        TestContext.Current.SendDiagnosticMessage($"{app.Provider}: {Rounds} kill -9 rounds, {killedWithRows} with batches stored, 0 partial imports visible");

        // And the API's record of imports says so, in the caller's language.
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        foreach (var (language, words) in new[] { ("en", "its process"), ("ru", "его процесс"), ("zh", "其进程") })
        {
            var runs = await app.Api(secretariat, language).GetFromJsonAsync<List<Caravan.Web.Features.Projects.ImportRunDto>>("/api/v1/import-runs", Ct);
            Assert.All(killedRuns, id => Assert.Contains(runs!, r => r.Id == id && r.Status == ImportRunStatus.Failed && r.Reason is { } reason && reason.Contains(words, StringComparison.Ordinal)));
        }
    }

    /// <summary>The app itself, started as deployed on the same database, until it listens; then stopped.</summary>
    private async Task StartTheAppAsync()
    {
        var (process, _, output, folder) = await StartAppAsync();
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(Ct);
        process.Dispose();
        try { folder.Delete(recursive: true); } catch (IOException) { }
        lock (output) Assert.Contains("recorded as failed", output.ToString());
    }

    /// <summary>The app as deployed (Production, its own port), on the test's database, once it listens.</summary>
    private async Task<(Process Process, Uri Address, System.Text.StringBuilder Output, DirectoryInfo Folder)> StartAppAsync()
    {
        var folder = Directory.CreateTempSubdirectory("caravan-kill-start-");
        var start = Caravan();
        start.Environment["Caravan__Accounts__KeysFolder"] = Path.Combine(folder.FullName, "keys");
        start.Environment["Urls"] = "http://127.0.0.1:0";
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource<Uri>();
        void Read(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            var at = e.Data.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0) listening.TrySetResult(new Uri(e.Data[(at + "Now listening on: ".Length)..].Trim()));
        }
        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), Ct), output, folder);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    [Fact]
    public async Task The_app_killed_during_an_api_import_leaves_nothing_visible_and_the_next_run_records_it_as_failed()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var before = await VisibleAsync();
        for (var round = 1; round <= 2; round++)
        {
            var (process, address, output, folder) = await StartAppAsync();
            try
            {
                var (baseline, _) = await StateAsync();
                using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
                http.DefaultRequestHeaders.Authorization = new("Bearer", secretariat.Token);
                var content = new StreamContent(File.OpenRead(LargeFile.Value));
                content.Headers.ContentType = new("application/xml");
                var posting = http.PostAsync("/api/v1/projects/import", content, Ct);
                var watch = Stopwatch.StartNew();
                var (stored, running) = (0, (ImportRun?)null);
                while (watch.Elapsed < TimeSpan.FromSeconds(120) && !posting.IsCompleted)
                {
                    (stored, running) = await StateAsync();
                    if (running is not null && stored - baseline >= 500) break;
                    await Task.Delay(25, Ct);
                }
                if (posting.IsCompleted) Assert.Fail($"round {round}: the import answered before the app could be killed: {(await posting).StatusCode}");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(Ct);
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => posting);
                (stored, running) = await StateAsync();
                Assert.NotNull(running);
                Assert.True(stored - baseline >= 500, $"round {round}: {stored - baseline} rows stored when killed");

                Assert.Equal(before, await VisibleAsync());
                await using var db = app.NewDbContext();
                var next = await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(IatiSamples.Activity($"KA-{round}"))),
                    new IatiImportOptions { By = "test", FileName = "next.xml" }, Ct);
                Assert.Equal(ImportRunStatus.Completed, next.Status);
                var killed = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == running!.Id, Ct);
                Assert.Equal((ImportRunStatus.Failed, "upload.xml"), (killed.Status, killed.FileName));
                Assert.Equal(0, await db.Projects.CountAsync(p => p.Staged, Ct));
                before = await VisibleAsync();
                Assert.Equal(baseline + 1, await db.Projects.CountAsync(Ct));
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
                try { folder.Delete(recursive: true); } catch (IOException) { }
            }
        }
    }
}

public sealed class ImportKillTestsOnSqlite(SqliteApp app) : ImportKillTests(app), IClassFixture<SqliteApp>;

public sealed class ImportKillTestsOnPostgres(PostgresApp app) : ImportKillTests(app), IClassFixture<PostgresApp>;
