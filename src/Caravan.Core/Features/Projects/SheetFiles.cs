using System.Globalization;
using System.Text;
using Caravan.Shared;
using Caravan.Features.Uploads;
using MiniExcelLibs;
using Sylvan.Data.Csv;

namespace Caravan.Features.Projects;

/// <summary>
/// Reading and writing sheets as CSV (RFC 4180, UTF-8; Sylvan.Data.Csv reads) and XLSX (MiniExcel), cell
/// by cell as text. Writers neutralise formula cells (<see cref="ProjectSheet.Neutralise"/>); readers give
/// cells as written, and <see cref="ProjectSheet.Parse"/> undoes the neutralisation.
/// </summary>
public static class SheetFiles
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>An XLSX file is a ZIP archive: it starts with "PK\x03\x04".</summary>
    public static bool LooksLikeXlsx(ReadOnlySpan<byte> head) => head.StartsWith("PK\u0003\u0004"u8);

    /// <summary>
    /// CSV in UTF-8 (a byte order mark is accepted). The separator is the header's: a comma, or a semicolon
    /// or tab where the header has no comma (as spreadsheets save CSV in locales with a decimal comma).
    /// </summary>
    public static (SheetTable? Table, SheetProblem? Problem) ReadCsv(byte[] bytes)
    {
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { return (null, new SheetProblem(0, "file", SheetMessages.NotUtf8)); }
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var firstLine = text.AsSpan(0, text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : text.Length);
        var delimiter = firstLine.Contains(',') ? ',' : firstLine.Contains(';') ? ';' : firstLine.Contains('\t')
            ? '\t'
            : ',';
        var lines = new List<SheetLine>();
        IReadOnlyList<string>? header = null;
        var row = 0;
        try
        {
            using var csv = CsvDataReader.Create(new StringReader(text),
                new CsvDataReaderOptions { HasHeaders = false, Delimiter = delimiter,
                    MaxBufferSize = 16 * 1024 * 1024 });
            while (csv.Read())
            {
                row = csv.RowNumber;
                var cells = new string[csv.RowFieldCount];
                for (var i = 0; i < cells.Length; i++) cells[i] = csv.GetString(i);
                if (header is null) header = cells;
                else lines.Add(new SheetLine(row, cells));
            }
        }
        catch (CsvFormatException e)
        {
            return (null,
                new SheetProblem(e.RowNumber > 0 ? e.RowNumber : row + 1, "file", SheetMessages.CsvMalformed,
                    e.Message));
        }
        return header is null
            ? (null, new SheetProblem(1, "file", SheetMessages.Empty))
            : (new SheetTable(header, lines), null);
    }

    /// <summary>
    /// The first worksheet of an XLSX file; numbers, dates and booleans typed in a spreadsheet are read as the sheet
    /// would write them. The package is first read through once within <paramref name="limits"/> (its parts as they
    /// inflate, every row, column and cell), so the spreadsheet reader only ever sees a file that fits them.
    /// </summary>
    public static (SheetTable? Table, SheetProblem? Problem) ReadXlsx(byte[] bytes, UploadLimits? limits = null,
        string fileName = "upload.xlsx", bool valuesOnly = false)
    {
        if (OfficePackage.Check(bytes, fileName, OfficeFormat.Xlsx, limits ?? new UploadLimits(), valuesOnly) is
            { } refusal)
            return (null, new SheetProblem(0, "file", refusal));
        var lines = new List<SheetLine>();
        IReadOnlyList<string>? header = null;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var row = 0;
            // MiniExcel yields every row from the first, blank ones included, so the count is the sheet's row number.
            foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: false,
                excelType: ExcelType.XLSX))
            {
                row++;
                var values = cells.Values.Select(Text).ToList();
                if (header is null)
                {
                    var width = values.FindLastIndex(v => v.Length > 0) + 1;
                    header = values.Take(width).ToList();
                }
                else lines.Add(
                    new SheetLine(row, header.Count < values.Count
                        && values.Skip(header.Count).All(v => v.Length == 0)
                            ? [.. values.Take(header.Count)]
                            : values));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException
            or InvalidOperationException or FormatException or NotSupportedException or ArgumentException
            or KeyNotFoundException)
        {
            return (null, new SheetProblem(0, "file", SheetMessages.BadXlsx, e.Message));
        }
        return header is null or { Count: 0 }
            ? (null, new SheetProblem(1, "file", SheetMessages.Empty))
            : (new SheetTable(header, lines), null);
    }

    /// <summary>A cell's value as text, invariant: what the CSV of the same sheet would hold.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        double n => n.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    /// <summary>
    /// Writes CSV as rows arrive (nothing held but the current row): UTF-8 with a byte order mark, so that
    /// spreadsheets open Chinese and Cyrillic correctly; fields quoted where RFC 4180 requires; CRLF.
    /// </summary>
    public static async Task WriteCsvAsync(Stream output, IReadOnlyList<string> header, IAsyncEnumerable<string[]> rows,
        CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), 1 << 16, leaveOpen: true);
        await writer.WriteAsync(CsvLine(header));
        await foreach (var row in rows.WithCancellation(ct)) await writer.WriteAsync(CsvLine(row));
        await writer.FlushAsync(ct);
    }

    internal static string CsvLine(IReadOnlyList<string> cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) line.Append(',');
            var cell = ProjectSheet.Neutralise(cells[i]);
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0) line.Append('"')
                .Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else line.Append(cell);
        }
        return line.Append("\r\n").ToString();
    }

    /// <summary>
    /// Writes an XLSX file with one worksheet, every cell a text cell (so "2" stays "2", not a number, and a
    /// date stays as written). MiniExcel writes rows as they are enumerated; the header is the first row.
    /// </summary>
    public static void WriteXlsx(Stream output, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var letters = header.Select((_, i) => Column(i)).ToArray();
        IEnumerable<IDictionary<string, object?>> Rows()
        {
            yield return Row(header);
            foreach (var row in rows) yield return Row(row);
        }
        IDictionary<string, object?> Row(IReadOnlyList<string> cells)
        {
            var row = new Dictionary<string, object?>(letters.Length, StringComparer.Ordinal);
            for (var i = 0; i < letters.Length; i++) row[letters[i]] = i < cells.Count
                ? ProjectSheet.Neutralise(cells[i])
                : "";
            return row;
        }
        output.SaveAs(Rows(), printHeader: false, sheetName: "projects", excelType: ExcelType.XLSX);
    }

    /// <summary>A spreadsheet's column letters: A…Z, AA…</summary>
    private static string Column(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + ((index - 1) % 26)) + name;
        return name;
    }
}
