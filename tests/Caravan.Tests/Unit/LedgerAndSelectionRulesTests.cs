using Caravan.Features.Programmes;
using Caravan.Features.Selections;
using CsCheck;

namespace Caravan.Tests.Unit;

/// <summary>Programme ledgers: balances derived from entries always add up, and no entry can overspend.</summary>
public sealed class LedgerRulesTests
{
    private static readonly DateOnly From = new(2025, 1, 1);
    private static readonly DateOnly To = new(2026, 12, 31);
    private static readonly string[] States = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];

    private static LedgerEntry E(LedgerEntryKind kind, string state, decimal quantity, bool @override = false) =>
        new(kind, state, 2025, new DateOnly(2025, 6, 1), quantity, @override);

    [Fact]
    public void Training_places_are_allocated_offered_filled_and_completed_and_every_balance_is_derived()
    {
        LedgerEntry[] entries =
        [
            E(LedgerEntryKind.Allocation, "KZ", 600), E(LedgerEntryKind.Allocation, "UZ", 600),
            E(LedgerEntryKind.Offered, "KZ", 500), E(LedgerEntryKind.Filled, "KZ", 450), E(LedgerEntryKind.Completed, "KZ", 300),
        ];
        var balance = Ledger.Balance(ProgrammeKind.Places, 3000, entries);
        Assert.Equal((1200m, 1800m), (balance.Allocated, balance.Unallocated));
        Assert.Equal([500m, 450m, 300m], balance.Stages);
        var kz = balance.Allocations.Single(a => a.StateId == "KZ");
        Assert.Equal((600m, 100m), (kz.Allocated, kz.Unused));
    }

    [Fact]
    public void Over_allocation_and_use_beyond_the_allocation_are_refused_with_the_figures()
    {
        List<LedgerEntry> entries = [E(LedgerEntryKind.Allocation, "KZ", 1000000000m), E(LedgerEntryKind.Committed, "KZ", 400000000m)];
        var over = Assert.Single(Ledger.Check(ProgrammeKind.Money, 1500000000m, From, To, entries, E(LedgerEntryKind.Allocation, "UZ", 600000000m)));
        Assert.Equal(("ledger.over-pledge", 1500000000m, 1600000000m), (over.Code.Key, over.Limit, over.WouldBe));
        var spent = Assert.Single(Ledger.Check(ProgrammeKind.Money, 1500000000m, From, To, entries, E(LedgerEntryKind.Disbursed, "KZ", 500000000m)));
        Assert.Equal(("ledger.over-stage", 400000000m, 500000000m), (spent.Code.Key, spent.Limit, spent.WouldBe));
        var beyond = Assert.Single(Ledger.Check(ProgrammeKind.Money, 1500000000m, From, To, entries, E(LedgerEntryKind.Committed, "UZ", 1m)));
        Assert.Equal(("ledger.over-allocation", 0m, 1m), (beyond.Code.Key, beyond.Limit, beyond.WouldBe));
        // Releasing more than was allocated would make the balance negative: refused, unless overridden.
        var release = E(LedgerEntryKind.Allocation, "KZ", -700000000m);
        Assert.Contains(Ledger.Check(ProgrammeKind.Money, 1500000000m, From, To, entries, release), p => p.Code.Key == "ledger.over-allocation");
        Assert.Empty(Ledger.Check(ProgrammeKind.Money, 1500000000m, From, To, entries, release with { Override = true }));
    }

    [Fact]
    public void A_date_outside_the_period_a_zero_entry_and_a_stage_of_the_other_kind_are_refused_even_with_an_override()
    {
        var late = E(LedgerEntryKind.Allocation, "KZ", 10, @override: true) with { On = new DateOnly(2027, 1, 1) };
        Assert.Equal("ledger.outside-period", Assert.Single(Ledger.Check(ProgrammeKind.Places, 3000, From, To, [], late)).Code.Key);
        Assert.Equal("ledger.zero", Assert.Single(Ledger.Check(ProgrammeKind.Places, 3000, From, To, [], E(LedgerEntryKind.Allocation, "KZ", 0, true))).Code.Key);
        Assert.Equal("ledger.wrong-stage", Assert.Single(Ledger.Check(ProgrammeKind.Places, 3000, From, To, [], E(LedgerEntryKind.Disbursed, "KZ", 5, true))).Code.Key);
    }

    [Fact]
    public void Whatever_is_proposed_the_accepted_entries_never_break_a_balance()
    {
        var kinds = Enum.GetValues<LedgerEntryKind>();
        var entry = Gen.Select(Gen.Int[0, kinds.Length - 1], Gen.Int[0, 5], Gen.Int[2025, 2026], Gen.Int[-300, 900], (k, s, y, q) =>
            new LedgerEntry(kinds[k], States[s], y, new DateOnly(y, 3, 1), q));
        Gen.Select(entry.Array[0, 120], Gen.Bool).Sample((proposals, money) =>
        {
            var kind = money ? ProgrammeKind.Money : ProgrammeKind.Places;
            var accepted = new List<LedgerEntry>();
            foreach (var p in proposals)
                if (Ledger.Check(kind, 3000, From, To, accepted, p).Count == 0) accepted.Add(p);
            var balance = Ledger.Balance(kind, 3000, accepted);
            if (balance.Allocated > 3000 || balance.Unallocated < 0) return false;
            return balance.Allocations.All(a => a.Allocated >= 0 && a.Stages.All(s => s >= 0)
                && a.Stages[0] <= a.Allocated && a.Stages.Zip(a.Stages.Skip(1)).All(pair => pair.Second <= pair.First));
        });
    }
}

/// <summary>The culture-and-tourism-capital selection: who may nominate and score, and a ranking that ignores the order of scores.</summary>
public sealed class SelectionRulesTests
{
    private static readonly Criterion[] Criteria = [new("heritage", 3), new("tourism", 2), new("access", 1)];
    private static readonly Nomination[] Nominations = [new("n-kz", "KZ"), new("n-uz", "UZ"), new("n-kg", "KG")];
    private static readonly IReadOnlySet<string> Six = new HashSet<string> { "CN", "KZ", "KG", "TJ", "TM", "UZ" };

    [Fact]
    public void A_state_nominates_once_and_a_juror_never_scores_their_own_state_or_a_declared_conflict()
    {
        Assert.Equal("selection.already-nominated", Assert.Single(SelectionRules.CheckNomination(Nominations, "KZ", Six)).Code.Key);
        Assert.Empty(SelectionRules.CheckNomination(Nominations, "TJ", Six));
        Assert.Equal("selection.unknown-state", Assert.Single(SelectionRules.CheckNomination(Nominations, "RU", Six)).Code.Key);
        var kazakh = new Juror("j1", "KZ", new HashSet<string> { "UZ" });
        Assert.Equal("selection.own-state", Assert.Single(SelectionRules.CheckScore(kazakh, Nominations[0], "heritage", Criteria, 7)).Code.Key);
        Assert.Equal("selection.conflict", Assert.Single(SelectionRules.CheckScore(kazakh, Nominations[1], "heritage", Criteria, 7)).Code.Key);
        Assert.Equal("selection.score-range", Assert.Single(SelectionRules.CheckScore(kazakh, Nominations[2], "heritage", Criteria, -1)).Code.Key);
        Assert.Equal("selection.score-range", Assert.Single(SelectionRules.CheckScore(kazakh, Nominations[2], "heritage", Criteria, 10.01m)).Code.Key);
        Assert.Equal("selection.score-decimals", Assert.Single(SelectionRules.CheckScore(kazakh, Nominations[2], "heritage", Criteria, 7.125m)).Code.Key);
        Assert.Equal("selection.unknown-criterion", Assert.Single(SelectionRules.CheckScore(kazakh, Nominations[2], "beaches", Criteria, 7)).Code.Key);
        Assert.Empty(SelectionRules.CheckScore(kazakh, Nominations[2], "access", Criteria, 10));
        Assert.Empty(SelectionRules.CheckScore(kazakh, Nominations[2], "access", Criteria, 0));
        // A juror from no state (an independent expert) scores every nomination they have no conflict with.
        Assert.Null(SelectionRules.CheckEligibility(new Juror("j2", null, new HashSet<string>()), Nominations[0]));
    }

    [Theory]
    [InlineData("7", 7.0)]
    [InlineData(" 7.5 ", 7.5)]
    [InlineData("7,5", 7.5)]
    [InlineData("-1", -1.0)]
    [InlineData("abc", null)]
    [InlineData("7.5.1", null)]
    [InlineData("1e1", null)]
    [InlineData("", null)]
    public void A_typed_score_is_a_number_or_nothing(string text, double? expected) =>
        Assert.Equal(expected is null ? null : (decimal)expected.Value, SelectionRules.ParseScore(text));

    [Fact]
    public void A_call_needs_positive_weights_dates_in_order_and_moves_one_phase_at_a_time()
    {
        Assert.Equal(["selection.weight-positive", "selection.weight-positive"],
            SelectionRules.CheckCriteria([new("a", 0), new("b", 1), new("c", -2)]).Select(p => p.Problem.Code.Key));
        Assert.Equal([0, 2], SelectionRules.CheckCriteria([new("a", 0), new("b", 1), new("c", -2)]).Select(p => p.Index));
        Assert.Equal("selection.no-criteria", Assert.Single(SelectionRules.CheckCriteria([])).Problem.Code.Key);
        Assert.Equal("selection.duplicate-criterion", Assert.Single(SelectionRules.CheckCriteria([new("a", 1), new("a", 2)])).Problem.Code.Key);
        Assert.Empty(SelectionRules.CheckCriteria(Criteria));
        var d = new DateOnly(2026, 3, 1);
        Assert.Empty(SelectionRules.CheckDates(d, d, d));
        Assert.Equal(["nominationsTo", "scoringDeadline"], SelectionRules.CheckDates(d, d.AddDays(-1), d.AddDays(-2)).Select(p => p.Field));
        Assert.Null(SelectionRules.CheckPhaseMove(SelectionPhase.Draft, SelectionPhase.Nominating, 0, 0));
        Assert.Equal("selection.phase-order", SelectionRules.CheckPhaseMove(SelectionPhase.Draft, SelectionPhase.Scoring, 3, 3)!.Code.Key);
        Assert.Equal("selection.phase-order", SelectionRules.CheckPhaseMove(SelectionPhase.Closed, SelectionPhase.Scoring, 3, 3)!.Code.Key);
        Assert.Equal("selection.no-nominations", SelectionRules.CheckPhaseMove(SelectionPhase.Nominating, SelectionPhase.Scoring, 0, 3)!.Code.Key);
        Assert.Equal("selection.no-jurors", SelectionRules.CheckPhaseMove(SelectionPhase.Nominating, SelectionPhase.Scoring, 2, 0)!.Code.Key);
        Assert.Equal("selection.decided-by-publishing", SelectionRules.CheckPhaseMove(SelectionPhase.Closed, SelectionPhase.Decided, 2, 2)!.Code.Key);
        Assert.Null(SelectionRules.CheckPhaseMove(SelectionPhase.Scoring, SelectionPhase.Closed, 2, 2));
        Assert.Equal("selection.not-nominating", SelectionRules.CheckNominationWindow(SelectionPhase.Scoring, d, d, d)!.Code.Key);
        Assert.Equal("selection.outside-period", SelectionRules.CheckNominationWindow(SelectionPhase.Nominating, d, d, d.AddDays(1))!.Code.Key);
        Assert.Null(SelectionRules.CheckNominationWindow(SelectionPhase.Nominating, d, d.AddDays(3), d.AddDays(3)));
    }

    [Fact]
    public void The_ranking_weighs_each_criterions_mean_and_ties_share_a_rank()
    {
        JuryScore[] scores =
        [
            new("j1", "n-kz", "heritage", 9), new("j2", "n-kz", "heritage", 7), new("j1", "n-kz", "tourism", 6), new("j1", "n-kz", "access", 3),
            new("j1", "n-uz", "heritage", 8), new("j1", "n-uz", "tourism", 6), new("j1", "n-uz", "access", 3),
            new("j2", "n-kg", "heritage", 5),
        ];
        var ranking = SelectionRules.Rank(Criteria, Nominations, scores);
        Assert.Equal(["n-kz", "n-uz", "n-kg"], ranking.Select(r => r.NominationId));
        Assert.Equal([1, 1, 3], ranking.Select(r => r.Rank)); // (8·3 + 6·2 + 3) / 6 = 6.5 for both
        Assert.Equal(6.5m, ranking[0].Score);
        Assert.Equal(8m, ranking[0].ByCriterion["heritage"]); // (9 + 7) / 2
        Assert.Equal(2, ranking[0].Jurors);
        Assert.Equal(2.5m, ranking[2].Score); // 5·3 / 6, tourism and access unscored count 0
    }

    [Fact]
    public void Equal_totals_reached_through_different_thirds_tie()
    {
        // n1: means 1/3 and 2/3 (not exact in decimal); n2: 1/2 and 1/2. Both total 1/2 with equal weights.
        Criterion[] criteria = [new("a", 1), new("b", 1)];
        Nomination[] nominations = [new("n1", "KZ"), new("n2", "UZ"), new("n3", "TJ")];
        JuryScore[] scores =
        [
            new("j1", "n1", "a", 0), new("j2", "n1", "a", 0), new("j3", "n1", "a", 1), new("j1", "n1", "b", 1), new("j2", "n1", "b", 1), new("j3", "n1", "b", 0),
            new("j1", "n2", "a", 0), new("j2", "n2", "a", 1), new("j1", "n2", "b", 1), new("j2", "n2", "b", 0),
            new("j1", "n3", "a", 0.5m), new("j1", "n3", "b", 0.49m),
        ];
        var ranking = SelectionRules.Rank(criteria, nominations, scores);
        Assert.Equal([1, 1, 3], ranking.Select(r => r.Rank));
        Assert.Equal(0.5m, ranking[0].Score);
    }

    [Fact]
    public void The_ranking_is_the_same_whatever_the_order_of_the_scores_and_the_criteria()
    {
        var score = Gen.Select(Gen.Int[1, 5], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 100], (j, n, c, v) =>
            new JuryScore($"j{j}", Nominations[n].Id, Criteria[c].Id, v / 10m));
        Gen.Select(score.Array[0, 60], Gen.Int[0, int.MaxValue]).Sample((scores, seed) =>
        {
            var shuffled = scores.ToArray();
            new Random(seed).Shuffle(shuffled);
            var criteria = Criteria.ToArray();
            new Random(seed + 1).Shuffle(criteria);
            var a = SelectionRules.Rank(Criteria, Nominations, scores);
            var b = SelectionRules.Rank(criteria, Nominations.Reverse().ToArray(), shuffled);
            return a.Select(r => (r.NominationId, r.Rank, r.Score, r.Jurors)).SequenceEqual(b.Select(r => (r.NominationId, r.Rank, r.Score, r.Jurors)))
                && a.Zip(b).All(p => Criteria.All(c => p.First.ByCriterion[c.Id] == p.Second.ByCriterion[c.Id]));
        });
    }

    [Fact]
    public void A_higher_score_never_lowers_a_nominations_rank()
    {
        // Monotonic: raising one juror's score for a nomination cannot move it down the ranking.
        var score = Gen.Select(Gen.Int[1, 4], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 90], (j, n, c, v) =>
            new JuryScore($"j{j}", Nominations[n].Id, Criteria[c].Id, v / 10m));
        Gen.Select(score.Array[1, 40], Gen.Int[0, 39]).Sample((scores, pick) =>
        {
            var i = pick % scores.Length;
            var raised = scores.ToArray();
            raised[i] = raised[i] with { Value = raised[i].Value + 1 };
            var before = SelectionRules.Rank(Criteria, Nominations, scores).Single(r => r.NominationId == scores[i].NominationId);
            var after = SelectionRules.Rank(Criteria, Nominations, raised).Single(r => r.NominationId == scores[i].NominationId);
            return after.Rank <= before.Rank && after.Score >= before.Score;
        });
    }
}
