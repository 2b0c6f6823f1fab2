using System.Globalization;
using System.Text.Json;
using Caravan.Features.Commitments;
using Caravan.Web.Features.Shared;

namespace Caravan.Tests.Unit;

public sealed class ChartTests
{
    [Fact]
    public void The_csv_holds_exactly_the_numbers_of_the_chart_with_gaps_left_empty()
    {
        var chart = new Chart("trade", "Trade", "USD bn", "bar", "Year", ["2022", "2023"],
            [new("China–Kazakhstan, total", [70.2m, null]), new("=SUM(A1)", [-1.5m, 89.4m])]);
        var csv = chart.Csv();
        Assert.StartsWith("\uFEFF", csv);
        Assert.Equal(["Year,\"China–Kazakhstan, total (USD bn)\",'=SUM(A1) (USD bn)", "2022,70.2,-1.5", "2023,,89.4", ""], csv[1..].Split("\r\n"));
        Assert.StartsWith("data:text/csv;charset=utf-8,", chart.CsvHref);
        Assert.Equal(csv, Uri.UnescapeDataString(chart.CsvHref["data:text/csv;charset=utf-8,".Length..]));
    }

    private static (int R, int G, int B) Rgb(string hex) =>
        (int.Parse(hex[1..3], NumberStyles.HexNumber), int.Parse(hex[3..5], NumberStyles.HexNumber), int.Parse(hex[5..7], NumberStyles.HexNumber));

    [Fact]
    public void Each_status_has_its_colour_green_amber_red_grey_and_its_own_pattern_and_symbol()
    {
        Assert.Same(StatusPalette.Complied, StatusPalette.Of(CommitmentStatus.Complied));
        Assert.Same(StatusPalette.Partly, StatusPalette.Of(CommitmentStatus.Partly));
        Assert.Same(StatusPalette.NotComplied, StatusPalette.Of(CommitmentStatus.NotComplied));
        Assert.Same(StatusPalette.NotAssessed, StatusPalette.Of(CommitmentStatus.NotAssessed));
        Assert.Null(StatusPalette.Of(CommitmentStatus.Cancelled));
        Assert.Equal(["complied", "partly", "not-complied", "not-assessed"], StatusPalette.All.Select(t => t.Key));

        var green = Rgb(StatusPalette.Complied.Color);
        Assert.True(green.G > green.R + 40 && green.G > green.B + 40, "complied is green");
        var amber = Rgb(StatusPalette.Partly.Color);
        Assert.True(amber.R > 200 && amber.G is > 120 and < 200 && amber.B < 60, "partly is amber");
        var red = Rgb(StatusPalette.NotComplied.Color);
        Assert.True(red.R > red.G + 100 && red.R > red.B + 100, "not complied is red");
        var grey = Rgb(StatusPalette.NotAssessed.Color);
        Assert.True(grey.R == grey.G && grey.G == grey.B, "not assessed is grey");

        // Told apart without colour: each its own pattern and symbol.
        Assert.Equal(4, StatusPalette.All.Select(t => t.Pattern).Distinct().Count());
        Assert.Equal(4, StatusPalette.All.Select(t => t.Symbol).Distinct().Count());
    }

    [Fact]
    public void The_stylesheet_marks_statuses_and_progress_bars_with_the_palette_of_the_charts()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Caravan.slnx"))) root = Path.GetDirectoryName(root)!;
        var css = File.ReadAllText(Path.Combine(root, "src", "Caravan.Web", "wwwroot", "css", "site.css"));
        foreach (var t in StatusPalette.All)
            Assert.Contains($".status-{t.Key}, .commitment-{t.Key} {{ --tone: {t.Color}; --symbol: \"{t.Symbol}\"; }}", css);
        // A tile's bar is segments of the status classes above, each drawn in its own status's colour.
        Assert.Contains(".status-bar > span { flex-basis: 0; background: var(--tone); }", css);
    }

    [Fact]
    public void The_spec_carries_each_status_with_its_colour_pattern_and_symbol()
    {
        var stacked = new Chart("directions", "By status", "commitments", "stacked", "Direction", ["Trade", "Connectivity"],
            [new("complied", [1m, 0m], StatusPalette.Complied), new("not complied", [0m, 2m], StatusPalette.NotComplied)]);
        var spec = JsonDocument.Parse(stacked.Spec).RootElement;
        var tone = spec.GetProperty("series")[1].GetProperty("tone");
        Assert.Equal(("not-complied", "#c62828", "cross", "✗"),
            (tone.GetProperty("key").GetString(), tone.GetProperty("color").GetString(), tone.GetProperty("pattern").GetString(), tone.GetProperty("symbol").GetString()));
        Assert.False(spec.TryGetProperty("categoryTones", out _));

        var bars = new Chart("status", "By status", "commitments", "bar", "Status", ["complied", "partly"], [new("Commitments", [3m, 1m])],
            [StatusPalette.Complied, StatusPalette.Partly]);
        spec = JsonDocument.Parse(bars.Spec).RootElement;
        Assert.Equal(["#2e7d32", "#e69f00"], spec.GetProperty("categoryTones").EnumerateArray().Select(t => t.GetProperty("color").GetString()));
        Assert.False(spec.GetProperty("series")[0].TryGetProperty("tone", out _));
    }

    [Fact]
    public void A_chart_with_nothing_known_or_only_zeros_is_empty_and_one_figure_is_enough_to_draw()
    {
        static Chart Of(IReadOnlyList<string> categories, params decimal?[] values) =>
            new("c", "T", "", "bar", "Year", categories, [new("S", values)]);
        Assert.True(Of([]).IsEmpty);
        Assert.True(Of(["2024", "2025"], null, null).IsEmpty);
        Assert.True(Of(["2024", "2025"], 0m, null).IsEmpty);
        Assert.False(Of(["2024", "2025"], null, 1.5m).IsEmpty);
        Assert.False(Of(["2024"], -2m).IsEmpty);
        Assert.True(new Chart("c", "T", "", "bar", "Year", ["2024"], []).IsEmpty);
    }
}
