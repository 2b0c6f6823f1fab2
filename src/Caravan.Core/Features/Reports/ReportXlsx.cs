using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.VariantTypes;

namespace Caravan.Features.Reports;

/// <summary>
/// Lays a <see cref="ReportDocument"/> out as XLSX (OpenXml SDK): a first sheet of the key figures with their
/// sources, then one sheet per annex table — real numbers and dates with number formats, a frozen header row, a
/// filter, widths from the content. The content hash is a custom property; every timestamp is the report's day and
/// the parts have fixed ids, so the same report gives the same bytes.
/// </summary>
public static class ReportXlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    // Cell formats of the stylesheet below, by index.
    private const uint Header = 1, IntegerFormat = 2, DecimalFormat = 3, PercentFormat = 4, DateFormat = 5,
        MoneyFormat = 6, Wrapped = 7;

    /// <summary>The fixed time stamp of every part and zip entry: the day the report stands at.</summary>
    private static DateTime Stamp(ReportDocument report) =>
        report.AsAt.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public static void Write(ReportDocument report, Stream output)
    {
        using var package = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            // Fixed relationship ids throughout: the SDK's own are random.
            var workbookPart = document.AddNewPart<WorkbookPart>(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rIdWorkbook");
            workbookPart.Workbook = new Workbook();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>("rIdStyles");
            styles.Stylesheet = Stylesheet();
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            uint sheetId = 0;

            void AddSheet(string name, IReadOnlyList<ReportColumn> columns, IEnumerable<IReadOnlyList<ReportCell>> rows,
                IReadOnlyList<ReportCellKind>? rowKinds = null)
            {
                sheetId++;
                var unique = UniqueName(name, names);
                var part = workbookPart.AddNewPart<WorksheetPart>($"rIdSheet{sheetId}");
                part.Worksheet = Sheet(columns, [.. rows], rowKinds);
                // A state's draft says so on every printed page.
                if (report.DraftMark is { } mark)
                    part.Worksheet.AppendChild(new HeaderFooter(new OddHeader("&C" + mark.Replace("&", "&&", StringComparison.Ordinal))));
                sheets.AppendChild(new Sheet { Id = $"rIdSheet{sheetId}", SheetId = sheetId, Name = unique });
            }

            // The key figures first: label, value, the sources that give it.
            string? heading = null;
            foreach (var block in report.Blocks)
            {
                if (block is ReportHeading { Level: 1 } h) heading = h.Text;
                if (block is not ReportFigures figures) continue;
                var title = heading ?? report.Title;
                AddSheet(title,
                    [new("figure", title, ReportCellKind.Text), new("value", "", ReportCellKind.Decimal),
                        new("sources", report.Labels.Sources, ReportCellKind.Text)],
                    figures.Items.Select(f => (IReadOnlyList<ReportCell>)[new ReportCell(f.Label),
                        new ReportCell(f.Value, f.Number), new ReportCell(string.Join("\n", f.Sources))]),
                    // A figure's kind is not in the content: a percentage is written with its sign, a count whole.
                    figures.Items.Select(f => f.Value.Contains('%') ? ReportCellKind.Percent
                        : f.Number is { } n && n == decimal.Truncate(n) ? ReportCellKind.Integer : ReportCellKind.Decimal)
                        .ToList());
                break;
            }
            foreach (var table in report.Blocks.OfType<ReportTable>().Where(t => t.Annex))
                AddSheet(table.SheetName ?? table.Caption, table.Columns, table.Rows);
            if (sheetId == 0) AddSheet(report.Title, [new("title", report.Title, ReportCellKind.Text)], []);

            // The core properties as a part of fixed name and id (System.IO.Packaging's own get a random name).
            var core = document.AddNewPart<CoreFilePropertiesPart>(
                "application/vnd.openxmlformats-package.core-properties+xml", "rIdCore");
            using (var stream = core.GetStream(FileMode.Create))
                CoreProperties(report).Save(stream);
            var custom = document.AddNewPart<CustomFilePropertiesPart>("rIdCustom");
            custom.Properties = new Properties();
            uint pid = 2; // 0 and 1 are reserved by the format
            foreach (var (name, value) in new[]
                     {
                         ("ContentHash", report.ContentHash()), ("SnapshotId", report.SnapshotId),
                         ("Language", report.Language), ("Draft", report.DraftMark ?? ""),
                     })
                custom.Properties.AppendChild(new CustomDocumentProperty(new VTLPWSTR(value))
                {
                    FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = (int)pid++, Name = name,
                });
            workbookPart.Workbook.Save();
        }
        Repack(package, output, Stamp(report));
    }

    /// <summary>
    /// Copies the package's entries in order into a new zip whose entries all carry <paramref name="stamp"/>:
    /// System.IO.Packaging stamps them with the time of writing.
    /// </summary>
    private static void Repack(MemoryStream package, Stream output, DateTime stamp)
    {
        package.Position = 0;
        using var source = new ZipArchive(package, ZipArchiveMode.Read);
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries.OrderBy(e => e.FullName == "[Content_Types].xml" ? 0 : 1)
                     .ThenBy(e => e.FullName, StringComparer.Ordinal))
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = new DateTimeOffset(stamp.Year < 1980 ? new DateTime(1980, 1, 1) : stamp, TimeSpan.Zero);
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    private static System.Xml.Linq.XDocument CoreProperties(ReportDocument report)
    {
        System.Xml.Linq.XNamespace cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            dc = "http://purl.org/dc/elements/1.1/", dcterms = "http://purl.org/dc/terms/",
            xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var stamp = Stamp(report).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new System.Xml.Linq.XDocument(new System.Xml.Linq.XElement(cp + "coreProperties",
            new System.Xml.Linq.XAttribute(System.Xml.Linq.XNamespace.Xmlns + "cp", cp),
            new System.Xml.Linq.XAttribute(System.Xml.Linq.XNamespace.Xmlns + "dc", dc),
            new System.Xml.Linq.XAttribute(System.Xml.Linq.XNamespace.Xmlns + "dcterms", dcterms),
            new System.Xml.Linq.XAttribute(System.Xml.Linq.XNamespace.Xmlns + "xsi", xsi),
            new System.Xml.Linq.XElement(dc + "title", report.Title),
            new System.Xml.Linq.XElement(dc + "creator", "Caravan"),
            new System.Xml.Linq.XElement(dc + "language", report.Language),
            new System.Xml.Linq.XElement(dc + "identifier", report.SnapshotId),
            new System.Xml.Linq.XElement(dcterms + "created", new System.Xml.Linq.XAttribute(xsi + "type", "dcterms:W3CDTF"), stamp),
            new System.Xml.Linq.XElement(dcterms + "modified", new System.Xml.Linq.XAttribute(xsi + "type", "dcterms:W3CDTF"), stamp)));
    }

    private static string UniqueName(string name, HashSet<string> taken)
    {
        var clean = new string([.. name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]).Trim();
        if (clean.Length == 0) clean = "Sheet";
        if (clean.Length > 31) clean = clean[..31];
        var candidate = clean;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            var suffix = $" ({i})";
            candidate = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return candidate;
    }

    private static Worksheet Sheet(IReadOnlyList<ReportColumn> columns, IReadOnlyList<IReadOnlyList<ReportCell>> rows,
        IReadOnlyList<ReportCellKind>? rowKinds)
    {
        var last = ColumnName(columns.Count - 1);
        var worksheet = new Worksheet();
        // The header row stays in view while scrolling.
        worksheet.AppendChild(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue>([new("A2")]) })
        { WorkbookViewId = 0 }));
        var cols = new Columns();
        for (var i = 0; i < columns.Count; i++)
        {
            var longest = rows.Select(r => i < r.Count ? LongestLine(r[i].Text) : 0).Append(LongestLine(columns[i].Title))
                .Max();
            var width = Math.Clamp(longest + 2, 8, 80);
            cols.AppendChild(new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = width, CustomWidth = true });
        }
        worksheet.AppendChild(cols);
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var i = 0; i < columns.Count; i++) header.AppendChild(TextCell(Ref(i, 1), columns[i].Title, Header));
        data.AppendChild(header);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)r + 2 };
            for (var i = 0; i < columns.Count && i < rows[r].Count; i++)
                if (Cell(Ref(i, r + 2), rowKinds is not null && i == 1 ? rowKinds[r] : columns[i].Kind, rows[r][i])
                    is { } cell) row.AppendChild(cell);
            data.AppendChild(row);
        }
        worksheet.AppendChild(data);
        worksheet.AppendChild(new AutoFilter { Reference = $"A1:{last}{rows.Count + 1}" });
        return worksheet;
    }

    /// <summary>A cell as its kind wants it: a number or a date with its format, else the text; null when empty.</summary>
    private static Cell? Cell(string reference, ReportCellKind kind, ReportCell value)
    {
        if (value.Date is { } date)
            return NumberCell(reference, (decimal)date.ToDateTime(TimeOnly.MinValue).ToOADate(), DateFormat);
        if (value.Number is { } number)
            return NumberCell(reference, number, kind switch
            {
                ReportCellKind.Integer => IntegerFormat,
                ReportCellKind.Percent => PercentFormat,
                ReportCellKind.Money => MoneyFormat,
                _ => DecimalFormat,
            });
        if (value.Text.Length == 0) return null;
        return TextCell(reference, value.Text, value.Text.Contains('\n') ? Wrapped : 0);
    }

    private static Cell NumberCell(string reference, decimal number, uint style) => new()
    {
        CellReference = reference, StyleIndex = style, DataType = CellValues.Number,
        CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture)),
    };

    private static Cell TextCell(string reference, string text, uint style)
    {
        var cell = new Cell { CellReference = reference, DataType = CellValues.InlineString,
            InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }) };
        if (style != 0) cell.StyleIndex = style;
        return cell;
    }

    private static int LongestLine(string text) => text.Split('\n').Max(l => l.Sum(c => c > 0x2E80 ? 2 : 1));

    private static string Ref(int column, int row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    private static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00##" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy-mm-dd" })
        { Count = 2 },
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(),
            new DiagonalBorder())) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top })
                { FontId = 1, ApplyFont = true, ApplyAlignment = true },
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top })
                { ApplyAlignment = true })
        { Count = 8 });
}
