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
}
