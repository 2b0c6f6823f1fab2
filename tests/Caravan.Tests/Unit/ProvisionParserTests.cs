using Caravan.Features.Documents;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>Splitting texts into numbered provisions, in the mechanism's languages; tests bring their own sample texts.</summary>
public sealed class ProvisionParserTests
{
    private const string English = """
        The Parties, guided by the purposes and principles of the Charter of the United Nations,
        have agreed as follows:
        Article 1
        The Parties shall develop relations of permanent good-neighbourliness.
        Article 2
        1. The Parties shall respect each other's sovereignty.
        2. The Parties shall settle disputes by peaceful means:
        (a) by consultation;
        (b) by negotiation.
        Article 3
        This Treaty shall enter into force on the thirtieth day after the last notification.
        """;

    private const string Russian = """
        Стороны, руководствуясь целями и принципами Устава ООН, договорились о нижеследующем:
        Статья 1
        Стороны развивают отношения вечного добрососедства.
        Статья 2
        1. Стороны уважают суверенитет друг друга.
        2. Стороны разрешают споры мирными средствами:
        а) путём консультаций;
        б) путём переговоров.
        Статья 3
        Настоящий Договор вступает в силу на тридцатый день после последнего уведомления.
        """;

    private const string Chinese = """
        缔约各方遵循《联合国宪章》宗旨和原则，达成协议如下：
        第一条
        缔约各方发展永久睦邻关系。
        第二条
        1. 缔约各方相互尊重主权。
        2. 缔约各方以和平方式解决争端：
        (a) 通过协商；
        (b) 通过谈判。
        第三条
        本条约自最后一份通知之日后第三十日起生效。
        """;

    [Fact]
    public void Three_languages_split_into_the_same_numbers_so_they_align()
    {
        var numbers = new[] { English, Russian, Chinese }.Select(t => ProvisionParser.Parse(t)).Select(r =>
        {
            Assert.Empty(r.Problems);
            return string.Join(" ", r.Provisions.Select(p => p.Number));
        }).ToList();
        Assert.All(numbers, n => Assert.Equal("preamble 1 2 2.1 2.2 2.2.a 2.2.b 3", n.Replace("2.2.а", "2.2.a", StringComparison.Ordinal).Replace("2.2.б", "2.2.b", StringComparison.Ordinal)));
        var (en, _) = ProvisionParser.Parse(English);
        Assert.Equal(("Article 1", "The Parties shall develop relations of permanent good-neighbourliness."), (en[1].Label, en[1].Text));
        Assert.Equal("by consultation;", en[5].Text);
        Assert.Contains("have agreed as follows:", en[0].Text); // a line without a marker continues the text before it
    }

    [Theory]
    [InlineData("一", 1)]
    [InlineData("十", 10)]
    [InlineData("十五", 15)]
    [InlineData("二十", 20)]
    [InlineData("三十七", 37)]
    [InlineData("一百", 100)]
    [InlineData("12", 12)]
    public void Chinese_article_numbers(string text, int expected) => Assert.Equal(expected, ProvisionParser.ChineseNumber(text));

    [Fact]
    public void A_repeated_or_skipped_number_is_reported_with_its_line_and_nothing_is_kept()
    {
        var (provisions, problems) = ProvisionParser.Parse("Article 1\nText.\nArticle 3\nMore.\n1. First\n1. Again");
        Assert.Empty(provisions);
        Assert.Equal([(3, "provision.skipped", "2"), (6, "provision.repeated", "2")], problems.Select(p => (p.Line, p.Code.Key, p.Message.Detail()!)));
        Assert.Equal("provision.none", Assert.Single(ProvisionParser.Parse("Just a paragraph of text.").Problems).Code.Key);
    }

    [Fact]
    public void Plain_numbered_paragraphs_without_articles()
    {
        var (provisions, problems) = ProvisionParser.Parse("1. The six states declare 2025–2026 years of high-quality development.\n2) They agree on six priority directions.\n3．各方同意。");
        Assert.Empty(problems);
        Assert.Equal(["1", "2", "3"], provisions.Select(p => p.Number));
    }
}
