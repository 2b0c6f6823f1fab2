using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Features.Accounts;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Caravan.Web.Features.Projects;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The project sheet over HTTP: export → edit → upload changes exactly what was edited; one bad row stores
/// nothing; a dry run stores nothing; XLSX both ways; only the secretariat uploads; formula cells neutralised.
/// Each test seeds its own projects through the IATI import, with identifiers of its own.
/// </summary>
public abstract partial class ProjectBulkTests(CaravanApp app) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Prefix = "XM-CCA-SECRETARIAT";
    private Person _secretariat = null!;

    public async ValueTask InitializeAsync() => _secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Activity(string id, string status = "2") => $"""
        <iati-activity xml:lang="en" default-currency="CNY">
          <iati-identifier>{id}</iati-identifier>
          <reporting-org ref="CN-MOFCOM" type="10"><narrative>Ministry of Commerce</narrative></reporting-org>
          <title><narrative>Luban Workshop {id}</narrative><narrative xml:lang="ru">Мастерская Лу Бань {id}</narrative></title>
          <description type="1"><narrative>Vocational training centre.</narrative></description>
          <participating-org ref="CN-MOFCOM" role="1"/>
          <activity-status code="{status}"/>
          <activity-date iso-date="2024-01-10" type="1"/>
          <recipient-country code="KG" percentage="100"/>
          <transaction>
            <transaction-type code="2"/>
            <transaction-date iso-date="2024-03-01"/>
            <value currency="CNY" value-date="2024-03-01">12500000.50</value>
          </transaction>
        </iati-activity>
        """;

    /// <summary>Imports activities with the IATI import (published, or kept as drafts), as the secretariat's CLI would.</summary>
    private async Task SeedAsync(bool publish, params string[] ids)
    {
        await using var db = app.NewDbContext();
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{string.Concat(ids.Select(id => Activity(id)))}\n</iati-activities>";
        var report = await IatiImport.RunAsync(db, new MemoryStream(Encoding.UTF8.GetBytes(xml)), new IatiImportOptions { By = "test", Publish = publish, FileName = "seed.xml" }, Ct);
        Assert.Equal(ids.Length, report.Added + report.Unchanged);
    }

    private static string Unique(string name) => $"CN-MOFCOM-{name}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<Project> ProjectAsync(string identifier)
    {
        await using var db = app.NewDbContext();
        return await db.Projects.AsNoTracking().SingleAsync(p => p.IatiIdentifier == identifier, Ct);
    }

    private async Task<int> RunsAsync()
    {
        await using var db = app.NewDbContext();
        return await db.ImportRuns.CountAsync(Ct);
    }

    private async Task<SheetTable> ExportAsync(string format, Person? person)
    {
        var response = await app.Api(person).GetAsync($"/api/v1/projects.{format}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var (table, problem) = format == "csv" ? SheetFiles.ReadCsv(bytes) : SheetFiles.ReadXlsx(bytes);
        Assert.Null(problem);
        Assert.Equal(ProjectSheet.Columns, table!.Header);
        return table;
    }

    private static int Col(string column) => ProjectSheet.Columns.ToList().IndexOf(column);

    private static string Csv(SheetTable table, Func<SheetLine, bool>? keep = null) =>
        string.Concat(new[] { SheetFiles.CsvLine(table.Header) }.Concat(table.Lines.Where(keep ?? (_ => true)).Select(l => SheetFiles.CsvLine([.. l.Cells.Select(ProjectSheet.Unneutralise)]))));

    private async Task<HttpResponseMessage> UploadAsync(string csv, Person? person, string query = "", string language = "en") =>
        await app.Api(person, language).PostAsync("/api/v1/projects/bulk" + query, new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

    [Fact]
    public async Task Export_then_edit_then_upload_changes_exactly_the_edited_fields()
    {
        var (luban, other) = (Unique("edit"), Unique("keep"));
        await SeedAsync(true, luban, other);
        var before = await ProjectAsync(luban);
        var untouched = await ProjectAsync(other);

        var sheet = await ExportAsync("csv", _secretariat);
        var row = sheet.Lines.Single(l => l.Cells[0] == luban);
        Assert.Equal(("2", "KG:100", "CNY 12500000.5", "true"), (row.Cells[Col("status")], row.Cells[Col("recipient_countries")], row.Cells[Col("committed")], row.Cells[Col("published")]));
        var edited = row.Cells.ToArray();
        edited[Col("title_en")] = "Luban Workshop, Bishkek";
        edited[Col("status")] = "3";
        edited[Col("recipient_countries")] = "KG:70;KZ:30";
        edited[Col("direction")] = "connectivity";
        edited[Col("commitments")] = "grant-2025";
        edited[Col("transactions")] = "999"; // read-only: ignored
        var upload = Csv(sheet with { Lines = [.. sheet.Lines.Select(l => l.Cells[0] == luban ? l with { Cells = edited } : l)] });

        var response = await UploadAsync(upload, _secretariat);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((false, true, 1, 0), (report.GetProperty("dryRun").GetBoolean(), report.GetProperty("stored").GetBoolean(), report.GetProperty("updated").GetInt32(), report.GetProperty("added").GetInt32()));
        Assert.Equal(sheet.Lines.Count - 1, report.GetProperty("unchanged").GetInt32());
        var change = Assert.Single(report.GetProperty("changes").EnumerateArray());
        Assert.Equal(luban, change.GetProperty("identifier").GetString());
        Assert.Equal(["title_en", "status", "recipient_countries", "direction", "commitments"], change.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));

        var after = await ProjectAsync(luban);
        var activity = IatiActivity.FromJson(after.Activity);
        Assert.Equal(("3", ProjectStage.Completion, "connectivity", before.Version + 1), (after.Status, after.Stage, after.DirectionId, after.Version));
        Assert.Equal(["en:Luban Workshop, Bishkek", $"ru:Мастерская Лу Бань {luban}"], activity.Titles.Select(t => $"{t.Language}:{t.Text}"));
        Assert.Contains("Luban Workshop, Bishkek", after.Titles);
        Assert.Equal(ProjectRules.Hash(after.Activity), after.ContentHash);
        Assert.Single(activity.Transactions); // the record's other parts are kept
        Assert.Equal((before.PlannedStart, before.TransactionCount), (after.PlannedStart, after.TransactionCount));
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(["KG:70", "KZ:30"], (await db.ProjectCountries.Where(c => c.ProjectId == after.Id).OrderBy(c => c.CountryCode).ToListAsync(Ct)).Select(c => $"{c.CountryCode}:{ProjectSheet.Format(c.Percentage)}"));
            Assert.Equal(["grant-2025"], await db.ProjectCommitments.Where(l => l.ProjectId == after.Id).Select(l => l.CommitmentId).ToListAsync(Ct));
            var run = await db.ImportRuns.SingleAsync(r => r.Id == report.GetProperty("runId").GetString(), Ct);
            Assert.Equal(("projects-csv", _secretariat.Email, 1), (run.Kind, run.By, run.Updated));
            var audit = await db.AuditEntries.Where(a => a.SubjectType == "project" && a.SubjectId == after.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(a => a.Id).LastAsync(Ct);
            Assert.Equal(_secretariat.Email, audit.Actor);
            Assert.Contains("[redacted]", audit.After); // the record itself stays out of the audit trail
            var iati = new MemoryStream();
            await IatiExport.WriteAsync(db, iati, Ct);
            Assert.Contains("<narrative>Luban Workshop, Bishkek</narrative>", Encoding.UTF8.GetString(iati.ToArray()));
        }
        Assert.Equal(untouched.Version, (await ProjectAsync(other)).Version);

        // The same file again changes nothing, and the older export (version column) no longer applies.
        var again = await (await UploadAsync(upload, _secretariat)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(0, again.GetProperty("updated").GetInt32());
        var stale = edited.ToArray();
        stale[Col("status")] = "4";
        var refused = await UploadAsync(Csv(sheet with { Lines = [new SheetLine(2, stale)] }), _secretariat);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("projects.stale", await refused.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task One_bad_row_stores_nothing_and_names_its_row_column_and_reason_in_the_readers_language()
    {
        var (good, bad) = (Unique("good"), Unique("bad"));
        await SeedAsync(true, good, bad);
        var runs = await RunsAsync();
        var csv = $"identifier,title_en,status,planned_end\r\n{good},Renamed,3,\r\n{bad},Renamed too,9,\r\n";
        var response = await UploadAsync(csv, _secretariat, language: "ru");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Таблица не применена", problem.GetProperty("title").GetString());
        var first = problem.GetProperty("problems")[0];
        Assert.Equal((3, "status", "projects.status"), (first.GetProperty("row").GetInt32(), first.GetProperty("column").GetString(), first.GetProperty("code").GetString()));
        Assert.StartsWith("«9» — не статус деятельности IATI", first.GetProperty("message").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("строка 3, status", out _));
        var unchanged = await ProjectAsync(good);
        Assert.DoesNotContain("Renamed", unchanged.Titles);
        Assert.Equal("2", unchanged.Status);
        Assert.Equal(runs, await RunsAsync());

        // A row that cannot be applied to its record (end before start) is named the same way, in English here.
        var order = await UploadAsync($"identifier,planned_end\r\n{good},2020-01-01\r\n", _secretariat);
        var orderProblem = (await order.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("problems")[0];
        Assert.Equal((2, "planned_end", "The end is before the start: 2024-01-10 > 2020-01-01."),
            (orderProblem.GetProperty("row").GetInt32(), orderProblem.GetProperty("column").GetString(), orderProblem.GetProperty("message").GetString()));

        // A file that is not a sheet at all is a 400 about the file.
        var header = await UploadAsync("name,colour\r\nx,y\r\n", _secretariat);
        Assert.Equal(HttpStatusCode.BadRequest, header.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.Api(_secretariat).PostAsync("/api/v1/projects/bulk", JsonContent.Create(new { identifier = good }), Ct)).StatusCode);
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_change_and_stores_nothing()
    {
        var existing = Unique("dry");
        await SeedAsync(true, existing);
        var runs = await RunsAsync();
        var external = "dry-" + Guid.NewGuid().ToString("N")[..8];
        // In one file every row has the same columns: the existing project's row carries its current values, and only its title differs.
        var csv = $"identifier,external_id,title_en,description_en,status,planned_start,recipient_countries\r\n{existing},,Would be renamed,Vocational training centre.,2,2024-01-10,KG:100\r\n,{external},Charging stations,Forty stations on the road.,1,2026-05-01,KZ:60;UZ:40\r\n";
        var response = await UploadAsync(csv, _secretariat, "?dryRun=true");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((true, false, 1, 1), (report.GetProperty("dryRun").GetBoolean(), report.GetProperty("stored").GetBoolean(), report.GetProperty("added").GetInt32(), report.GetProperty("updated").GetInt32()));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("runId").ValueKind);
        Assert.DoesNotContain("Would be renamed", (await ProjectAsync(existing)).Titles);
        await using (var db = app.NewDbContext()) Assert.False(await db.Projects.AnyAsync(p => p.IatiIdentifier == $"{Prefix}-{external}", Ct));
        Assert.Equal(runs, await RunsAsync());

        // A new project needs what IATI requires (here its description is missing); with it, it is created, reported by the secretariat.
        var missing = await UploadAsync($"external_id,title_en,status,planned_start\r\n{external},Charging stations,1,2026-05-01\r\n", _secretariat);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("projects.create-missing", await missing.Content.ReadAsStringAsync(Ct));
        var created = await UploadAsync($"external_id,title_en,description_en,status,planned_start,recipient_countries,published\r\n{external},Charging stations,Forty stations.,1,2026-05-01,KZ:60;UZ:40,true\r\n", _secretariat);
        Assert.True(created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync(Ct));
        var project = await ProjectAsync($"{Prefix}-{external}");
        Assert.Equal((Prefix, "1", ProjectStage.Pledge, true), (project.ReportingOrgRef, project.Status, project.Stage, project.Published));
        await using (var db = app.NewDbContext())
            Assert.Equal(2, await db.ProjectCountries.CountAsync(c => c.ProjectId == project.Id, Ct));
    }

    [Fact]
    public async Task An_xlsx_export_reads_back_and_an_edited_xlsx_uploads()
    {
        var luban = Unique("xlsx");
        await SeedAsync(true, luban);
        var sheet = await ExportAsync("xlsx", _secretariat);
        var row = sheet.Lines.Single(l => l.Cells[0] == luban);
        Assert.Equal((luban, $"Мастерская Лу Бань {luban}", "2024-01-10"), (row.Cells[Col("identifier")], row.Cells[Col("title_ru")], row.Cells[Col("planned_start")]));
        var edited = row.Cells.ToArray();
        edited[Col("description_ru")] = "Центр профессионального обучения.";
        edited[Col("dates_estimated")] = "true";
        using var file = new MemoryStream();
        SheetFiles.WriteXlsx(file, sheet.Header, [edited]);
        var form = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "projects.xlsx" } };
        var response = await app.Api(_secretariat).PostAsync("/api/v1/projects/bulk", form, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var change = Assert.Single(report.GetProperty("changes").EnumerateArray());
        Assert.Equal(["description_ru", "dates_estimated"], change.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        var project = await ProjectAsync(luban);
        Assert.True(project.DatesEstimated);
        Assert.Equal(["en", "ru"], IatiActivity.FromJson(project.Activity).Descriptions.Single().Narratives.Select(n => n.Language));
        await using var db = app.NewDbContext();
        Assert.Equal("projects-xlsx", (await db.ImportRuns.SingleAsync(r => r.Id == report.GetProperty("runId").GetString(), Ct)).Kind);
    }

    [Fact]
    public async Task Only_the_secretariat_uploads_and_a_refused_upload_changes_nothing()
    {
        var luban = Unique("refused");
        await SeedAsync(true, luban);
        var csv = $"identifier,status\r\n{luban},5\r\n";
        var coordinator = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KG");
        var readOnly = await People.CreateAsync(app, CaravanRole.SecretariatAdmin, readOnlyToken: true);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(csv, coordinator)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(csv, readOnly)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(csv, null)).StatusCode);
        Assert.Equal("2", (await ProjectAsync(luban)).Status);
        await using var db = app.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "refused" && a.Actor == coordinator.Email && a.SubjectType == "project", Ct));

        // The portal's cookie does not write through the API either (tokens only), and the page refuses the public.
        var session = new PortalSession(app);
        await session.SignInAsync(_secretariat);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Http.PostAsync("/api/v1/projects/bulk", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct)).StatusCode);
        var anonymous = await app.Client().GetAsync("/projects/bulk", Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);

        // A file over the limit is refused before it is read.
        var huge = new ByteArrayContent(new byte[ProjectSheetApi.MaxUpload + 1]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await app.Api(_secretariat).PostAsync("/api/v1/projects/bulk", huge, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_public_export_has_published_projects_only_and_formula_cells_are_neutralised_in_both_formats()
    {
        var (published, draft) = (Unique("public"), Unique("draft"));
        await SeedAsync(true, published);
        await SeedAsync(false, draft);
        var formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
        var response = await UploadAsync($"identifier,title_en,title_zh\r\n{published},\"{formula.Replace("\"", "\"\"", StringComparison.Ordinal)}\",@SUM(1)\r\n", _secretariat);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(formula, IatiActivity.FromJson((await ProjectAsync(published)).Activity).Titles[0].Text); // stored as the text it is

        var open = await app.Client().GetAsync("/api/v1/projects.csv", Ct);
        Assert.Equal("no-cache, public", Tokens(open.Headers.CacheControl));
        var text = await open.Content.ReadAsStringAsync(Ct);
        Assert.Contains(published, text);
        Assert.DoesNotContain(draft, text);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", text);
        Assert.Contains(",'@SUM(1),", text);
        Assert.DoesNotMatch(Formula(), text);
        var mine = await app.Api(_secretariat).GetAsync("/api/v1/projects.csv", Ct);
        Assert.Equal("no-store, private", Tokens(mine.Headers.CacheControl));
        Assert.Contains(draft, await mine.Content.ReadAsStringAsync(Ct));

        var xlsx = await ExportAsync("xlsx", null);
        var row = xlsx.Lines.Single(l => l.Cells[0] == published);
        Assert.Equal(("'" + formula, "'@SUM(1)"), (row.Cells[Col("title_en")], row.Cells[Col("title_zh")]));
        Assert.DoesNotContain(xlsx.Lines, l => l.Cells[0] == draft);

        // The neutralised export uploads back unchanged: the apostrophe is stripped exactly.
        var back = await (await UploadAsync(Csv(await ExportAsync("csv", _secretariat), l => l.Cells[0] == published), _secretariat)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((0, 1), (back.GetProperty("updated").GetInt32(), back.GetProperty("unchanged").GetInt32()));
    }

    [Fact]
    public async Task The_secretariats_page_uploads_and_reports_in_the_readers_language()
    {
        var (luban, draft) = (Unique("page"), Unique("page-draft"));
        await SeedAsync(true, luban);
        await SeedAsync(false, draft);
        var session = new PortalSession(app);
        await session.SignInAsync(_secretariat);
        Assert.Contains(draft, await session.Http.GetStringAsync("/api/v1/projects.csv", Ct)); // signed in, the download has the drafts too
        var (status, html, _) = await session.GetAsync("/projects/bulk?culture=zh");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("批量更新项目", html);
        Assert.Contains("href=\"/api/v1/projects.xlsx\"", html);
        var token = WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);

        async Task<string> PostAsync(string csv, bool dryRun)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "projects.csv" },
            };
            if (dryRun) form.Add(new StringContent("true"), "dryRun");
            var response = await session.Http.PostAsync("/projects/bulk", form, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync(Ct);
        }

        var bad = await PostAsync($"identifier,status\r\n{luban},7\r\n", dryRun: true);
        Assert.Contains("“7”不是 IATI 活动状态", bad);
        Assert.Contains("发现 1 个问题，未保存任何内容。", bad);
        var dry = await PostAsync($"identifier,status\r\n{luban},3\r\n", dryRun: true);
        Assert.Contains("试运行：文件有效。", dry);
        Assert.Equal("2", (await ProjectAsync(luban)).Status);
        var stored = await PostAsync($"identifier,status\r\n{luban},3\r\n", dryRun: false);
        Assert.Contains("文件已应用。", stored);
        Assert.Contains("新增 0，更新 1，未变 0。", stored);
        Assert.Equal("3", (await ProjectAsync(luban)).Status);
    }

    private static string Tokens(CacheControlHeaderValue? header) => string.Join(", ", (header?.ToString() ?? "").Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));

    [GeneratedRegex(@"(^|,)""?[=+\-@]", RegexOptions.Multiline)]
    private static partial Regex Formula();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

public sealed class ProjectBulkTestsOnSqlite(SqliteApp app) : ProjectBulkTests(app), IClassFixture<SqliteApp>;

public sealed class ProjectBulkTestsOnPostgres(PostgresApp app) : ProjectBulkTests(app), IClassFixture<PostgresApp>;
