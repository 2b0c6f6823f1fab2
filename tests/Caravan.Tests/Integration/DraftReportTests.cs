using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using Caravan.Tests.Unit;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Caravan.Tests.Integration;

/// <summary>
/// A state's draft report: the open period with the state's own unpublished proposal shown and marked, "draft" on
/// every page; its coordinator and the secretariat get it, no other state does, and another state's draft never
/// shows its proposal.
/// </summary>
public abstract class DraftReportTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Evidence = "Grant agreements signed with all five states (draft for the report test).";

    [Fact]
    public async Task A_states_draft_shows_its_own_proposal_marked_and_is_its_own()
    {
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var proposed = await app.Api(cn).PostAsJsonAsync("/api/v1/records/assessments", new
        {
            id = "grant-2025:CN:astana-to-2027",
            values = new Dictionary<string, string> { ["score"] = "1", ["evidence.en"] = Evidence }, sources = Cite.One(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);

        var response = await app.Api(cn).GetAsync("/api/v1/reports/draft/CN.xlsx?lang=en", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("caravan-draft-CN-astana-to-2027-en-USD.xlsx",
            response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        using (var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)), false))
        {
            Assert.Equal("Draft — People's Republic of China", document.CustomFilePropertiesPart!.Properties
                .Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>().Single(p => p.Name == "Draft").InnerText);
            var sheets = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
            Assert.All(sheets, s => Assert.Contains("Draft — People's Republic of China",
                ((WorksheetPart)document.WorkbookPart.GetPartById(s.Id!)).Worksheet.Descendants<OddHeader>().Single().Text));
            var grant = ReportBuilderTests.Rows(document.WorkbookPart, sheets[1]).Single(r => r[0].Text == "grant-2025");
            Assert.Contains("People's Republic of China (draft, not published): " + Evidence, grant[7].Text);
            Assert.NotEqual("not assessed", grant[5].Text);
        }

        // Kazakhstan's own draft does not show China's proposal; China's draft is not Kazakhstan's to take.
        var own = await app.Api(kz).GetAsync("/api/v1/reports/draft/KZ.xlsx?lang=en", Ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var document = SpreadsheetDocument.Open(new MemoryStream(await own.Content.ReadAsByteArrayAsync(Ct)), false))
        {
            var sheets = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
            var grant = ReportBuilderTests.Rows(document.WorkbookPart, sheets[1]).Single(r => r[0].Text == "grant-2025");
            Assert.DoesNotContain(Evidence, grant[7].Text);
            Assert.Equal("not assessed", grant[5].Text);
        }
        var refused = await app.Api(kz, "ru").GetAsync("/api/v1/reports/draft/CN.xlsx?lang=en", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("национальный координатор", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(null).GetAsync("/api/v1/reports/draft/CN.xlsx", Ct)).StatusCode);
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(officer).GetAsync("/api/v1/reports/draft/CN.xlsx", Ct)).StatusCode);
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).GetAsync("/api/v1/reports/draft/CN.xlsx?lang=zh", Ct)).StatusCode);
        // Never frozen: a draft is not a snapshot's report.
        await using var db = app.NewDbContext();
        Assert.DoesNotContain(db.ReportFacts, r => r.SnapshotId == "astana-to-2027");
    }
}

public sealed class DraftReportTestsOnSqlite(SqliteApp app) : DraftReportTests(app), IClassFixture<SqliteApp>;

public sealed class DraftReportTestsOnPostgres(PostgresApp app) : DraftReportTests(app), IClassFixture<PostgresApp>;
