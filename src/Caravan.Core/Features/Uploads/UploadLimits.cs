using Caravan.Shared;

namespace Caravan.Features.Uploads;

/// <summary>
/// How much an uploaded file may hold once unpacked (<c>Caravan:Uploads:*</c>). A ZIP package's own figures (the sizes
/// in its central directory) are the sender's word, so every limit is checked on what is actually inflated and read,
/// while it is read, before anything is built from it in memory.
/// </summary>
public sealed class UploadLimits
{
    public const string Section = "Caravan:Uploads";

    /// <summary>All parts of one XLSX or DOCX package together, as inflated. Default 200 MB.</summary>
    public long MaxUnpackedBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Files inside one package (a workbook or a Word document holds a few dozen). Default 1,000.</summary>
    public int MaxEntries { get; set; } = 1000;

    /// <summary>
    /// How many times its packed size one part may unpack to, checked from its first 4 MiB on: spreadsheets and word
    /// processors stay far below; a "zip bomb" is thousands. Default 100.
    /// </summary>
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>The last row a sheet may name (a spreadsheet reader fills the gaps up to it). Default 100,000.</summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>The last column a sheet may reach (the project sheet has 27). Default 100.</summary>
    public int MaxColumns { get; set; } = 100;

    /// <summary>Characters in one cell: Excel's own limit. Default 32,767.</summary>
    public int MaxCellCharacters { get; set; } = 32_767;

    /// <summary>Characters of a Word document's text (a treaty is a few hundred thousand). Default 5,000,000.</summary>
    public int MaxTextCharacters { get; set; } = 5_000_000;

    /// <summary>
    /// One tag (with its attributes), one run of text between tags, one comment or CDATA section, in bytes: the XML
    /// reader holds such a piece whole. Applies to every XML read from an upload, IATI files included. Default 1 MiB.
    /// </summary>
    public int MaxTokenBytes { get; set; } = 1024 * 1024;

    /// <summary>How deep elements may nest in uploaded XML (Office and IATI files stay under 30). Default 100.</summary>
    public int MaxDepth { get; set; } = 100;
}

/// <summary>Why an uploaded file is refused unread; <see cref="StatusOf"/> gives the HTTP status of each.</summary>
public static class UploadLimitMessages
{
    public static readonly MessageCode UnpackedTooLarge = new("upload.unpacked-too-large");
    public static readonly MessageCode Ratio = new("upload.ratio");
    public static readonly MessageCode Entries = new("upload.entries");
    public static readonly MessageCode Token = new("upload.token");
    public static readonly MessageCode Depth = new("upload.depth");
    public static readonly MessageCode Rows = new("upload.rows");
    public static readonly MessageCode Columns = new("upload.columns");
    public static readonly MessageCode Dimension = new("upload.dimension");
    public static readonly MessageCode Cell = new("upload.cell");
    public static readonly MessageCode SharedText = new("upload.shared-text");
    public static readonly MessageCode TextTooLong = new("upload.text-too-long");
    public static readonly MessageCode NotZip = new("upload.not-zip");
    public static readonly MessageCode Damaged = new("upload.damaged");
    public static readonly MessageCode NotXlsx = new("upload.not-xlsx");
    public static readonly MessageCode NotDocx = new("upload.not-docx");
    public static readonly MessageCode XlsxIsDocx = new("upload.xlsx-is-docx");
    public static readonly MessageCode DocxIsXlsx = new("upload.docx-is-xlsx");
    public static readonly MessageCode BadXml = new("upload.bad-xml");
    public static readonly MessageCode Dtd = new("upload.dtd");
    /// <summary>A cell holds a formula where values only are taken ({0}: file, {1}: sheet, {2}: cell).</summary>
    public static readonly MessageCode Formula = new("upload.formula");

    private static readonly HashSet<MessageCode> Unreadable =
        [NotZip, Damaged, NotXlsx, NotDocx, XlsxIsDocx, DocxIsXlsx, BadXml, Dtd];

    /// <summary>
    /// 413 for a file that unpacks to too much, 400 for one that is not the format it claims (or is damaged),
    /// 422 for one over a structural limit (parts, rows, columns, cell or text length, tag length, depth).
    /// </summary>
    public static int StatusOf(MessageCode code) =>
        code == UnpackedTooLarge || code == Ratio ? 413 : Unreadable.Contains(code) ? 400 : 422;

    public static bool IsUploadRefusal(MessageCode code) => code.Key.StartsWith("upload.", StringComparison.Ordinal);
}

/// <summary>An upload refused while it was read: one message naming the limit and where it was exceeded.</summary>
public sealed class UploadRefusedException(Message refusal) : Exception(refusal.ToString())
{
    public Message Refusal { get; } = refusal;
    public int Status => UploadLimitMessages.StatusOf(Refusal.Code);
}
