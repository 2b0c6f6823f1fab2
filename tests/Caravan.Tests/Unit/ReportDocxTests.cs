using Caravan.Features.Reports;
using Caravan.Tests.Support;

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace Caravan.Tests.Unit;

/// <summary>The DOCX writer, read back with the OpenXml SDK.</summary>
public sealed class ReportDocxTests
{
    private static byte[] Docx(ReportDocument report)
    {
        using var stream = new MemoryStream();
        ReportDocx.Write(report, stream);
        return stream.ToArray();
    }

    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    public static TheoryData<string> Languages => new(ReportSamples.Languages);

    [Theory]
    [MemberData(nameof(Languages))]
    public void The_document_is_valid_open_xml(string language)
    {
        using var document = Open(Docx(ReportSamples.Sample(language, draftMark: "x")));
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document, TestContext.Current.CancellationToken).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(10).Select(e => $"{e.Path?.XPath}: {e.Description}")));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Headings_have_the_heading_styles_in_order_and_the_styles_outline_levels(string language)
    {
        var report = ReportSamples.Sample(language);
        using var document = Open(Docx(report));
        var body = document.MainDocumentPart!.Document.Body!;
        var headings = body.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value?.StartsWith("Heading", StringComparison.Ordinal) == true)
            .Select(p => (Style: p.ParagraphProperties!.ParagraphStyleId!.Val!.Value!, Text: p.InnerText))
            .ToList();
        Assert.Equal(report.Blocks.OfType<ReportHeading>().Select(h => ($"Heading{h.Level}", h.Text)), headings);
        var styles = document.MainDocumentPart.StyleDefinitionsPart!.Styles!;
        for (var level = 1; level <= 3; level++)
        {
            var style = styles.Elements<Style>().Single(s => s.StyleId == $"Heading{level}");
            Assert.Equal(level - 1, style.StyleParagraphProperties!.OutlineLevel!.Val!.Value);
            Assert.Equal($"heading {level}", style.StyleName!.Val!.Value);
        }
        // Words in the report's language: its language tag in the defaults, Chinese fonts for East Asian text.
        var defaults = styles.DocDefaults!.RunPropertiesDefault!.RunPropertiesBaseStyle!;
        Assert.Equal(language switch { "zh" => "zh-CN", "ru" => "ru-RU", _ => "en-GB" }, defaults.GetFirstChild<Languages>()!.Val!.Value);
        Assert.Equal("zh-CN", defaults.GetFirstChild<Languages>()!.EastAsia!.Value);
        Assert.False(string.IsNullOrEmpty(defaults.GetFirstChild<RunFonts>()!.EastAsia?.Value));
    }

    [Fact]
    public void The_contents_are_a_toc_field_updated_on_opening_with_the_label_until_then()
    {
        var report = ReportSamples.Sample("ru");
        using var document = Open(Docx(report));
        var body = document.MainDocumentPart!.Document.Body!;
        var code = body.Descendants<FieldCode>().Single(f => f.Text.Contains("TOC", StringComparison.Ordinal));
        Assert.Contains("\\o \"1-3\"", code.Text);
        var paragraph = code.Ancestors<Paragraph>().First();
        Assert.Contains(report.Labels.UpdateContents, paragraph.InnerText);
        Assert.True(document.MainDocumentPart.DocumentSettingsPart!.Settings!.GetFirstChild<UpdateFieldsOnOpen>()!.Val!.Value);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Tables_hold_the_cells_under_a_repeated_header_with_numbered_captions_and_sources(string language)
    {
        var report = ReportSamples.Sample(language);
        using var document = Open(Docx(report));
        var body = document.MainDocumentPart!.Document.Body!;
        var tables = body.Elements<Table>().Where(t => t.GetFirstChild<TableProperties>()?.TableStyle?.Val == "ReportTable").ToList();
        var expected = ReportText.InReadingOrder(report.Blocks).OfType<ReportTable>().ToList();
        Assert.Equal(expected.Count, tables.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var rows = tables[i].Elements<TableRow>().ToList();
            Assert.NotNull(rows[0].TableRowProperties?.GetFirstChild<TableHeader>());
            Assert.Equal(expected[i].Columns.Select(c => c.Title), rows[0].Elements<TableCell>().Select(c => c.InnerText));
            if (expected[i].Rows.Count == 0) Assert.Equal(report.Labels.NoRows, rows[1].InnerText);
            else
                Assert.Equal(expected[i].Rows.Select(r => r.Select(c => c.Text)),
                    rows.Skip(1).Select(r => r.Elements<TableCell>().Select(c => c.InnerText)));
            // A table's grid has a column per column (Word needs it).
            Assert.Equal(expected[i].Columns.Count, tables[i].GetFirstChild<TableGrid>()!.Elements<GridColumn>().Count());
            var caption = (Paragraph)tables[i].PreviousSibling()!;
            Assert.Equal("Caption", caption.ParagraphProperties!.ParagraphStyleId!.Val!.Value);
            Assert.Contains("SEQ Table", caption.Descendants<FieldCode>().Single().Text);
            Assert.Equal(ReportText.Caption(report.Labels.Table, i + 1, expected[i].Caption, language), caption.InnerText.Replace(" SEQ Table \\* ARABIC ", ""));
            var sources = (Paragraph)tables[i].NextSibling()!;
            Assert.Equal(ReportText.SourcesLine(report.Labels.Sources, expected[i].Sources, language), sources.InnerText);
        }
        // Numbers right-aligned.
        var annex = tables[^1].Elements<TableRow>().Skip(1).First().Elements<TableCell>().ToList();
        Assert.Equal(JustificationValues.Right, annex[0].Descendants<Justification>().Single().Val!.Value);
        Assert.Equal(JustificationValues.Left, annex[1].Descendants<Justification>().Single().Val!.Value);
    }

    [Fact]
    public void Charts_are_png_images_with_alt_text_under_a_figure_caption()
    {
        var report = ReportSamples.Sample("zh");
        using var document = Open(Docx(report));
        var main = document.MainDocumentPart!;
        var charts = report.Blocks.OfType<ReportChart>().ToList();
        var drawings = main.Document.Body!.Descendants<Drawing>().ToList();
        Assert.Equal(charts.Count, drawings.Count);
        for (var i = 0; i < charts.Count; i++)
        {
            var properties = drawings[i].Descendants<DW.DocProperties>().Single();
            Assert.StartsWith(charts[i].Caption, properties.Description!.Value);
            Assert.Contains(charts[i].Categories[1], properties.Description.Value);
            var blip = drawings[i].Descendants<DocumentFormat.OpenXml.Drawing.Blip>().Single();
            var part = (ImagePart)main.GetPartById(blip.Embed!.Value!);
            Assert.Equal("image/png", part.ContentType);
            using var stream = part.GetStream();
            var header = new byte[8];
            stream.ReadExactly(header);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
            var caption = drawings[i].Ancestors<Paragraph>().Single().PreviousSibling<Paragraph>()!;
            Assert.Contains("SEQ Figure", caption.InnerText);
            Assert.EndsWith(charts[i].Caption, caption.InnerText);
        }
    }

    [Fact]
    public void The_content_hash_is_a_custom_property_and_the_same_report_gives_the_same_bytes()
    {
        var report = ReportSamples.Sample("en", draftMark: "x");
        var bytes = Docx(report);
        Assert.Equal(bytes, Docx(ReportSamples.Sample("en", draftMark: "x")));
        Assert.NotEqual(bytes, Docx(ReportSamples.Sample("en")));
        using var document = Open(bytes);
        var properties = document.CustomFilePropertiesPart!.Properties!
            .Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>().ToDictionary(p => p.Name!.Value!, p => p.InnerText);
        Assert.Equal(report.ContentHash(), properties["ContentHash"]);
        Assert.Equal(report.SnapshotId, properties["SnapshotId"]);
        Assert.Equal(report.Title, document.PackageProperties.Title);
        Assert.Equal(new DateTime(2025, 6, 16), document.PackageProperties.Created!.Value.ToUniversalTime().Date);
    }

    [Fact]
    public void A_draft_says_so_in_the_header_of_every_page_and_every_page_has_its_number_of_the_count()
    {
        var report = ReportSamples.Sample("ru", draftMark: "x");
        using var document = Open(Docx(report));
        var main = document.MainDocumentPart!;
        var section = main.Document.Body!.Elements<SectionProperties>().Single();
        // One section, its default header on every page, the cover included (no different first page).
        Assert.Null(section.GetFirstChild<TitlePage>());
        var header = (HeaderPart)main.GetPartById(section.Elements<HeaderReference>().Single().Id!.Value!);
        Assert.Equal(report.DraftMark, header.Header!.InnerText);
        var footer = (FooterPart)main.GetPartById(section.Elements<FooterReference>().Single().Id!.Value!);
        Assert.Equal(new[] { "PAGE", "NUMPAGES" }, footer.Footer!.Descendants<SimpleField>().Select(f => f.Instruction!.Value!.Trim()));
        Assert.Equal("Страница 1 из 1", footer.Footer.InnerText);

        using var published = Open(Docx(ReportSamples.Sample("ru")));
        Assert.Empty(published.MainDocumentPart!.HeaderParts);
    }
}
