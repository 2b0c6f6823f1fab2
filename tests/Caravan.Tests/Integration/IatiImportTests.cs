using System.Xml.Linq;
using Caravan.Features.Projects;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>Importing IATI files into the database of each provider, and exporting what is published.</summary>
public abstract class IatiImportTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ImportReport> ImportAsync(string xml, bool strict = false, int batch = 2, bool publish = true, long maxBytes = 1L << 30, bool keepPartial = false)
    {
        await using var db = app.NewDbContext();
        return await IatiImport.RunAsync(db, IatiSamples.Stream(xml), new IatiImportOptions { By = "test", Strict = strict, BatchSize = batch, Publish = publish, FileName = "test.xml", MaxBytes = maxBytes, KeepPartial = keepPartial }, Ct);
    }

    [Fact]
    public async Task Schema_valid_activities_are_stored_with_their_findings_invalid_ones_reported_and_skipped_and_a_re_import_changes_nothing()
    {
        var badPercentages = IatiSamples.Activity("A-3", countries: """<recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="30"/>""");
        var noTitle = IatiSamples.Activity("A-4").Replace("<title>", "<!--", StringComparison.Ordinal).Replace("</title>", "-->", StringComparison.Ordinal);
        var file = IatiSamples.File(IatiSamples.Activity("A-1"), IatiSamples.Activity("A-2", currency: "USD", amount: 250000m), badPercentages, noTitle);
        var report = await ImportAsync(file);
        // A-3 only breaks a rule (percentages): stored with its finding. A-4 has no title (a schema error): kept out.
        Assert.Equal((4, 3, 0, 0, 1, 1), (report.Read, report.Added, report.Updated, report.Unchanged, report.Skipped, report.StoredWithFindings));
        var percentages = Assert.Single(report.Problems, p => p.Activity == "CN-MOFCOM-A-3");
        Assert.Equal(("percentages-sum", "iati.percentages", "90", false), (percentages.Rule, percentages.Code, percentages.Detail, percentages.IsError));
        Assert.Contains(report.Problems, p => p.Activity == "CN-MOFCOM-A-4" && p.Code == "iati.title-missing" && p.IsError);

        await using (var db = app.NewDbContext())
        {
            var stored = await db.Projects.AsNoTracking().Where(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-A-")).OrderBy(p => p.IatiIdentifier).ToListAsync(Ct);
            Assert.Equal(["CN-MOFCOM-A-1", "CN-MOFCOM-A-2", "CN-MOFCOM-A-3"], stored.Select(p => p.IatiIdentifier));
            Assert.Equal((null, 0), (stored[0].Findings, stored[0].FindingCount));
            var finding = Assert.Single(ProjectFindings.FromJson(stored[2].Findings));
            Assert.Equal(("percentages-sum", "iati.percentages", "90", 1), (finding.Rule, finding.Code, string.Join(",", finding.Args), stored[2].FindingCount));
            Assert.True(finding.Line > 1, "the finding keeps the activity's line");
            var activity = IatiActivity.FromJson(stored[0].Activity);
            Assert.Equal(["en", "ru", "zh"], activity.Titles.Select(t => t.Language));
            Assert.Equal(ProjectStage.Implementation, stored[0].Stage);
            var transaction = await db.ProjectTransactions.AsNoTracking().SingleAsync(t => t.ProjectId == stored[0].Id, Ct);
            Assert.Equal((12500000.50m, "CNY", new DateOnly(2024, 3, 1), 2024), (transaction.Amount, transaction.Currency, transaction.ValueDate, transaction.Year));
            var country = await db.ProjectCountries.AsNoTracking().SingleAsync(c => c.ProjectId == stored[0].Id, Ct);
            Assert.Equal(("KG", 100m), (country.CountryCode, country.Percentage));
            var run = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == report.RunId, Ct);
            Assert.Equal((3, 1, "test", true), (run.Added, run.Skipped, run.By, run.AcceptedWarnings));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.SubjectType == "import-run" && e.SubjectId == report.RunId, Ct), "the run is in the audit trail");
        }

        // The same file again: nothing written. Strict, the activity with odd percentages is kept out again (the
        // stored one stays as it was).
        var again = await ImportAsync(file);
        Assert.Equal((0, 0, 3, 1), (again.Added, again.Updated, again.Unchanged, again.Skipped));
        var strict = await ImportAsync(file, strict: true);
        Assert.Equal((0, 2, 2, 0), (strict.Added, strict.Unchanged, strict.Skipped, strict.StoredWithFindings));
    }

    [Fact]
    public async Task A_changed_activity_is_updated_with_a_diff_and_keeps_what_the_secretariat_set()
    {
        await ImportAsync(IatiSamples.File(IatiSamples.Activity("B-1"), IatiSamples.Activity("B-2")));
        await using (var db = app.NewDbContext())
        {
            var p = await db.Projects.SingleAsync(p => p.IatiIdentifier == "CN-MOFCOM-B-1", Ct);
            p.DirectionId = (await db.PriorityDirections.FirstAsync(Ct)).Id;
            await db.SaveChangesAsync(Ct);
        }
        var changed = IatiSamples.Activity("B-1", status: "3", amount: 13000000m);
        var report = await ImportAsync(IatiSamples.File(changed, IatiSamples.Activity("B-2")));
        Assert.Equal((0, 1, 1), (report.Added, report.Updated, report.Unchanged));
        Assert.Equal(["status", "transactions"], Assert.Single(report.Changes).Changed);
        await using (var db = app.NewDbContext())
        {
            var p = await db.Projects.AsNoTracking().SingleAsync(p => p.IatiIdentifier == "CN-MOFCOM-B-1", Ct);
            Assert.Equal((ProjectStage.Completion, "3"), (p.Stage, p.Status));
            Assert.NotNull(p.DirectionId);
            Assert.Equal(13000000m, Assert.Single(await db.ProjectTransactions.AsNoTracking().Where(t => t.ProjectId == p.Id).ToListAsync(Ct)).Amount);
        }
    }

    [Fact]
    public async Task A_truncated_file_stores_nothing_and_its_run_is_failed_with_the_line_of_the_break()
    {
        var file = IatiSamples.File(IatiSamples.Activity("C-1"), IatiSamples.Activity("C-2"), IatiSamples.Activity("C-3"), IatiSamples.Activity("C-4"), IatiSamples.Activity("C-5"));
        var cut = file[..file.IndexOf("CN-MOFCOM-C-5", StringComparison.Ordinal)];
        var line = cut.Count(c => c == '\n') + 1;
        // Batches of two: C-1 and C-2, then C-3 and C-4 were stored (staged) before the break was read.
        var report = await ImportAsync(cut, batch: 2);
        Assert.Equal(("iati.malformed", 0, ImportRunStatus.Failed), (report.Stopped?.Code.Key, report.Added, report.Status));
        await using (var db = app.NewDbContext())
        {
            Assert.False(await db.Projects.AnyAsync(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-C-"), Ct), "nothing of the file is stored, staged or not");
            var run = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == report.RunId, Ct);
            Assert.Equal(ImportRunStatus.Failed, run.Status);
            Assert.StartsWith("iati.malformed: ", run.Stopped);
            Assert.Contains($"Line {line}", run.Stopped);
            Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.SubjectType == "import-run" && e.SubjectId == report.RunId, Ct));
        }

        // Kept partial (an explicit option), the whole batches before the break stay, and the run still says it failed.
        var kept = await ImportAsync(cut.Replace("MOFCOM-C-", "MOFCOM-CK-", StringComparison.Ordinal), batch: 2, keepPartial: true);
        Assert.Equal(("iati.malformed", 4, ImportRunStatus.Failed, true), (kept.Stopped?.Code.Key, kept.Added, kept.Status, kept.KeptPartial));
        await using (var db = app.NewDbContext())
            Assert.Equal(4, await db.Projects.CountAsync(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-CK-") && p.Published, Ct));

        var tooLarge = await ImportAsync(IatiSamples.File(IatiSamples.Activity("C-9")), maxBytes: 200);
        Assert.Equal(("iati.too-large", 0), (tooLarge.Stopped?.Code.Key, tooLarge.Added));
    }

    [Fact]
    public async Task A_changed_activity_in_a_failed_run_leaves_the_stored_version_whole_and_a_completed_one_replaces_it_whole()
    {
        await ImportAsync(IatiSamples.File(IatiSamples.Activity("H-1"), IatiSamples.Activity("H-2")));
        async Task<(string? Status, int Version, decimal Amount, int Projects)> StoredAsync()
        {
            await using var db = app.NewDbContext();
            var p = await db.Projects.AsNoTracking().SingleAsync(p => p.IatiIdentifier == "CN-MOFCOM-H-1", Ct);
            var amount = (await db.ProjectTransactions.AsNoTracking().SingleAsync(t => t.ProjectId == p.Id, Ct)).Amount;
            return (p.Status, p.Version, amount, await db.Projects.CountAsync(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-H-"), Ct));
        }
        var before = await StoredAsync();

        // H-1 changed and stored (staged) in the first batch; the file breaks in the second: H-1 stays as it was.
        var changed = IatiSamples.Activity("H-1", status: "3", amount: 13000000m);
        var file = IatiSamples.File(changed, IatiSamples.Activity("H-2"), IatiSamples.Activity("H-3"), IatiSamples.Activity("H-4"));
        var failed = await ImportAsync(file[..file.IndexOf("CN-MOFCOM-H-4", StringComparison.Ordinal)], batch: 2);
        Assert.Equal(ImportRunStatus.Failed, failed.Status);
        Assert.Equal(before, await StoredAsync());
        await using (var db = app.NewDbContext()) Assert.Equal(0, await db.Projects.CountAsync(p => p.Staged, Ct));

        var completed = await ImportAsync(file, batch: 2);
        Assert.Equal((ImportRunStatus.Completed, 2, 1), (completed.Status, completed.Added, completed.Updated));
        Assert.Equal(("3", before.Version + 1, 13000000m, 4), await StoredAsync());
    }

    [Fact]
    public async Task Umbrellas_are_marked_when_their_children_are_stored()
    {
        var parent = IatiSamples.Activity("D-1");
        var child = IatiSamples.Activity("D-2", extra: """<related-activity ref="CN-MOFCOM-D-1" type="1"/>""");
        await ImportAsync(IatiSamples.File(parent, child));
        await using var db = app.NewDbContext();
        var flags = await db.Projects.AsNoTracking().Where(p => p.IatiIdentifier.StartsWith("CN-MOFCOM-D-")).OrderBy(p => p.IatiIdentifier)
            .Select(p => new { p.IsUmbrella, p.ParentIdentifier }).ToListAsync(Ct);
        Assert.Equal([true, false], flags.Select(f => f.IsUmbrella));
        Assert.Equal("CN-MOFCOM-D-1", flags[1].ParentIdentifier);
    }

    [Fact]
    public async Task The_export_holds_the_published_projects_and_is_valid_against_the_official_schema()
    {
        await ImportAsync(IatiSamples.File(IatiSamples.Activity("E-1"), IatiSamples.Activity("E-2", currency: "USD")));
        await ImportAsync(IatiSamples.File(IatiSamples.Activity("E-3")), publish: false);
        using var output = new MemoryStream();
        await using (var db = app.NewDbContext()) await IatiExport.WriteAsync(db, output, Ct);
        output.Position = 0;
        Assert.Empty(IatiSchema.Validate(output));
        output.Position = 0;
        var identifiers = XDocument.Load(output).Descendants("iati-identifier").Select(e => e.Value).ToList();
        Assert.Contains("CN-MOFCOM-E-1", identifiers);
        Assert.Contains("CN-MOFCOM-E-2", identifiers);
        Assert.DoesNotContain("CN-MOFCOM-E-3", identifiers);
    }
}

public sealed class IatiImportTestsOnSqlite(SqliteApp app) : IatiImportTests(app), IClassFixture<SqliteApp>;

public sealed class IatiImportTestsOnPostgres(PostgresApp app) : IatiImportTests(app), IClassFixture<PostgresApp>;
