using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Money;
using Caravan.Features.Reports;
using Caravan.Features.Seed;
using Caravan.Tests.Support;
using Caravan.Tests.Unit;
using Caravan.Web.Features.Reports;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// The summit progress report from the database: the XLSX read back against the snapshot, the same bytes twice, the
/// facts frozen once (also when two first requests race), one consistent read while another transaction commits,
/// bad input named with what exists, and only the secretariat served — over the API, the page and the CLI.
/// </summary>
public abstract class ReportTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Seeded = "xian-to-astana";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Person? _secretariat;
    private async Task<Person> SecretariatAsync() =>
        _secretariat ??= await People.CreateAsync(app, CaravanRole.SecretariatEditor);

    [Fact]
    public async Task The_xlsx_annex_has_every_commitment_with_the_status_and_score_the_snapshot_froze()
    {
        var response = await app.Api(await SecretariatAsync()).GetAsync($"/api/v1/reports/{Seeded}.xlsx?lang=en", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Xlsx, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"caravan-report-{Seeded}-en-USD.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar
            ?? response.Content.Headers.ContentDisposition.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Snapshot snapshot;
        await using (var db = app.NewDbContext())
            snapshot = await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == Seeded, Ct);
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheets = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["Key figures", "Commitments", "Milestones", "Sources"], sheets.Select(s => s.Name!.Value));
        var rows = ReportBuilderTests.Rows(document.WorkbookPart, sheets[1]);
        Assert.Equal(["Id", "Commitment", "Priority direction", "Parties", "Deadline", "Status",
            "Collective score (−1 to +1)", "Evidence", "Sources"], rows[0].Select(c => c.Text));
        var words = ReportsFeature.Words("en");
        Assert.Equal(snapshot.Items.Select(i => i.CommitmentId).Order(StringComparer.Ordinal),
            rows.Skip(1).Select(r => r[0].Text));
        foreach (var row in rows.Skip(1))
        {
            var item = snapshot.Items.Single(i => i.CommitmentId == row[0].Text);
            Assert.Equal(words("CommitmentStatus." + SeedEnums.ToKebab(item.Status)), row[5].Text);
            if (item.Collective is { } c)
            {
                Assert.Equal(CellValues.Number, row[6].Cell!.DataType!.Value);
                Assert.Equal(Math.Round((decimal)c, 4), decimal.Parse(row[6].Text, CultureInfo.InvariantCulture));
            }
            else Assert.Null(row[6].Cell);
        }
        // The key figures: the commitments that count, as a number.
        var figures = ReportBuilderTests.Rows(document.WorkbookPart, sheets[0]);
        await using (var db = app.NewDbContext())
        {
            var counted = await db.Commitments.Where(c => !c.Cancelled && c.SupersededById == null && c.MergedIntoId == null)
                .Select(c => c.Id).ToListAsync(Ct);
            Assert.Equal(snapshot.Items.Count(i => counted.Contains(i.CommitmentId)),
                int.Parse(figures.Single(r => r[0].Text == "Commitments tracked")[1].Text, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task The_same_request_gives_the_same_bytes_and_later_live_changes_do_not_reach_a_frozen_report()
    {
        var api = app.Api(await SecretariatAsync());
        var first = await api.GetAsync($"/api/v1/reports/{Seeded}.xlsx?lang=zh&currency=CNY", Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var bytes = await first.Content.ReadAsByteArrayAsync(Ct);
        using (var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false))
            Assert.Equal(first.Headers.GetValues("X-Content-Hash").Single(), document.CustomFilePropertiesPart!.Properties
                .Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>()
                .Single(p => p.Name == "ContentHash").InnerText);

        // A rate to a new currency after the facts were frozen: the frozen report neither changes nor offers it.
        await using (var db = app.NewDbContext())
            await ExchangeRates.StoreAsync(db, [new ExchangeRate("USD", "XTS", new DateOnly(2025, 1, 2), 2m, "test-late")], Ct);
        var again = await api.GetAsync($"/api/v1/reports/{Seeded}.xlsx?lang=zh&currency=CNY", Ct);
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync(Ct));
        var late = await api.GetAsync($"/api/v1/reports/{Seeded}.xlsx?lang=zh&currency=XTS", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("CNY", (await late.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        await using (var db = app.NewDbContext())
            Assert.Equal(1, await db.ReportFacts.CountAsync(r => r.SnapshotId == Seeded, Ct));
    }

    [Fact]
    public async Task Two_first_requests_at_once_freeze_one_row_and_both_get_it()
    {
        const string period = "astana-to-2027";
        await using (var db = app.NewDbContext())
        {
            var (_, error) = await new Snapshots(db, TimeProvider.System).CloseAsync(period,
                new AuditActor("tests", "secretariat", "closing for the report"), Ct);
            Assert.Null(error);
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            return (await new ReportFactsStore(db, TimeProvider.System).EnsureFactsFrozenAsync(period, Ct))!.ToJson();
        }));
        Assert.Single(results.Distinct());
        await using (var db = app.NewDbContext())
        {
            var row = await db.ReportFacts.SingleAsync(r => r.SnapshotId == period, Ct);
            Assert.Equal(results[0], row.Json);
            Assert.Equal(ReportFactsStore.HashOf(row.Json), row.Sha256);
            // The previous snapshot is the seed's: the changes part compares with it.
            Assert.Equal(Seeded, ReportFacts.FromJson(row.Json).Previous!.SnapshotId);
        }
    }

    [Fact]
    public async Task A_report_read_while_another_transaction_commits_sees_one_state()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
        var store = new ReportFactsStore(db, TimeProvider.System);
        var (before, during, facts) = await db.ReadAsOneAsync(async () =>
        {
            var count = await db.ExchangeRates.CountAsync(Ct);
            // An import commits in the middle of the read.
            await using (var other = app.NewDbContext())
                await ExchangeRates.StoreAsync(other, [new ExchangeRate("USD", "XTR", new DateOnly(2025, 3, 3), 3m, "test-import")], Ct);
            var again = await db.ExchangeRates.CountAsync(Ct);
            return (count, again, await new ReportFactsReader(db).ReadAsync(Seeded, new DateOnly(2026, 1, 1), Ct));
        }, Ct);
        Assert.Equal(before, during);
        Assert.DoesNotContain(facts!.Projects, p => p.Currency == "XTR");
        // Outside the read, the committed rate is there.
        Assert.Equal(before + 1, await db.ExchangeRates.CountAsync(Ct));
    }

    [Fact]
    public async Task Bad_input_is_named_with_what_exists_in_the_readers_language()
    {
        var api = app.Api(await SecretariatAsync(), "ru");
        var unknown = await api.GetAsync("/api/v1/reports/nope.xlsx?lang=en", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("report.unknown-snapshot", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("Закрытого среза «nope» нет", detail);
        Assert.Contains(Seeded, detail);
        Assert.True(problem.GetProperty("errors").TryGetProperty("snapshot", out _));

        var language = await api.GetAsync($"/api/v1/reports/{Seeded}.xlsx?lang=de", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, language.StatusCode);
        Assert.Contains("en, ru, zh", (await language.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        var format = await api.GetAsync($"/api/v1/reports/{Seeded}.odt?lang=en", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.Contains("docx, xlsx, pdf", (await format.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());

        var choices = await app.Api(await SecretariatAsync()).GetFromJsonAsync<JsonElement>("/api/v1/reports", Ct);
        Assert.Contains(choices.GetProperty("snapshots").EnumerateArray(), s => s.GetString() == Seeded);
        Assert.Equal(["docx", "xlsx", "pdf"], choices.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        // Described in the OpenAPI document with its summary.
        var openapi = await app.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        Assert.Contains("secretariat", openapi.GetProperty("paths").GetProperty("/api/v1/reports/{snapshot}.{format}")
            .GetProperty("get").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Only_the_secretariat_gets_the_report_over_the_api_and_the_page()
    {
        var url = $"/api/v1/reports/{Seeded}.xlsx?lang=en";
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(null).GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(null).GetAsync("/api/v1/reports", Ct)).StatusCode);
        foreach (var state in new[] { "CN", "KZ", "KG", "TJ", "TM", "UZ" })
        {
            var coordinator = await People.CreateAsync(app, CaravanRole.NationalCoordinator, state);
            Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(coordinator).GetAsync(url, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(coordinator).GetAsync("/api/v1/reports", Ct)).StatusCode);
        }
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(officer).GetAsync(url, Ct)).StatusCode);
        foreach (var secretariat in new[]
                 {
                     await People.CreateAsync(app, CaravanRole.SecretariatAdmin), await SecretariatAsync(),
                     await People.CreateAsync(app, CaravanRole.SecretariatAdmin, readOnlyToken: true),
                 })
            Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).GetAsync(url, Ct)).StatusCode);

        // The page: the public is sent to sign in, a coordinator is refused, the secretariat downloads.
        Assert.StartsWith("/account/sign-in", (await new PortalSession(app).GetAsync("/reports")).Location
            ?.Replace("http://localhost", "", StringComparison.Ordinal));
        var kz = new PortalSession(app);
        await kz.SignInAsync(await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ"));
        Assert.StartsWith("http://localhost/account/denied", (await kz.GetAsync("/reports")).Location);
        Assert.DoesNotContain("href=\"/reports\"", (await kz.GetAsync("/rounds")).Html);
        Assert.StartsWith("http://localhost/account/denied",
            (await kz.GetAsync($"/reports?handler=download&snapshot={Seeded}&lang=en&format=xlsx")).Location);

        var session = new PortalSession(app);
        await session.SignInAsync(await SecretariatAsync());
        var page = await session.GetAsync("/reports?culture=zh");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("href=\"/reports\"", page.Html);
        Assert.Contains($"<option value=\"{Seeded}\"", page.Html);
        var download = await session.Http.GetAsync($"/reports?handler=download&snapshot={Seeded}&lang=ru&format=xlsx&currency=USD", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Xlsx, download.Content.Headers.ContentType!.MediaType);
        var api = await app.Api(await SecretariatAsync()).GetByteArrayAsync($"/api/v1/reports/{Seeded}.xlsx?lang=ru&currency=USD", Ct);
        Assert.Equal(api, await download.Content.ReadAsByteArrayAsync(Ct));
        var refused = await session.GetAsync("/reports?handler=download&snapshot=nope&lang=zh&format=xlsx&culture=zh");
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Contains("没有名为“nope”的已关闭快照", refused.Html);
    }

    [Fact]
    public async Task The_cli_writes_the_same_report_and_names_what_exists_when_refused()
    {
        await using (app.NewDbContext()) { }
        var folder = Directory.CreateTempSubdirectory("caravan-report-");
        var path = Path.Combine(folder.FullName, "report.xlsx");
        string[] database = ["--provider", app.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
            "--connection", app.ConnectionString];
        var (code, output, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>(),
            ["report", "--snapshot", Seeded, "--lang", "ru", "--format", "xlsx", "--output", path, .. database]);
        Assert.True(code == 0, output + error);
        var api = await app.Api(await SecretariatAsync()).GetByteArrayAsync($"/api/v1/reports/{Seeded}.xlsx?lang=ru", Ct);
        Assert.Equal(api, await File.ReadAllBytesAsync(path, Ct));

        (code, _, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>(),
            ["report", "--snapshot", "nope", "--lang", "en", "--format", "xlsx", .. database]);
        Assert.Equal(2, code);
        Assert.Contains("There is no closed snapshot “nope”. Snapshots:", error);
        Assert.Contains(Seeded, error);
        (code, _, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>(),
            ["report", "--snapshot", Seeded, "--lang", "en", "--format", "odt", .. database]);
        Assert.Equal(2, code);
        Assert.Contains("docx, xlsx, pdf", error);
        folder.Delete(true);
    }
}

public sealed class ReportTestsOnSqlite(SqliteApp app) : ReportTests(app), IClassFixture<SqliteApp>;

public sealed class ReportTestsOnPostgres(PostgresApp app) : ReportTests(app), IClassFixture<PostgresApp>;
