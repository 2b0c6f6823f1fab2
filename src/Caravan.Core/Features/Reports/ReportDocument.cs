using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caravan.Features.Reports;

/// <summary>
/// The summit progress report as neutral content: headings, paragraphs, tables and charts, already in the
/// reader's language. One builder writes it from a frozen snapshot; the DOCX, XLSX and PDF writers only lay
/// it out, so the three formats cannot disagree on a figure.
/// </summary>
public sealed record ReportDocument
{
    /// <summary>zh, ru or en.</summary>
    public required string Language { get; init; }

    /// <summary>"Status as at …": the round or meeting the snapshot closed.</summary>
    public required string Title { get; init; }

    public string? Subtitle { get; init; }

    /// <summary>The snapshot the report is built from.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>The day the report's figures stand at, as the cover says it.</summary>
    public required DateOnly AsAt { get; init; }

    /// <summary>
    /// Set for a state's own draft report (unpublished data of that state): the writers put this mark, already
    /// in the reader's language ("Draft — Kazakhstan"), on every page. Null for a report of published data.
    /// </summary>
    public string? DraftMark { get; init; }

    /// <summary>The words the writers themselves need, in the reader's language.</summary>
    public required ReportLabels Labels { get; init; }

    public required IReadOnlyList<ReportBlock> Blocks { get; init; }

    private static readonly JsonSerializerOptions Canonical = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The content as canonical JSON: the same report always gives the same bytes.</summary>
    public byte[] ToCanonicalJson() => JsonSerializer.SerializeToUtf8Bytes(this, Canonical);

    /// <summary>
    /// SHA-256 of the canonical content, lower-case hex: written into each file's properties so that two files
    /// can be shown to hold the same report whatever their format.
    /// </summary>
    public string ContentHash() => Convert.ToHexStringLower(SHA256.HashData(ToCanonicalJson()));
}

/// <summary>Words the layout needs (not the content's own), in the report's language.</summary>
public sealed record ReportLabels(
    string Contents,
    // A composite format with {0} the page and {1} the pages, e.g. "Page {0} of {1}".
    string PageOf,
    // Caption prefix of a table, e.g. "Table" / "Таблица" / "表".
    string Table,
    // Caption prefix of a chart, e.g. "Figure" / "Рисунок" / "图".
    string Figure,
    // Lead word of a table's or chart's sources, e.g. "Sources".
    string Sources,
    // Shown where a table has no rows, e.g. "None recorded".
    string NoRows,
    // Said of the DOCX's contents field before Word updates it, e.g. "Update the field to see the contents".
    string UpdateContents);

/// <summary>One piece of the report, in reading order.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "block")]
[JsonDerivedType(typeof(ReportHeading), "heading")]
[JsonDerivedType(typeof(ReportParagraph), "paragraph")]
[JsonDerivedType(typeof(ReportContents), "contents")]
[JsonDerivedType(typeof(ReportPageBreak), "page-break")]
[JsonDerivedType(typeof(ReportTable), "table")]
[JsonDerivedType(typeof(ReportChart), "chart")]
[JsonDerivedType(typeof(ReportFigures), "figures")]
public abstract record ReportBlock;

/// <summary>A heading: level 1 a part (cover excluded), 2 a section, 3 a subsection. Anchor: a stable slug.</summary>
public sealed record ReportHeading(int Level, string Text, string Anchor) : ReportBlock;

public enum ReportParagraphStyle
{
    Body,
    /// <summary>The opening paragraph of a part, set larger.</summary>
    Lead,
    /// <summary>A note under a table or chart: how a figure was made, what is unknown.</summary>
    Note,
}

public sealed record ReportParagraph(string Text, ReportParagraphStyle Style = ReportParagraphStyle.Body) : ReportBlock;

/// <summary>Where the table of contents goes (a TOC field in DOCX, a drawn list in PDF).</summary>
public sealed record ReportContents : ReportBlock;

public sealed record ReportPageBreak : ReportBlock;

/// <summary>The key figures: a few large numbers, each with its label and the sources that give it.</summary>
public sealed record ReportFigures(IReadOnlyList<ReportFigure> Items) : ReportBlock;

/// <summary>One key figure. Value is already formatted; Number is the real value (null when unknown).</summary>
public sealed record ReportFigure(string Label, string Value, decimal? Number, IReadOnlyList<string> Sources);

public enum ReportCellKind
{
    Text,
    Integer,
    Decimal,
    /// <summary>A share 0..1, shown as a percentage.</summary>
    Percent,
    Date,
    /// <summary>An amount in the report's chosen currency.</summary>
    Money,
}

/// <summary>A column: a stable key (the same in every language), its title, and the kind of its cells.</summary>
public sealed record ReportColumn(string Key, string Title, ReportCellKind Kind);

/// <summary>
/// One cell. Text is what DOCX and PDF show, formatted in the report's language ("" for an unknown value,
/// never a made-up one); Number or Date is the real value for XLSX.
/// </summary>
public sealed record ReportCell(string Text, decimal? Number = null, DateOnly? Date = null)
{
    public static readonly ReportCell Empty = new("");
}

/// <summary>
/// A table. Id is stable across languages (an XLSX sheet's name comes from SheetName). Sources: the sources
/// that give this table's figures, as the reader will cite them. Annex tables go to the XLSX as sheets.
/// </summary>
public sealed record ReportTable(
    string Id,
    string Caption,
    IReadOnlyList<ReportColumn> Columns,
    IReadOnlyList<IReadOnlyList<ReportCell>> Rows,
    IReadOnlyList<string> Sources,
    bool Annex = false,
    // The XLSX sheet's name, at most 31 characters, in the report's language.
    string? SheetName = null) : ReportBlock;

public enum ReportChartKind
{
    /// <summary>Vertical bars, one group per category, one bar per series.</summary>
    Bar,
    /// <summary>Horizontal bars stacked per category: shares of a whole (e.g. commitments by status).</summary>
    StackedBar,
    /// <summary>One horizontal bar per category against a target (e.g. partnerships against targets).</summary>
    Progress,
}

/// <summary>
/// A chart drawn on the server. Its numbers are in the table TableId, which the writers place beside it
/// (the chart never carries a figure the table does not).
/// </summary>
public sealed record ReportChart(
    string Id,
    string Caption,
    ReportChartKind Kind,
    IReadOnlyList<string> Categories,
    IReadOnlyList<ReportSeries> Series,
    string TableId,
    // The value axis' title, e.g. "Commitments" or "RMB million".
    string? ValueAxis = null) : ReportBlock;

/// <summary>One series; Values line up with the chart's categories (null: unknown, drawn as nothing).</summary>
public sealed record ReportSeries(string Name, IReadOnlyList<double?> Values);
