using Caravan.Features.Programmes;
using Caravan.Features.Seed;
using CsCheck;

namespace Caravan.Tests.Unit;

/// <summary>
/// Programmes beyond the groundwork's ledger tests: the years of a period, the burn-up (the same sums as the
/// balance), the limits under any mix of entries and overrides, and the seeded pledges themselves.
/// </summary>
public sealed class ProgrammeRulesTests
{
    private static readonly DateOnly From = new(2025, 1, 1);
    private static readonly DateOnly To = new(2026, 12, 31);
    private static readonly string[] States = ["KZ", "KG", "TJ", "TM", "UZ"];

    private static LedgerEntry E(LedgerEntryKind kind, string state, decimal quantity, int year = 2025, DateOnly? on = null) =>
        new(kind, state, year, on ?? new DateOnly(2025, 6, 1), quantity);

    [Fact]
    public void An_allocation_for_a_year_outside_the_period_is_refused_with_the_years()
    {
        var problem = Assert.Single(Ledger.Check(ProgrammeKind.Money, 100, From, To, [], E(LedgerEntryKind.Allocation, "KZ", 10, year: 2027)));
        Assert.Equal(("ledger.year-outside-period", 2025m, 2027m, "2025–2026"), (problem.Code.Key, problem.Limit, problem.WouldBe, problem.Detail));
        Assert.Empty(Ledger.Check(ProgrammeKind.Money, 100, From, To, [], E(LedgerEntryKind.Allocation, "KZ", 10, year: 2026)));
    }

    [Fact]
    public void The_burn_up_accumulates_by_date_whatever_the_order_of_the_entries()
    {
        LedgerEntry[] entries =
        [
            E(LedgerEntryKind.Committed, "KZ", 40, on: new(2025, 9, 1)), E(LedgerEntryKind.Allocation, "KZ", 100, on: new(2025, 3, 1)),
            E(LedgerEntryKind.Allocation, "UZ", 50, on: new(2025, 3, 1)), E(LedgerEntryKind.Disbursed, "KZ", 10, on: new(2025, 10, 1)),
            E(LedgerEntryKind.Offered, "KZ", 5, on: new(2025, 10, 1)), // not a stage of money: ignored, as by the balance
        ];
        var points = Ledger.BurnUp(ProgrammeKind.Money, entries);
        Assert.Equal([new DateOnly(2025, 3, 1), new(2025, 9, 1), new(2025, 10, 1)], points.Select(p => p.On));
        Assert.Equal([150m, 150m, 150m], points.Select(p => p.Allocated));
        Assert.Equal([0m, 40m, 40m], points.Select(p => p.Stages[0]));
        Assert.Equal([0m, 0m, 10m], points.Select(p => p.Stages[1]));
    }

    private static readonly Gen<LedgerEntry> Entry = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4], Gen.Int[2025, 2026], Gen.Int[1, 300], Gen.Int[-300, 900], Gen.Int[0, 9],
        (k, s, y, day, q, o) => new LedgerEntry(Enum.GetValues<LedgerEntryKind>()[k], States[s], y, new DateOnly(y, 1, 1).AddDays(day), q, Override: o == 0));

    [Fact]
    public void The_burn_ups_last_point_is_the_balance_and_the_balance_is_the_sum_of_its_rows()
    {
        Gen.Select(Entry.Array[1, 80], Gen.Bool).Sample((entries, money) =>
        {
            var kind = money ? ProgrammeKind.Money : ProgrammeKind.Places;
            var balance = Ledger.Balance(kind, 3000, entries);
            var last = Ledger.BurnUp(kind, entries)[^1];
            return last.Allocated == balance.Allocated && last.Stages.SequenceEqual(balance.Stages)
                && balance.Allocated == balance.Allocations.Sum(a => a.Allocated)
                && balance.Unallocated == 3000 - balance.Allocated;
        });
    }

    [Fact]
    public void The_check_over_the_ledgers_sums_per_kind_state_and_year_is_the_check_over_its_entries()
    {
        // A write's check reads the published entries summed by the database (ProgrammeEntryRecords): it must refuse
        // and accept exactly what the check over every entry would.
        Gen.Select(Entry.Array[0, 80], Entry, Gen.Bool).Sample((entries, proposed, money) =>
        {
            var kind = money ? ProgrammeKind.Money : ProgrammeKind.Places;
            var sums = entries.GroupBy(e => (e.Kind, e.StateId, e.Year))
                .Select(g => new LedgerEntry(g.Key.Kind, g.Key.StateId, g.Key.Year, From, g.Sum(e => e.Quantity)))
                .ToList();
            var full = Ledger.Check(kind, 3000, From, To, entries, proposed);
            var summed = Ledger.Check(kind, 3000, From, To, sums, proposed);
            return full.SequenceEqual(summed);
        });
    }

    [Fact]
    public void Without_an_override_the_states_allocations_never_exceed_the_pledge_and_no_balance_goes_negative()
    {
        // Overrides are proposed too: they may break a limit, but an entry without one never breaks it further.
        Gen.Select(Entry.Array[0, 120], Gen.Bool).Sample((proposals, money) =>
        {
            var kind = money ? ProgrammeKind.Money : ProgrammeKind.Places;
            var accepted = new List<LedgerEntry>();
            foreach (var p in proposals)
            {
                if (Ledger.Check(kind, 3000, From, To, accepted, p).Count > 0) continue;
                var before = Ledger.Balance(kind, 3000, accepted);
                accepted.Add(p);
                var after = Ledger.Balance(kind, 3000, accepted);
                if (p.Override) continue;
                if (after.Allocated > 3000 && after.Allocated > before.Allocated) return false;
                var row = after.Allocations.Single(a => a.StateId == p.StateId && a.Year == p.Year);
                var was = before.Allocations.SingleOrDefault(a => a.StateId == p.StateId && a.Year == p.Year);
                if (row.Allocated < 0 && row.Allocated < (was?.Allocated ?? 0)) return false;
                if (row.Stages.Any(s => s < 0) && row.Stages.Zip(was?.Stages ?? new decimal[row.Stages.Count]).Any(x => x.First < 0 && x.First < x.Second)) return false;
            }
            return true;
        });
    }

    [Fact]
    public void Each_pledged_measure_with_a_quantity_in_a_ledger_unit_is_a_seeded_programme_with_the_same_figure_and_sources()
    {
        var seed = SeedFile.Load(Caravan.Tests.Integration.SeedDataTests.SeedPath).Dataset;
        var measures = seed.Measures.Where(m => m.Amount is not null && Programme.Units.Contains(m.Unit!)).ToList();
        Assert.Equal(8, measures.Count);
        foreach (var m in measures)
        {
            var p = Assert.Single(seed.Programmes, p => p.Measure == m.Id);
            Assert.Equal((m.Amount, m.Unit, m.PledgedBy, m.Meeting, m.AnnouncedOn), (p.Pledged, p.Unit, p.PledgedBy, p.Meeting, p.AnnouncedOn));
            Assert.Equal(m.Citations.Select(c => c.Source), p.Citations.Select(c => c.Source));
            Assert.True(p.Period is null || p.PeriodNote is not null, p.Id);
        }
        // A programme whose figure drifts from its measure's is refused, with the path.
        var drifted = seed with { Programmes = [seed.Programmes[0] with { Pledged = 1 }, .. seed.Programmes.Skip(1)] };
        Assert.Contains(SeedValidator.Validate(drifted), problem => problem.Path == "$.programmes[0].pledged");
        var badPeriod = seed with { Programmes = [seed.Programmes[0] with { Period = new SeedPeriod("2025", "2025-12-31") }, .. seed.Programmes.Skip(1)] };
        Assert.Contains(SeedValidator.Validate(badPeriod), problem => problem.Path == "$.programmes[0].period.from");
    }
}
