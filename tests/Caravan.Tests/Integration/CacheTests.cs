using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Caravan.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// One cache whose version lives in the database: answers stay cached until what they show changes, and a write by
/// another process (the real `caravan` CLI) is answered within 2 s. "Served from cache" is shown by a change made
/// behind the app's back (raw SQL, no version raised): a cached answer does not show it, a rebuilt one does.
/// </summary>
public abstract class CacheTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The bound the issue sets for a write by another process.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static string Suffix() => "CACHE-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    private async Task<string> Page(string url) => await app.Client().GetStringAsync(url, Ct);

    private async Task<JsonElement> Json(string url) => JsonDocument.Parse(await app.Client().GetStringAsync(url, Ct)).RootElement;

    private async Task<int> ProjectsFound(string suffix) =>
        (await Json($"/api/v1/projects?q={suffix}")).GetProperty("total").GetInt32();

    /// <summary>Polls until the condition holds; fails past the deadline. Returns how long it took.</summary>
    private static async Task<TimeSpan> WithinAsync(TimeSpan deadline, Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < deadline, $"{what}: not seen within {deadline.TotalSeconds} s");
            await Task.Delay(50, Ct);
        }
        return clock.Elapsed;
    }

    /// <summary>The real `caravan` executable, a process of its own on the app's database.</summary>
    private async Task<(int ExitCode, string Output)> CaravanProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "caravan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--provider");
        start.ArgumentList.Add(app.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres");
        start.ArgumentList.Add("--connection");
        start.ArgumentList.Add(app.ConnectionString);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<string> ImportAsync(string suffix)
    {
        await using var db = app.NewDbContext();
        var report = await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(IatiSamples.Activity(suffix))),
            new IatiImportOptions { By = "test", FileName = "cache-test.xml" }, Ct);
        Assert.Equal(1, report.Added);
        // The import's batches raise the version around EF: let the watch take them in before the test caches
        // anything (a poll that lands mid-import evicts once more, which is harmless but not what is measured).
        await app.Services.GetRequiredService<DataVersionWatch>().CheckAsync(Ct);
        return $"CN-MOFCOM-{suffix}";
    }

    /// <summary>Renames a project's English title in the database without telling anyone (no cache version moves).</summary>
    private async Task RenameBehindTheBackAsync(string identifier, string from, string to)
    {
        await using var db = app.NewDbContext();
        var changed = await db.Database.ExecuteSqlRawAsync(
            """UPDATE "Projects" SET "Titles" = REPLACE("Titles", {0}, {1}) WHERE "IatiIdentifier" = {2}""",
            [from, to, identifier], Ct);
        Assert.Equal(1, changed);
    }

    /// <summary>A write to projects through EF, as the portal's own forms make (a project's change of hands).</summary>
    private async Task TouchProjectAsync(string identifier)
    {
        await using var db = app.NewDbContext();
        var project = await db.Projects.SingleAsync(p => p.IatiIdentifier == identifier, Ct);
        project.UpdatedBy = "cache-test " + Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task An_import_by_the_cli_process_is_answered_within_two_seconds_by_the_running_app()
    {
        var suffix = Suffix();
        // Both answers are cached, as nothing is there yet.
        Assert.Equal(0, await ProjectsFound(suffix));
        Assert.DoesNotContain("Luban Workshop " + suffix, await Page($"/projects?q={suffix}"));

        var file = Path.Combine(Path.GetTempPath(), $"caravan-cache-{suffix}.xml");
        await File.WriteAllTextAsync(file, IatiSamples.File(IatiSamples.Activity(suffix)), Ct);
        try
        {
            var (exit, output) = await CaravanProcess("import", "iati", file);
            Assert.True(exit == 0, output);
            Assert.Contains("1 added", output);
            var took = await WithinAsync(Bound, async () => await ProjectsFound(suffix) == 1, "the API's answer");
            await WithinAsync(Bound - took,
                async () => (await Page($"/projects?q={suffix}")).Contains("Luban Workshop " + suffix), "the page");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_account_added_by_the_cli_process_evicts_no_public_answer()
    {
        var identifier = await ImportAsync(Suffix());
        var api = $"/api/v1/projects?q={identifier}";
        var page = $"/projects?q={identifier}";
        Assert.Contains("Luban Workshop", await Page(page));
        Assert.Contains("Luban Workshop", (await Json(api)).ToString());
        await RenameBehindTheBackAsync(identifier, "Luban Workshop", "Hidden Workshop");

        var (exit, output) = await CaravanProcess(
            "users", "add", "--email", $"cache-{Guid.NewGuid():N}@example.org", "--role", "secretariat-editor", "--name", "Cache Test");
        Assert.True(exit == 0, output);
        await app.Services.GetRequiredService<DataVersionWatch>().CheckAsync(Ct);

        Assert.DoesNotContain("Hidden Workshop", await Page(page));
        Assert.DoesNotContain("Hidden Workshop", (await Json(api)).ToString());
        await TouchProjectAsync(identifier);
        Assert.Contains("Hidden Workshop", await Page(page));
    }

    [Fact]
    public async Task A_failed_sign_in_leaves_the_projects_page_and_api_answer_cached()
    {
        var identifier = await ImportAsync(Suffix());
        var api = $"/api/v1/projects?q={identifier}";
        var page = $"/projects?q={identifier}";
        Assert.Contains("Luban Workshop", await Page(page));
        Assert.Contains("Luban Workshop", (await Json(api)).ToString());
        await RenameBehindTheBackAsync(identifier, "Luban Workshop", "Hidden Workshop");

        var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var session = new PortalSession(app);
        await session.GetAsync("/account/sign-in");
        var refused = await session.PostAsync("/account/sign-in",
            [new("email", person.Email), new("password", "not the password at all")]);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        await using (var db = app.NewDbContext())
            // It wrote: Identity counted the failure on the account.
            Assert.Equal(1, (await db.Users.AsNoTracking().SingleAsync(u => u.Id == person.Id, Ct)).AccessFailedCount);
        // A successful one too.
        await new PortalSession(app).SignInAsync(person);
        await app.Services.GetRequiredService<DataVersionWatch>().CheckAsync(Ct);

        // Served from cache: the change made behind the app's back is not seen.
        Assert.DoesNotContain("Hidden Workshop", await Page(page));
        Assert.DoesNotContain("Hidden Workshop", (await Json(api)).ToString());
        // A write to projects is: both are rebuilt.
        await TouchProjectAsync(identifier);
        Assert.Contains("Hidden Workshop", await Page(page));
        Assert.Contains("Hidden Workshop", (await Json(api)).ToString());
    }

    [Fact]
    public async Task A_write_to_projects_evicts_projects_answers_but_not_the_documents_page()
    {
        var identifier = await ImportAsync(Suffix());
        var projects = $"/projects?q={identifier}";
        Assert.Contains("Luban Workshop", await Page(projects));
        var documents = await Page("/documents");
        Assert.Contains("Astana Declaration", documents);
        var documentsApi = (await Json("/api/v1/documents?pageSize=100")).ToString();
        Assert.Contains("Astana Declaration", documentsApi);

        await RenameBehindTheBackAsync(identifier, "Luban Workshop", "Hidden Workshop");
        await using (var db = app.NewDbContext())
            await db.Database.ExecuteSqlRawAsync(
                """UPDATE "Documents" SET "Title" = REPLACE("Title", 'Astana Declaration', 'Hidden Declaration')""", Ct);
        try
        {
            await TouchProjectAsync(identifier);
            Assert.Contains("Hidden Workshop", await Page(projects));
            Assert.Equal(documents, await Page("/documents"));
            Assert.Equal(documentsApi, (await Json("/api/v1/documents?pageSize=100")).ToString());
        }
        finally
        {
            await using var db = app.NewDbContext();
            await db.Database.ExecuteSqlRawAsync(
                """UPDATE "Documents" SET "Title" = REPLACE("Title", 'Hidden Declaration', 'Astana Declaration')""", Ct);
        }
    }

    [Fact]
    public async Task A_restore_that_moves_a_version_back_is_a_change_too()
    {
        var identifier = await ImportAsync(Suffix());
        var page = $"/projects?q={identifier}";
        Assert.Contains("Luban Workshop", await Page(page));
        await RenameBehindTheBackAsync(identifier, "Luban Workshop", "Restored Workshop");
        await using (var db = app.NewDbContext())
            await db.Database.ExecuteSqlRawAsync("""UPDATE "CacheVersions" SET "Version" = 0 WHERE "Tag" = 'projects'""", Ct);
        await WithinAsync(Bound, async () => (await Page(page)).Contains("Restored Workshop"), "the restored page");
    }

    [Fact]
    public async Task Compression_follows_quality_values_and_each_coding_keeps_its_etag()
    {
        var client = app.Client();
        var plain = await client.GetAsync("/api/v1/documents/astana-declaration-2025", Ct);
        using var refused = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents/astana-declaration-2025");
        refused.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0, br;q=0");
        var identity = await client.SendAsync(refused, Ct);
        Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
        Assert.Equal(plain.Headers.ETag, identity.Headers.ETag);
        Assert.Equal(await plain.Content.ReadAsStringAsync(Ct), await identity.Content.ReadAsStringAsync(Ct));

        using var brotli = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents/astana-declaration-2025");
        brotli.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0.5, br");
        var br = await client.SendAsync(brotli, Ct);
        Assert.Equal(["br"], br.Content.Headers.ContentEncoding);
        Assert.NotEqual(plain.Headers.ETag, br.Headers.ETag);
        // Asked again with its ETag, from the cache: 304.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents/astana-declaration-2025");
        again.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0.5, br");
        again.Headers.IfNoneMatch.Add(br.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again, Ct)).StatusCode);
    }
}

public sealed class CacheTestsOnSqlite(SqliteApp app) : CacheTests(app), IClassFixture<SqliteApp>;

public sealed class CacheTestsOnPostgres(PostgresApp app) : CacheTests(app), IClassFixture<PostgresApp>;
