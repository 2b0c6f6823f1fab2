using Caravan.Shared;

namespace Caravan.Features.Treaties;

/// <summary>How a treaty's final clauses say it enters into force.</summary>
public enum EntryIntoForceKind
{
    /// <summary>
    /// The clause is not in the sources: Caravan shows the instruments recorded but computes no date.
    /// </summary>
    Unknown,
    /// <summary>On signature (plus <see cref="EntryIntoForceRule.Days"/>, usually 0).</summary>
    OnSignature,
    /// <summary>
    /// <see cref="EntryIntoForceRule.Days"/> days after the last party's instrument (ratification, notification).
    /// </summary>
    AfterLastInstrument,
    /// <summary>
    /// <see cref="EntryIntoForceRule.Days"/> days after the k-th instrument for the first k parties; for each later
    /// party, the same number of days after its own instrument.
    /// </summary>
    AfterInstrumentCount,
}

/// <summary>Why a treaty's clause or one of its ratification steps is refused.</summary>
public static class TreatyMessages
{
    /// <summary>The rule's days are outside 0–3650 (<see cref="EntryIntoForceRule.Problem"/>).</summary>
    public static readonly MessageCode RuleDays = new("treaty.rule.days");
    /// <summary>The rule counts fewer than 1 instrument, or more than the treaty has parties.</summary>
    public static readonly MessageCode RuleCount = new("treaty.rule.count");
    public static readonly MessageCode StepInFuture = new("ratification.in-future");
    public static readonly MessageCode StepBeforeSignature = new("ratification.before-signature");
}

/// <summary>A treaty's entry-into-force clause, as data.</summary>
public sealed record EntryIntoForceRule(EntryIntoForceKind Kind, int Days = 0, int InstrumentsRequired = 0)
{
    public static readonly EntryIntoForceRule NotKnown = new(EntryIntoForceKind.Unknown);

    /// <summary>What is wrong with the rule for a treaty with <paramref name="parties"/> parties, or null.</summary>
    public MessageCode? Problem(int parties) => this switch
    {
        { Days: < 0 or > 3650 } => TreatyMessages.RuleDays,
        { Kind: EntryIntoForceKind.AfterInstrumentCount, InstrumentsRequired: var k } when k < 1 || k > parties =>
            TreatyMessages.RuleCount,
        _ => null,
    };
}

/// <summary>
/// The two dates of a party that the rule looks at: its signature and its instrument (deposit or notification).
/// </summary>
public sealed record PartyDates(string StateId, PartialDate? SignedOn, PartialDate? InstrumentOn);

public enum TreatyStatus
{
    /// <summary>Not in force, and the date cannot be computed yet (instruments missing).</summary>
    NotInForce,
    /// <summary>The conditions are met; it enters into force on a known future date.</summary>
    EntersIntoForce,
    InForce,
    /// <summary>The rule is not known, or a date it needs is known only to the month or year.</summary>
    Undetermined,
}

/// <summary>
/// The outcome of the rule: status, the date of entry into force (for all, or for the first parties), the
/// date for each party, and what is still missing.
/// </summary>
public sealed record TreatyEvaluation(
    TreatyStatus Status,
    PartialDate? EntryIntoForce,
    IReadOnlyDictionary<string, PartialDate?> InForceFor,
    int? InstrumentsStillRequired,
    IReadOnlyList<string> AwaitingFrom,
    string? Reason);

/// <summary>Entry into force as a pure function of the rule, the parties' dates and today.</summary>
public static class EntryIntoForce
{
    public static TreatyEvaluation Evaluate(EntryIntoForceRule rule, IReadOnlyList<PartyDates> parties, DateOnly today)
    {
        var withInstrument = parties.Where(p => p.InstrumentOn is not null).ToList();
        var awaitingInstrument = parties.Where(p => p.InstrumentOn is null).Select(p => p.StateId).ToList();
        var none = parties.ToDictionary(p => p.StateId, _ => (PartialDate?)null);
        switch (rule.Kind)
        {
            case EntryIntoForceKind.OnSignature:
            {
                var unsigned = parties.Where(p => p.SignedOn is null).Select(p => p.StateId).ToList();
                if (unsigned.Count > 0) return new(TreatyStatus.NotInForce, null, none, null, unsigned,
                    "treaty.awaiting-signature");
                return ForAll(Latest(parties.Select(p => p.SignedOn!.Value)), rule.Days, parties, today, [], 0);
            }
            case EntryIntoForceKind.AfterLastInstrument:
                if (awaitingInstrument.Count > 0) return new(TreatyStatus.NotInForce, null, none,
                    awaitingInstrument.Count, awaitingInstrument, "treaty.awaiting-instruments");
                return ForAll(Latest(withInstrument.Select(p => p.InstrumentOn!.Value)), rule.Days, parties, today, [],
                    0);
            case EntryIntoForceKind.AfterInstrumentCount:
            {
                var k = rule.InstrumentsRequired;
                var missing = Math.Max(0, k - withInstrument.Count);
                if (missing > 0) return new(TreatyStatus.NotInForce, null, none, missing, awaitingInstrument,
                    "treaty.awaiting-instruments");
                if (withInstrument.Any(p => p.InstrumentOn!.Value.Day is null))
                    return new(TreatyStatus.Undetermined, null, none, 0, awaitingInstrument, "treaty.date-imprecise");
                var ordered = withInstrument.OrderBy(p => p.InstrumentOn!.Value)
                    .ThenBy(p => p.StateId, StringComparer.Ordinal).ToList();
                var start = ordered[k - 1].InstrumentOn!.Value.Earliest.AddDays(rule.Days);
                var perParty = new Dictionary<string, PartialDate?>(none);
                foreach (var (party, index) in ordered.Select((p, i) => (p, i)))
                    perParty[party.StateId] = Day(
                        index < k ? start : party.InstrumentOn!.Value.Earliest.AddDays(rule.Days));
                return new(start <= today ? TreatyStatus.InForce : TreatyStatus.EntersIntoForce, Day(start), perParty,
                    0, awaitingInstrument, null);
            }
            default:
                return new(TreatyStatus.Undetermined, null, none, null, awaitingInstrument, "treaty.rule-not-known");
        }
    }

    private static TreatyEvaluation ForAll(PartialDate? last, int days, IReadOnlyList<PartyDates> parties,
        DateOnly today, IReadOnlyList<string> awaiting, int required)
    {
        // N days after a date known only to the month cannot be a day; a month-precise date with N = 0 is still only a
        // month.
        if (last is not { Day: not null } date)
            return new(TreatyStatus.Undetermined, days == 0 ? last : null,
                parties.ToDictionary(p => p.StateId, _ => days == 0 ? last : null), required, awaiting,
                "treaty.date-imprecise");
        var on = date.Earliest.AddDays(days);
        return new(on <= today ? TreatyStatus.InForce : TreatyStatus.EntersIntoForce, Day(on),
            parties.ToDictionary(p => p.StateId, _ => (PartialDate?)Day(on)), required, awaiting, null);
    }

    /// <summary>
    /// The latest date; with imprecise dates, the latest by their last possible day is not knowable, so null unless all
    /// are days.
    /// </summary>
    private static PartialDate? Latest(IEnumerable<PartialDate> dates)
    {
        var list = dates.ToList();
        if (list.Count == 0) return null;
        if (list.Any(d => d.Day is null)) return list.Count == 1 ? list[0] : null;
        return list.Max();
    }

    private static PartialDate Day(DateOnly d) => PartialDate.OfDay(d.Year, d.Month, d.Day);
}
