using System.Xml.Linq;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Web.Features.Projects;
using CsCheck;

namespace Caravan.Tests.Unit;

/// <summary>The pure parts of the projects portal: adding money up across currencies, shares, narratives, search text, the map's view.</summary>
public sealed class ProjectTotalsTests
{
    private static readonly ExchangeRate[] Rates =
    [
        new("USD", "CNY", new DateOnly(2025, 1, 2), 7.2993m, "pboc"),
        new("USD", "CNY", new DateOnly(2025, 6, 17), 7.1811m, "pboc"),
        new("USD", "KZT", new DateOnly(2025, 6, 17), 510.26m, "nbk"),
        new("EUR", "USD", new DateOnly(2025, 1, 1), 1.05m, "ecb"),
    ];

    private static readonly CurrencyConverter Converter = new(Rates);

    [Fact]
    public void A_tally_converts_each_sum_at_its_value_date_keeps_what_has_no_rate_apart_and_names_the_rates_used()
    {
        var tally = new MoneyTally(Converter, "USD");
        tally.Add("KG", 300_000_000m, "CNY", new DateOnly(2025, 6, 20));
        tally.Add("KG", 1_000m, "CNY", new DateOnly(2025, 3, 1));
        tally.Add("KZ", 5_000_000_000m, "KZT", new DateOnly(2023, 5, 10)); // before any tenge rate
        tally.Add("KZ", 12m, "USD", new DateOnly(2020, 1, 1));
        tally.Add(null, 100m, "EUR", new DateOnly(2025, 2, 1));
        var lines = tally.Lines().ToDictionary(l => l.Key ?? "");
        Assert.Equal(300_000_000m / 7.1811m + (1_000m / 7.2993m), lines["KG"].Amount);
        Assert.Equal(2, lines["KG"].Transactions);
        Assert.Equal(12m, lines["KZ"].Amount);
        Assert.Equal([new Money(5_000_000_000m, "KZT")], lines["KZ"].Unconverted);
        Assert.Equal(105m, lines[""].Amount);
        var total = tally.Total();
        Assert.Equal(lines.Values.Sum(l => l.Amount), total.Amount);
        Assert.Equal([new Money(5_000_000_000m, "KZT")], total.Unconverted);
        Assert.Equal(5, total.Transactions);
        Assert.Equal(
            ["ecb EUR→USD 2025-01-01..2025-01-01 ×1", "pboc USD→CNY 2025-01-02..2025-06-17 ×2"],
            tally.RatesUsed().Select(r => $"{r.Source} {r.From}→{r.To} {r.FirstOn:yyyy-MM-dd}..{r.LastOn:yyyy-MM-dd} ×{r.Rates}"));
    }

    [Fact]
    public void Property_a_tally_equals_the_sum_of_each_amount_converted_alone_when_rates_multiply()
    {
        // EUR → USD multiplies by the quoted rate: sums converted once equal amounts converted one by one, exactly.
        Gen.Decimal[0m, 1_000_000_000m].Select(d => Math.Round(d, 2)).Array[1, 30].Sample(amounts =>
        {
            var tally = new MoneyTally(Converter, "USD");
            var on = new DateOnly(2025, 7, 1);
            foreach (var a in amounts) tally.Add("x", a, "EUR", on);
            Assert.Equal(amounts.Sum(a => Converter.Convert(new Money(a, "EUR"), "USD", on)!.Value.Amount), tally.Total().Amount);
        });
    }

    [Fact]
    public void Property_shares_of_an_amount_by_percentages_that_sum_to_100_add_back_to_it_exactly()
    {
        Gen.Select(Gen.Decimal[0m, 10_000_000_000m].Select(d => Math.Round(d, 2)), Gen.Int[1, 9999].Array[1, 5]).Sample((amount, weights) =>
        {
            // Percentages with two decimals, the last taking the rest to 100.
            var percentages = weights.Take(weights.Length - 1).Select(w => w / 100m).ToList();
            if (percentages.Sum() > 100m) return;
            percentages.Add(100m - percentages.Sum());
            Assert.Equal(amount, percentages.Sum(p => MoneyTally.Share(amount, p)));
        });
        Assert.Equal(7_200_000m, MoneyTally.Share(12_000_000m, 60m));
    }

    [Fact]
    public void Property_the_rate_found_by_binary_search_is_the_latest_on_or_before_the_date()
    {
        Gen.Select(Gen.Int[0, 400].Array[1, 40].Select(d => d.Distinct().ToArray()), Gen.Int[-10, 420]).Sample((days, day) =>
        {
            var start = new DateOnly(2024, 1, 1);
            var rates = days.Select((d, i) => new ExchangeRate("USD", "KZT", start.AddDays(d), 400m + i, $"s{i}")).ToList();
            var on = start.AddDays(day);
            var expected = rates.Where(r => r.On <= on).MaxBy(r => r.On);
            var path = new CurrencyConverter(rates).PathOf("USD", "KZT", on);
            Assert.Equal(expected, path?.Rates.Single());
        });
    }

    [Fact]
    public void A_narrative_is_picked_in_the_readers_language_else_the_activitys_else_english_else_any()
    {
        List<IatiNarrative> titles = [new("en", "Railway"), new("ru", "Железная дорога"), new("zh-CN", "铁路"), new("kk", "")];
        Assert.Equal(("铁路", false), Pick(titles, "zh"));
        Assert.Equal(("Железная дорога", false), Pick(titles, "ru"));
        Assert.Equal(("Железная дорога", true), Pick(titles, "kk", defaultLanguage: "ru")); // empty text does not count
        Assert.Equal(("Railway", true), Pick(titles, "uz"));
        Assert.Equal(("Temir yo'l", true), Pick([new("uz", "Temir yo'l")], "zh"));
        Assert.Equal((null, false), Pick([], "en"));

        static (string?, bool) Pick(List<IatiNarrative> n, string language, string? defaultLanguage = null)
        {
            var (picked, fallback) = Narratives.Pick(n, language, defaultLanguage);
            return (picked?.Text, fallback);
        }
    }

    [Fact]
    public void Search_text_folds_case_in_every_script_alike()
    {
        var text = ProjectRules.SearchTextOf("XI-CARAVAN-RAIL-KG", [new("ru", "Железная ДОРОГА"), new("zh", "铁路"), new("en", "Railway")]);
        Assert.Contains(ProjectRules.SearchNeedle(" жЕЛЕЗНАЯ дорога "), text, StringComparison.Ordinal);
        Assert.Contains(ProjectRules.SearchNeedle("RAIL-kg"), text, StringComparison.Ordinal);
        Assert.Contains(ProjectRules.SearchNeedle("铁路"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_map_shows_the_region_widened_to_every_point()
    {
        Assert.Equal(MapModel.Region, MapModel.View([]));
        var moscow = new ProjectPoint("x", [], [], 55.7558m, 37.6173m);
        Assert.Equal([35.6173m, 15m, 137m, 57.7558m], MapModel.View([moscow]));
        var far = new ProjectPoint("y", [], [], -89m, 179.5m);
        Assert.Equal([44m, -85m, 180m, 57m], MapModel.View([far]));
    }

    [Fact]
    public void Every_iati_code_and_stage_the_pages_name_has_a_name_in_each_language()
    {
        var folder = Path.Combine(Support.Requirements.RepositoryRoot, "src", "Caravan.Web", "Resources");
        foreach (var suffix in new[] { "", ".ru", ".zh" })
        {
            var keys = XDocument.Load(Path.Combine(folder, $"SharedResource{suffix}.resx")).Root!.Elements("data").Select(d => d.Attribute("name")!.Value).ToHashSet();
            foreach (var (list, codes) in IatiHtml.NamedLists)
                Assert.All(codes, code => Assert.True(keys.Contains($"iati-{list}.{code}"), $"{suffix}: iati-{list}.{code}"));
            Assert.All(ProjectsApi.Stages, stage => Assert.True(keys.Contains($"ProjectStage.{stage}"), $"{suffix}: ProjectStage.{stage}"));
            Assert.Contains("projects.in-language", keys);
            Assert.Contains("projects.other-languages", keys);
        }
    }
}
