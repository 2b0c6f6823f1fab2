using System.Globalization;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

public sealed class PartialDateTests
{
    [Theory]
    [InlineData("2025", 2025, null, null)]
    [InlineData("2025-07", 2025, 7, null)]
    [InlineData("2025-06-17", 2025, 6, 17)]
    public void Parses_a_date_known_to_the_year_month_or_day(string text, int year, int? month, int? day)
    {
        var date = PartialDate.Parse(text);
        Assert.Equal((year, month, day), (date.Year, date.Month, date.Day));
        Assert.Equal(text, date.ToIso());
    }

    [Theory]
    [InlineData("2025-13")]
    [InlineData("2025-02-30")]
    [InlineData("17.06.2025")]
    [InlineData("2025-6-17")]
    [InlineData("")]
    public void Refuses_what_is_not_a_date(string text) => Assert.False(PartialDate.TryParse(text, out _));

    [Fact]
    public void A_month_spans_from_its_first_to_its_last_day()
    {
        var date = PartialDate.Parse("2024-02");
        Assert.Equal(new DateOnly(2024, 2, 1), date.Earliest);
        Assert.Equal(new DateOnly(2024, 2, 29), date.Latest);
    }

    [Theory]
    [InlineData("2025-06-17", "en", "17 June 2025")]
    [InlineData("2025-06-17", "zh", "2025年6月17日")]
    [InlineData("2025-06-17", "ru", "17 июня 2025 г.")]
    [InlineData("2025-07", "en", "July 2025")]
    [InlineData("2025-07", "zh", "2025年7月")]
    [InlineData("2025-07", "ru", "июль 2025 г.")]
    [InlineData("2027", "zh", "2027年")]
    [InlineData("2027", "ru", "2027")]
    public void Is_written_as_the_reader_writes_dates_at_the_precision_known(string iso, string culture, string expected) =>
        Assert.Equal(expected, PartialDate.Parse(iso).Format(new CultureInfo(culture)));

    [Fact]
    public void Sorts_in_calendar_order() =>
        Assert.Equal(["2023", "2023-05-19", "2024-03", "2025-06-17"],
            new[] { "2025-06-17", "2023-05-19", "2024-03", "2023" }.Select(PartialDate.Parse).Order().Select(d => d.ToIso()));
}
