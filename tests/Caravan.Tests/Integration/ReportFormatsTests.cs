using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Seed;
using Caravan.Tests.Support;
using Caravan.Web.Features.Reports;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// The seeded snapshot's report as DOCX and PDF, read back against the database in each language: the DOCX with the
/// OpenXml SDK (headings in Word's styles, the annex row by row against the snapshot), the PDF with Debian's
/// <c>pdftotext</c> (every state's official name and every priority direction in the reader's language, every
/// commitment of the annex, no missing glyph). The three formats carry one content hash.
/// </summary>
public abstract partial class ReportFormatsTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Seeded = "xian-to-astana";

    private Person? _secretariat;
    private async Task<HttpClient> ApiAsync() =>
        app.Api(_secretariat ??= await People.CreateAsync(app, CaravanRole.SecretariatEditor));

    private async Task<byte[]> ReportAsync(string format, string language)
    {
        var response = await (await ApiAsync()).GetAsync($"/api/v1/reports/{Seeded}.{format}?lang={language}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Theory]
    [InlineData("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("pdf", "application/pdf")]
    public async Task Each_format_is_served_with_its_type_and_name_and_the_same_content_hash(string format, string type)
    {
        var api = await ApiAsync();
        var xlsx = await api.GetAsync($"/api/v1/reports/{Seeded}.xlsx?lang=zh", Ct);
        var other = await api.GetAsync($"/api/v1/reports/{Seeded}.{format}?lang=zh", Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(type, other.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"caravan-report-{Seeded}-zh-USD.{format}",
            other.Content.Headers.ContentDisposition!.FileNameStar ?? other.Content.Headers.ContentDisposition.FileName);
        var bytes = await other.Content.ReadAsByteArrayAsync(Ct);
        // One content, three layouts: the hash of the content is the same whatever the format; the same bytes again.
        Assert.Equal(xlsx.Headers.GetValues("X-Content-Hash").Single(), other.Headers.GetValues("X-Content-Hash").Single());
        var again = await api.GetAsync($"/api/v1/reports/{Seeded}.{format}?lang=zh", Ct);
        Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("zh")]
    public async Task The_docx_has_real_headings_and_the_annex_of_every_commitment_the_snapshot_froze(string language)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(await ReportAsync("docx", language)), false);
        var body = document.MainDocumentPart!.Document.Body!;
        var headings = body.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value is "Heading1" or "Heading2" or "Heading3")
            .Select(p => p.InnerText).ToList();
        await using var db = app.NewDbContext();
        // Each member state has its part under its official name, each priority direction its own, in this language.
        foreach (var state in await db.MemberStates.AsNoTracking().ToListAsync(Ct))
            Assert.Contains(state.Name[language], headings);
        foreach (var direction in await db.PriorityDirections.AsNoTracking().ToListAsync(Ct))
            Assert.Contains(direction.Name[language], headings);

        var words = ReportsFeature.Words(language);
        // The annex is the last table led by the id and the commitment (each direction's table is too).
        var annex = body.Descendants<Table>().Last(t => Cells(t.Elements<TableRow>().First()) is [var id, var text, ..]
            && id == words("report.col.id") && text == words("report.col.commitment"));
        var rows = annex.Elements<TableRow>().Skip(1).Select(Cells).ToList();
        var snapshot = await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == Seeded, Ct);
        Assert.Equal(snapshot.Items.Select(i => i.CommitmentId).Order(StringComparer.Ordinal), rows.Select(r => r[0]));
        foreach (var row in rows)
            Assert.Equal(words("CommitmentStatus." + SeedEnums.ToKebab(
                snapshot.Items.Single(i => i.CommitmentId == row[0]).Status)), row[5]);
    }

    private static List<string> Cells(TableRow row) => [.. row.Elements<TableCell>().Select(c => string.Join("\n",
        c.Elements<Paragraph>().Select(p => p.InnerText)))];

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("zh")]
    public async Task The_pdfs_text_gives_the_states_directions_and_commitments_in_the_readers_language(string language)
    {
        var file = Path.Combine(Path.GetTempPath(), $"caravan-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, await ReportAsync("pdf", language), Ct);
        try
        {
            var text = await ToolAsync("pdftotext", "-enc", "UTF-8", file, "-");
            if (Environment.GetEnvironmentVariable("CARAVAN_REPORT_PDFS") is { Length: > 0 } keep)
                File.Copy(file, Path.Combine(keep, $"report-{language}-{app.Provider}.pdf"), true);
            Assert.DoesNotContain('\uFFFD', text);
            // Lines wrap anywhere in Chinese and at spaces or hyphens elsewhere: compare without white space.
            var flat = Space().Replace(text, "");
            await using var db = app.NewDbContext();
            foreach (var state in await db.MemberStates.AsNoTracking().ToListAsync(Ct))
                Assert.Contains(Space().Replace(state.Name[language]!, ""), flat);
            foreach (var direction in await db.PriorityDirections.AsNoTracking().ToListAsync(Ct))
                Assert.Contains(Space().Replace(direction.Name[language]!, ""), flat);
            var snapshot = await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == Seeded, Ct);
            // A table cell's lines share their column's left edge: each column read top to bottom holds the ids whole,
            // however a narrow id column wrapped them.
            var columns = Columns(await ToolAsync("pdftotext", "-tsv", "-enc", "UTF-8", file, "-"));
            foreach (var item in snapshot.Items)
                Assert.True(columns.Any(c => c.Contains(item.CommitmentId, StringComparison.Ordinal)),
                    $"commitment {item.CommitmentId} is not in the PDF");
            var pages = int.Parse(Regex.Match(await ToolAsync("pdfinfo", file), @"Pages:\s+(\d+)").Groups[1].Value);
            var pageOf = ReportsFeature.Words(language)("report.label.page-of");
            Assert.Contains(Space().Replace(string.Format(pageOf, pages, pages), ""), flat);
            // Written in the reader's script: Cyrillic in Russian, Han characters in Chinese.
            if (language == "ru") Assert.Matches(@"\p{IsCyrillic}{5,}", text);
            if (language == "zh") Assert.Matches(@"\p{IsCJKUnifiedIdeographs}{4,}", text);
            if (Environment.GetEnvironmentVariable("CARAVAN_REPORT_IMAGES") is { Length: > 0 } images
                && app.Provider == Caravan.Data.DatabaseProvider.Sqlite)
            {
                // The README's pictures of the report: its first pages, from the seeded data.
                var prefix = Path.Combine(Path.GetFullPath(images), $"report-{language}-page");
                await ToolAsync("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "3", file, prefix);
            }
        }
        finally { File.Delete(file); }
    }

    /// <summary>The words of <c>pdftotext -tsv</c> grouped by page and left edge, each group read top to bottom.</summary>
    private static List<string> Columns(string tsv) =>
    [
        .. tsv.Split('\n').Skip(1).Select(l => l.Split('\t')).Where(f => f.Length >= 12 && f[0] == "5")
            .Select(f => (Page: int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture),
                Left: Math.Round(double.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture)),
                Top: double.Parse(f[7], System.Globalization.CultureInfo.InvariantCulture), Text: f[11]))
            .GroupBy(w => (w.Page, w.Left))
            .Select(g => string.Concat(g.OrderBy(w => w.Top).Select(w => w.Text))),
    ];

    private static async Task<string> ToolAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{tool} did not start (apt-get install poppler-utils)");
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{tool}: exit {process.ExitCode} {await process.StandardError.ReadToEndAsync(Ct)}");
        return output;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}

public sealed class ReportFormatsTestsOnSqlite(SqliteApp app) : ReportFormatsTests(app), IClassFixture<SqliteApp>;

public sealed class ReportFormatsTestsOnPostgres(PostgresApp app) : ReportFormatsTests(app), IClassFixture<PostgresApp>;
