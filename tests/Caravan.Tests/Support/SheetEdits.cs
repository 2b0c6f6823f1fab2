using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Caravan.Tests.Support;

/// <summary>
/// A downloaded template filled in as a person would in a spreadsheet: cells of the first sheet set by task id and
/// column letter (text cells in the shared strings, as Excel and LibreOffice write them), read back for assertions.
/// </summary>
public static class SheetEdits
{
    /// <summary>The template's rows: column letter → text, keyed by the task id in column A (header row: "").</summary>
    public static Dictionary<string, Dictionary<string, string>> Read(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx, writable: false);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var (sheet, strings) = First(doc);
        var rows = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in sheet.Descendants<Row>())
        {
            var cells = row.Elements<Cell>().ToDictionary(c => Letters(c.CellReference!.Value!), c => Text(c, strings));
            rows[row.RowIndex!.Value == 1 ? "" : cells.GetValueOrDefault("A", "")] = cells;
        }
        return rows;
    }

    /// <summary>Sets cells: for each task id, column letter → text (a formula when it starts with "=").</summary>
    public static byte[] Fill(byte[] xlsx, IReadOnlyDictionary<string, Dictionary<string, string>> byTask)
    {
        using var memory = new MemoryStream();
        memory.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(memory, true))
        {
            var (sheet, _) = First(doc);
            var table = doc.WorkbookPart!.SharedStringTablePart!.SharedStringTable;
            foreach (var row in sheet.Descendants<Row>().ToList())
            {
                var id = row.Elements<Cell>().FirstOrDefault(c => Letters(c.CellReference!.Value!) == "A") is { } a
                    ? Text(a, doc.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList())
                    : "";
                var key = row.RowIndex!.Value == 1 ? "" : id;
                if (!byTask.TryGetValue(key, out var values)) continue;
                foreach (var (column, value) in values)
                {
                    var reference = column + row.RowIndex!.Value;
                    var cell = row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == reference);
                    if (cell is null)
                    {
                        cell = new Cell { CellReference = reference };
                        var after = row.Elements<Cell>().LastOrDefault(c => string.CompareOrdinal(Pad(Letters(c.CellReference!.Value!)), Pad(column)) < 0);
                        if (after is null) row.PrependChild(cell); else after.InsertAfterSelf(cell);
                    }
                    cell.RemoveAllChildren();
                    if (value.StartsWith('='))
                    {
                        cell.DataType = null;
                        cell.CellFormula = new CellFormula(value[1..]);
                        cell.CellValue = new CellValue("2");
                        continue;
                    }
                    table.AppendChild(new SharedStringItem(new Text(value) { Space = SpaceProcessingModeValues.Preserve }));
                    cell.DataType = CellValues.SharedString;
                    cell.CellValue = new CellValue(table.Elements<SharedStringItem>().Count() - 1);
                }
            }
            table.Save();
            sheet.Save();
        }
        return memory.ToArray();
    }

    private static (Worksheet Sheet, List<string> Strings) First(SpreadsheetDocument doc)
    {
        var wb = doc.WorkbookPart!;
        var first = wb.Workbook.Sheets!.Elements<Sheet>().First();
        var strings = wb.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        return (((WorksheetPart)wb.GetPartById(first.Id!.Value!)).Worksheet, strings);
    }

    private static string Text(Cell c, List<string> strings) =>
        c.DataType?.Value == CellValues.SharedString ? strings[int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
        : c.CellValue?.Text ?? c.InnerText;

    private static string Letters(string reference) => new([.. reference.TakeWhile(char.IsLetter)]);
    private static string Pad(string letters) => letters.PadLeft(3, ' ');
}
