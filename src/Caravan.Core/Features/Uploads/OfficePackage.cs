using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Caravan.Shared;

namespace Caravan.Features.Uploads;

public enum OfficeFormat { Xlsx, Docx }

/// <summary>
/// An uploaded XLSX or DOCX checked as it is unpacked, before any library builds it in memory: that it is a ZIP
/// package of the format it claims, how many parts it holds, and — part by part, on the bytes actually inflated —
/// its size, ratio, XML shape, and a sheet's rows, columns and cells or a document's text. The first limit exceeded
/// stops the reading and is the one message the person gets (see <see cref="UploadLimitMessages"/>).
/// </summary>
public static class OfficePackage
{
    private const string Word = "word/document.xml";
    private const string Workbook = "xl/workbook.xml";
    private const string WordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private static readonly XmlReaderSettings Xml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, // Office never writes a DTD: no XXE, no entity expansion
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Null when the package is within every limit and is the format it claims; else why not.</summary>
    /// <param name="valuesOnly">A reader that takes values only (a round's spreadsheet): a cell holding a formula
    /// refuses the file.</param>
    public static Message? Check(byte[] bytes, string fileName, OfficeFormat format, UploadLimits limits,
        bool valuesOnly = false)
    {
        try
        {
            Read(bytes, fileName, format, limits, null, valuesOnly);
            return null;
        }
        catch (UploadRefusedException e) { return e.Refusal; }
    }

    /// <summary>
    /// A Word document's text, paragraph by paragraph (the body's paragraphs, one per line, as Word shows them),
    /// read while the package is checked.
    /// </summary>
    public static (string? Text, Message? Refusal) ReadDocxText(byte[] bytes, string fileName, UploadLimits limits)
    {
        var text = new StringBuilder();
        try
        {
            Read(bytes, fileName, OfficeFormat.Docx, limits, text);
            return (text.ToString(), null);
        }
        catch (UploadRefusedException e) { return (null, e.Refusal); }
    }

    private static void Read(byte[] bytes, string fileName, OfficeFormat format, UploadLimits limits,
        StringBuilder? text, bool valuesOnly = false)
    {
        var name = Path.GetFileName(fileName);
        if (!bytes.AsSpan().StartsWith("PK\u0003\u0004"u8))
            throw Refuse(UploadLimitMessages.NotZip, name, format == OfficeFormat.Xlsx ? "XLSX" : "DOCX");
        // The count in the end record, before the archive lists its entries (each listed one costs memory).
        if (DeclaredEntries(bytes) > limits.MaxEntries)
            throw Refuse(UploadLimitMessages.Entries, name, limits.MaxEntries);
        ZipArchive zip;
        try { zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read); }
        catch (InvalidDataException) { throw Refuse(UploadLimitMessages.Damaged, name); }
        using (zip)
        {
            if (zip.Entries.Count > limits.MaxEntries)
                throw Refuse(UploadLimitMessages.Entries, name, limits.MaxEntries);
            var parts = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (format == OfficeFormat.Xlsx && !parts.Contains(Workbook))
                throw Refuse(parts.Contains(Word) ? UploadLimitMessages.XlsxIsDocx : UploadLimitMessages.NotXlsx, name);
            if (format == OfficeFormat.Docx && !parts.Contains(Word))
                throw Refuse(parts.Contains(Workbook) ? UploadLimitMessages.DocxIsXlsx : UploadLimitMessages.NotDocx,
                    name);
            // The sizes the package declares are added up first (an honest bomb says what it is, and is refused at
            // once); what it really inflates is counted as it is read, since a declaration can lie.
            var declared = 0L;
            foreach (var entry in zip.Entries)
                if ((declared += entry.Length) > limits.MaxUnpackedBytes)
                    throw Refuse(UploadLimitMessages.UnpackedTooLarge, name, entry.FullName,
                        limits.MaxUnpackedBytes / (1024 * 1024));
            var budget = new UnpackBudget(limits, name);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                var part = entry.FullName;
                var xml = part.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                    || part.EndsWith(".rels", StringComparison.OrdinalIgnoreCase);
                GuardedStream? guarded = null;
                try
                {
                    guarded = new GuardedStream(entry.Open(), limits, name, part,
                        Math.Max(1, Math.Min(entry.CompressedLength, bytes.LongLength)), xml, budget);
                    if (!xml) guarded.CopyTo(Stream.Null);
                    else if (format == OfficeFormat.Xlsx)
                        ScanWorkbookPart(guarded, name, part, limits, valuesOnly);
                    else if (format == OfficeFormat.Docx && part.Equals(Word, StringComparison.OrdinalIgnoreCase))
                        ScanDocument(guarded, name, limits, text);
                    else Scan(guarded);
                }
                catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
                {
                    throw Refuse(UploadLimitMessages.Dtd, name, part);
                }
                catch (XmlException e) { throw Refuse(UploadLimitMessages.BadXml, name, part, e.LineNumber); }
                catch (InvalidDataException) { throw Refuse(UploadLimitMessages.Damaged, name); }
                finally { guarded?.Dispose(); }
            }
        }
    }

    /// <summary>
    /// A workbook's XML part, by what its root says it is (a worksheet or the shared texts, wherever the workbook's
    /// relationships put it): a spreadsheet reader follows the relationships, not the usual names.
    /// </summary>
    private static void ScanWorkbookPart(GuardedStream stream, string name, string part, UploadLimits limits,
        bool valuesOnly)
    {
        using var reader = XmlReader.Create(stream, Xml);
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element) return;
        if (reader.LocalName is "worksheet" or "dialogsheet" or "macrosheet")
            ScanSheet(reader, stream, name, part, limits, valuesOnly);
        else if (reader.LocalName == "sst") ScanSharedTexts(reader, stream, name, limits);
        else while (reader.Read()) { }
    }

    /// <summary>The entries the end-of-central-directory record declares (0 when it cannot be found).</summary>
    private static int DeclaredEntries(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 22; i >= Math.Max(0, bytes.Length - 22 - 65535); i--)
            if (bytes[i..].StartsWith("PK\u0005\u0006"u8))
            {
                // 0xFFFF says "see the ZIP64 record": the directory's own count is checked after it is read.
                var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i + 10)..]);
                return count == ushort.MaxValue ? 0 : count;
            }
        return 0;
    }

    private static void Scan(Stream stream)
    {
        using var reader = XmlReader.Create(stream, Xml);
        while (reader.Read()) { }
    }

    /// <summary>
    /// A worksheet: its declared range, each row's number and each cell's column (a spreadsheet reader fills every
    /// gap up to them), each cell's length, and, where values only are taken, that no cell holds a formula.
    /// </summary>
    private static void ScanSheet(XmlReader reader, GuardedStream stream, string name, string part,
        UploadLimits limits, bool valuesOnly)
    {
        var sheet = Path.GetFileNameWithoutExtension(part);
        var buffer = new char[4096];
        long row = 0, column = 0;
        string? cell = null;
        long length = 0;
        // A cell's text past the token limit is stopped in the bytes before the reader has counted it: told as the
        // cell it is in.
        try
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element when reader.LocalName == "dimension":
                        var range = reader.GetAttribute("ref") ?? "";
                        var (lastRow, lastColumn) = Reference(range[(range.IndexOf(':') + 1)..]);
                        if (lastRow > limits.MaxRows || lastColumn > limits.MaxColumns)
                            throw Refuse(UploadLimitMessages.Dimension, name, sheet, range, limits.MaxRows,
                                limits.MaxColumns);
                        break;
                    case XmlNodeType.Element when reader.LocalName == "row":
                        row = long.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture,
                            out var r) ? r : row + 1;
                        column = 0;
                        if (row > limits.MaxRows)
                            throw Refuse(UploadLimitMessages.Rows, name, sheet, row, limits.MaxRows);
                        break;
                    case XmlNodeType.Element when reader.LocalName == "c":
                        var at = reader.GetAttribute("r");
                        var (cellRow, cellColumn) = at is null ? (row, column + 1) : Reference(at);
                        column = cellColumn;
                        cell = at ?? ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);
                        length = 0;
                        if (cellRow > limits.MaxRows)
                            throw Refuse(UploadLimitMessages.Rows, name, sheet, cellRow, limits.MaxRows);
                        if (column > limits.MaxColumns)
                            throw Refuse(UploadLimitMessages.Columns, name, sheet, cell, limits.MaxColumns);
                        if (reader.IsEmptyElement) cell = null;
                        break;
                    // A formula's result is the spreadsheet's guess, not a figure someone reported: refused where
                    // values only are taken.
                    case XmlNodeType.Element when reader.LocalName == "f" && valuesOnly:
                        throw Refuse(UploadLimitMessages.Formula, name, sheet, cell ?? "?");
                    case XmlNodeType.EndElement when reader.LocalName == "c":
                        cell = null;
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace
                        or XmlNodeType.Whitespace when cell is not null:
                        length += Chunks(reader, buffer, null);
                        if (length > limits.MaxCellCharacters)
                            throw Refuse(UploadLimitMessages.Cell, name, sheet, cell, limits.MaxCellCharacters);
                        break;
                }
            }
        }
        catch (UploadRefusedException e) when (cell is not null && stream.InText
            && e.Refusal.Code == UploadLimitMessages.Token)
        {
            throw Refuse(UploadLimitMessages.Cell, name, sheet, cell, limits.MaxCellCharacters);
        }
    }

    /// <summary>The workbook's shared texts, each one a cell's whole text.</summary>
    private static void ScanSharedTexts(XmlReader reader, GuardedStream stream, string name, UploadLimits limits)
    {
        var buffer = new char[4096];
        var index = 0;
        long length = 0;
        var inText = false;
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si") inText = !reader.IsEmptyElement;
                else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "si") inText = false;
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
                {
                    index++;
                    length = 0;
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace
                    or XmlNodeType.Whitespace)
                {
                    length += Chunks(reader, buffer, null);
                    if (length > limits.MaxCellCharacters)
                        throw Refuse(UploadLimitMessages.SharedText, name, index, limits.MaxCellCharacters);
                }
            }
        }
        catch (UploadRefusedException e) when (inText && stream.InText && e.Refusal.Code == UploadLimitMessages.Token)
        {
            throw Refuse(UploadLimitMessages.SharedText, name, index, limits.MaxCellCharacters);
        }
    }

    /// <summary>
    /// The main document part: its text counted against the limit, and the body's paragraphs taken as text (what
    /// every run, field and text box of a paragraph shows), one per line.
    /// </summary>
    private static void ScanDocument(Stream stream, string name, UploadLimits limits, StringBuilder? text)
    {
        using var reader = XmlReader.Create(stream, Xml);
        var buffer = new char[4096];
        long length = 0;
        var paragraphs = 0;
        var inParagraph = false;
        var inText = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.NamespaceURI == WordNamespace:
                    if (reader.LocalName == "p" && reader.Depth == 2)
                    {
                        if (paragraphs++ > 0) text?.Append('\n');
                        inParagraph = !reader.IsEmptyElement;
                    }
                    else if (reader.LocalName is "t" or "delText" or "instrText" or "delInstrText")
                        inText = !reader.IsEmptyElement;
                    break;
                case XmlNodeType.EndElement when reader.NamespaceURI == WordNamespace:
                    if (reader.LocalName == "p" && reader.Depth == 2) inParagraph = false;
                    else if (reader.LocalName is "t" or "delText" or "instrText" or "delInstrText") inText = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace
                    or XmlNodeType.Whitespace when inText:
                    length += Chunks(reader, buffer, inParagraph ? text : null);
                    if (length > limits.MaxTextCharacters)
                        throw Refuse(UploadLimitMessages.TextTooLong, name, limits.MaxTextCharacters);
                    break;
            }
        }
    }

    /// <summary>A text node read in pieces (never whole), appended where wanted; its length.</summary>
    private static long Chunks(XmlReader reader, char[] buffer, StringBuilder? into)
    {
        long total = 0;
        int n;
        while ((n = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
        {
            total += n;
            into?.Append(buffer, 0, n);
        }
        return total;
    }

    /// <summary>"XFD1048576" → (1048576, 16384); a part missing is 0.</summary>
    private static (long Row, long Column) Reference(string reference)
    {
        long column = 0, row = 0;
        foreach (var ch in reference)
        {
            if (ch is >= 'A' and <= 'Z') column = Math.Min(column * 26 + (ch - 'A' + 1), int.MaxValue);
            else if (ch is >= 'a' and <= 'z') column = Math.Min(column * 26 + (ch - 'a' + 1), int.MaxValue);
            else if (ch is >= '0' and <= '9') row = Math.Min(row * 10 + (ch - '0'), int.MaxValue);
        }
        return (row, column);
    }

    private static string ColumnName(long index)
    {
        var name = "";
        for (; index > 0; index = (index - 1) / 26) name = (char)('A' + ((index - 1) % 26)) + name;
        return name;
    }

    private static UploadRefusedException Refuse(MessageCode code, params MessageArg[] args) =>
        new(new Message(code, args));
}
