using System.Globalization;

using SkiaSharp;

namespace Caravan.Features.Reports;

/// <summary>
/// Draws a report's charts with SkiaSharp: the same drawing as vectors on a PDF page and as a PNG for DOCX. Text in
/// the report's language and font; an unknown value (null) draws nothing, never a zero.
/// </summary>
public static class ReportCharts
{
    /// <summary>The width a chart is drawn at, in points: the PDF's text width.</summary>
    public const float Width = 482f;

    /// <summary>The PNG's pixels per point (3: about 216 dpi at the drawn size).</summary>
    public const float PngScale = 3f;

    // Okabe–Ito colours: told apart by readers with colour-blindness and in grey print.
    private static readonly SKColor[] Palette =
    [
        SKColor.Parse("#1F4E79"), SKColor.Parse("#E69F00"), SKColor.Parse("#009E73"), SKColor.Parse("#56B4E9"),
        SKColor.Parse("#D55E00"), SKColor.Parse("#CC79A7"), SKColor.Parse("#6B6B6B"), SKColor.Parse("#F0E442"),
    ];

    private static readonly SKColor Ink = SKColor.Parse("#222222");
    private static readonly SKColor Muted = SKColor.Parse("#555555");
    private static readonly SKColor Grid = SKColor.Parse("#D9DEE5");
    private static readonly SKColor TargetFill = SKColor.Parse("#D5DEE8");

    private const float TextSize = 8.5f;
    private const float LineHeight = 11f;

    /// <summary>The chart's size in points when drawn <paramref name="width"/> wide.</summary>
    public static SKSize Size(ReportChart chart, string language, float width = Width)
    {
        using var painter = new Painter(chart, language, width);
        return new SKSize(width, painter.Height);
    }

    /// <summary>Draws the chart with its top-left corner at <paramref name="origin"/> (vectors on a PDF page).</summary>
    public static void Draw(ReportChart chart, string language, SKCanvas canvas, SKPoint origin, float width = Width)
    {
        using var painter = new Painter(chart, language, width);
        canvas.Save();
        canvas.Translate(origin.X, origin.Y);
        painter.Paint(canvas);
        canvas.Restore();
    }

    /// <summary>The chart as a PNG (white background), <see cref="Width"/> points wide at <see cref="PngScale"/>.</summary>
    public static byte[] Png(ReportChart chart, string language, float width = Width, float scale = PngScale)
    {
        using var painter = new Painter(chart, language, width);
        var info = new SKImageInfo((int)MathF.Ceiling(width * scale), (int)MathF.Ceiling(painter.Height * scale),
            SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia cannot make a surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale(scale);
        painter.Paint(canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The pixel size of <see cref="Png"/>'s image.</summary>
    public static (int Width, int Height) PngSize(ReportChart chart, string language, float width = Width,
        float scale = PngScale)
    {
        var size = Size(chart, language, width);
        return ((int)MathF.Ceiling(width * scale), (int)MathF.Ceiling(size.Height * scale));
    }

    private sealed class Painter : IDisposable
    {
        private readonly ReportChart chart;
        private readonly CultureInfo culture;
        private readonly float width;
        private readonly SKFont font;
        private readonly List<(float X, float Y, int Series)> legend = [];
        private readonly float legendHeight;
        private readonly double min;
        private readonly double max;
        private readonly double step;
        private readonly float axisLabelWidth;
        private readonly List<List<string>> categoryLines;
        private readonly float categoryWidth;
        private readonly float plotHeight;

        public float Height { get; }

        public Painter(ReportChart chart, string language, float width)
        {
            this.chart = chart;
            this.width = width;
            culture = ReportText.Culture(language);
            font = ReportText.Font(TextSize);

            // The legend flows in rows above the plot.
            float x = 0, y = 0;
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var w = 14 + font.MeasureText(chart.Series[s].Name) + 14;
                if (x > 0 && x + w > width) { x = 0; y += LineHeight + 3; }
                legend.Add((x, y, s));
                x += w;
            }
            legendHeight = chart.Series.Count == 0 ? 0 : y + LineHeight + 10;

            (min, max) = Extent();
            step = NiceStep((max - min) / 5);
            min = Math.Floor(min / step) * step;
            max = Math.Max(Math.Ceiling(max / step) * step, min + step);
            axisLabelWidth = 0;
            for (var v = min; v <= max + step / 2; v += step)
                axisLabelWidth = Math.Max(axisLabelWidth, font.MeasureText(Tick(v)));

            var n = Math.Max(1, chart.Categories.Count);
            if (chart.Kind == ReportChartKind.Bar)
            {
                var left = AxisLeft;
                categoryWidth = (width - left) / n;
                categoryLines = chart.Categories.Select(c => Limit(ReportText.Wrap(c, font, categoryWidth - 4), 3)).ToList();
                var labelLines = categoryLines.Count == 0 ? 1 : categoryLines.Max(l => l.Count);
                plotHeight = 200;
                Height = legendHeight + plotHeight + 6 + labelLines * LineHeight + 4;
            }
            else
            {
                // Horizontal bars: the categories' names in a column at the left, at most 35% of the width.
                var longest = chart.Categories.Count == 0 ? 0 : chart.Categories.Max(c => font.MeasureText(c));
                categoryWidth = Math.Min(width * 0.35f, longest + 8);
                categoryLines = chart.Categories.Select(c => Limit(ReportText.Wrap(c, font, categoryWidth - 8), 3)).ToList();
                plotHeight = categoryLines.Sum(RowHeight);
                Height = legendHeight + plotHeight + 6 + LineHeight + (chart.ValueAxis is null ? 0 : LineHeight + 4) + 4;
            }
        }

        public void Dispose() => font.Dispose();

        private float AxisLeft => axisLabelWidth + 8 + (chart.ValueAxis is null ? 0 : LineHeight + 4);

        private static float RowHeight(List<string> lines) => Math.Max(22, lines.Count * LineHeight + 8);

        private static List<string> Limit(List<string> lines, int count)
        {
            if (lines.Count <= count) return lines;
            var kept = lines.Take(count).ToList();
            kept[^1] += "…";
            return kept;
        }

        private (double Min, double Max) Extent()
        {
            double lo = 0, hi = 0;
            if (chart.Kind == ReportChartKind.StackedBar)
            {
                for (var c = 0; c < chart.Categories.Count; c++)
                {
                    double pos = 0, neg = 0;
                    foreach (var s in chart.Series)
                        if (c < s.Values.Count && s.Values[c] is { } v) { if (v >= 0) pos += v; else neg += v; }
                    hi = Math.Max(hi, pos);
                    lo = Math.Min(lo, neg);
                }
            }
            else
            {
                foreach (var s in chart.Series)
                    foreach (var v in s.Values)
                        if (v is { } value && double.IsFinite(value)) { hi = Math.Max(hi, value); lo = Math.Min(lo, value); }
            }
            return hi == lo ? (lo, lo + 1) : (lo, hi);
        }

        private static double NiceStep(double raw)
        {
            if (raw <= 0 || !double.IsFinite(raw)) return 1;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var fraction = raw / magnitude;
            var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
            return nice * magnitude;
        }

        private string Tick(double v)
        {
            if (Math.Abs(v) < step / 1e6) v = 0;
            var decimals = step >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(step));
            return v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), culture);
        }

        private SKColor Colour(int series) =>
            chart.Kind == ReportChartKind.Progress
                ? series == 0 ? Palette[0] : TargetFill
                : Palette[series % Palette.Length];

        public void Paint(SKCanvas canvas)
        {
            using var text = new SKPaint { Color = Ink, IsAntialias = true };
            using var muted = new SKPaint { Color = Muted, IsAntialias = true };
            using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
            using var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f, Color = Grid };

            foreach (var (x, y, s) in legend)
            {
                fill.Color = Colour(s);
                canvas.DrawRect(x, y + 1.5f, 9, 9, fill);
                ReportText.Draw(canvas, chart.Series[s].Name, x + 13, y + 9.5f, font, text);
            }
            var top = legendHeight;
            if (chart.Kind == ReportChartKind.Bar) PaintColumns(canvas, top, text, muted, fill, line);
            else PaintRows(canvas, top, text, muted, fill, line);
        }

        private void PaintColumns(SKCanvas canvas, float top, SKPaint text, SKPaint muted, SKPaint fill, SKPaint line)
        {
            var left = AxisLeft;
            var bottom = top + plotHeight;
            float Y(double v) => bottom - (float)((v - min) / (max - min)) * plotHeight;
            for (var v = min; v <= max + step / 2; v += step)
            {
                var y = Y(v);
                canvas.DrawLine(left, y, width, y, line);
                ReportText.Draw(canvas, Tick(v), left - 5, y + 3, font, muted, SKTextAlign.Right);
            }
            if (chart.ValueAxis is { } axis)
            {
                canvas.Save();
                canvas.Translate(LineHeight - 2, top + plotHeight / 2);
                canvas.RotateDegrees(-90);
                ReportText.Draw(canvas, axis, 0, 0, font, muted, SKTextAlign.Center);
                canvas.Restore();
            }
            var seriesCount = Math.Max(1, chart.Series.Count);
            var groupInner = categoryWidth * 0.72f;
            var barWidth = groupInner / seriesCount;
            var zero = Y(Math.Clamp(0, min, max));
            for (var c = 0; c < chart.Categories.Count; c++)
            {
                var groupLeft = left + c * categoryWidth + (categoryWidth - groupInner) / 2;
                for (var s = 0; s < chart.Series.Count; s++)
                {
                    var values = chart.Series[s].Values;
                    if (c >= values.Count || values[c] is not { } value || !double.IsFinite(value)) continue;
                    fill.Color = Colour(s);
                    var x = groupLeft + s * barWidth;
                    var y = Y(value);
                    // A real zero is drawn as a thin mark on the axis, so it is not read as unknown (nothing drawn).
                    var rect = value == 0
                        ? new SKRect(x + 0.5f, zero - 1.5f, x + barWidth - 0.5f, zero - 0.4f)
                        : new SKRect(x + 0.5f, Math.Min(y, zero), x + barWidth - 0.5f, Math.Max(y, zero));
                    canvas.DrawRect(rect, fill);
                }
                var lines = categoryLines[c];
                for (var l = 0; l < lines.Count; l++)
                    ReportText.Draw(canvas, lines[l], left + c * categoryWidth + categoryWidth / 2,
                        bottom + 6 + (l + 1) * LineHeight - 2, font, text, SKTextAlign.Center);
            }
            using var axisLine = new SKPaint { Color = Muted, StrokeWidth = 0.8f, Style = SKPaintStyle.Stroke, IsAntialias = true };
            canvas.DrawLine(left, zero, width, zero, axisLine);
        }

        private void PaintRows(SKCanvas canvas, float top, SKPaint text, SKPaint muted, SKPaint fill, SKPaint line)
        {
            var left = categoryWidth;
            var right = width - axisLabelWidth / 2 - 2;
            var bottom = top + plotHeight;
            float X(double v) => left + (float)((v - min) / (max - min)) * (right - left);
            for (var v = min; v <= max + step / 2; v += step)
            {
                var x = X(v);
                canvas.DrawLine(x, top, x, bottom, line);
                ReportText.Draw(canvas, Tick(v), x, bottom + 6 + LineHeight - 2, font, muted, SKTextAlign.Center);
            }
            if (chart.ValueAxis is { } axis)
                ReportText.Draw(canvas, axis, (left + right) / 2, bottom + 6 + 2 * LineHeight + 2, font, muted, SKTextAlign.Center);
            var zero = X(Math.Clamp(0, min, max));
            var y = top;
            for (var c = 0; c < chart.Categories.Count; c++)
            {
                var lines = categoryLines[c];
                var h = RowHeight(lines);
                var textTop = y + (h - lines.Count * LineHeight) / 2;
                for (var l = 0; l < lines.Count; l++)
                    ReportText.Draw(canvas, lines[l], left - 8, textTop + (l + 1) * LineHeight - 2.5f, font, text, SKTextAlign.Right);
                var barTop = y + h * 0.2f;
                var barBottom = y + h * 0.8f;
                if (chart.Kind == ReportChartKind.StackedBar)
                {
                    double pos = 0, neg = 0;
                    for (var s = 0; s < chart.Series.Count; s++)
                    {
                        var values = chart.Series[s].Values;
                        if (c >= values.Count || values[c] is not { } value || !double.IsFinite(value) || value == 0) continue;
                        fill.Color = Colour(s);
                        var from = value >= 0 ? pos : neg + value;
                        var to = value >= 0 ? pos + value : neg;
                        if (value >= 0) pos += value; else neg += value;
                        canvas.DrawRect(new SKRect(X(from), barTop, X(to), barBottom), fill);
                    }
                }
                else
                {
                    // Progress: the target (second series) as a pale bar behind the achieved value (first series).
                    for (var s = Math.Min(chart.Series.Count, 2) - 1; s >= 0; s--)
                    {
                        var values = chart.Series[s].Values;
                        if (c >= values.Count || values[c] is not { } value || !double.IsFinite(value)) continue;
                        fill.Color = Colour(s);
                        var inset = s == 0 ? (barBottom - barTop) * 0.18f : 0;
                        var end = X(value);
                        var rect = value == 0
                            ? new SKRect(zero + 0.4f, barTop + inset, zero + 1.5f, barBottom - inset)
                            : new SKRect(Math.Min(zero, end), barTop + inset, Math.Max(zero, end), barBottom - inset);
                        canvas.DrawRect(rect, fill);
                    }
                }
                y += h;
            }
            using var axisLine = new SKPaint { Color = Muted, StrokeWidth = 0.8f, Style = SKPaintStyle.Stroke, IsAntialias = true };
            canvas.DrawLine(zero, top, zero, bottom, axisLine);
        }
    }
}
