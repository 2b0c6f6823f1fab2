using System.Globalization;
using System.Text;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Uploads;
using Caravan.Shared;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Caravan.Features.Rounds;

/// <summary>A state's template for a round, ready to be written: every row's words in the template's language.</summary>
public sealed record SheetTemplate(string RoundId, string StateId, string Language, string SheetName,
    DateTimeOffset MadeAt, IReadOnlyList<SheetTemplateRow> Rows);

/// <summary>One task's row: what it is, where it stands, what Caravan holds now and from which sources.</summary>
public sealed record SheetTemplateRow(string TaskKey, string TaskKind, ProgrammeKind? Programme, string Kind,
    string About, string Status, string Current, string CurrentSources, string? Unit, int? Version,
    int? AllocationYear = null);

/// <summary>What a file held: its rows by column key, and what an XLSX template says of itself.</summary>
public sealed record SheetContent(IReadOnlyList<SheetCells> Rows, SheetMeta? Meta, bool IsXlsx);

/// <summary>
/// What Caravan wrote into a template's hidden sheet: the round, the state, the language, and each record's version
/// when the template was made (a row about a record changed since is told so).
/// </summary>
public sealed record SheetMeta(string? Format, string? RoundId, string? StateId, string? Language,
    IReadOnlyDictionary<string, int> Versions);

/// <summary>
/// A round's spreadsheet as a file: the XLSX template written with the OpenXml SDK (the task columns locked, the rest
/// open, drop-downs for codes, a very hidden sheet that names the round and state), the same rows as CSV, and either
/// read back — an XLSX first checked within the upload limits with formulas refused, a CSV as UTF-8.
/// </summary>
public static class RoundSheetFile
{
    public const string MetaSheet = "caravan";
    public const string Format = "caravan-round-sheet/1";

    // Styles: 0 default, 1 header, 2 locked body, 3 open for input.
    private const uint Header = 1, Locked = 2, Open = 3;

    private static readonly string[] ListColumns = ["G", "H", "I", "J", "K", "L"];
    private static readonly string[] ListOrder =
    [
        SheetVocabulary.Scores, SheetVocabulary.Outcomes, SheetVocabulary.MoneyStages, SheetVocabulary.PlaceStages,
        SheetVocabulary.Confidences, SheetVocabulary.Languages,
    ];

    private static readonly Dictionary<string, double> Widths = new(StringComparer.Ordinal)
    {
        [SheetColumns.Task] = 34, [SheetColumns.Kind] = 16, [SheetColumns.About] = 50, [SheetColumns.Status] = 14,
        [SheetColumns.Current] = 36, [SheetColumns.CurrentSources] = 36, [SheetColumns.Value] = 18,
        [SheetColumns.Unit] = 16, [SheetColumns.EntryKind] = 16, [SheetColumns.Date] = 14, [SheetColumns.Note] = 40,
        [SheetColumns.Source] = 30, [SheetColumns.SourceTitle] = 30, [SheetColumns.SourceDate] = 14,
        [SheetColumns.SourceLanguage] = 14, [SheetColumns.Confidence] = 14, [SheetColumns.AllocationYear] = 14,
    };

    /// <summary>The cells a row of <paramref name="kind"/> leaves open for input; the others are locked.</summary>
    public static bool IsOpen(string kind, string column, bool hasUnit) => column switch
    {
        SheetColumns.Value or SheetColumns.Note or SheetColumns.Source or SheetColumns.SourceTitle
            or SheetColumns.SourceDate or SheetColumns.SourceLanguage or SheetColumns.Confidence => true,
        SheetColumns.Unit => hasUnit,
        SheetColumns.EntryKind or SheetColumns.AllocationYear => kind == ProgrammeEntryTasks.Name,
        SheetColumns.Date => kind != IndicatorValueTasks.Name,
        _ => false,
    };

    public static void WriteXlsx(Stream output, SheetTemplate template, SheetVocabulary words)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
        var strings = new SharedStrings();

        var tasks = workbook.AddNewPart<WorksheetPart>();
        var meta = workbook.AddNewPart<WorksheetPart>();
        tasks.Worksheet = TaskSheet(template, words, strings);
        meta.Worksheet = MetaSheetOf(template, words, strings);
        workbook.AddNewPart<SharedStringTablePart>().SharedStringTable = strings.Table;
        workbook.Workbook.AppendChild(new Sheets(
            new Sheet { Name = template.SheetName, SheetId = 1, Id = workbook.GetIdOfPart(tasks) },
            new Sheet
            {
                Name = MetaSheet, SheetId = 2, Id = workbook.GetIdOfPart(meta), State = SheetStateValues.VeryHidden,
            }));
        workbook.Workbook.Save();
    }

    private static Worksheet TaskSheet(SheetTemplate template, SheetVocabulary words, SharedStrings strings)
    {
        var columns = SheetColumns.All;
        var data = new SheetData();
        data.AppendChild(new Row([.. columns.Select((c, i) => strings.Cell(Ref(i, 1), words.ColumnLabel(c), Header))])
            { RowIndex = 1 });
        var rowIndex = 1u;
        var listRows = new Dictionary<string, List<uint>>(StringComparer.Ordinal);
        void Add(string list, uint r)
        {
            if (!listRows.TryGetValue(list, out var rows)) listRows[list] = rows = [];
            rows.Add(r);
        }
        var numberRows = new List<uint>();
        foreach (var t in template.Rows)
        {
            rowIndex++;
            var values = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [SheetColumns.Task] = t.TaskKey, [SheetColumns.Kind] = t.Kind, [SheetColumns.About] = t.About,
                [SheetColumns.Status] = t.Status, [SheetColumns.Current] = t.Current,
                [SheetColumns.CurrentSources] = t.CurrentSources, [SheetColumns.Unit] = t.Unit,
                [SheetColumns.AllocationYear] = t.AllocationYear?.ToString(CultureInfo.InvariantCulture),
            };
            var row = new Row { RowIndex = rowIndex };
            for (var i = 0; i < columns.Count; i++)
            {
                var style = IsOpen(t.TaskKind, columns[i], t.Unit is not null) ? Open : Locked;
                row.AppendChild(strings.Cell(Ref(i, rowIndex), values.GetValueOrDefault(columns[i]), style));
            }
            data.AppendChild(row);
            switch (t.TaskKind)
            {
                case AssessmentTasks.Name: Add(SheetVocabulary.Scores, rowIndex); break;
                case MilestoneTasks.Name: Add(SheetVocabulary.Outcomes, rowIndex); break;
                default: numberRows.Add(rowIndex); break;
            }
            if (t.TaskKind == ProgrammeEntryTasks.Name)
                Add(t.Programme == ProgrammeKind.Places ? SheetVocabulary.PlaceStages : SheetVocabulary.MoneyStages,
                    rowIndex);
        }

        var sheet = new Worksheet();
        sheet.AppendChild(new SheetViews(new SheetView(
            new Pane
            {
                VerticalSplit = 1, HorizontalSplit = 1, TopLeftCell = "B2", ActivePane = PaneValues.BottomRight,
                State = PaneStateValues.Frozen,
            }) { WorkbookViewId = 0 }));
        sheet.AppendChild(new Columns([.. columns.Select((c, i) => new Column
        {
            Min = (uint)i + 1, Max = (uint)i + 1, Width = Widths[c], CustomWidth = true,
        })]));
        sheet.AppendChild(data);
        // Locked cells stay as Caravan wrote them; the sheet may still be resized and its rows filtered.
        sheet.AppendChild(new SheetProtection
        {
            Sheet = true, Objects = true, Scenarios = true, FormatColumns = false, FormatRows = false,
            AutoFilter = false, Sort = false,
        });
        if (template.Rows.Count > 0)
        {
            var validations = new DataValidations();
            var last = rowIndex;
            var value = Letter(SheetColumns.Value);
            var entry = Letter(SheetColumns.EntryKind);
            foreach (var (list, rows) in listRows)
            {
                var column = list is SheetVocabulary.MoneyStages or SheetVocabulary.PlaceStages ? entry : value;
                validations.AppendChild(List(Ranges(column, rows), list, words));
            }
            if (numberRows.Count > 0)
                validations.AppendChild(new DataValidation(
                    new Formula1("-99999999999999"), new Formula2("99999999999999"))
                {
                    Type = DataValidationValues.Decimal, Operator = DataValidationOperatorValues.Between,
                    AllowBlank = true, ShowErrorMessage = true,
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = Ranges(value, numberRows) },
                });
            validations.AppendChild(List($"{Letter(SheetColumns.Confidence)}2:{Letter(SheetColumns.Confidence)}{last}",
                SheetVocabulary.Confidences, words));
            validations.AppendChild(List(
                $"{Letter(SheetColumns.SourceLanguage)}2:{Letter(SheetColumns.SourceLanguage)}{last}",
                SheetVocabulary.Languages, words));
            validations.Count = (uint)validations.ChildElements.Count;
            sheet.AppendChild(validations);
        }
        return sheet;
    }

    private static DataValidation List(string ranges, string list, SheetVocabulary words)
    {
        var column = ListColumns[Array.IndexOf(ListOrder, list)];
        var count = words.Offer(list).Count;
        return new DataValidation(new Formula1($"{MetaSheet}!${column}$1:${column}${count}"))
        {
            Type = DataValidationValues.List, AllowBlank = true, ShowErrorMessage = true, ShowDropDown = false,
            SequenceOfReferences = new ListValue<StringValue> { InnerText = ranges },
        };
    }

    /// <summary>Rows as a validation's ranges: consecutive rows joined ("G2:G40 G45").</summary>
    private static string Ranges(string column, List<uint> rows)
    {
        var parts = new List<string>();
        for (var i = 0; i < rows.Count;)
        {
            var j = i;
            while (j + 1 < rows.Count && rows[j + 1] == rows[j] + 1) j++;
            parts.Add(i == j ? $"{column}{rows[i]}" : $"{column}{rows[i]}:{column}{rows[j]}");
            i = j + 1;
        }
        return string.Join(' ', parts);
    }

    private static Worksheet MetaSheetOf(SheetTemplate template, SheetVocabulary words, SharedStrings strings)
    {
        var rows = new SortedDictionary<uint, Row>();
        Row RowOf(uint r) => rows.TryGetValue(r, out var row) ? row : rows[r] = new Row { RowIndex = r };
        void Put(string column, uint r, string value) =>
            RowOf(r).AppendChild(strings.Cell($"{column}{r}", value, 0));
        string[][] head =
        [
            ["format", Format], ["round", template.RoundId], ["state", template.StateId],
            ["language", template.Language],
            ["made", template.MadeAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)],
        ];
        // Cells go into a row in column order: A, B, then D, E (versions), then G… (the lists).
        var versions = template.Rows.Where(r => r.Version is not null).ToList();
        var height = (uint)Math.Max(head.Length, Math.Max(versions.Count, ListOrder.Max(l => words.Offer(l).Count)));
        for (var r = 1u; r <= height; r++)
        {
            if (r <= head.Length) { Put("A", r, head[r - 1][0]); Put("B", r, head[r - 1][1]); }
            if (r <= versions.Count)
            {
                Put("D", r, versions[(int)r - 1].TaskKey);
                RowOf(r).AppendChild(new Cell
                {
                    CellReference = $"E{r}", CellValue = new CellValue(versions[(int)r - 1].Version!.Value),
                    DataType = CellValues.Number,
                });
            }
            for (var l = 0; l < ListOrder.Length; l++)
                if (r <= words.Offer(ListOrder[l]).Count)
                    Put(ListColumns[l], r, words.Offer(ListOrder[l])[(int)r - 1].Label);
        }
        var sheet = new Worksheet();
        sheet.AppendChild(new SheetData(rows.Values));
        return sheet;
    }

    private static Stylesheet Styles() => new(
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE7E6E6" }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top })
                { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true, ApplyAlignment = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top })
                { FillId = 2, ApplyFill = true, ApplyAlignment = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top },
                new Protection { Locked = false }) { ApplyAlignment = true, ApplyProtection = true })
            { Count = 4 });

    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
        public SharedStringTable Table { get; } = new();

        public Cell Cell(string reference, string? text, uint style)
        {
            var cell = new Cell { CellReference = reference, StyleIndex = style };
            if (string.IsNullOrEmpty(text)) return cell;
            // A cell holds at most 32,767 characters (Excel's limit, and the upload's).
            if (text.Length > 32_000) text = text[..32_000] + "…";
            if (!index.TryGetValue(text, out var i))
            {
                index[text] = i = index.Count;
                Table.AppendChild(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
            }
            cell.DataType = CellValues.SharedString;
            cell.CellValue = new CellValue(i);
            return cell;
        }
    }

    private static string Letter(string column) => SheetColumns.Letter(IndexOf(column));
    private static int IndexOf(string column) => SheetColumns.All.ToList().IndexOf(column);
    private static string Ref(int column, uint row) => SheetColumns.Letter(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>The same rows as CSV (UTF-8 with a byte order mark, labels in the template's language).</summary>
    public static async Task WriteCsvAsync(Stream output, SheetTemplate template, SheetVocabulary words,
        CancellationToken ct)
    {
        await SheetFiles.WriteCsvAsync(output, [.. SheetColumns.All.Select(words.ColumnLabel)],
            Rows(template), ct);

        static async IAsyncEnumerable<string[]> Rows(SheetTemplate template)
        {
            foreach (var t in template.Rows)
            {
                yield return
                [
                    t.TaskKey, t.Kind, t.About, t.Status, t.Current, t.CurrentSources, "", t.Unit ?? "", "", "", "",
                    "", "", "", "", "", t.AllocationYear?.ToString(CultureInfo.InvariantCulture) ?? "",
                ];
            }
            await Task.CompletedTask;
        }
    }

    /// <summary>
    /// Reads an uploaded sheet: XLSX (by its first bytes) or CSV. Null content comes with the one reason the file is
    /// refused: not a sheet, over a limit, a formula, an unknown or repeated column, a missing one.
    /// </summary>
    public static (SheetContent? Content, Message? Refusal) Read(byte[] bytes, string fileName, UploadLimits limits,
        SheetVocabulary words)
    {
        SheetTable? table;
        SheetProblem? problem;
        SheetMeta? meta = null;
        var xlsx = SheetFiles.LooksLikeXlsx(bytes);
        if (xlsx)
        {
            (table, problem) = SheetFiles.ReadXlsx(bytes, limits, fileName, valuesOnly: true);
            if (problem is null) meta = ReadMeta(bytes);
        }
        else if (!LooksLikeText(bytes)) return (null, new Message(RoundSheetMessages.NotASheet, Path.GetFileName(fileName)));
        else (table, problem) = SheetFiles.ReadCsv(bytes);
        if (problem is not null) return (null, problem.Message);

        var keys = new string?[table!.Header.Count];
        for (var i = 0; i < table.Header.Count; i++)
        {
            var header = table.Header[i].Trim();
            if (header.Length == 0) continue;
            if (words.Column(header) is not { } key)
                return (null, new Message(RoundSheetMessages.UnknownColumn, header, SheetColumns.Letter(i)));
            if (keys.Contains(key))
                return (null, new Message(RoundSheetMessages.ColumnTwice, header, SheetColumns.Letter(i)));
            keys[i] = key;
        }
        foreach (var required in new[] { SheetColumns.Task, SheetColumns.Value })
            if (!keys.Contains(required))
                return (null, new Message(RoundSheetMessages.MissingColumn, words.ColumnLabel(required)));

        var rows = new List<SheetCells>();
        foreach (var line in table.Lines)
        {
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < line.Cells.Count; i++)
            {
                var text = ProjectSheet.Unneutralise(line.Cells[i]).Trim();
                if (text.Length == 0) continue;
                if (i >= keys.Length || keys[i] is null)
                    return (null, new Message(RoundSheetMessages.UnknownColumn, text, SheetColumns.Letter(i)));
                cells[keys[i]!] = text;
            }
            if (cells.Count > 0) rows.Add(new SheetCells(line.Row, cells));
        }
        return (new SheetContent(rows, meta, xlsx), null);
    }

    /// <summary>The hidden sheet Caravan wrote, if the workbook has it (checked within the limits already).</summary>
    private static SheetMeta? ReadMeta(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false);
            var workbook = document.WorkbookPart!;
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault(s => s.Name == MetaSheet);
            if (sheet?.Id?.Value is not { } id) return null;
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>()
                .Select(s => s.InnerText).ToList() ?? [];
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var cell in ((WorksheetPart)workbook.GetPartById(id)).Worksheet.Descendants<Cell>())
            {
                var text = cell.DataType?.Value == CellValues.SharedString
                    && int.TryParse(cell.CellValue?.Text, CultureInfo.InvariantCulture, out var i) && i < shared.Count
                        ? shared[i]
                        : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText
                        : cell.CellValue?.Text;
                if (cell.CellReference?.Value is { } r && text is not null) cells[r] = text;
            }
            var head = new Dictionary<string, string>(StringComparer.Ordinal);
            var versions = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var r = 1; cells.ContainsKey($"A{r}") || cells.ContainsKey($"D{r}"); r++)
            {
                if (cells.TryGetValue($"A{r}", out var k) && cells.TryGetValue($"B{r}", out var v)) head[k] = v;
                if (cells.TryGetValue($"D{r}", out var task) && cells.TryGetValue($"E{r}", out var version)
                    && int.TryParse(version, CultureInfo.InvariantCulture, out var n)) versions[task] = n;
            }
            return new SheetMeta(head.GetValueOrDefault("format"), head.GetValueOrDefault("round"),
                head.GetValueOrDefault("state"), head.GetValueOrDefault("language"), versions);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException
            or System.Xml.XmlException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the bytes can be a CSV file: no NUL byte in the first 8 KB (a PDF, an old .xls or an image has them).
    /// </summary>
    private static bool LooksLikeText(byte[] bytes) =>
        bytes.Length > 0 && bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).IndexOf((byte)0) < 0
            && !bytes.AsSpan().StartsWith("%PDF"u8);
}
