using System.Globalization;
using System.Text;

using SkiaSharp;

namespace Caravan.Features.Reports;

/// <summary>
/// What the PDF and the charts share: the report's fonts, line breaking in three scripts, text drawn so that a
/// PDF reader copies it back exactly, and the few phrases the layout builds (captions, sources, dates).
/// </summary>
internal static class ReportText
{
    // Closing punctuation never starts a line and opening punctuation never ends one (the basic rule of Chinese
    // typesetting, and of the Latin brackets too).
    private const string NoBreakBefore = "，。、；：！？）》」』】〉〕…—％,.;:!?)]}%·";
    private const string NoBreakAfter = "（《「『【〈〔([{";

    public static CultureInfo Culture(string language) => language switch
    {
        "zh" => CultureInfo.GetCultureInfo("zh-CN"),
        "ru" => CultureInfo.GetCultureInfo("ru-RU"),
        _ => CultureInfo.GetCultureInfo("en-GB"),
    };

    public static SKFont Font(float size, bool bold = false)
    {
        var face = bold ? ReportFonts.Bold ?? ReportFonts.Regular : ReportFonts.Regular;
        return new SKFont(face, size)
        {
            // Unhinted, linear advances: the same widths at every scale, so the PDF and a PNG wrap alike.
            Hinting = SKFontHinting.None,
            LinearMetrics = true,
            Subpixel = true,
            Edging = SKFontEdging.SubpixelAntialias,
            Embolden = bold && ReportFonts.Bold is null,
        };
    }

    public static bool IsCjk(int c) =>
        c is >= 0x2E80 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0xFE30 and <= 0xFE4F
            or >= 0xFF00 and <= 0xFFEF or >= 0x20000 and <= 0x3FFFF;

    /// <summary>
    /// The text broken into lines no wider than <paramref name="width"/>: Chinese between any two characters,
    /// other scripts at spaces and after a hyphen or slash, and a word wider than the line between its letters.
    /// </summary>
    public static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
            WrapParagraph(paragraph, font, width, lines);
        return lines;
    }

    private static void WrapParagraph(string text, SKFont font, float width, List<string> lines)
    {
        var line = new StringBuilder();
        var lineWidth = 0f;
        var pendingSpace = false;
        var spaceWidth = font.MeasureText(" ");
        foreach (var piece in Pieces(text))
        {
            if (piece == " ")
            {
                pendingSpace = line.Length > 0;
                continue;
            }
            var pieceWidth = font.MeasureText(piece);
            var needed = pieceWidth + (pendingSpace ? spaceWidth : 0);
            if (line.Length > 0 && lineWidth + needed > width)
            {
                lines.Add(line.ToString());
                line.Clear();
                lineWidth = 0;
                pendingSpace = false;
                needed = pieceWidth;
            }
            if (pieceWidth > width)
            {
                // A word wider than the whole line (an identifier, a URL): broken between its characters.
                foreach (var rune in piece.EnumerateRunes())
                {
                    var s = rune.ToString();
                    var w = font.MeasureText(s);
                    if (line.Length > 0 && lineWidth + w > width)
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                        lineWidth = 0;
                    }
                    line.Append(s);
                    lineWidth += w;
                }
                pendingSpace = false;
                continue;
            }
            if (pendingSpace) line.Append(' ');
            line.Append(piece);
            lineWidth += needed;
            pendingSpace = false;
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
    }

    // The text cut where a line may break: " " for a run of spaces, else pieces that stay on one line.
    private static IEnumerable<string> Pieces(string text)
    {
        var piece = new StringBuilder();
        var previous = -1;
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (Rune.IsWhiteSpace(rune) && c != 0x00A0 && c != 0x202F)
            {
                if (piece.Length > 0) yield return piece.ToString();
                piece.Clear();
                if (previous != ' ') yield return " ";
                previous = ' ';
                continue;
            }
            var breakBefore = piece.Length > 0 && (IsCjk(c) || IsCjk(previous) || previous is '-' or '/' or '–')
                && !NoBreakBefore.Contains(rune.ToString(), StringComparison.Ordinal)
                && !NoBreakAfter.Contains(char.ConvertFromUtf32(previous), StringComparison.Ordinal)
                // A hyphen between digits (2025-06) or a minus sign stays with its number.
                && !(previous == '-' && (piece.Length == 1 || Rune.IsDigit(rune)));
            if (breakBefore)
            {
                yield return piece.ToString();
                piece.Clear();
            }
            piece.Append(rune.ToString());
            previous = c;
        }
        if (piece.Length > 0) yield return piece.ToString();
    }

    /// <summary>
    /// Draws one line. The glyphs carry their text (a text blob with clusters), so the PDF backend writes the text
    /// itself where a glyph alone is ambiguous: Noto's 人 is also the Kangxi radical ⼈, and without this a reader
    /// copying "中华人民共和国" would get a radical.
    /// </summary>
    public static float Draw(SKCanvas canvas, string text, float x, float baseline, SKFont font, SKPaint paint,
        SKTextAlign align = SKTextAlign.Left)
    {
        if (text.Length == 0) return 0;
        var glyphs = font.GetGlyphs(text);
        var widths = font.GetGlyphWidths(glyphs);
        var width = 0f;
        foreach (var w in widths) width += w;
        var start = align switch
        {
            SKTextAlign.Right => x - width,
            SKTextAlign.Center => x - width / 2,
            _ => x,
        };
        var utf8 = Encoding.UTF8.GetBytes(text);
        var positions = new SKPoint[glyphs.Length];
        var clusters = new uint[glyphs.Length];
        var pen = 0f;
        var index = 0;
        var offset = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (index >= glyphs.Length) break;
            positions[index] = new SKPoint(pen, 0);
            clusters[index] = (uint)offset;
            pen += widths[index];
            offset += rune.Utf8SequenceLength;
            index++;
        }
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedTextRun(font, glyphs.Length, utf8.Length, null);
        run.SetGlyphs(glyphs);
        run.SetPositions(positions);
        run.SetText(utf8);
        run.SetClusters(clusters);
        using var blob = builder.Build();
        if (blob is not null) canvas.DrawText(blob, start, baseline, paint);
        return width;
    }

    public static string LongDate(DateOnly date, string language) => language switch
    {
        "zh" => $"{date.Year}年{date.Month}月{date.Day}日",
        "ru" => date.ToString("d MMMM yyyy 'г.'", Culture("ru")),
        _ => date.ToString("d MMMM yyyy", Culture("en")),
    };

    /// <summary>"Table 3. Caption" / "Таблица 3. …" / "表3　…": the prefix and number as each language writes them.</summary>
    public static string Caption(string prefix, int number, string caption, string language) =>
        language == "zh" ? $"{prefix}{number}　{caption}" : $"{prefix} {number}. {caption}";

    /// <summary>Between a caption's number and its text, as <see cref="Caption"/> writes it.</summary>
    public static string CaptionSeparator(string language) => language == "zh" ? "　" : ". ";

    public static string SourcesLine(string label, IReadOnlyList<string> sources, string language) =>
        language == "zh" ? $"{label}：{string.Join("；", sources)}" : $"{label}: {string.Join("; ", sources)}";

    public static string PageOf(ReportLabels labels, int page, int pages) =>
        string.Format(CultureInfo.InvariantCulture, labels.PageOf, page, pages);

    /// <summary>
    /// The blocks in the order the writers lay them out: a chart's table directly under the chart (its numbers
    /// beside it), wherever the builder put the table.
    /// </summary>
    public static IReadOnlyList<ReportBlock> InReadingOrder(IReadOnlyList<ReportBlock> blocks)
    {
        var tables = blocks.OfType<ReportTable>().GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        var moved = new HashSet<ReportTable>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is ReportChart chart && tables.TryGetValue(chart.TableId, out var table)
                && !(i + 1 < blocks.Count && ReferenceEquals(blocks[i + 1], table)))
                moved.Add(table);
        }
        if (moved.Count == 0) return blocks;
        var ordered = new List<ReportBlock>(blocks.Count);
        var placed = new HashSet<ReportTable>(ReferenceEqualityComparer.Instance);
        foreach (var block in blocks)
        {
            if (block is ReportTable t && moved.Contains(t)) continue;
            ordered.Add(block);
            if (block is ReportChart c && tables.TryGetValue(c.TableId, out var table) && moved.Contains(table)
                && placed.Add(table))
                ordered.Add(table);
        }
        return ordered;
    }

    public static bool IsNumeric(ReportCellKind kind) =>
        kind is ReportCellKind.Integer or ReportCellKind.Decimal or ReportCellKind.Percent or ReportCellKind.Money;
}
