using Caravan.Features.Reports;

namespace Caravan.Tests.Unit;

/// <summary>Line breaking in three scripts, the font chosen, and the order the writers lay blocks out in.</summary>
public sealed class ReportTextTests
{
    [Fact]
    public void The_font_is_the_simplified_chinese_face_of_the_noto_collection()
    {
        Assert.Equal("Noto Sans CJK SC", ReportFonts.Regular.FamilyName);
        using var font = ReportText.Font(10);
        // Latin, Cyrillic and Chinese all have glyphs (0 is .notdef, a missing glyph).
        Assert.DoesNotContain((ushort)0, font.GetGlyphs("Astana Республика 中华人民共和国"));
    }

    [Fact]
    public void Chinese_breaks_between_characters_but_never_before_closing_punctuation()
    {
        using var font = ReportText.Font(10);
        const string text = "在阿斯塔纳峰会前到期的承诺中，大部分已全部或部分落实。逾期自每项承诺本身规定的日期起计算。";
        var lines = ReportText.Wrap(text, font, 10 * 7.5f);
        Assert.True(lines.Count > 3);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, l => Assert.True(font.MeasureText(l) <= 75.01f, l));
        Assert.All(lines, l => Assert.DoesNotMatch("^[，。、；：）》]", l));
    }

    [Fact]
    public void Other_scripts_break_at_spaces_and_a_word_wider_than_the_line_between_its_letters()
    {
        using var font = ReportText.Font(10);
        var lines = ReportText.Wrap("Республика Казахстан ратифицировала соглашение", font, 120);
        Assert.Equal("Республика Казахстан ратифицировала соглашение", string.Join(" ", lines));
        Assert.All(lines, l => Assert.DoesNotContain("  ", l));
        Assert.All(lines, l => Assert.False(l.StartsWith(' ') || l.EndsWith(' ')));
        var word = new string('x', 80);
        var broken = ReportText.Wrap(word, font, 100);
        Assert.True(broken.Count > 1);
        Assert.Equal(word, string.Concat(broken));
        Assert.All(broken, l => Assert.True(font.MeasureText(l) <= 100.01f));
        // Digit groups joined by no-break spaces stay together.
        Assert.Single(ReportText.Wrap("1\u00A0500\u00A0000\u00A0000,00", font, 200));
    }

    [Fact]
    public void A_charts_table_is_laid_out_right_under_the_chart()
    {
        var table = new ReportTable("t", "Numbers", [new("a", "A", ReportCellKind.Text)], [], []);
        var chart = new ReportChart("c", "Chart", ReportChartKind.Bar, ["x"], [new("s", [1])], "t");
        var heading = new ReportHeading(1, "Part", "part");
        var ordered = ReportText.InReadingOrder([table, heading, chart]);
        Assert.Equal(new ReportBlock[] { heading, chart, table }, ordered);
        var second = chart with { Id = "c2" };
        Assert.Equal(new ReportBlock[] { chart, table, second }, ReportText.InReadingOrder([chart, table, second]));
    }
}
