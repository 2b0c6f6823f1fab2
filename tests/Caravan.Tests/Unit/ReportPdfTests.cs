using System.Diagnostics;
using System.Text.RegularExpressions;

using Caravan.Features.Reports;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>The PDF writer, read back with Debian's poppler-utils (pdftotext, pdffonts, pdftoppm).</summary>
public sealed class ReportPdfTests
{
    private static byte[] Pdf(ReportDocument report)
    {
        using var stream = new MemoryStream();
        ReportPdf.Write(report, stream);
        return stream.ToArray();
    }

    internal static string Poppler(string tool, byte[] pdf, params string[] arguments)
    {
        if (!File.Exists($"/usr/bin/{tool}")) Requirements.Unavailable(tool, "apt-get install poppler-utils");
        var file = Path.Combine(Path.GetTempPath(), $"caravan-report-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo($"/usr/bin/{tool}") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) start.ArgumentList.Add(a == "{pdf}" ? file : a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
            return output.Result;
        }
        finally { File.Delete(file); }
    }

    // pdftotext gives a no-break space (Russian digit groups) back as a plain space.
    private static string[] Pages(byte[] pdf, bool layout = false) =>
        Poppler("pdftotext", pdf, layout ? ["-layout", "-enc", "UTF-8", "{pdf}", "-"] : ["-enc", "UTF-8", "{pdf}", "-"])
            .Replace('\u00A0', ' ').Replace('\u202F', ' ').Split('\f')[..^1];

    private static string Plain(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    public static TheoryData<string> Languages => new(ReportSamples.Languages);

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_page_says_its_number_of_the_count_in_the_report_language_and_the_text_reads_back(string language)
    {
        var report = ReportSamples.Sample(language);
        var pages = Pages(Pdf(report));
        Assert.True(pages.Length >= 5, $"{pages.Length} pages");
        for (var p = 0; p < pages.Length; p++)
            Assert.Contains(string.Format(report.Labels.PageOf, p + 1, pages.Length), pages[p]);
        // The cover: title (wrapped lines joined) and subtitle.
        var cover = Regex.Replace(pages[0], @"\s+", language == "zh" ? "" : " ");
        Assert.Contains(Regex.Replace(report.Title, @"\s+", language == "zh" ? "" : " "), cover);
        Assert.DoesNotContain('\uFFFD', string.Concat(pages));

        var all = string.Join("\n", pages);
        foreach (var heading in report.Blocks.OfType<ReportHeading>())
            Assert.Contains(heading.Text, all);
        var scorecard = report.Blocks.OfType<ReportTable>().Single(t => t.Id == "scorecard");
        foreach (var cell in scorecard.Rows.SelectMany(r => r).Where(c => c.Number is not null))
            Assert.Contains(Plain(cell.Text), all);
        // Headings come in the report's order, after the contents page.
        var from = all.IndexOf(string.Format(report.Labels.PageOf, 2, pages.Length), StringComparison.Ordinal);
        foreach (var heading in report.Blocks.OfType<ReportHeading>())
        {
            var at = all.IndexOf(heading.Text, from, StringComparison.Ordinal);
            Assert.True(at > from, $"{heading.Text} is not after the previous heading");
            from = at + heading.Text.Length;
        }
    }

    [Fact]
    public void Chinese_and_Cyrillic_round_trip_exactly_including_characters_that_share_a_glyph_with_a_radical()
    {
        var zh = string.Join("\n", Pages(Pdf(ReportSamples.Sample("zh"))));
        // 人 and 民 share their glyph with the Kangxi radicals ⼈ and ⺠ in Noto Sans CJK.
        Assert.Contains("中华人民共和国", zh);
        Assert.DoesNotMatch("[\u2E80-\u2FDF]", zh);
        Assert.Contains("1,500,000,000.00", zh);
        var ru = string.Join("\n", Pages(Pdf(ReportSamples.Sample("ru"))));
        Assert.Contains("Республика Казахстан", ru);
        Assert.Contains("1 500 000 000,00", ru);
        Assert.Contains("Astana", Pages(Pdf(ReportSamples.Sample("en")))[0]);
    }

    [Fact]
    public void The_fonts_are_embedded()
    {
        var fonts = Poppler("pdffonts", Pdf(ReportSamples.Sample("zh", annexRows: 10)), "{pdf}");
        var rows = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        Assert.NotEmpty(rows);
        // Columns: name, type, encoding, emb, sub, uni: every font embedded, with a map back to Unicode.
        Assert.All(rows, row => Assert.Matches(@"\s+yes\s+(yes|no)\s+yes\s+\d+\s+\d+\s*$", row));
    }

    [Fact]
    public void A_draft_says_so_on_every_page()
    {
        var report = ReportSamples.Sample("ru", draftMark: "draft");
        var pages = Pages(Pdf(report));
        Assert.All(pages, page => Assert.Contains(report.DraftMark!, page));
        Assert.DoesNotContain("Проект —", string.Concat(Pages(Pdf(ReportSamples.Sample("ru")))));
    }

    [Fact]
    public void The_contents_name_the_page_each_heading_is_on()
    {
        var report = ReportSamples.Sample("en");
        var pages = Pages(Pdf(report));
        var contents = Pages(Pdf(report), layout: true)[1];
        Assert.Contains(report.Labels.Contents, contents);
        foreach (var heading in report.Blocks.OfType<ReportHeading>().Where(h => h.Level <= 2))
        {
            var page = Array.FindIndex(pages, 2, p => p.Contains(heading.Text, StringComparison.Ordinal)) + 1;
            Assert.Matches($@"{Regex.Escape(heading.Text)} +{page}\n", contents);
        }
    }

    [Fact]
    public void A_long_annex_splits_across_pages_under_its_header_row_with_every_row_in_order()
    {
        var report = ReportSamples.Sample("en", annexRows: 150);
        var pages = Pages(Pdf(report), layout: true);
        var annex = report.Blocks.OfType<ReportTable>().Single(t => t.Annex);
        // In layout mode each row's first line starts with its number, then the commitment's first words.
        var row = new Regex(@"(?m)^\s*(\d+)\s+Trade, investment");
        var withRows = pages.Where(p => row.IsMatch(p)).ToList();
        Assert.True(withRows.Count >= 3, $"{withRows.Count} pages of annex");
        // The header row on every page the table runs over.
        Assert.All(withRows, p => Assert.Matches(@"No\.\s+Commitment\s+State\s+Status\s+Due", p));
        var found = withRows.SelectMany(p => row.Matches(p)).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, annex.Rows.Count), found);
    }

    [Fact]
    public void The_same_report_gives_the_same_bytes_and_its_hash_is_in_the_metadata()
    {
        var report = ReportSamples.Sample("zh", draftMark: "x");
        var first = Pdf(report);
        Assert.Equal(first, Pdf(ReportSamples.Sample("zh", draftMark: "x")));
        var info = Poppler("pdfinfo", first, "{pdf}");
        Assert.Contains(report.ContentHash(), info);
        Assert.Contains(report.Title, info);
    }

    [Fact]
    public void A_missing_font_file_names_the_package_to_install()
    {
        var saved = ReportFonts.FontFile;
        try
        {
            ReportFonts.FontFile = "/nonexistent/NotoSansCJK-Regular.ttc";
            var error = Assert.Throws<ReportFontMissingException>(() => Pdf(ReportSamples.Sample("en", annexRows: 1)));
            Assert.Contains("fonts-noto-cjk", error.Message);
            Assert.Contains("/nonexistent/NotoSansCJK-Regular.ttc", error.Message);
        }
        finally { ReportFonts.FontFile = saved; }
    }

    /// <summary>
    /// With <c>CARAVAN_REPORT_SAMPLE_IMAGES</c> set to a folder, renders the sample's first pages in each language there
    /// as report-sample-{lang}-page{n}.png, for a person to look at (the README's pictures are of the seeded data's
    /// report: <c>ReportFormatsTests</c>).
    /// </summary>
    [Fact]
    public void First_pages_render_to_png_for_a_person_to_look_at()
    {
        foreach (var language in ReportSamples.Languages)
        {
            var pdf = Pdf(ReportSamples.Sample(language));
            if (Environment.GetEnvironmentVariable("CARAVAN_REPORT_PDFS") is { Length: > 0 } keep)
                File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(keep).FullName, $"report-{language}.pdf"), pdf);
            var folder = Environment.GetEnvironmentVariable("CARAVAN_REPORT_SAMPLE_IMAGES") is { Length: > 0 } f
                ? Directory.CreateDirectory(f).FullName
                : Directory.CreateTempSubdirectory("caravan-report-").FullName;
            Poppler("pdftoppm", pdf, "-png", "-r", "80", "-f", "1", "-l", "4", "{pdf}", Path.Combine(folder, $"report-sample-{language}-page"));
            var images = Directory.GetFiles(folder, $"report-sample-{language}-page*.png");
            Assert.True(images.Length >= 4, string.Join(", ", images));
        }
    }
}
