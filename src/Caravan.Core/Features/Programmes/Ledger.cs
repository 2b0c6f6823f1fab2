using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Features.Programmes;

/// <summary>
/// What a programme's quantity goes through after it is allocated to a state: money is committed, then
/// disbursed; places are offered, then filled, then completed. Each stage can never exceed the one before
/// it, and the first stage never exceeds the allocation.
/// </summary>
public enum ProgrammeKind { Money, Places }

/// <summary>
/// The kinds of ledger entry. Allocations move quantity from the pledge to a state and year; the others record its use.
/// </summary>
public enum LedgerEntryKind { Allocation, Committed, Disbursed, Offered, Filled, Completed }

/// <summary>
/// One dated entry of a programme's ledger, for one state and year. <see cref="Quantity"/> is signed: a
/// negative entry corrects (releases an allocation, withdraws an offer). Balances are never stored: they are
/// derived from the entries, so they always add up.
/// </summary>
public sealed record LedgerEntry(LedgerEntryKind Kind, string StateId, int Year, DateOnly On, decimal Quantity,
    bool Override = false);

/// <summary>A state's allocation for a year and how far it has been used, stage by stage.</summary>
public sealed record AllocationBalance(string StateId, int Year, decimal Allocated, IReadOnlyList<decimal> Stages)
{
    /// <summary>Allocated but not yet taken up by the first stage (committed, or offered).</summary>
    public decimal Unused => Allocated - (Stages.Count > 0 ? Stages[0] : 0);
}

/// <summary>The whole ledger: the pledge, what is allocated, what is left, and every allocation's use.</summary>
public sealed record LedgerBalance(decimal Pledged, decimal Allocated, IReadOnlyList<decimal> Stages,
    IReadOnlyList<AllocationBalance> Allocations)
{
    /// <summary>Pledged but not yet allocated to any state.</summary>
    public decimal Unallocated => Pledged - Allocated;
}

/// <summary>One point of a programme's burn-up: totals up to and including <see cref="On"/>.</summary>
public sealed record BurnUpPoint(DateOnly On, decimal Allocated, IReadOnlyList<decimal> Stages);

/// <summary>The ledger's messages: the codes its checks refuse an entry with.</summary>
public static class LedgerMessages
{
    public static readonly MessageCode Zero = new("ledger.zero");
    public static readonly MessageCode OutsidePeriod = new("ledger.outside-period");
    public static readonly MessageCode YearOutsidePeriod = new("ledger.year-outside-period");
    public static readonly MessageCode WrongStage = new("ledger.wrong-stage");
    public static readonly MessageCode OverPledge = new("ledger.over-pledge");
    public static readonly MessageCode OverAllocation = new("ledger.over-allocation");
    public static readonly MessageCode OverStage = new("ledger.over-stage");
    public static readonly MessageCode Negative = new("ledger.negative");
}

/// <summary>Why an entry is refused before the ledger is checked.</summary>
public static class ProgrammeMessages
{
    public static readonly MessageCode PledgingState = new("programme.pledging-state");
}

/// <summary>
/// Why an entry is refused, with the figures: a declared code, the limit and the figure the entry would make, and
/// the stage (a <see cref="LedgerEntryKind"/>'s name) or the period it names.
/// </summary>
public sealed record LedgerProblem(MessageCode Code, decimal Limit, decimal WouldBe, string? Detail = null)
{
    private bool InUnits => Code == LedgerMessages.OverPledge || Code == LedgerMessages.OverAllocation
        || Code == LedgerMessages.OverStage || Code == LedgerMessages.Negative;

    /// <summary>The entry's field the problem is about.</summary>
    public string Field =>
        Code == LedgerMessages.OutsidePeriod ? "on"
        : Code == LedgerMessages.YearOutsidePeriod ? "year"
        : Code == LedgerMessages.WrongStage ? "kind"
        : "quantity";

    /// <summary>
    /// The message with its figures: limit, would-be and the stage (translated) or the period. Limits past which
    /// an entry goes are quantities in the programme's unit; the years of a period are plain numbers.
    /// </summary>
    public Message ToMessage(string unit)
    {
        MessageArg Figure(decimal x) => InUnits ? new MessageArg.Amount(x, unit) : new MessageArg.Number(x);
        MessageArg detail = Detail is { } d && Enum.TryParse<LedgerEntryKind>(d, out var stage)
            ? new MessageArg.Term("LedgerEntryKind." + SeedEnums.ToKebab(stage))
            : Detail ?? "";
        return new Message(Code, Figure(Limit), Figure(WouldBe), detail);
    }
}

/// <summary>
/// The ledger's rules as plain functions: balances derived from entries, and the checks that keep them
/// consistent (allocations within the pledge, each stage within the one before, dates within the period).
/// </summary>
public static class Ledger
{
    /// <summary>The stages of use that follow an allocation, in order.</summary>
    public static IReadOnlyList<LedgerEntryKind> StagesOf(ProgrammeKind kind) => kind switch
    {
        ProgrammeKind.Money => [LedgerEntryKind.Committed, LedgerEntryKind.Disbursed],
        _ => [LedgerEntryKind.Offered, LedgerEntryKind.Filled, LedgerEntryKind.Completed],
    };

    public static LedgerBalance Balance(ProgrammeKind kind, decimal pledged, IEnumerable<LedgerEntry> entries)
    {
        var stages = StagesOf(kind);
        var rows = new SortedDictionary<(string, int), decimal[]>();
        foreach (var e in entries)
        {
            var index = e.Kind == LedgerEntryKind.Allocation ? 0 : IndexOf(stages, e.Kind) + 1;
            if (index == 0 && e.Kind != LedgerEntryKind.Allocation) continue; // not a stage of this kind of programme
            if (!rows.TryGetValue((e.StateId, e.Year), out var sums)) rows[(e.StateId, e.Year)] = sums = new decimal[
                stages.Count + 1];
            sums[index] += e.Quantity;
        }
        var allocations = rows.Select(r => new AllocationBalance(r.Key.Item1, r.Key.Item2, r.Value[0], r.Value[1..]))
            .ToList();
        var totals = Enumerable.Range(0, stages.Count).Select(i => allocations.Sum(a => a.Stages[i])).ToList();
        return new LedgerBalance(pledged, allocations.Sum(a => a.Allocated), totals, allocations);
    }

    /// <summary>
    /// The problems an entry would cause, given the entries so far; empty when it may be recorded. An entry
    /// marked <see cref="LedgerEntry.Override"/> (the secretariat's explicit decision, with its reason kept
    /// elsewhere) may take a balance past its limit; a zero entry, a date outside the programme's period and a
    /// stage foreign to the programme are refused regardless.
    /// </summary>
    public static List<LedgerProblem> Check(ProgrammeKind kind, decimal pledged, DateOnly from, DateOnly to,
        IReadOnlyCollection<LedgerEntry> entries, LedgerEntry proposed)
    {
        var problems = new List<LedgerProblem>();
        var stages = StagesOf(kind);
        if (proposed.Quantity == 0) problems.Add(new(LedgerMessages.Zero, 0, 0));
        if (proposed.On < from || proposed.On > to)
            problems.Add(new(LedgerMessages.OutsidePeriod, 0, 0, $"{from:yyyy-MM-dd}/{to:yyyy-MM-dd}"));
        // An allocation's year belongs to the programme's years too ("2025" of a pledge for 2025 only).
        if (proposed.Year < from.Year || proposed.Year > to.Year)
            problems.Add(new(LedgerMessages.YearOutsidePeriod, from.Year, proposed.Year, $"{from.Year}–{to.Year}"));
        if (proposed.Kind != LedgerEntryKind.Allocation && IndexOf(stages, proposed.Kind) < 0)
            problems.Add(new(LedgerMessages.WrongStage, 0, 0, proposed.Kind.ToString()));
        if (problems.Count > 0) return problems;

        var before = Slacks(Balance(kind, pledged, entries), proposed, pledged, stages);
        var after = Slacks(Balance(kind, pledged, entries.Append(proposed)), proposed, pledged, stages);
        // A limit is broken by this entry when it leaves the figure past its limit and further past than it was
        // (an earlier override does not block every later entry of the row).
        var limits = after.Where((a, i) => a.Slack < 0 && a.Slack < before[i].Slack).Select(a => a.Problem).ToList();
        if (!proposed.Override) problems.AddRange(limits);
        return problems;
    }

    /// <summary>
    /// The burn-up: after each date with entries, the cumulative allocated and the cumulative of each stage,
    /// over all states — the same sums as <see cref="Balance"/>, so the chart's last point is the table's total.
    /// </summary>
    public static IReadOnlyList<BurnUpPoint> BurnUp(ProgrammeKind kind, IEnumerable<LedgerEntry> entries)
    {
        var stages = StagesOf(kind);
        var points = new List<BurnUpPoint>();
        var sums = new decimal[stages.Count + 1];
        foreach (var day in entries.GroupBy(e => e.On).OrderBy(g => g.Key))
        {
            foreach (var e in day)
            {
                var index = e.Kind == LedgerEntryKind.Allocation ? 0 : IndexOf(stages, e.Kind) + 1;
                if (index == 0 && e.Kind != LedgerEntryKind.Allocation) continue;
                sums[index] += e.Quantity;
            }
            points.Add(new BurnUpPoint(day.Key, sums[0], [.. sums[1..]]));
        }
        return points;
    }

    /// <summary>Each limit the entry's row is under, with how much room is left (negative when past it).</summary>
    private static List<(decimal Slack, LedgerProblem Problem)> Slacks(LedgerBalance balance, LedgerEntry proposed,
        decimal pledged, IReadOnlyList<LedgerEntryKind> stages)
    {
        var row = balance.Allocations.SingleOrDefault(a => a.StateId == proposed.StateId && a.Year == proposed.Year)
            ?? new AllocationBalance(proposed.StateId, proposed.Year, 0, new decimal[stages.Count]);
        var slacks = new List<(decimal, LedgerProblem)>
        {
            (pledged - balance.Allocated, new(LedgerMessages.OverPledge, pledged, balance.Allocated)),
            (row.Allocated, new(LedgerMessages.Negative, 0, row.Allocated, nameof(LedgerEntryKind.Allocation))),
        };
        for (var i = 0; i < stages.Count; i++)
        {
            var limit = i == 0 ? row.Allocated : row.Stages[i - 1];
            slacks.Add(
                (limit - row.Stages[i],
                    new(i == 0 ? LedgerMessages.OverAllocation : LedgerMessages.OverStage, limit, row.Stages[i],
                        stages[i].ToString())));
            slacks.Add((row.Stages[i], new(LedgerMessages.Negative, 0, row.Stages[i], stages[i].ToString())));
        }
        return slacks;
    }

    private static int IndexOf(IReadOnlyList<LedgerEntryKind> stages, LedgerEntryKind kind)
    {
        for (var i = 0; i < stages.Count; i++) if (stages[i] == kind) return i;
        return -1;
    }
}
