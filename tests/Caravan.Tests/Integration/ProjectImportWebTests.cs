using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>Importing IATI files and rates over HTTP (API and upload page), and downloading the IATI export.</summary>
public abstract class ProjectImportWebTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    [Fact]
    public async Task The_secretariat_imports_through_the_api_and_reads_the_report_in_russian()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var bad = IatiSamples.Activity("W-2", countries: """<recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="30"/>""");
        var response = await app.Api(secretariat, "ru").PostAsync("/api/v1/projects/import?strict=true", Xml(IatiSamples.File(IatiSamples.Activity("W-1"), bad)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((1, 1), (report.GetProperty("added").GetInt32(), report.GetProperty("skipped").GetInt32()));
        var problem = Assert.Single(report.GetProperty("problems").EnumerateArray());
        Assert.Equal(("CN-MOFCOM-W-2", "percentages-sum", "warning"), (problem.GetProperty("activity").GetString(), problem.GetProperty("rule").GetString(), problem.GetProperty("severity").GetString()));
        Assert.Contains("90", problem.GetProperty("message").GetString());
        Assert.Matches("[а-я]", problem.GetProperty("message").GetString()!);

        // By default (and with the old acceptWarnings) the second activity comes in with its finding; the first is
        // unchanged.
        var again = await (await app.Api(secretariat).PostAsync("/api/v1/projects/import?acceptWarnings=true", Xml(IatiSamples.File(IatiSamples.Activity("W-1"), bad)), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((1, 1, 1), (again.GetProperty("added").GetInt32(), again.GetProperty("unchanged").GetInt32(), again.GetProperty("storedWithFindings").GetInt32()));

        var runs = await app.Api(secretariat).GetFromJsonAsync<JsonElement>("/api/v1/import-runs", Ct);
        Assert.Contains(runs.EnumerateArray(), r => r.GetProperty("id").GetString() == report.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task A_broken_file_says_why_in_one_message_and_others_may_not_import()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var dtd = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><iati-activities version=\"2.03\"/>"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dtd.StatusCode);
        Assert.Contains("DTD", (await dtd.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("stopped").GetString());
        var v1 = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml("<iati-activities version=\"1.05\"><iati-activity/></iati-activities>"), Ct);
        Assert.Contains("1.05", (await v1.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("stopped").GetString());

        var coordinator = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(coordinator).PostAsync("/api/v1/projects/import", Xml(IatiSamples.File(IatiSamples.Activity("W-9"))), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().PostAsync("/api/v1/projects/import", Xml(IatiSamples.File(IatiSamples.Activity("W-9"))), Ct)).StatusCode);
        await using var db = app.NewDbContext();
        Assert.False(db.Projects.Any(p => p.IatiIdentifier == "CN-MOFCOM-W-9"));
    }

    [Fact]
    public async Task A_rates_file_not_in_utf8_is_refused_with_its_line_and_stores_nothing()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        // "Banque de France série" saved by a spreadsheet in Latin-1: é is the single byte 0xE9.
        var latin1 = Encoding.Latin1.GetBytes(
            "from,to,date,rate,source\nEUR,CNY,2025-01-02,7.6,latin-test\nEUR,USD,2025-01-02,1.04,Banque de France série\n");
        var refused = await app.Api(secretariat, "ru").PostAsync("/api/v1/exchange-rates",
            new ByteArrayContent(latin1) { Headers = { ContentType = new("text/csv") } }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = Assert.Single((await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal((3, "file"), (problem.GetProperty("row").GetInt32(), problem.GetProperty("column").GetString()));
        Assert.Contains("UTF-8", problem.GetProperty("message").GetString());
        Assert.StartsWith("Строка 3", problem.GetProperty("message").GetString());
        await using (var db = app.NewDbContext()) Assert.False(db.ExchangeRates.Any(r => r.Source == "latin-test"));

        // The same file in UTF-8, with the byte-order mark Excel writes, is taken, é and all.
        var utf8 = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            "from,to,date,rate,source\nEUR,CNY,2025-01-02,7.6,latin-test\nEUR,USD,2025-01-02,1.04,Banque de France série\n"))
            .ToArray();
        var taken = await app.Api(secretariat).PostAsync("/api/v1/exchange-rates",
            new ByteArrayContent(utf8) { Headers = { ContentType = new("text/csv") } }, Ct);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        await using (var db = app.NewDbContext())
            Assert.True(db.ExchangeRates.Any(r => r.Source == "Banque de France série"));
    }

    [Fact]
    public async Task Rates_are_all_or_nothing_and_the_export_download_is_valid_iati()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var bad = await app.Api(secretariat, "zh").PostAsync("/api/v1/exchange-rates", new StringContent("from,to,date,rate,source\nUSD,CNY,2025-01-02,7.1879,test\nUSD,KZT,2025-13-01,500,test\n", Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var row = Assert.Single((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal((3, "date"), (row.GetProperty("row").GetInt32(), row.GetProperty("column").GetString()));
        await using (var db = app.NewDbContext()) Assert.False(db.ExchangeRates.Any(r => r.Source == "test"));
        var good = await app.Api(secretariat).PostAsync("/api/v1/exchange-rates", new StringContent("from,to,date,rate,source\nUSD,CNY,2025-01-02,7.1879,test\n", Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);

        await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(IatiSamples.File(IatiSamples.Activity("X-1"))), Ct);
        var export = await app.Client().GetAsync("/api/v1/projects.xml", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        await using var stream = await export.Content.ReadAsStreamAsync(Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        copy.Position = 0;
        Assert.Empty(IatiSchema.Validate(copy));
        Assert.Contains("CN-MOFCOM-X-1", Encoding.UTF8.GetString(copy.ToArray()));
    }

    [Fact]
    public async Task A_commitment_page_lists_the_published_projects_that_deliver_it()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(IatiSamples.File(IatiSamples.Activity("L-1"), IatiSamples.Activity("L-2"))), Ct);
        await using (var db = app.NewDbContext())
        {
            var ids = db.Projects.Where(p => p.IatiIdentifier == "CN-MOFCOM-L-1" || p.IatiIdentifier == "CN-MOFCOM-L-2").OrderBy(p => p.IatiIdentifier).Select(p => p.Id).ToList();
            db.ProjectCommitments.AddRange(ids.Select(id => new Caravan.Features.Projects.ProjectCommitment { ProjectId = id, CommitmentId = "grant-2025" }));
            db.Projects.Single(p => p.Id == ids[1]).Published = false;
            await db.SaveChangesAsync(Ct);
        }
        var page = System.Net.WebUtility.HtmlDecode(await app.Client().GetStringAsync("/commitments/grant-2025?culture=ru", Ct));
        Assert.Contains("Мастерская Лу Бань L-1", page);
        Assert.DoesNotContain("L-2", page); // unpublished: not for the public
    }

    [Fact]
    public async Task A_cut_off_file_is_a_failed_run_with_its_line_shown_honestly_in_every_language_and_nothing_visible()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var file = IatiSamples.File(IatiSamples.Activity("F-1"), IatiSamples.Activity("F-2"), IatiSamples.Activity("F-3"));
        var cut = file[..file.IndexOf("CN-MOFCOM-F-3", StringComparison.Ordinal)];
        var line = cut.Count(c => c == '\n') + 1;
        var response = await app.Api(secretariat, "ru").PostAsync("/api/v1/projects/import", Xml(cut), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("failed", 0), (report.GetProperty("status").GetString(), report.GetProperty("added").GetInt32()));
        Assert.Contains("XML повреждён или обрезан", report.GetProperty("stopped").GetString());
        var list = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects?q=MOFCOM-F-", Ct);
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        var runId = report.GetProperty("runId").GetString();
        foreach (var (language, failed, broken) in new[] { ("en", "Failed", "The XML is broken or cut off"), ("ru", "Не выполнен", "XML повреждён или обрезан"), ("zh", "失败", "XML 已损坏或被截断") })
        {
            var runs = await app.Api(secretariat, language).GetFromJsonAsync<JsonElement>("/api/v1/import-runs", Ct);
            var run = Assert.Single(runs.EnumerateArray(), r => r.GetProperty("id").GetString() == runId);
            Assert.Equal("failed", run.GetProperty("status").GetString());
            Assert.Contains(broken, run.GetProperty("reason").GetString());
            Assert.Contains($"Line {line}", run.GetProperty("reason").GetString());
            var session = new PortalSession(app);
            await session.SignInAsync(secretariat);
            var page = System.Net.WebUtility.HtmlDecode((await session.GetAsync($"/projects/import?culture={language}")).Html);
            Assert.Contains(language == "zh" ? $"{failed}：{broken}" : $"{failed}: {broken}", page);
        }
    }

    [Fact]
    public async Task While_an_import_runs_another_is_refused_with_409_and_a_silent_run_from_another_host_is_failed()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var other = new Caravan.Features.Projects.ImportRun
        {
            Id = Guid.CreateVersion7().ToString("N"), Kind = "iati", FileName = "elsewhere.xml", Sha256 = "", By = "cli:ops",
            StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, Report = "{}", Status = "running",
            Owner = "another-host/4242/1700000000", HeartbeatAt = DateTimeOffset.UtcNow,
        };
        await using (var db = app.NewDbContext())
        {
            db.ImportRuns.Add(other);
            await db.SaveChangesAsync(Ct);
        }
        var busy = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(IatiSamples.File(IatiSamples.Activity("G-1"))), Ct);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("Another IATI import is running (file elsewhere.xml, started ", (await busy.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("stopped").GetString());

        // Silent for longer than ImportRunLog.SilentFor: taken as abandoned by the next import, which then runs.
        await using (var db = app.NewDbContext())
        {
            var run = await db.ImportRuns.SingleAsync(r => r.Id == other.Id, Ct);
            run.HeartbeatAt = DateTimeOffset.UtcNow - Caravan.Features.Projects.ImportRunLog.SilentFor - TimeSpan.FromMinutes(1);
            await db.SaveChangesAsync(Ct);
        }
        var ran = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(IatiSamples.File(IatiSamples.Activity("G-1"))), Ct);
        Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
        await using (var db = app.NewDbContext())
            Assert.Equal(("failed", "import.abandoned: another-host/4242/1700000000"), await db.ImportRuns.Where(r => r.Id == other.Id).Select(r => new ValueTuple<string, string?>(r.Status, r.Stopped)).SingleAsync(Ct));
    }

    [Fact]
    public async Task The_upload_page_imports_a_file_and_shows_the_report_in_the_readers_language()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var session = new PortalSession(app);
        await session.SignInAsync(secretariat);
        var page = await session.GetAsync("/projects/import?culture=zh");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var noTitle = IatiSamples.Activity("U-2").Replace("<title>", "<!--", StringComparison.Ordinal).Replace("</title>", "-->", StringComparison.Ordinal);
        var posted = await session.PostFileAsync("/projects/import?handler=Iati&culture=zh", [], "upload.xml", Encoding.UTF8.GetBytes(IatiSamples.File(IatiSamples.Activity("U-1"), noTitle)));
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Contains("id=\"count-added\">1<", posted.Html);
        Assert.Contains("该活动没有标题", System.Net.WebUtility.HtmlDecode(posted.Html));
        Assert.Contains("upload.xml", posted.Html);

        // A file larger than the API's general 1 MB body limit: uploads have their own limit (Caravan:Projects:MaxImportBytes).
        var many = IatiSamples.File([.. Enumerable.Range(0, 1000).Select(i => IatiSamples.Activity($"BIG-{i}"))]);
        Assert.True(many.Length > 1_100_000, $"{many.Length} bytes");
        var big = await session.PostFileAsync("/projects/import?handler=Iati", [], "big.xml", Encoding.UTF8.GetBytes(many));
        Assert.Equal(HttpStatusCode.OK, big.Status);
        Assert.Contains("id=\"count-added\">1000<", big.Html);
        var api = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(many.Replace("BIG-", "BIGAPI-", StringComparison.Ordinal)), Ct);
        Assert.Equal(1000, (await api.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("added").GetInt32());

        var anonymous = await app.Client().GetAsync("/projects/import", Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }
}

public sealed class ProjectImportWebTestsOnSqlite(SqliteApp app) : ProjectImportWebTests(app), IClassFixture<SqliteApp>;

public sealed class ProjectImportWebTestsOnPostgres(PostgresApp app) : ProjectImportWebTests(app), IClassFixture<PostgresApp>;
