using Caravan.Features.Indicators;

namespace Caravan.Tests.Unit;

/// <summary>A growth quoted in a speech, reproduced from the series it should rest on.</summary>
public sealed class GrowthRulesTests
{
    // China–Central Asia trade, USD bn, China Customs (GACC) as reported: 2022 70.2, 2023 89.4, 2024 94.82 (brief facts §3.1).
    private static readonly Dictionary<int, decimal> Trade = new() { [2022] = 70.2m, [2023] = 89.4m, [2024] = 94.82m };

    [Fact]
    public void The_summits_35_percent_in_two_years_holds_from_2022_to_2024()
    {
        var check = GrowthRules.Check(Trade, 2022, 2024, 35);
        Assert.Equal(ClaimVerdict.Holds, check.Verdict);
        Assert.Equal((2022, 70.2m, 2024, 94.82m), (check.Basis!.FromYear, check.Basis.From, check.Basis.ToYear, check.Basis.To));
        Assert.Equal(35.07m, Math.Round(check.Basis.Percent, 2));
    }

    [Fact]
    public void From_2023_it_does_not_hold_and_a_missing_year_cannot_be_computed()
    {
        var check = GrowthRules.Check(Trade, 2023, 2024, 35);
        Assert.Equal(ClaimVerdict.Differs, check.Verdict);
        Assert.Equal(6m, Math.Round(check.Basis!.Percent, 0));
        Assert.Equal(ClaimVerdict.NotComputable, GrowthRules.Check(Trade, 2023, 2025, 35).Verdict);
        Assert.Null(GrowthRules.Between(new Dictionary<int, decimal> { [2020] = 0, [2021] = 5 }, 2020, 2021));
    }
}
