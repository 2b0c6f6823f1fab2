using System.Globalization;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

public sealed class LocalizedTextTests
{
    [Fact]
    public void Gives_the_readers_language_when_it_exists()
    {
        var text = new LocalizedText { En = "Astana Declaration", Zh = "阿斯塔纳宣言", Ru = "Астанинская декларация" };
        Assert.Equal(new LocalizedValue("阿斯塔纳宣言", "zh", false), text.Pick("zh"));
        Assert.Equal(new LocalizedValue("Астанинская декларация", "ru", false), text.Pick(new CultureInfo("ru-RU")));
    }

    [Fact]
    public void Falls_back_to_another_language_and_says_which()
    {
        var text = new LocalizedText { Zh = "中国—中亚减贫合作中心" };
        Assert.Equal(new LocalizedValue("中国—中亚减贫合作中心", "zh", true), text.Pick("ru"));
        Assert.Equal("en", new LocalizedText { En = "x", Ru = "y" }.Pick("zh").Language);
    }

    [Fact]
    public void Has_nothing_to_give_when_no_language_has_a_text()
    {
        Assert.False(new LocalizedText().Pick("en").HasValue);
        Assert.True(new LocalizedText { En = " " }.IsEmpty);
    }
}

public sealed class QuantityTests
{
    [Theory]
    [InlineData(1_500_000_000, "en", "1.5 billion")]
    [InlineData(1_500_000_000, "zh", "15亿")]
    [InlineData(1_500_000_000, "ru", "1,5 млрд")]
    [InlineData(26_000_000_000, "zh", "260亿")]
    [InlineData(500_000_000, "en", "500 million")]
    [InlineData(3000, "en", "3,000")]
    [InlineData(3000, "zh", "3,000")]
    [InlineData(94.82, "ru", "94,82")]
    public void Writes_large_figures_in_the_readers_own_units(decimal value, string culture, string expected) =>
        Assert.Equal(expected, Quantity.Format(value, new CultureInfo(culture)).Replace('\u00A0', ' ').Replace('\u202F', ' '));
}
