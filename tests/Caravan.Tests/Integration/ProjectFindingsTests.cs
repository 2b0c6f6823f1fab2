using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Schema-valid activities are stored with their rule findings (issue 15): shown on the project's page and in the API
/// in three languages, summarised per file and per publisher, counted in totals or left out, replaced by a re-import,
/// never visible from a failed run; strict imports keep such activities out as before.
/// </summary>
public abstract class ProjectFindingsTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    /// <summary>An activity whose sector code is not in the current Sector codelist: a rule finding, not an error.</summary>
    private static string Retired(string suffix, decimal amount = 12500000.50m, string currency = "CNY") =>
        IatiSamples.Activity(suffix, amount: amount, currency: currency)
            .Replace("code=\"11330\"", "code=\"99999\"", StringComparison.Ordinal);

    private static string Publisher(string activity, string publisher) =>
        activity.Replace("<reporting-org ref=\"CN-MOFCOM\"", $"<reporting-org ref=\"{publisher}\"",
            StringComparison.Ordinal);

    private async Task<string> HtmlAsync(string url) =>
        WebUtility.HtmlDecode(await (await app.Client().GetAsync(url, Ct)).Content.ReadAsStringAsync(Ct));

    [Fact]
    public async Task An_activity_with_only_rule_findings_is_stored_and_its_findings_shown_on_its_page_and_in_the_api_in_three_languages()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var file = IatiSamples.File(IatiSamples.Activity("FS-1"), Retired("FS-2"));
        var response = await app.Api(secretariat, "ru").PostAsync("/api/v1/projects/import", Xml(file), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((2, 0, 1), (report.GetProperty("added").GetInt32(), report.GetProperty("skipped").GetInt32(),
            report.GetProperty("storedWithFindings").GetInt32()));
        // The report still lists the finding with line, path, rule and message in the caller's language.
        var problem = Assert.Single(report.GetProperty("problems").EnumerateArray());
        Assert.Equal(("CN-MOFCOM-FS-2", "sector/@code", "codelist:Sector", "warning"),
            (problem.GetProperty("activity").GetString(), problem.GetProperty("path").GetString(),
                problem.GetProperty("rule").GetString(), problem.GetProperty("severity").GetString()));
        Assert.True(problem.GetProperty("line").GetInt32() > 1);
        Assert.Equal("«99999» — не код из этого справочника.", problem.GetProperty("message").GetString());
        // The file's summary: the rule, its count and an example.
        var rule = Assert.Single(report.GetProperty("summary").EnumerateArray());
        Assert.Equal(("codelist:Sector", 1, 1), (rule.GetProperty("rule").GetString(), rule.GetProperty("count").GetInt32(),
            rule.GetProperty("activities").GetInt32()));
        Assert.Equal("CN-MOFCOM-FS-2", Assert.Single(rule.GetProperty("examples").EnumerateArray()).GetProperty("activity").GetString());

        var expected = new Dictionary<string, string>
        {
            ["en"] = "\"99999\" is not a code of this codelist.",
            ["ru"] = "«99999» — не код из этого справочника.",
            ["zh"] = "“99999”不是此代码表中的代码。",
        };
        foreach (var (language, message) in expected)
        {
            var html = await HtmlAsync($"/projects/CN-MOFCOM-FS-2?culture={language}");
            Assert.Contains("id=\"findings\"", html);
            Assert.Contains("codelist:Sector", html);
            Assert.Contains("sector/@code", html);
            Assert.Contains(message, html);
        }
        var clean = await HtmlAsync("/projects/CN-MOFCOM-FS-1?culture=zh");
        Assert.Contains("id=\"no-findings\"", clean);
        Assert.DoesNotContain("id=\"findings\"", clean);

        var project = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/CN-MOFCOM-FS-2", Ct);
        var finding = Assert.Single(project.GetProperty("findings").EnumerateArray());
        Assert.Equal(("codelist:Sector", "sector/@code", "iati.unknown-code"),
            (finding.GetProperty("rule").GetString(), finding.GetProperty("path").GetString(), finding.GetProperty("code").GetString()));
        foreach (var (language, message) in expected)
            Assert.Equal(message, finding.GetProperty("message").GetProperty(language).GetString());
        Assert.Empty((await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/CN-MOFCOM-FS-1", Ct))
            .GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task A_publishers_findings_are_summarised_by_rule_with_counts_and_at_most_three_examples()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        // Five projects of one publisher with a retired sector code; their identifiers are not prefixed by its ref.
        var file = IatiSamples.File([.. Enumerable.Range(1, 5).Select(i => Publisher(Retired($"PUB-{i}"), "XM-FINDINGS"))]);
        var imported = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(file), Ct);
        var importReport = await imported.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(5, importReport.GetProperty("added").GetInt32());
        // The record of imports keeps the file's summary, shown in the reader's language.
        var runs = await app.Api(secretariat, "ru").GetFromJsonAsync<JsonElement>("/api/v1/import-runs", Ct);
        var run = Assert.Single(runs.EnumerateArray(), r => r.GetProperty("id").GetString() == importReport.GetProperty("runId").GetString());
        var stored = run.GetProperty("summary").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "codelist:Sector");
        Assert.Equal((5, 5, 3), (stored.GetProperty("count").GetInt32(), stored.GetProperty("activities").GetInt32(),
            stored.GetProperty("examples").GetArrayLength()));
        Assert.Equal("«99999» — не код из этого справочника.", stored.GetProperty("examples")[0].GetProperty("message").GetString());

        var answer = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/findings?publisher=XM-FINDINGS", Ct);
        var publisher = Assert.Single(answer.EnumerateArray());
        Assert.Equal(("XM-FINDINGS", 5), (publisher.GetProperty("publisher").GetString(), publisher.GetProperty("projects").GetInt32()));
        var rules = publisher.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!);
        Assert.Equal(["codelist:Sector", "identifier-prefix"], rules.Keys.Order(StringComparer.Ordinal));
        var sector = rules["codelist:Sector"];
        Assert.Equal((5, 5, 3), (sector.GetProperty("count").GetInt32(), sector.GetProperty("projects").GetInt32(),
            sector.GetProperty("examples").GetArrayLength()));
        var example = sector.GetProperty("examples")[0];
        Assert.Equal(("CN-MOFCOM-PUB-1", "/api/v1/projects/CN-MOFCOM-PUB-1"), (example.GetProperty("project").GetString(), example.GetProperty("url").GetString()));
        Assert.Equal("“99999”不是此代码表中的代码。", example.GetProperty("message").GetProperty("zh").GetString());
        // Every publisher, when none is named.
        var all = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/findings", Ct);
        Assert.Contains(all.EnumerateArray(), p => p.GetProperty("publisher").GetString() == "XM-FINDINGS");
    }

    [Fact]
    public async Task A_publishers_findings_have_a_page_in_each_language_linked_from_its_projects()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var file = IatiSamples.File([.. Enumerable.Range(1, 4).Select(i => Publisher(Retired($"PG-{i}"), "XM-PAGE"))]);
        var imported = await app.Api(secretariat).PostAsync("/api/v1/projects/import", Xml(file), Ct);
        Assert.Equal(4, (await imported.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("added").GetInt32());

        // The project's page links to its publisher's findings page, not to raw JSON.
        Assert.Contains("href=\"/projects/findings?publisher=XM-PAGE\"", await HtmlAsync("/projects/CN-MOFCOM-PG-1?culture=en"));
        var messages = new Dictionary<string, (string Lead, string Count, string Message)>
        {
            ["en"] = ("Data quality by publisher", "4 published projects with findings.", "\"99999\" is not a code of this codelist."),
            ["ru"] = ("Качество данных по издателям", "Опубликованных проектов с замечаниями: 4.", "«99999» — не код из этого справочника."),
            ["zh"] = ("按发布方的数据质量", "存在问题的已发布项目：4 个。", "“99999”不是此代码表中的代码。"),
        };
        foreach (var (culture, (title, count, message)) in messages)
        {
            var html = await HtmlAsync($"/projects/findings?publisher=XM-PAGE&culture={culture}");
            Assert.Contains($"<h1>{title}</h1>", html);
            Assert.Contains(count, html);
            Assert.Contains("<code>codelist:Sector</code>", html);
            Assert.Contains(message, html);
            // At most three examples per rule, each linked to its project.
            Assert.Contains("href=\"/projects/CN-MOFCOM-PG-1\"", html);
            Assert.DoesNotContain("href=\"/projects/CN-MOFCOM-PG-4\"", html);
        }
        // All publishers: this one among them, linked to its own page.
        Assert.Contains("href=\"/projects/findings?publisher=XM-PAGE\"", await HtmlAsync("/projects/findings?culture=en"));
        // A publisher with none says so.
        Assert.Contains("No published project of this publisher has a rule finding.",
            await HtmlAsync("/projects/findings?publisher=XM-NOTHING&culture=en"));
        Assert.Contains("No published project of this publisher has a rule finding.",
            await HtmlAsync($"/projects/findings?publisher={new string('X', 300)}&culture=en"));
    }

    [Fact]
    public async Task Strict_imports_keep_activities_with_findings_out_through_the_api_and_the_upload_page()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var api = await app.Api(secretariat).PostAsync("/api/v1/projects/import?strict=true",
            Xml(IatiSamples.File(IatiSamples.Activity("ST-1"), Retired("ST-2"))), Ct);
        var report = await api.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((1, 1, 0), (report.GetProperty("added").GetInt32(), report.GetProperty("skipped").GetInt32(),
            report.GetProperty("storedWithFindings").GetInt32()));

        var session = new PortalSession(app);
        await session.SignInAsync(secretariat);
        var page = await session.GetAsync("/projects/import?culture=ru");
        Assert.Contains("name=\"strict\"", page.Html);
        var posted = await session.PostFileAsync("/projects/import?handler=Iati&culture=ru", [KeyValuePair.Create("strict", "true")],
            "strict.xml", Encoding.UTF8.GetBytes(IatiSamples.File(Retired("ST-3"))));
        Assert.Contains("id=\"count-skipped\">1<", posted.Html);
        // What the import came to, said as the CLI's exit code and the API's outcome say it.
        Assert.Contains("Часть мероприятий не принята", WebUtility.HtmlDecode(posted.Html));
        var unchecked_ = await session.PostFileAsync("/projects/import?handler=Iati&culture=ru", [],
            "default.xml", Encoding.UTF8.GetBytes(IatiSamples.File(Retired("ST-4"))));
        Assert.Contains("id=\"count-with-findings\">1<", unchecked_.Html);
        Assert.Contains("у некоторых есть замечания по правилам", WebUtility.HtmlDecode(unchecked_.Html));
        Assert.Contains("id=\"import-summary\"", unchecked_.Html);
        Assert.Contains("«99999» — не код из этого справочника.", WebUtility.HtmlDecode(unchecked_.Html));

        await using var db = app.NewDbContext();
        var stored = await db.Projects.AsNoTracking().Where(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-ST-"))
            .Select(p => p.IatiIdentifier).OrderBy(i => i).ToListAsync(Ct);
        Assert.Equal(["CN-MOFCOM-ST-1", "CN-MOFCOM-ST-4"], stored);
    }

    [Fact]
    public async Task Totals_include_projects_with_findings_by_default_or_leave_them_out_and_say_which()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        await app.Api(secretariat).PostAsync("/api/v1/projects/import",
            Xml(IatiSamples.File(IatiSamples.Activity("TOT-1", amount: 100m, currency: "USD"), Retired("TOT-2", 50m, "USD"))), Ct);

        async Task<JsonElement> Totals(string findings) => await app.Client().GetFromJsonAsync<JsonElement>(
            $"/api/v1/projects/totals?q=MOFCOM-TOT-&currency=USD{findings}", Ct);
        var included = await Totals("");
        Assert.Equal((150m, "include", 1), (included.GetProperty("total").GetProperty("amount").GetDecimal(),
            included.GetProperty("findings").GetString(), included.GetProperty("projectsWithFindings").GetInt32()));
        Assert.Equal(150m, (await Totals("&findings=include")).GetProperty("total").GetProperty("amount").GetDecimal());
        var excluded = await Totals("&findings=exclude");
        Assert.Equal((100m, "exclude", 1), (excluded.GetProperty("total").GetProperty("amount").GetDecimal(),
            excluded.GetProperty("findings").GetString(), excluded.GetProperty("projectsWithFindings").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client().GetAsync("/api/v1/projects/totals?findings=some", Ct)).StatusCode);

        // The list leaves them out too, and the page says which.
        var list = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects?q=MOFCOM-TOT-&findings=exclude", Ct);
        Assert.Equal("CN-MOFCOM-TOT-1", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("identifier").GetString());
        Assert.Contains("Projects with rule findings are left out (1 of them).",
            await HtmlAsync("/projects?q=MOFCOM-TOT-&currency=USD&findings=exclude&culture=en"));
        Assert.Contains("已计入存在规则问题的项目（共1个）。", await HtmlAsync("/projects?q=MOFCOM-TOT-&currency=USD&culture=zh"));
    }

    [Fact]
    public async Task A_re_import_replaces_a_projects_findings()
    {
        await using (var db = app.NewDbContext())
            await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(Retired("RE-1"))),
                new IatiImportOptions { By = "test", FileName = "a.xml" }, Ct);
        Assert.Equal(1, await FindingCountAsync("CN-MOFCOM-RE-1"));

        // Corrected by its publisher: the finding goes with the old version.
        ImportReport corrected;
        await using (var db = app.NewDbContext())
            corrected = await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(IatiSamples.Activity("RE-1"))),
                new IatiImportOptions { By = "test", FileName = "b.xml" }, Ct);
        Assert.Equal((1, 0), (corrected.Updated, corrected.StoredWithFindings));
        Assert.Equal(0, await FindingCountAsync("CN-MOFCOM-RE-1"));
        var project = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/CN-MOFCOM-RE-1", Ct);
        Assert.Empty(project.GetProperty("findings").EnumerateArray());

        // Another finding in the next version replaces none with it.
        await using (var db = app.NewDbContext())
            await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(
                IatiSamples.Activity("RE-1", countries: """<recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="30"/>"""))),
                new IatiImportOptions { By = "test", FileName = "c.xml" }, Ct);
        await using (var db = app.NewDbContext())
        {
            var stored = await db.Projects.AsNoTracking().SingleAsync(p => p.IatiIdentifier == "CN-MOFCOM-RE-1", Ct);
            Assert.Equal(["percentages-sum"], ProjectFindings.FromJson(stored.Findings).Select(f => f.Rule));
        }
    }

    [Fact]
    public async Task The_findings_of_a_failed_run_are_never_visible()
    {
        await using (var db = app.NewDbContext())
            await IatiImport.RunAsync(db, IatiSamples.Stream(IatiSamples.File(IatiSamples.Activity("FAIL-1"))),
                new IatiImportOptions { By = "test", FileName = "a.xml" }, Ct);
        // The next file changes FAIL-1 and adds FAIL-2, both with findings, stored in batches of one; then it breaks off.
        var broken = IatiSamples.File(Retired("FAIL-1"), Retired("FAIL-2"), IatiSamples.Activity("FAIL-3"));
        broken = broken[..broken.LastIndexOf("<iati-activity", StringComparison.Ordinal)] + "<iati-activity><iati-identif";
        ImportReport report;
        await using (var db = app.NewDbContext())
            report = await IatiImport.RunAsync(db, IatiSamples.Stream(broken),
                new IatiImportOptions { By = "test", FileName = "broken.xml", BatchSize = 1 }, Ct);
        Assert.Equal(ImportRunStatus.Failed, report.Status);
        Assert.Equal(0, report.StoredWithFindings);

        await using (var db = app.NewDbContext())
        {
            var rows = await db.Projects.AsNoTracking().Where(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-FAIL-"))
                .Select(p => new { p.IatiIdentifier, p.FindingCount, p.Findings, p.Staged }).ToListAsync(Ct);
            var only = Assert.Single(rows);
            Assert.Equal(("CN-MOFCOM-FAIL-1", 0, (string?)null, false), (only.IatiIdentifier, only.FindingCount, only.Findings, only.Staged));
        }
        var project = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/CN-MOFCOM-FAIL-1", Ct);
        Assert.Empty(project.GetProperty("findings").EnumerateArray());
        var publishers = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/projects/findings?publisher=CN-MOFCOM", Ct);
        Assert.DoesNotContain(publishers.EnumerateArray().SelectMany(p => p.GetProperty("rules").EnumerateArray())
            .SelectMany(r => r.GetProperty("examples").EnumerateArray()),
            e => e.GetProperty("project").GetString()!.StartsWith("CN-MOFCOM-FAIL-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cli_stores_activities_with_findings_and_strict_keeps_them_out_while_accept_warnings_still_works()
    {
        var provider = app.Provider == Caravan.Data.DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        async Task<(int Code, string Out, string Err)> Import(string suffix, params string[] options)
        {
            var path = Path.Combine(Path.GetTempPath(), $"caravan-findings-{Guid.NewGuid():N}.xml");
            await File.WriteAllTextAsync(path, IatiSamples.File(Retired(suffix)), Ct);
            try
            {
                var output = new StringWriter();
                var error = new StringWriter();
                var code = await Caravan.Web.Cli.CaravanCli.RunAsync(
                    ["import", "iati", path, .. options, "--provider", provider, "--connection", app.ConnectionString],
                    output, error);
                return (code, output.ToString(), error.ToString());
            }
            finally { File.Delete(path); }
        }

        var stored = await Import("CLI-1");
        Assert.Contains("1 added", stored.Out);
        Assert.Contains("1 stored with findings", stored.Out);
        // The report still lists the finding (line, path, rule, message), and the file's summary by rule.
        Assert.Contains("sector/@code\tcodelist:Sector\twarning", stored.Err);
        Assert.Contains("codelist:Sector\twarning\t1 in 1 activities", stored.Err);
        var strict = await Import("CLI-2", "--strict");
        Assert.Contains("1 skipped", strict.Out);
        Assert.Equal(1, strict.Code);
        var both = await Import("CLI-3", "--strict", "--accept-warnings");
        Assert.Contains("1 added", both.Out);

        await using var db = app.NewDbContext();
        Assert.Equal(["CN-MOFCOM-CLI-1", "CN-MOFCOM-CLI-3"], await db.Projects.AsNoTracking()
            .Where(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-CLI-") && p.FindingCount == 1)
            .Select(p => p.IatiIdentifier).OrderBy(i => i).ToListAsync(Ct));
    }

    [Fact]
    public async Task Storing_findings_costs_the_import_little()
    {
        const int count = 2000;
        string FileOf(string prefix, bool findings) => IatiSamples.File([.. Enumerable.Range(1, count)
            .Select(i => findings ? Retired($"{prefix}-{i}") : IatiSamples.Activity($"{prefix}-{i}"))]);
        async Task<(double Seconds, ImportReport Report)> Timed(string xml)
        {
            await using var db = app.NewDbContext();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var report = await IatiImport.RunAsync(db, IatiSamples.Stream(xml),
                new IatiImportOptions { By = "test", FileName = "timed.xml" }, Ct);
            return (clock.Elapsed.TotalSeconds, report);
        }
        await Timed(FileOf("WARM", false)); // the first import pays for the code's first runs
        var (clean, cleanReport) = await Timed(FileOf("CLEAN", false));
        var (kept, keptReport) = await Timed(FileOf("KEPT", true));
        Assert.Equal((count, 0), (cleanReport.Added, cleanReport.StoredWithFindings));
        Assert.Equal((count, count), (keptReport.Added, keptReport.StoredWithFindings));
        await TestReport.AddAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"findings ({app.Provider}): {count} activities imported in {clean:0.00} s without findings, {kept:0.00} s each with one stored"));
        // A wide margin: the machine is shared; the finding's JSON is ~100 bytes beside a ~2 KB activity.
        Assert.True(kept < clean * 2 + 1, $"{kept:0.00} s with findings, {clean:0.00} s without");
    }

    private async Task<int> FindingCountAsync(string identifier)
    {
        await using var db = app.NewDbContext();
        return await db.Projects.AsNoTracking().Where(p => p.IatiIdentifier == identifier).Select(p => p.FindingCount)
            .SingleAsync(Ct);
    }
}

public sealed class ProjectFindingsTestsOnSqlite(SqliteApp app) : ProjectFindingsTests(app), IClassFixture<SqliteApp>;

public sealed class ProjectFindingsTestsOnPostgres(PostgresApp app) : ProjectFindingsTests(app), IClassFixture<PostgresApp>;
