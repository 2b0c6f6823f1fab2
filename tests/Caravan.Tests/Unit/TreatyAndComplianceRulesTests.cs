using Caravan.Features.Commitments;
using Caravan.Features.Treaties;
using Caravan.Shared;
using CsCheck;

namespace Caravan.Tests.Unit;

/// <summary>Entry into force, collective status, roll-ups and freshness: pure rules, edge cases and properties.</summary>
public sealed class TreatyAndComplianceRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);
    private static PartialDate D(string iso) => PartialDate.Parse(iso);
    private static PartyDates P(string state, string? signed = "2025-06-17", string? instrument = null) =>
        new(state, signed is null ? null : D(signed), instrument is null ? null : D(instrument));

    private static readonly string[] Six = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];

    [Fact]
    public void No_instruments_yet_means_not_in_force_and_every_party_awaited()
    {
        var r = EntryIntoForce.Evaluate(new(EntryIntoForceKind.AfterLastInstrument, 30), [.. Six.Select(s => P(s))], Today);
        Assert.Equal((TreatyStatus.NotInForce, (PartialDate?)null, (int?)6), (r.Status, r.EntryIntoForce, r.InstrumentsStillRequired));
        Assert.Equal(Six, r.AwaitingFrom);
    }

    [Fact]
    public void Thirty_days_after_the_last_instrument()
    {
        var parties = Six.Select((s, i) => P(s, instrument: $"2025-{i + 7:D2}-01")).ToList(); // the last one: 2025-12-01
        var r = EntryIntoForce.Evaluate(new(EntryIntoForceKind.AfterLastInstrument, 30), parties, Today);
        Assert.Equal((TreatyStatus.InForce, D("2025-12-31"), 0), (r.Status, r.EntryIntoForce!.Value, r.InstrumentsStillRequired!.Value));
        Assert.All(r.InForceFor.Values, d => Assert.Equal(D("2025-12-31"), d));
        var future = EntryIntoForce.Evaluate(new(EntryIntoForceKind.AfterLastInstrument, 30), parties, new DateOnly(2025, 12, 30));
        Assert.Equal(TreatyStatus.EntersIntoForce, future.Status);
    }

    [Fact]
    public void After_the_third_instrument_with_a_later_date_for_a_late_joiner()
    {
        var parties = new[] { P("KG", instrument: "2025-10-01"), P("KZ", instrument: "2025-11-10"), P("CN", instrument: "2025-11-20"), P("UZ", instrument: "2026-03-01"), P("TJ"), P("TM") };
        var r = EntryIntoForce.Evaluate(new(EntryIntoForceKind.AfterInstrumentCount, 30, 3), parties, Today);
        Assert.Equal((TreatyStatus.InForce, D("2025-12-20")), (r.Status, r.EntryIntoForce!.Value));
        Assert.Equal(D("2025-12-20"), r.InForceFor["KG"]);
        Assert.Equal(D("2026-03-31"), r.InForceFor["UZ"]); // the late joiner: its own instrument + 30 days
        Assert.Null(r.InForceFor["TJ"]);
        Assert.Equal(["TJ", "TM"], r.AwaitingFrom);
        var two = EntryIntoForce.Evaluate(new(EntryIntoForceKind.AfterInstrumentCount, 30, 3), parties[..2].Concat(parties[4..]).ToList(), Today);
        Assert.Equal((TreatyStatus.NotInForce, 1), (two.Status, two.InstrumentsStillRequired!.Value));
    }

    [Fact]
    public void On_signature_and_an_unknown_rule()
    {
        var signed = EntryIntoForce.Evaluate(new(EntryIntoForceKind.OnSignature), [.. Six.Select(s => P(s))], Today);
        Assert.Equal((TreatyStatus.InForce, D("2025-06-17")), (signed.Status, signed.EntryIntoForce!.Value));
        var unknown = EntryIntoForce.Evaluate(EntryIntoForceRule.NotKnown, [P("KG", instrument: "2025-09-24"), .. Six[..5].Where(s => s != "KG").Select(s => P(s))], Today);
        Assert.Equal((TreatyStatus.Undetermined, "treaty.rule-not-known"), (unknown.Status, unknown.Reason));
        Assert.Null(unknown.EntryIntoForce);
        Assert.DoesNotContain("KG", unknown.AwaitingFrom);
    }

    [Fact]
    public void A_date_known_only_to_the_month_gives_no_computed_day()
    {
        var r = EntryIntoForce.Evaluate(new(EntryIntoForceKind.AfterLastInstrument, 30), [P("CN", instrument: "2025-10"), P("KZ", instrument: "2025-09-01")], Today);
        Assert.Equal((TreatyStatus.Undetermined, "treaty.date-imprecise"), (r.Status, r.Reason));
        Assert.Null(r.EntryIntoForce);
    }

    [Fact]
    public void A_bad_rule_is_named()
    {
        Assert.Equal("treaty.rule.count",
            new EntryIntoForceRule(EntryIntoForceKind.AfterInstrumentCount, 30, 7).Problem(6)?.Key);
        Assert.Equal("treaty.rule.days",
            new EntryIntoForceRule(EntryIntoForceKind.AfterLastInstrument, -1).Problem(6)?.Key);
        Assert.Null(new EntryIntoForceRule(EntryIntoForceKind.AfterInstrumentCount, 30, 6).Problem(6));
    }

    [Fact]
    public void Collective_status_by_each_rule_including_ties_and_one_party()
    {
        Assert.Equal(1, ComplianceRules.Collective(CombineRule.AllMustComply, [1, 1, 1]));
        Assert.Equal(0, ComplianceRules.Collective(CombineRule.AllMustComply, [1, 0, 1]));
        Assert.Equal(-1, ComplianceRules.Collective(CombineRule.AllMustComply, [1, -1, 1]));
        Assert.Equal(0, ComplianceRules.Collective(CombineRule.Average, [1, -1])); // a tie is 0, "partial"
        Assert.Equal(-1, ComplianceRules.Collective(CombineRule.WeakestParty, [1, 1, -1]));
        Assert.Equal(1, ComplianceRules.Collective(CombineRule.WeakestParty, [1])); // a commitment binding one state
        Assert.Null(ComplianceRules.Collective(CombineRule.Average, []));
        Assert.Equal(
            [CommitmentStatus.NotAssessed, CommitmentStatus.Complied, CommitmentStatus.Partly, CommitmentStatus.NotComplied, CommitmentStatus.Cancelled],
            [ComplianceRules.StatusOf(null, true), ComplianceRules.StatusOf(1, true), ComplianceRules.StatusOf(0.33, true), ComplianceRules.StatusOf(-1, true), ComplianceRules.StatusOf(1, false)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ComplianceRules.Collective(CombineRule.Average, [2]));
    }

    [Fact]
    public void Roll_ups_exclude_cancelled_commitments_and_an_empty_period_is_empty()
    {
        ScoredItem[] items =
        [
            new("c1", "KZ", "trade", ["trade-platform"], 1),
            new("c2", "KZ", "trade", ["trade-platform", "customs-platform"], 0),
            new("c3", "KZ", "culture", [], -1, Cancelled: true),
            new("c1", "UZ", "trade", ["trade-platform"], -1),
        ];
        Assert.Equal(new RollUp(0.5, 75, 2), ComplianceRules.ByState(items)["KZ"]);
        Assert.Equal(new RollUp(0, 50, 3), ComplianceRules.Of(items));
        Assert.False(ComplianceRules.ByDirection(items).ContainsKey("culture"));
        var byBody = ComplianceRules.ByBody(items); // a commitment led by two bodies counts for each
        Assert.Equal((new RollUp(0, 50, 3), new RollUp(0, 50, 1)), (byBody["trade-platform"], byBody["customs-platform"]));
        Assert.Equal(0, ComplianceRules.Of([]).Count);
        Assert.Empty(ComplianceRules.ByState([]));
    }

    [Fact]
    public void Freshness_light()
    {
        Assert.Equal(Freshness.Updated, ComplianceRules.FreshnessOf(lastAssessed: 4, activeFrom: 1, current: 4, currentPastDue: true));
        Assert.Equal(Freshness.Due, ComplianceRules.FreshnessOf(3, 1, 4, false));
        Assert.Equal(Freshness.Overdue, ComplianceRules.FreshnessOf(3, 1, 4, true));
        Assert.Equal(Freshness.Inactive, ComplianceRules.FreshnessOf(2, 1, 4, false));
        Assert.Equal(Freshness.Due, ComplianceRules.FreshnessOf(null, 4, 4, false)); // new this period
        Assert.Equal(Freshness.Inactive, ComplianceRules.FreshnessOf(null, 2, 4, false));
        Assert.Equal(Freshness.NotYetActive, ComplianceRules.FreshnessOf(null, 5, 4, true)); // waits for the treaty
    }

    private static readonly Gen<ScoredItem> Item =
        Gen.Select(Gen.Int[0, 5].Select(i => Six[i]), Gen.Int[-1, 1], Gen.Bool, Gen.Int[0, 9999], (state, score, cancelled, n) => new ScoredItem($"c{n}", state, "d", [], score, cancelled));

    [Fact]
    public void Property_percentages_are_always_between_0_and_100()
    {
        Item.Array[0, 200].Sample(items =>
        {
            var all = ComplianceRules.Of(items);
            Assert.InRange(all.Percent, 0, 100);
            Assert.InRange(all.Mean, -1, 1);
            Assert.All(ComplianceRules.ByState(items).Values, r => Assert.InRange(r.Percent, 0, 100));
        });
    }

    [Fact]
    public void Property_adding_a_plus_one_never_lowers_a_states_score()
    {
        Gen.Select(Item.Array[0, 100], Gen.Int[0, 5].Select(i => Six[i])).Sample((items, state) =>
        {
            var before = ComplianceRules.ByState(items).GetValueOrDefault(state, RollUp.Empty);
            var after = ComplianceRules.ByState([.. items, new ScoredItem("new", state, "d", [], 1)])[state];
            Assert.True(before.Count == 0 || after.Mean >= before.Mean, $"{before.Mean} → {after.Mean}");
        });
    }

    [Fact]
    public void Property_collective_status_lies_between_the_weakest_and_the_strongest_party()
    {
        Gen.Select(Gen.Int[-1, 1].Array[1, 6], Gen.Enum<CombineRule>()).Sample((scores, rule) =>
        {
            var status = ComplianceRules.Collective(rule, scores)!.Value;
            Assert.InRange(status, scores.Min(), scores.Max());
        });
    }

    private static readonly string[] AllSix = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];

    [Fact]
    public void One_party_of_six_scored_plus_one_is_not_complied_and_says_one_of_six_assessed()
    {
        // The treaty's ratification: only Kyrgyzstan is scored; the Secretariat (v6): only China.
        foreach (var state in new[] { "KG", "CN" })
        {
            var c = ComplianceRules.CollectiveOf(CombineRule.AllMustComply, AllSix, new Dictionary<string, int> { [state] = 1 });
            Assert.Equal(0, c.Value);
            Assert.Equal(CommitmentStatus.Partly, ComplianceRules.StatusOf(c.Value, counts: true));
            Assert.Equal((1, 6), (c.Assessed, c.Bound));
            Assert.True(c.Partial);
        }
        var all = ComplianceRules.CollectiveOf(CombineRule.AllMustComply, AllSix, AllSix.ToDictionary(s => s, _ => 1));
        Assert.Equal((1d, 6, 6, false), (all.Value!.Value, all.Assessed, all.Bound, all.Partial));
        Assert.Equal(-1, ComplianceRules.CollectiveOf(CombineRule.AllMustComply, AllSix, new Dictionary<string, int> { ["KZ"] = -1 }).Value);
        Assert.Null(ComplianceRules.CollectiveOf(CombineRule.AllMustComply, AllSix, new Dictionary<string, int>()).Value);
        // Average is the mean of the scores given, with how many it rests on; never "complied" while a party is unscored.
        var average = ComplianceRules.CollectiveOf(CombineRule.Average, AllSix, new Dictionary<string, int> { ["CN"] = 1 });
        Assert.Equal((0d, 1, 6), (average.Value!.Value, average.Assessed, average.Bound));
        Assert.Equal(0.5, ComplianceRules.CollectiveOf(CombineRule.Average, ["CN", "KZ"], new Dictionary<string, int> { ["CN"] = 1, ["KZ"] = 0 }).Value);
        // A score given for a state the commitment does not bind does not count.
        var unbound = ComplianceRules.CollectiveOf(CombineRule.Average, ["CN", "KZ"], new Dictionary<string, int> { ["CN"] = -1, ["UZ"] = 1 });
        Assert.Equal((-1d, 1, 2), (unbound.Value!.Value, unbound.Assessed, unbound.Bound));
        // Parties no source lists: bound, as far as is known, by the parties scored.
        Assert.Equal((1d, 1, 1), ComplianceRules.CollectiveOf(CombineRule.AllMustComply, [], new Dictionary<string, int> { ["CN"] = 1 }) is var u ? (u.Value!.Value, u.Assessed, u.Bound) : default);
    }

    [Fact]
    public void Property_complied_under_all_must_comply_or_weakest_party_only_when_every_bound_party_is_scored_plus_one()
    {
        Gen.Select(Gen.Select(Gen.Int[-1, 1], Gen.Bool, (score, given) => given ? (int?)score : null).Array[6], Gen.Int[1, 6], Gen.Int[0, 2].Select(i => (CombineRule)i))
            .Sample((given, bound, rule) =>
            {
                var parties = AllSix[..bound];
                var scores = parties.Select((p, i) => (p, given[i])).Where(x => x.Item2 is not null).ToDictionary(x => x.p, x => x.Item2!.Value);
                var c = ComplianceRules.CollectiveOf(rule, parties, scores);
                Assert.Equal(scores.Count, c.Assessed);
                Assert.Equal(bound, c.Bound);
                Assert.Equal(scores.Count == bound && scores.Values.All(s => s == 1), c.Value == 1);
                if (scores.Count == 0) Assert.Null(c.Value);
                if (rule == CombineRule.AllMustComply && scores.Values.Any(s => s == -1)) Assert.Equal(-1, c.Value);
            });
    }
}

public sealed class SnapshotComparisonTests
{
    private static Caravan.Features.Commitments.SnapshotItem I(string id, double? collective, Caravan.Features.Commitments.CommitmentStatus? status = null) =>
        new(id, status ?? (collective is null ? Caravan.Features.Commitments.CommitmentStatus.NotAssessed : collective >= 1 ? Caravan.Features.Commitments.CommitmentStatus.Complied : Caravan.Features.Commitments.CommitmentStatus.Partly), collective, []);

    [Fact]
    public void Each_kind_of_change_is_named()
    {
        var before = new[] { I("a", 0), I("b", 1), I("c", null), I("d", 1), I("e", 0), I("f", 0.5) };
        var after = new[] { I("a", 1), I("b", 0), I("c", 1), I("d", null), I("g", 1), I("f", 0.5) };
        var changes = Caravan.Features.Commitments.SnapshotComparison.Compare(before, after).ToDictionary(d => d.CommitmentId, d => d.Change);
        Assert.Equal(new Dictionary<string, Caravan.Features.Commitments.SnapshotChange>
        {
            ["a"] = Caravan.Features.Commitments.SnapshotChange.Improved,
            ["b"] = Caravan.Features.Commitments.SnapshotChange.Worsened,
            ["c"] = Caravan.Features.Commitments.SnapshotChange.NewlyAssessed,
            ["d"] = Caravan.Features.Commitments.SnapshotChange.NotAssessed,
            ["e"] = Caravan.Features.Commitments.SnapshotChange.Removed,
            ["f"] = Caravan.Features.Commitments.SnapshotChange.Unchanged,
            ["g"] = Caravan.Features.Commitments.SnapshotChange.Added,
        }, changes);
        Assert.Empty(Caravan.Features.Commitments.SnapshotComparison.Compare([], []));
    }
}

public sealed class RollUpFromSumsTests
{
    [Fact]
    public void Property_roll_ups_from_sums_equal_roll_ups_from_the_items()
    {
        var item = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 5], CsCheck.Gen.Int[-1, 1], CsCheck.Gen.Int[0, 3], (s, score, body) =>
            new Caravan.Features.Commitments.ScoredItem($"c{body}", ((string[])["CN", "KZ", "KG", "TJ", "TM", "UZ"])[s], "d", [$"body-{body}"], score));
        item.Array[0, 100].Sample(items =>
        {
            var direct = Caravan.Features.Commitments.ComplianceRules.ByState(items);
            var fromSums = Caravan.Features.Commitments.ComplianceRules.BySums(items.GroupBy(i => i.StateId).Select(g => ((IEnumerable<string>)[g.Key], (long)g.Sum(i => i.Score), g.Count())));
            Assert.Equal(direct.OrderBy(kv => kv.Key), fromSums.OrderBy(kv => kv.Key));
            var all = Caravan.Features.Commitments.ComplianceRules.Of(items);
            Assert.Equal(all, Caravan.Features.Commitments.ComplianceRules.FromSum(items.Sum(i => (long)i.Score), items.Length));
        });
    }
}
