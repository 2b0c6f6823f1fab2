using SkiaSharp;

namespace Caravan.Features.Reports;

/// <summary>
/// Lays a <see cref="ReportDocument"/> out as PDF with SkiaSharp's PDF backend (ADR 0028): A4 pages, a cover, the
/// contents with page numbers, tables split across pages under a repeated header row, charts as vectors, "Page X
/// of Y" and the draft mark on every page. Laid out twice — once to find the pages, once to write them — so the
/// contents can name pages and pages can name their count, without holding any page in memory.
/// </summary>
public static class ReportPdf
{
    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var blocks = ReportText.InReadingOrder(report.Blocks);
        using var fonts = new PdfFonts();

        var measure = new PdfLayout(report, blocks, fonts, null, null, 0);
        measure.Run();

        // Dates from the report's own day: the same report always gives the same bytes.
        var day = report.AsAt.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = report.Title,
            Subject = string.Join(" · ", new[] { report.Subtitle, report.Language }.Where(s => !string.IsNullOrEmpty(s))),
            Keywords = $"sha256:{report.ContentHash()} snapshot:{report.SnapshotId} lang:{report.Language}",
            Creator = "Caravan",
            Producer = "Caravan (SkiaSharp PDF)",
            Creation = day,
            Modified = day,
            RasterDpi = 300,
        };
        using var document = SKDocument.CreatePdf(output, metadata)
            ?? throw new InvalidOperationException("SkiaSharp cannot write a PDF here.");
        var write = new PdfLayout(report, blocks, fonts, document, measure.HeadingPages, measure.PageCount);
        write.Run();
        document.Close();
    }
}

internal sealed class PdfFonts : IDisposable
{
    public readonly SKFont Body = ReportText.Font(10);
    public readonly SKFont Lead = ReportText.Font(12);
    public readonly SKFont Note = ReportText.Font(8.5f);
    public readonly SKFont Small = ReportText.Font(7.5f);
    public readonly SKFont Cell = ReportText.Font(8.5f);
    public readonly SKFont CellBold = ReportText.Font(8.5f, bold: true);
    public readonly SKFont Caption = ReportText.Font(9.5f, bold: true);
    public readonly SKFont H1 = ReportText.Font(18, bold: true);
    public readonly SKFont H2 = ReportText.Font(14, bold: true);
    public readonly SKFont H3 = ReportText.Font(11.5f, bold: true);
    public readonly SKFont Title = ReportText.Font(26, bold: true);
    public readonly SKFont Subtitle = ReportText.Font(15);
    public readonly SKFont Figure = ReportText.Font(17, bold: true);
    public readonly SKFont Draft = ReportText.Font(9, bold: true);
    public readonly SKFont DraftCover = ReportText.Font(16, bold: true);

    public void Dispose()
    {
        foreach (var f in new[] { Body, Lead, Note, Small, Cell, CellBold, Caption, H1, H2, H3, Title, Subtitle, Figure, Draft, DraftCover })
            f.Dispose();
    }
}

/// <summary>One pass of the layout: measuring (no document) or writing.</summary>
internal sealed class PdfLayout
{
    private const float PageWidth = 595.28f;
    private const float PageHeight = 841.89f;
    private const float Left = 56.7f;
    private const float Right = PageWidth - 56.7f;
    private const float Top = 70f;
    private const float Bottom = PageHeight - 62f;
    private const float TextWidth = Right - Left;
    private const float CellPad = 4f;

    private static readonly SKColor Ink = SKColor.Parse("#1A1A1A");
    private static readonly SKColor Muted = SKColor.Parse("#5A5F66");
    private static readonly SKColor Accent = SKColor.Parse("#1F4E79");
    private static readonly SKColor Rule = SKColor.Parse("#B7C0CC");
    private static readonly SKColor HeaderFill = SKColor.Parse("#E6ECF3");
    private static readonly SKColor Stripe = SKColor.Parse("#F6F8FA");
    private static readonly SKColor DraftRed = SKColor.Parse("#B00020");

    private readonly ReportDocument report;
    private readonly IReadOnlyList<ReportBlock> blocks;
    private readonly PdfFonts f;
    private readonly SKDocument? document;
    private readonly IReadOnlyDictionary<string, int>? knownPages;
    private readonly int knownPageCount;
    private readonly SKNoDrawCanvas? nothing;
    private readonly SKPaint ink = new() { Color = Ink, IsAntialias = true };
    private readonly SKPaint muted = new() { Color = Muted, IsAntialias = true };
    private readonly SKPaint accent = new() { Color = Accent, IsAntialias = true };
    private readonly SKPaint red = new() { Color = DraftRed, IsAntialias = true };
    private readonly SKPaint fill = new() { Style = SKPaintStyle.Fill, IsAntialias = true };
    private readonly SKPaint rule = new() { Color = Rule, StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };

    private SKCanvas canvas = null!;
    private bool pageOpen;
    private float y;
    private int tableNumber;
    private int figureNumber;

    public Dictionary<string, int> HeadingPages { get; } = new(StringComparer.Ordinal);
    public int PageCount { get; private set; }

    public PdfLayout(ReportDocument report, IReadOnlyList<ReportBlock> blocks, PdfFonts fonts, SKDocument? document,
        IReadOnlyDictionary<string, int>? knownPages, int knownPageCount)
    {
        this.report = report;
        this.blocks = blocks;
        f = fonts;
        this.document = document;
        this.knownPages = knownPages;
        this.knownPageCount = knownPageCount;
        if (document is null) nothing = new SKNoDrawCanvas((int)PageWidth, (int)PageHeight);
    }

    private string Lang => report.Language;

    public void Run()
    {
        try
        {
            Cover();
            // What comes before the contents (the period, the day the figures stand at, what is shown) is the cover's.
            var first = 0;
            if (blocks.Any(b => b is ReportContents))
                for (y += 24; blocks[first] is not ReportContents; first++)
                    if (blocks[first] is ReportParagraph p) Paragraph(p);
            NewPage();
            foreach (var block in blocks.Skip(first))
            {
                switch (block)
                {
                    case ReportHeading h: Heading(h); break;
                    case ReportParagraph p: Paragraph(p); break;
                    case ReportContents: Contents(); break;
                    case ReportPageBreak: if (y > Top) NewPage(); break;
                    case ReportFigures figures: Figures(figures); break;
                    case ReportTable t: Table(t); break;
                    case ReportChart c: Chart(c); break;
                }
            }
            EndPage();
        }
        finally
        {
            nothing?.Dispose();
            foreach (var p in new[] { ink, muted, accent, red, fill, rule }) p.Dispose();
        }
    }

    // ---- pages ----

    private void NewPage()
    {
        EndPage();
        PageCount++;
        canvas = document is null ? nothing! : document.BeginPage(PageWidth, PageHeight);
        pageOpen = true;
        y = Top;
        Furniture();
    }

    private void EndPage()
    {
        if (!pageOpen) return;
        if (document is not null) document.EndPage();
        pageOpen = false;
    }

    // The draft mark above and the page number below every page's text.
    private void Furniture()
    {
        if (report.DraftMark is { } mark)
        {
            var w = f.Draft.MeasureText(mark) + 16;
            var box = new SKRect(PageWidth / 2 - w / 2, 28, PageWidth / 2 + w / 2, 44);
            using var frame = new SKPaint { Color = DraftRed, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = true };
            canvas.DrawRect(box, frame);
            ReportText.Draw(canvas, mark, PageWidth / 2, 39.5f, f.Draft, red, SKTextAlign.Center);
        }
        canvas.DrawLine(Left, PageHeight - 46, Right, PageHeight - 46, rule);
        var title = Fit(report.Title, f.Small, TextWidth - 110);
        ReportText.Draw(canvas, title, Left, PageHeight - 34, f.Small, muted);
        var pages = knownPageCount > 0 ? knownPageCount : 999;
        ReportText.Draw(canvas, ReportText.PageOf(report.Labels, PageCount, pages), Right, PageHeight - 34, f.Small,
            muted, SKTextAlign.Right);
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width) return text;
        var lines = ReportText.Wrap(text, font, width - font.MeasureText("…"));
        return lines[0] + "…";
    }

    private void Ensure(float height)
    {
        if (y + height > Bottom && y > Top) NewPage();
    }

    private float Lines(IEnumerable<string> lines, SKFont font, SKPaint paint, float x, float lineHeight,
        SKTextAlign align = SKTextAlign.Left)
    {
        var drawn = 0f;
        foreach (var line in lines)
        {
            Ensure(lineHeight);
            ReportText.Draw(canvas, line, x, y + lineHeight * 0.78f, font, paint, align);
            y += lineHeight;
            drawn += lineHeight;
        }
        return drawn;
    }

    // ---- blocks ----

    private void Cover()
    {
        NewPage();
        fill.Color = Accent;
        canvas.DrawRect(new SKRect(Left, 150, Left + 60, 155), fill);
        y = 185;
        foreach (var line in ReportText.Wrap(report.Title, f.Title, TextWidth))
        {
            ReportText.Draw(canvas, line, Left, y + 26, f.Title, ink);
            y += 34;
        }
        if (report.Subtitle is { } subtitle)
        {
            y += 10;
            foreach (var line in ReportText.Wrap(subtitle, f.Subtitle, TextWidth))
            {
                ReportText.Draw(canvas, line, Left, y + 15, f.Subtitle, muted);
                y += 21;
            }
        }
        if (!blocks.Any(b => b is ReportContents))
        {
            // No cover text of the report's own: the day its figures stand at.
            y += 24;
            ReportText.Draw(canvas, ReportText.LongDate(report.AsAt, Lang), Left, y + 12, f.Lead, ink);
            y += 30;
        }
        if (report.DraftMark is { } mark)
        {
            y += 20;
            foreach (var line in ReportText.Wrap(mark, f.DraftCover, TextWidth))
            {
                ReportText.Draw(canvas, line, Left, y + 16, f.DraftCover, red);
                y += 22;
            }
        }
    }

    private void Heading(ReportHeading heading)
    {
        var (font, size, before, after) = heading.Level switch
        {
            1 => (f.H1, 18f, 14f, 8f),
            2 => (f.H2, 14f, 12f, 5f),
            _ => (f.H3, 11.5f, 9f, 3f),
        };
        var lineHeight = size * 1.35f;
        var lines = ReportText.Wrap(heading.Text, font, TextWidth);
        // Kept with what follows: never the last thing on a page.
        if (y > Top) y += before;
        Ensure(lines.Count * lineHeight + after + 50);
        HeadingPages.TryAdd(heading.Anchor, PageCount);
        if (document is not null) canvas.DrawNamedDestinationAnnotation(new SKPoint(Left, y), heading.Anchor);
        Lines(lines, font, heading.Level == 1 ? accent : ink, Left, lineHeight);
        if (heading.Level == 1)
        {
            canvas.DrawLine(Left, y + 2, Right, y + 2, rule);
            y += 4;
        }
        y += after;
    }

    private void Paragraph(ReportParagraph paragraph)
    {
        var (font, paint, lineHeight) = paragraph.Style switch
        {
            ReportParagraphStyle.Lead => (f.Lead, ink, 17f),
            ReportParagraphStyle.Note => (f.Note, muted, 11.5f),
            _ => (f.Body, ink, 14.5f),
        };
        Lines(ReportText.Wrap(paragraph.Text, font, TextWidth), font, paint, Left, lineHeight);
        y += paragraph.Style == ReportParagraphStyle.Note ? 5 : 7;
    }

    private void Contents()
    {
        if (y > Top) NewPage();
        Lines([report.Labels.Contents], f.H1, accent, Left, 24);
        y += 10;
        const float numberWidth = 36;
        foreach (var heading in blocks.OfType<ReportHeading>().Where(h => h.Level <= 2))
        {
            var indent = heading.Level == 1 ? 0 : 16;
            var font = heading.Level == 1 ? f.CellBold : f.Body;
            var lineHeight = heading.Level == 1 ? 16f : 14f;
            if (heading.Level == 1) y += 4;
            var lines = ReportText.Wrap(heading.Text, heading.Level == 1 ? f.Caption : f.Body, TextWidth - indent - numberWidth - 10);
            Ensure(lines.Count * lineHeight);
            var entryTop = y;
            var last = 0f;
            foreach (var line in lines)
            {
                last = ReportText.Draw(canvas, line, Left + indent, y + lineHeight * 0.78f, heading.Level == 1 ? f.Caption : f.Body, ink);
                y += lineHeight;
            }
            var page = knownPages is not null && knownPages.TryGetValue(heading.Anchor, out var p) ? p : 0;
            var baseline = y - lineHeight * 0.22f;
            // Dot leaders from the entry's last line to its page number.
            var dots = Left + indent + last + 6;
            var end = Right - numberWidth + 4;
            using var dot = new SKPaint { Color = Rule, IsAntialias = true, Style = SKPaintStyle.Fill };
            for (var x = dots; x < end; x += 4) canvas.DrawCircle(x, baseline - 1, 0.5f, dot);
            if (page > 0)
                ReportText.Draw(canvas, page.ToString(ReportText.Culture(Lang)), Right, baseline, font, ink, SKTextAlign.Right);
            if (document is not null)
                canvas.DrawLinkDestinationAnnotation(new SKRect(Left, entryTop, Right, y), heading.Anchor);
        }
        y += 10;
    }

    private void Figures(ReportFigures figures)
    {
        const int perRow = 3;
        const float gap = 10;
        var boxWidth = (TextWidth - gap * (perRow - 1)) / perRow;
        for (var start = 0; start < figures.Items.Count; start += perRow)
        {
            var row = figures.Items.Skip(start).Take(perRow).ToList();
            var laid = row.Select(item => (
                Item: item,
                Value: item.Value,
                Label: ReportText.Wrap(item.Label, f.Note, boxWidth - 16),
                Sources: item.Sources.Count == 0 ? [] : ReportText.Wrap(
                    ReportText.SourcesLine(report.Labels.Sources, item.Sources, Lang), f.Small, boxWidth - 16))).ToList();
            var height = laid.Max(b => 22 + b.Label.Count * 11.5f + b.Sources.Count * 9.5f) + 20;
            Ensure(height + gap);
            for (var i = 0; i < laid.Count; i++)
            {
                var x = Left + i * (boxWidth + gap);
                fill.Color = Stripe;
                canvas.DrawRect(new SKRect(x, y, x + boxWidth, y + height), fill);
                fill.Color = Accent;
                canvas.DrawRect(new SKRect(x, y, x + 3, y + height), fill);
                var by = y + 8;
                // A large number is set smaller rather than broken across lines.
                var valueWidth = f.Figure.MeasureText(laid[i].Value);
                using (var value = ReportText.Font(Math.Min(f.Figure.Size, f.Figure.Size * (boxWidth - 16) / Math.Max(valueWidth, 1)), bold: true))
                    ReportText.Draw(canvas, laid[i].Value, x + 10, by + 17, value, accent);
                by += 22;
                foreach (var line in laid[i].Label) { ReportText.Draw(canvas, line, x + 10, by + 9, f.Note, ink); by += 11.5f; }
                by += 3;
                foreach (var line in laid[i].Sources) { ReportText.Draw(canvas, line, x + 10, by + 7.5f, f.Small, muted); by += 9.5f; }
            }
            y += height + gap;
        }
        y += 4;
    }

    private void Caption(string prefix, int number, string caption)
    {
        var lines = ReportText.Wrap(ReportText.Caption(prefix, number, caption, Lang), f.Caption, TextWidth);
        Lines(lines, f.Caption, ink, Left, 13);
        y += 3;
    }

    private void Sources(IReadOnlyList<string> sources)
    {
        if (sources.Count == 0) return;
        y += 3;
        Lines(ReportText.Wrap(ReportText.SourcesLine(report.Labels.Sources, sources, Lang), f.Note, TextWidth), f.Note, muted, Left, 11);
    }

    private void Chart(ReportChart chart)
    {
        figureNumber++;
        var size = ReportCharts.Size(chart, Lang, TextWidth);
        var captionLines = ReportText.Wrap(ReportText.Caption(report.Labels.Figure, figureNumber, chart.Caption, Lang), f.Caption, TextWidth);
        Ensure(captionLines.Count * 13 + 3 + size.Height + 6);
        Caption(report.Labels.Figure, figureNumber, chart.Caption);
        ReportCharts.Draw(chart, Lang, canvas, new SKPoint(Left, y), TextWidth);
        y += size.Height + 6;
        // The chart's numbers and sources are in its table, laid out right under it (ReportText.InReadingOrder).
        y += 6;
    }

    private void Table(ReportTable table)
    {
        tableNumber++;
        var columns = table.Columns;
        var widths = ColumnWidths(table);
        var captionLines = ReportText.Wrap(ReportText.Caption(report.Labels.Table, tableNumber, table.Caption, Lang), f.Caption, TextWidth);
        var header = columns.Select((c, i) => ReportText.Wrap(c.Title, f.CellBold, widths[i] - 2 * CellPad)).ToList();
        var headerHeight = header.Max(l => l.Count) * 10.5f + 2 * CellPad;
        var firstRow = table.Rows.Count == 0 ? 20 : RowHeight(table.Rows[0], widths);
        // The caption stays with the header row and the first row.
        Ensure(captionLines.Count * 13 + 3 + headerHeight + firstRow);
        Caption(report.Labels.Table, tableNumber, table.Caption);
        HeaderRow(header, headerHeight, widths, columns);
        if (table.Rows.Count == 0)
        {
            Ensure(20);
            ReportText.Draw(canvas, report.Labels.NoRows, Left + CellPad, y + 13, f.Cell, muted);
            y += 20;
            canvas.DrawLine(Left, y, Right, y, rule);
        }
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var lines = new List<string>[columns.Count];
            var lineCount = 1;
            for (var c = 0; c < columns.Count; c++)
            {
                var text = c < row.Count ? row[c].Text : "";
                lines[c] = ReportText.Wrap(text, f.Cell, widths[c] - 2 * CellPad);
                lineCount = Math.Max(lineCount, lines[c].Count);
            }
            var height = lineCount * 10.5f + 2 * CellPad;
            if (y + height > Bottom)
            {
                NewPage();
                HeaderRow(header, headerHeight, widths, columns);
            }
            if (r % 2 == 1)
            {
                fill.Color = Stripe;
                canvas.DrawRect(new SKRect(Left, y, Left + widths.Sum(), y + height), fill);
            }
            Cells(lines, widths, columns, f.Cell);
            y += height;
            canvas.DrawLine(Left, y, Left + widths.Sum(), y, rule);
        }
        Sources(table.Sources);
        y += 12;
    }

    private float RowHeight(IReadOnlyList<ReportCell> row, float[] widths)
    {
        var count = 1;
        for (var c = 0; c < widths.Length && c < row.Count; c++)
            count = Math.Max(count, ReportText.Wrap(row[c].Text, f.Cell, widths[c] - 2 * CellPad).Count);
        return count * 10.5f + 2 * CellPad;
    }

    private void HeaderRow(List<List<string>> header, float height, float[] widths, IReadOnlyList<ReportColumn> columns)
    {
        fill.Color = HeaderFill;
        var total = widths.Sum();
        canvas.DrawRect(new SKRect(Left, y, Left + total, y + height), fill);
        using var strong = new SKPaint { Color = Accent, StrokeWidth = 1f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        canvas.DrawLine(Left, y, Left + total, y, strong);
        Cells(header, widths, columns, f.CellBold);
        y += height;
        canvas.DrawLine(Left, y, Left + total, y, strong);
    }

    /// <summary>One row's cells, already wrapped, from the top of the row: numbers right-aligned, text left.</summary>
    private void Cells(IReadOnlyList<List<string>> lines, float[] widths, IReadOnlyList<ReportColumn> columns, SKFont font)
    {
        var x = Left;
        for (var c = 0; c < lines.Count; c++)
        {
            var numeric = ReportText.IsNumeric(columns[c].Kind);
            for (var l = 0; l < lines[c].Count; l++)
            {
                var baseline = y + CellPad + (l + 1) * 10.5f - 2.6f;
                if (numeric) ReportText.Draw(canvas, lines[c][l], x + widths[c] - CellPad, baseline, font, ink, SKTextAlign.Right);
                else ReportText.Draw(canvas, lines[c][l], x + CellPad, baseline, font, ink);
            }
            x += widths[c];
        }
    }

    // Columns sized to their content: numbers and dates as wide as their widest value (they never wrap), each text
    // column at least its longest word and otherwise in proportion to its cells' average length, so that long texts
    // share the lines and rows stay short.
    private float[] ColumnWidths(ReportTable table)
    {
        var n = table.Columns.Count;
        var least = new float[n];
        var most = new float[n];
        var total = new double[n];
        var pad = 2 * CellPad + 1;
        for (var c = 0; c < n; c++)
        {
            // A Chinese title may break anywhere, but not into single characters: up to four on a line.
            var title = table.Columns[c].Title;
            least[c] = Math.Max(title.EnumerateRunes().Any(r => ReportText.IsCjk(r.Value))
                ? Math.Min(f.CellBold.MeasureText(title), f.CellBold.Size * 4.2f)
                : LongestPiece(title, f.CellBold), 24);
            most[c] = least[c];
        }
        foreach (var row in table.Rows)
        {
            for (var c = 0; c < n && c < row.Count; c++)
            {
                var text = row[c].Text;
                if (text.Length == 0) continue;
                var whole = f.Cell.MeasureText(text);
                most[c] = Math.Max(most[c], whole);
                total[c] += whole;
                if (!Fixed(table.Columns[c].Kind)) least[c] = Math.Max(least[c], Math.Min(LongestPiece(text, f.Cell), TextWidth / 4));
            }
        }
        var widths = new float[n];
        var textColumns = Enumerable.Range(0, n).Where(c => !Fixed(table.Columns[c].Kind)).ToList();
        for (var c = 0; c < n; c++) widths[c] = (Fixed(table.Columns[c].Kind) ? most[c] : least[c]) + pad;
        if (most.Sum() + n * pad <= TextWidth)
        {
            // Everything fits on one line: the spare width goes to the text columns.
            var spare = TextWidth - most.Sum() - n * pad;
            for (var c = 0; c < n; c++)
                widths[c] = most[c] + pad + (textColumns.Count == 0 ? spare / n : textColumns.Contains(c) ? spare / textColumns.Count : 0);
            return widths;
        }
        var rest = TextWidth - widths.Where((_, c) => !textColumns.Contains(c)).Sum();
        var rows = Math.Max(1, table.Rows.Count);
        var weight = textColumns.ToDictionary(c => c, c => Math.Max(total[c] / rows, least[c]));
        var weights = weight.Values.Sum();
        // Shares below a column's longest word are raised to it, and the others share what is left.
        var free = new HashSet<int>(textColumns);
        var left = rest;
        bool changed;
        do
        {
            changed = false;
            var freeWeight = free.Sum(c => weight[c]);
            foreach (var c in free.ToList())
            {
                if (left * weight[c] / freeWeight < least[c] + pad)
                {
                    widths[c] = least[c] + pad;
                    left -= widths[c];
                    free.Remove(c);
                    changed = true;
                }
            }
        }
        while (changed && free.Count > 0);
        var remainingWeight = free.Sum(c => weight[c]);
        foreach (var c in free) widths[c] = (float)(left * weight[c] / remainingWeight);
        var sum = widths.Sum();
        // Too many columns for the page: everything scaled down, text broken inside words where it must.
        if (sum > TextWidth + 0.5f)
            for (var c = 0; c < n; c++) widths[c] *= TextWidth / sum;
        return widths;
    }

    private static bool Fixed(ReportCellKind kind) => ReportText.IsNumeric(kind) || kind == ReportCellKind.Date;

    private static float LongestPiece(string text, SKFont font)
    {
        var longest = 0f;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Chinese may break anywhere, but a column narrower than six characters reads as a list of characters:
            // a state's name keeps to two lines.
            var w = word.EnumerateRunes().Any(r => ReportText.IsCjk(r.Value))
                ? Math.Min(font.MeasureText(word), font.Size * 6.2f)
                : font.MeasureText(word);
            longest = Math.Max(longest, w);
        }
        return longest;
    }
}
