using System.Text;
using Caravan.Features.Commitments;
using Caravan.Features.Dashboards;
using Caravan.Features.Indicators;
using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

/// <summary>Growth year on year, two sources side by side, a quote's precision, the seed's rules for both, and a dashboard tile's arithmetic.</summary>
public sealed class IndicatorAndDashboardRulesTests
{
    private static IndicatorValue Value(int year, string? state, decimal value) =>
        new() { Id = IndicatorValue.KeyOf("x", year, state), IndicatorId = "x", Year = year, StateId = state, Value = value };

    [Fact]
    public void Year_on_year_growth_covers_consecutive_years_only()
    {
        var growth = GrowthRules.YearOnYear(new Dictionary<int, decimal> { [2013] = 312.04m, [2022] = 70.2m, [2023] = 89.4m, [2024] = 94.82m });
        Assert.Equal([(2022, 2023), (2023, 2024)], growth.Select(g => (g.FromYear, g.ToYear)));
        Assert.Equal(27.35m, Math.Round(growth[0].Percent, 2));
    }

    [Fact]
    public void A_quote_is_compared_at_its_own_precision()
    {
        Assert.Equal(0, GrowthRules.DecimalsOf(35m));
        Assert.Equal(0, GrowthRules.DecimalsOf(35.0m));
        Assert.Equal(1, GrowthRules.DecimalsOf(35.1m));
        Assert.Equal(2, GrowthRules.DecimalsOf(-35.07m));
        var series = new Dictionary<int, decimal> { [2022] = 70.2m, [2024] = 94.82m };
        Assert.Equal(ClaimVerdict.Holds, GrowthRules.Check(series, 2022, 2024, 35.1m, GrowthRules.DecimalsOf(35.1m)).Verdict);
        Assert.Equal(ClaimVerdict.Differs, GrowthRules.Check(series, 2022, 2024, 35.2m, GrowthRules.DecimalsOf(35.2m)).Verdict);
    }

    [Fact]
    public void Two_sources_are_compared_where_both_give_the_same_year_and_state()
    {
        // China's customs against the EDB's total, and against Tajik statistics for Tajikistan (brief facts §3.1).
        var gacc = new[] { Value(2023, null, 89.4m), Value(2024, null, 94.82m), Value(2024, "TJ", 3.86m) };
        var others = new[] { Value(2024, null, 66.2m), Value(2024, "TJ", 1.96m), Value(2025, "TJ", 2m) };
        var differences = SourceComparison.Compare(gacc, others);
        Assert.Equal([(2024, (string?)null, -28.62m), (2024, "TJ", -1.90m)], differences.Select(d => (d.Year, d.StateId, d.Difference)));
        Assert.Equal(-30.18m, Math.Round(differences[0].Percent!.Value, 2));
        Assert.Null(new SourceDifference(2024, null, 0, 5).Percent);
    }

    private const string Seed = """
        {
          "dataset": "cca-mechanism", "version": 1,
          "sources": { "s": { "url": "https://example.org/a", "title": "S", "language": "en" } },
          "indicators": [
            { "id": "a", "name": { "en": "A" }, "unit": "USD bn", "checks": [ { "figure": "growth", "fromYear": 2022, "toYear": 2024 } ] },
            { "id": "b", "name": { "en": "B" }, "unit": "USD bn", "sameMeasureAs": "a" }
          ],
          "reportedFigures": [
            { "id": "growth", "name": { "en": "Growth" }, "value": 35, "unit": "%", "citations": [ { "source": "s", "confidence": "high" } ] },
            { "id": "count", "name": { "en": "Count" }, "value": 10, "unit": "count", "citations": [ { "source": "s", "confidence": "high" } ] }
          ]
        }
        """;

    private static IReadOnlyList<string> Problems(string json)
    {
        try { SeedFile.Parse(Encoding.UTF8.GetBytes(json), "seed.json"); return []; }
        catch (SeedFileException e) { return [.. e.Problems.Select(p => $"{p.Path}: {p.Reason}")]; }
    }

    [Fact]
    public void The_seed_accepts_another_source_and_a_check_and_refuses_what_cannot_be_compared()
    {
        Assert.Empty(Problems(Seed));
        Assert.Contains(Problems(Seed.Replace("\"sameMeasureAs\": \"a\"", "\"sameMeasureAs\": \"c\"")), p => p.StartsWith("$.indicators[1].sameMeasureAs: unknown indicator 'c'", StringComparison.Ordinal));
        Assert.Contains(Problems(Seed.Replace("\"sameMeasureAs\": \"a\"", "\"sameMeasureAs\": \"b\"")), p => p.StartsWith("$.indicators[1].sameMeasureAs: an indicator cannot", StringComparison.Ordinal));
        Assert.Contains(Problems(Seed.Replace("\"unit\": \"USD bn\", \"sameMeasureAs\"", "\"unit\": \"CNY bn\", \"sameMeasureAs\"")), p => p.Contains("different units", StringComparison.Ordinal));
        Assert.Contains(Problems(Seed.Replace("\"figure\": \"growth\"", "\"figure\": \"count\"")), p => p.StartsWith("$.indicators[0].checks[0].figure:", StringComparison.Ordinal) && p.Contains("only a growth in %", StringComparison.Ordinal));
        Assert.Contains(Problems(Seed.Replace("\"figure\": \"growth\"", "\"figure\": \"nothing\"")), p => p.Contains("unknown reported figure 'nothing'", StringComparison.Ordinal));
        Assert.Contains(Problems(Seed.Replace("\"toYear\": 2024", "\"toYear\": 2022")), p => p.StartsWith("$.indicators[0].checks[0].toYear:", StringComparison.Ordinal));
    }

    private static CommitmentView View(string id, CommitmentStatus status, Freshness freshness, double? collective, bool cancelled = false, params string[] assessedOn)
    {
        var c = new Commitment { Id = id, Text = new LocalizedText { En = id }, FirstPeriodId = "p", Cancelled = cancelled };
        var assessments = assessedOn.Select(on => new ComplianceAssessment
        {
            Id = $"{id}:CN:p", CommitmentId = id, StateId = "CN", PeriodId = "p", Score = 1, Evidence = new LocalizedText { En = "e" }, AssessedOn = PartialDate.Parse(on),
        }).ToList();
        return new CommitmentView(c, assessments, collective, collective is null ? null : "p", status, freshness);
    }

    [Fact]
    public void A_tile_counts_commitments_their_progress_and_freshness_leaving_out_cancelled_ones()
    {
        var tile = DashboardRules.Tile([
            View("a", CommitmentStatus.Complied, Freshness.Updated, 1, false, "2025-07-22"),
            View("b", CommitmentStatus.Partly, Freshness.Overdue, 0, false, "2026-01"),
            View("c", CommitmentStatus.NotAssessed, Freshness.Inactive, null),
            View("d", CommitmentStatus.Cancelled, Freshness.NotYetActive, -1, true, "2027-01-01"),
        ]);
        Assert.Equal(3, tile.Commitments);
        Assert.Equal((1, 1, 1, 1, 0), (tile.ByStatus[CommitmentStatus.Complied], tile.ByStatus[CommitmentStatus.Partly], tile.ByStatus[CommitmentStatus.NotAssessed],
            tile.ByStatus[CommitmentStatus.Cancelled], tile.ByStatus[CommitmentStatus.NotComplied]));
        // Mean of +1 and 0 over the two assessed: 0.5 → 75 %; the unassessed one is not a zero.
        Assert.Equal((2, 0.5, 75.0), (tile.Assessed, tile.Progress.Mean, tile.Progress.Percent));
        Assert.Equal(2, tile.Stale);
        Assert.Equal(PartialDate.Parse("2026-01"), tile.LastAssessed);

        var empty = DashboardRules.Tile([]);
        Assert.Equal((0, 0, 0, (PartialDate?)null), (empty.Commitments, empty.Assessed, empty.Stale, empty.LastAssessed));
    }
}
