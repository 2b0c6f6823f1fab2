using System.IO.Compression;
using System.Text;
using System.Xml;

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.VariantTypes;
using DocumentFormat.OpenXml.Wordprocessing;

using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Caravan.Features.Reports;

/// <summary>
/// Lays a <see cref="ReportDocument"/> out as DOCX with the OpenXml SDK, for staff to edit: real heading styles
/// (Word's navigation pane and contents), a contents field Word fills in on opening, tables with a header row
/// repeated on each page, numbered captions (SEQ fields), the charts as PNG with alt text, "Page X of Y" in the
/// footer and the draft mark in the header. The same report gives the same bytes (fixed dates, fixed zip times).
/// </summary>
public static class ReportDocx
{
    // A4 with 2 cm margins, in twentieths of a point; the text width in EMU for the charts.
    private const int PageWidthTwips = 11906;
    private const int PageHeightTwips = 16838;
    private const int MarginTwips = 1134;
    private const long TextWidthEmu = (PageWidthTwips - 2 * MarginTwips) * 635L;

    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new MemoryStream();
        using (var package = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
            new DocxBuilder(report, package).Build();
        Repack(buffer, output, report.AsAt);
    }

    // System.IO.Packaging stamps each zip entry with the time of writing: copy the entries, in the same order, with
    // the report's own day instead, so the same report gives the same bytes.
    private static void Repack(MemoryStream buffer, Stream output, DateOnly day)
    {
        buffer.Position = 0;
        var stamp = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        using var source = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = stamp;
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    private sealed class DocxBuilder(ReportDocument report, WordprocessingDocument package)
    {
        private const string Accent = "1F4E79";
        private const string Muted = "5A5F66";
        private const string DraftRed = "B00020";
        private int tableNumber;
        private int figureNumber;
        private int bookmarkId;
        private uint drawingId;
        private int imageNumber;
        private readonly HashSet<string> bookmarks = new(StringComparer.Ordinal);

        private string Lang => report.Language;

        private string Culture => Lang switch { "zh" => "zh-CN", "ru" => "ru-RU", _ => "en-GB" };

        public void Build()
        {
            // Every relationship gets a fixed id: the SDK would draw a random one, and the same report must give the
            // same bytes.
            var main = package.AddNewPart<MainDocumentPart>(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "rIdDocument");
            var styles = main.AddNewPart<StyleDefinitionsPart>("rIdStyles");
            styles.Styles = Styles();
            var settings = main.AddNewPart<DocumentSettingsPart>("rIdSettings");
            settings.Settings = new Settings(
                new Zoom { Percent = "100" },
                new DefaultTabStop { Val = 709 },
                new CharacterSpacingControl { Val = CharacterSpacingValues.CompressPunctuation },
                // Word asks to update the fields (contents, captions' numbers, page count) when the file is opened.
                new UpdateFieldsOnOpen { Val = true },
                new ThemeFontLanguages { Val = Culture, EastAsia = "zh-CN" });

            var footer = main.AddNewPart<FooterPart>("rIdFooter");
            footer.Footer = Footer();
            HeaderPart? header = null;
            if (report.DraftMark is { } mark)
            {
                header = main.AddNewPart<HeaderPart>("rIdHeader");
                header.Header = new Header(new Paragraph(
                    new ParagraphProperties(new ParagraphStyleId { Val = "Header" }, new Justification { Val = JustificationValues.Center }),
                    new Run(new RunProperties(new Bold(), new Color { Val = DraftRed }), new Text(mark))));
            }

            // The body is streamed into its part block by block (a table row by row), so a 10,000-row annex is never
            // held as one tree.
            using var body = new BodyWriter(main);
            Cover(body);
            foreach (var block in ReportText.InReadingOrder(report.Blocks))
            {
                switch (block)
                {
                    case ReportHeading h: Heading(body, h); break;
                    case ReportParagraph p: body.Append(Para(p.Text, p.Style switch
                    {
                        ReportParagraphStyle.Lead => "Lead",
                        ReportParagraphStyle.Note => "Note",
                        _ => null,
                    })); break;
                    case ReportContents: Contents(body); break;
                    case ReportPageBreak: body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page }))); break;
                    case ReportFigures figures: Figures(body, figures); break;
                    case ReportTable table: Table(body, table); break;
                    case ReportChart chart: Chart(body, main, chart); break;
                }
            }

            var section = new SectionProperties();
            if (header is not null)
                section.Append(new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) });
            section.Append(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                new PageSize { Width = PageWidthTwips, Height = PageHeightTwips },
                new PageMargin
                {
                    Top = MarginTwips, Right = MarginTwips, Bottom = MarginTwips, Left = MarginTwips,
                    Header = 567, Footer = 567, Gutter = 0,
                });
            body.Append(section);
            body.Dispose();

            CoreProperties();
            CustomProperties();
        }

        // ---- properties ----

        private void CoreProperties()
        {
            // Written by hand: System.IO.Packaging's own core properties go to a part named by a new GUID each time.
            var part = package.AddNewPart<CoreFilePropertiesPart>("rIdCore");
            var day = report.AsAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z";
            using var stream = part.GetStream(FileMode.Create);
            using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
            const string cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
            const string dc = "http://purl.org/dc/elements/1.1/";
            const string dcterms = "http://purl.org/dc/terms/";
            const string xsi = "http://www.w3.org/2001/XMLSchema-instance";
            xml.WriteStartElement("cp", "coreProperties", cp);
            xml.WriteAttributeString("xmlns", "dc", null, dc);
            xml.WriteAttributeString("xmlns", "dcterms", null, dcterms);
            xml.WriteAttributeString("xmlns", "xsi", null, xsi);
            xml.WriteElementString("title", dc, report.Title);
            if (report.Subtitle is { } subtitle) xml.WriteElementString("subject", dc, subtitle);
            xml.WriteElementString("creator", dc, "Caravan");
            xml.WriteElementString("keywords", cp, $"sha256:{report.ContentHash()} snapshot:{report.SnapshotId}");
            xml.WriteElementString("language", dc, Culture);
            foreach (var name in new[] { "created", "modified" })
            {
                xml.WriteStartElement(name, dcterms);
                xml.WriteAttributeString("type", xsi, "dcterms:W3CDTF");
                xml.WriteString(day);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }

        private void CustomProperties()
        {
            var part = package.AddNewPart<CustomFilePropertiesPart>("rIdCustom");
            var properties = new Properties();
            var id = 2;
            foreach (var (name, value) in new[] { ("ContentHash", report.ContentHash()), ("SnapshotId", report.SnapshotId), ("Language", Lang) })
            {
                properties.Append(new CustomDocumentProperty(new VTLPWSTR(value))
                {
                    FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}",
                    PropertyId = id++,
                    Name = name,
                });
            }
            part.Properties = properties;
        }

        // ---- styles ----

        private Styles Styles()
        {
            var fonts = new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial", EastAsia = "Microsoft YaHei" };
            var styles = new Styles(
                new DocDefaults(
                    new RunPropertiesDefault(new RunPropertiesBaseStyle(
                        fonts,
                        new FontSize { Val = "20" }, new FontSizeComplexScript { Val = "20" },
                        new Languages { Val = Culture, EastAsia = "zh-CN", Bidi = "ar-SA" })),
                    new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                        new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }))));
            styles.Append(
                ParagraphStyle("Normal", "Normal", null, isDefault: true),
                ParagraphStyle("Title", "Title", null, size: 52, bold: true, color: Accent, spaceBefore: 2400, spaceAfter: 240),
                ParagraphStyle("Subtitle", "Subtitle", null, size: 30, color: Muted, spaceAfter: 480),
                ParagraphStyle("Heading1", "heading 1", 0, size: 36, bold: true, color: Accent, spaceBefore: 360, spaceAfter: 160),
                ParagraphStyle("Heading2", "heading 2", 1, size: 28, bold: true, spaceBefore: 280, spaceAfter: 100),
                ParagraphStyle("Heading3", "heading 3", 2, size: 23, bold: true, spaceBefore: 200, spaceAfter: 60),
                ParagraphStyle("Lead", "Lead", null, size: 24),
                ParagraphStyle("Note", "Note", null, size: 17, color: Muted),
                ParagraphStyle("Caption", "caption", null, size: 19, bold: true, spaceBefore: 200, spaceAfter: 60, keepNext: true),
                ParagraphStyle("TOCHeading", "TOC Heading", null, size: 36, bold: true, color: Accent, spaceAfter: 200),
                ParagraphStyle("TOC1", "toc 1", null, bold: true, spaceBefore: 120, spaceAfter: 40),
                ParagraphStyle("TOC2", "toc 2", null, indent: 340, spaceAfter: 40),
                ParagraphStyle("TOC3", "toc 3", null, indent: 680, spaceAfter: 40),
                ParagraphStyle("Header", "header", null, size: 18, spaceAfter: 0),
                ParagraphStyle("Footer", "footer", null, size: 15, color: Muted, spaceAfter: 0),
                ParagraphStyle("TableText", "Table Text", null, size: 17, spaceAfter: 0),
                ParagraphStyle("FigureValue", "Key Figure", null, size: 34, bold: true, color: Accent, spaceAfter: 40),
                new Style(
                    new StyleName { Val = "Report Table" },
                    new PrimaryStyle(),
                    new StyleTableProperties(
                        new TableBorders(
                            new TopBorder { Val = BorderValues.Single, Size = 8, Color = Accent },
                            new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "B7C0CC" },
                            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Color = "B7C0CC" }),
                        new TableCellMarginDefault(
                            new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                            new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                            new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                            new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa })))
                { Type = StyleValues.Table, StyleId = "ReportTable" });
            return styles;
        }

        private static Style ParagraphStyle(string id, string name, int? outline, bool isDefault = false, int? size = null,
            bool bold = false, string? color = null, int? spaceBefore = null, int? spaceAfter = null, int? indent = null,
            bool keepNext = false)
        {
            var style = new Style { Type = StyleValues.Paragraph, StyleId = id };
            if (isDefault) style.Default = true;
            style.Append(new StyleName { Val = name });
            if (!isDefault) style.Append(new BasedOn { Val = "Normal" });
            if (!isDefault) style.Append(new NextParagraphStyle { Val = "Normal" });
            style.Append(new PrimaryStyle());
            var paragraph = new StyleParagraphProperties();
            if (keepNext || outline is not null) paragraph.Append(new KeepNext());
            if (spaceBefore is not null || spaceAfter is not null)
            {
                var spacing = new SpacingBetweenLines();
                if (spaceBefore is { } before) spacing.Before = before.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (spaceAfter is { } after) spacing.After = after.ToString(System.Globalization.CultureInfo.InvariantCulture);
                paragraph.Append(spacing);
            }
            if (indent is not null) paragraph.Append(new Indentation { Left = indent.ToString() });
            if (outline is { } level) paragraph.Append(new OutlineLevel { Val = level });
            if (paragraph.HasChildren) style.Append(paragraph);
            var run = new StyleRunProperties();
            if (bold) run.Append(new Bold(), new BoldComplexScript());
            if (color is not null) run.Append(new Color { Val = color });
            if (size is not null) run.Append(new FontSize { Val = size.ToString() }, new FontSizeComplexScript { Val = size.ToString() });
            if (run.HasChildren) style.Append(run);
            return style;
        }

        // ---- blocks ----

        private static Paragraph Para(string text, string? style, JustificationValues? justification = null)
        {
            var properties = new ParagraphProperties();
            if (style is not null) properties.Append(new ParagraphStyleId { Val = style });
            if (justification is { } j) properties.Append(new Justification { Val = j });
            var paragraph = new Paragraph();
            if (properties.HasChildren) paragraph.Append(properties);
            paragraph.Append(TextRuns(text));
            return paragraph;
        }

        private static IEnumerable<Run> TextRuns(string text, RunProperties? properties = null)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var run = new Run();
            if (properties is not null) run.Append((RunProperties)properties.CloneNode(true));
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0) run.Append(new Break());
                run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
            }
            yield return run;
        }

        private void Cover(BodyWriter body)
        {
            body.Append(Para(report.Title, "Title"));
            if (report.Subtitle is { } subtitle) body.Append(Para(subtitle, "Subtitle"));
            // The report's own cover text (before its contents) says which day its figures stand at; else the day.
            var ownCover = report.Blocks.Any(b => b is ReportContents);
            if (!ownCover) body.Append(Para(ReportText.LongDate(report.AsAt, Lang), "Lead"));
            if (report.DraftMark is { } mark)
            {
                body.Append(new Paragraph(
                    new ParagraphProperties(new SpacingBetweenLines { Before = "480" }),
                    new Run(new RunProperties(new Bold(), new Color { Val = DraftRed }, new FontSize { Val = "32" }), new Text(mark))));
            }
            if (!ownCover) body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
        }

        private void Heading(BodyWriter body, ReportHeading heading)
        {
            var level = Math.Clamp(heading.Level, 1, 3);
            var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = $"Heading{level}" }));
            var name = BookmarkName(heading.Anchor);
            var id = (bookmarkId++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            paragraph.Append(new BookmarkStart { Id = id, Name = name });
            paragraph.Append(TextRuns(heading.Text));
            paragraph.Append(new BookmarkEnd { Id = id });
            body.Append(paragraph);
        }

        // A bookmark's name: a letter first, letters, digits and underscores, at most 40 characters, unique.
        private string BookmarkName(string anchor)
        {
            var clean = new string(anchor.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
            var name = ("h_" + clean)[..Math.Min(40, clean.Length + 2)];
            for (var n = 2; !bookmarks.Add(name); n++)
                name = $"{name[..Math.Min(name.Length, 34)]}_{n}";
            return name;
        }

        private void Contents(BodyWriter body)
        {
            // The contents open a page of their own, after the cover.
            body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
            body.Append(Para(report.Labels.Contents, "TOCHeading"));
            // A contents field: Word fills it in on opening (updateFields); until then it says how to.
            body.Append(new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "TOC1" }),
                new Run(new FieldChar { FieldCharType = FieldCharValues.Begin, Dirty = true }),
                new Run(new FieldCode(" TOC \\o \"1-3\" \\h \\z \\u ") { Space = SpaceProcessingModeValues.Preserve }),
                new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
                new Run(new RunProperties(new Color { Val = Muted }), new Text(report.Labels.UpdateContents)),
                new Run(new FieldChar { FieldCharType = FieldCharValues.End })));
        }

        private Paragraph CaptionParagraph(string prefix, string sequence, int number, string caption)
        {
            // "Table {SEQ Table}. Caption": Word numbers the captions itself when staff add or move a table.
            return new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "Caption" }),
                new Run(new Text(Lang == "zh" ? prefix : prefix + " ") { Space = SpaceProcessingModeValues.Preserve }),
                new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
                new Run(new FieldCode($" SEQ {sequence} \\* ARABIC ") { Space = SpaceProcessingModeValues.Preserve }),
                new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
                new Run(new Text(number.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                new Run(new FieldChar { FieldCharType = FieldCharValues.End }),
                new Run(new Text(ReportText.CaptionSeparator(Lang) + caption) { Space = SpaceProcessingModeValues.Preserve }));
        }

        private Paragraph SourcesParagraph(IReadOnlyList<string> sources) =>
            Para(ReportText.SourcesLine(report.Labels.Sources, sources, Lang), "Note");

        private void Figures(BodyWriter body, ReportFigures figures)
        {
            const int perRow = 3;
            var columnWidth = (PageWidthTwips - 2 * MarginTwips) / perRow;
            var table = new Table(
                new TableProperties(
                    new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                    new TableLayout { Type = TableLayoutValues.Fixed },
                    new TableCellMarginDefault(
                        new TopMargin { Width = "80", Type = TableWidthUnitValues.Dxa },
                        new TableCellLeftMargin { Width = 140, Type = TableWidthValues.Dxa },
                        new BottomMargin { Width = "80", Type = TableWidthUnitValues.Dxa },
                        new TableCellRightMargin { Width = 140, Type = TableWidthValues.Dxa })),
                new TableGrid(Enumerable.Range(0, perRow).Select(_ => new GridColumn { Width = columnWidth.ToString() })));
            for (var start = 0; start < figures.Items.Count; start += perRow)
            {
                var row = new TableRow(new TableRowProperties(new CantSplit()));
                for (var i = start; i < start + perRow; i++)
                {
                    var cell = new TableCell(new TableCellProperties(
                        new TableCellWidth { Width = columnWidth.ToString(), Type = TableWidthUnitValues.Dxa },
                        new TableCellBorders(new LeftBorder { Val = BorderValues.Single, Size = 24, Color = Accent }),
                        new Shading { Val = ShadingPatternValues.Clear, Fill = "F2F5F9", Color = "auto" }));
                    if (i < figures.Items.Count)
                    {
                        var item = figures.Items[i];
                        cell.Append(Para(item.Value, "FigureValue"), Para(item.Label, "TableText"));
                        if (item.Sources.Count > 0) cell.Append(SourcesParagraph(item.Sources));
                    }
                    else
                    {
                        cell.TableCellProperties!.Shading = null;
                        cell.TableCellProperties.TableCellBorders = null;
                        cell.Append(new Paragraph());
                    }
                    row.Append(cell);
                }
                table.Append(row);
            }
            body.Append(table, new Paragraph());
        }

        private void Table(BodyWriter body, ReportTable source)
        {
            tableNumber++;
            body.Append(CaptionParagraph(report.Labels.Table, "Table", tableNumber, source.Caption));
            var widths = ColumnWidths(source);
            var table = body.Start(new Table());
            body.Append(
                new TableProperties(
                    new TableStyle { Val = "ReportTable" },
                    new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                    new TableLook { Val = "04A0", FirstRow = true, LastRow = false, FirstColumn = false, LastColumn = false, NoHorizontalBand = false, NoVerticalBand = true }),
                new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString() })));
            // The header row is repeated on every page the table runs over.
            var header = new TableRow(new TableRowProperties(new CantSplit(), new TableHeader()));
            for (var c = 0; c < source.Columns.Count; c++)
            {
                var column = source.Columns[c];
                header.Append(Cell(column.Title, widths[c], ReportText.IsNumeric(column.Kind), bold: true, fill: "E6ECF3"));
            }
            body.Append(header);
            if (source.Rows.Count == 0)
            {
                var empty = Cell(report.Labels.NoRows, widths.Sum(), numeric: false);
                empty.TableCellProperties!.Append(new GridSpan { Val = source.Columns.Count });
                body.Append(new TableRow(empty));
            }
            foreach (var row in source.Rows)
            {
                var tableRow = new TableRow(new TableRowProperties(new CantSplit()));
                for (var c = 0; c < source.Columns.Count; c++)
                    tableRow.Append(Cell(c < row.Count ? row[c].Text : "", widths[c], ReportText.IsNumeric(source.Columns[c].Kind)));
                body.Append(tableRow);
            }
            body.End(table);
            if (source.Sources.Count > 0) body.Append(SourcesParagraph(source.Sources));
            else body.Append(new Paragraph());
        }

        private static TableCell Cell(string text, int width, bool numeric, bool bold = false, string? fill = null)
        {
            var properties = new TableCellProperties(new TableCellWidth { Width = width.ToString(), Type = TableWidthUnitValues.Dxa });
            if (fill is not null) properties.Append(new Shading { Val = ShadingPatternValues.Clear, Fill = fill, Color = "auto" });
            var paragraph = new Paragraph(new ParagraphProperties(
                new ParagraphStyleId { Val = "TableText" },
                new Justification { Val = numeric ? JustificationValues.Right : JustificationValues.Left }));
            paragraph.Append(TextRuns(text, bold ? new RunProperties(new Bold()) : null));
            return new TableCell(properties, paragraph);
        }

        // Widths in twips from the columns' longest texts (Chinese characters count double), at least a word each.
        private static int[] ColumnWidths(ReportTable table)
        {
            var total = PageWidthTwips - 2 * MarginTwips;
            var weights = new double[table.Columns.Count];
            for (var c = 0; c < weights.Length; c++)
            {
                var longest = Length(table.Columns[c].Title) * 0.6;
                foreach (var row in table.Rows.Take(500))
                    if (c < row.Count) longest = Math.Max(longest, Length(row[c].Text));
                weights[c] = Math.Clamp(longest, 4, 60);
            }
            var sum = weights.Sum();
            var widths = weights.Select(w => (int)(total * w / sum)).ToArray();
            return widths;
        }

        private static double Length(string text) => text.EnumerateRunes().Sum(r => ReportText.IsCjk(r.Value) ? 2.0 : 1.0);

        private void Chart(BodyWriter body, MainDocumentPart main, ReportChart chart)
        {
            figureNumber++;
            body.Append(CaptionParagraph(report.Labels.Figure, "Figure", figureNumber, chart.Caption));
            var png = ReportCharts.Png(chart, Lang);
            var (pixelWidth, pixelHeight) = ReportCharts.PngSize(chart, Lang);
            var imageId = $"rIdImage{++imageNumber}";
            var image = main.AddImagePart(ImagePartType.Png, imageId);
            using (var stream = new MemoryStream(png)) image.FeedData(stream);
            var cx = TextWidthEmu;
            var cy = TextWidthEmu * pixelHeight / pixelWidth;
            var id = ++drawingId;
            var alt = AltText(chart);
            var drawing = new Drawing(new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
                new DW.DocProperties { Id = id, Name = $"Figure {figureNumber}", Description = alt },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(
                    new PIC.Picture(
                        new PIC.NonVisualPictureProperties(
                            new PIC.NonVisualDrawingProperties { Id = id, Name = $"chart-{chart.Id}.png", Description = alt },
                            new PIC.NonVisualPictureDrawingProperties()),
                        new PIC.BlipFill(new A.Blip { Embed = imageId }, new A.Stretch(new A.FillRectangle())),
                        new PIC.ShapeProperties(
                            new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
                { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            {
                DistanceFromTop = 0, DistanceFromBottom = 0, DistanceFromLeft = 0, DistanceFromRight = 0,
            });
            body.Append(new Paragraph(
                new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { After = "60" }),
                new Run(drawing)));
        }

        // What a screen reader says for the chart: its caption, what it compares, and where its numbers are.
        private string AltText(ReportChart chart)
        {
            var separator = Lang == "zh" ? "；" : "; ";
            var colon = Lang == "zh" ? "：" : ": ";
            var series = string.Join(separator, chart.Series.Select(s => s.Name));
            var categories = string.Join(separator, chart.Categories);
            var text = chart.Caption + (Lang == "zh" ? "。" : ". ") + series + colon + categories;
            if (chart.ValueAxis is { } axis) text += (Lang == "zh" ? "（" : " (") + axis + (Lang == "zh" ? "）" : ")");
            return text;
        }

        private Footer Footer()
        {
            // "Page {0} of {1}" in the report's language, {0} and {1} as the PAGE and NUMPAGES fields.
            var paragraph = new Paragraph(new ParagraphProperties(
                new ParagraphStyleId { Val = "Footer" },
                new Justification { Val = JustificationValues.Right }));
            var format = report.Labels.PageOf;
            var at = 0;
            while (at < format.Length)
            {
                var open = format.IndexOf('{', at);
                if (open < 0 || open + 2 >= format.Length || format[open + 2] != '}' || format[open + 1] is not ('0' or '1'))
                {
                    var end = open < 0 ? format.Length : open + 1;
                    paragraph.Append(new Run(new Text(format[at..end]) { Space = SpaceProcessingModeValues.Preserve }));
                    at = end;
                    continue;
                }
                if (open > at) paragraph.Append(new Run(new Text(format[at..open]) { Space = SpaceProcessingModeValues.Preserve }));
                var field = format[open + 1] == '0' ? " PAGE " : " NUMPAGES ";
                paragraph.Append(new SimpleField(new Run(new Text("1"))) { Instruction = field });
                at = open + 3;
            }
            return new Footer(paragraph);
        }
    }

    /// <summary>The document part written as a stream: the root and body opened once, elements appended in order.</summary>
    private sealed class BodyWriter : IDisposable
    {
        private readonly OpenXmlWriter writer;
        private bool closed;

        public BodyWriter(MainDocumentPart main)
        {
            writer = OpenXmlWriter.Create(main);
            writer.WriteStartDocument();
            writer.WriteStartElement(new Document(), [], [
                new("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
                new("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
                new("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
                new("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
                new("pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
            ]);
            writer.WriteStartElement(new Body());
        }

        public void Append(params OpenXmlElement[] elements)
        {
            foreach (var element in elements) writer.WriteElement(element);
        }

        public T Start<T>(T element) where T : OpenXmlElement
        {
            writer.WriteStartElement(element);
            return element;
        }

        public void End(OpenXmlElement element) => writer.WriteEndElement();

        public void Dispose()
        {
            if (closed) return;
            closed = true;
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.Close();
        }
    }
}
