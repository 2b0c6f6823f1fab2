using Caravan.Features.Reports;

using SkiaSharp;

namespace Caravan.Tests.Unit;

/// <summary>The report's charts, drawn with SkiaSharp: unknown values draw nothing, a zero draws a hairline.</summary>
public sealed class ReportChartsTests
{
    private static ReportChart Chart(ReportChartKind kind, double? second) => new(
        "c", "Money committed", kind, ["Республика Казахстан", "中华人民共和国"],
        [new("RMB million", [10, second])], "t", "RMB million");

    // Pixels of the series' colour (#1F4E79) in the half of the image where the second category's bar is drawn.
    private static int BarPixels(ReportChartKind kind, double? second)
    {
        using var bitmap = SKBitmap.Decode(ReportCharts.Png(Chart(kind, second), "ru"));
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var inSecond = kind == ReportChartKind.Bar ? x > bitmap.Width * 0.62 : y > bitmap.Height * 0.5;
                var p = bitmap.GetPixel(x, y);
                if (inSecond && Math.Abs(p.Red - 0x1F) < 12 && Math.Abs(p.Green - 0x4E) < 12 && Math.Abs(p.Blue - 0x79) < 12) count++;
            }
        }
        return count;
    }

    [Theory]
    [InlineData(ReportChartKind.Bar)]
    [InlineData(ReportChartKind.Progress)]
    public void An_unknown_value_draws_nothing_and_a_zero_is_not_drawn_as_unknown(ReportChartKind kind)
    {
        var unknown = BarPixels(kind, null);
        var zero = BarPixels(kind, 0);
        var five = BarPixels(kind, 5);
        Assert.Equal(0, unknown);
        Assert.InRange(zero, 1, five / 4);
        Assert.True(five > 500, $"{five} pixels for a value of 5");
    }

    [Fact]
    public void A_chart_is_drawn_the_same_every_time_at_its_stated_size()
    {
        var chart = new ReportChart("s", "Commitments by status", ReportChartKind.StackedBar,
            ["中华人民共和国", "Republic of Kazakhstan"], [new("Complied", [3, null]), new("Partly", [2, 4])], "t");
        var png = ReportCharts.Png(chart, "zh");
        Assert.Equal(png, ReportCharts.Png(chart, "zh"));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(ReportCharts.PngSize(chart, "zh"), (bitmap.Width, bitmap.Height));
        Assert.Equal((int)MathF.Ceiling(ReportCharts.Width * ReportCharts.PngScale), bitmap.Width);
    }
}
