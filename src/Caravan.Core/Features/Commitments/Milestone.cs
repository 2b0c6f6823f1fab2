using Caravan.Shared;

namespace Caravan.Features.Commitments;

/// <summary>
/// A dated step of a commitment between "agreed" and "done" ("memorandum signed", "centre opened", "first cohort
/// trained"), in the mechanism's words: when it is due, whether and when it was achieved, the evidence. About one of
/// the commitment's parties, or about all of them (<see cref="StateId"/> null). Its status is derived, not stored:
/// see <see cref="MilestoneRules.StatusOf"/>.
/// </summary>
public sealed class Milestone : IVersioned
{
    /// <summary><c>{commitment}:{state or "all"}:{suffix}</c>, e.g. <c>secretariat-2023:all:launched</c>.</summary>
    public required string Id { get; set; }
    public required string CommitmentId { get; set; }
    /// <summary>The party it concerns; null: every party the commitment binds.</summary>
    public string? StateId { get; set; }
    public required LocalizedText Title { get; set; }
    /// <summary>
    /// When it is due, to the precision the mechanism gives ("2027", "2026-06", a day), like a commitment's
    /// deadline; null when no source states one (a step known only once it happened).
    /// </summary>
    public PartialDate? Due { get; set; }
    /// <summary>When it was achieved, to the precision the evidence gives; null: not (yet) achieved.</summary>
    public PartialDate? AchievedOn { get; set; }
    /// <summary>Dropped by the parties: no longer expected, never overdue.</summary>
    public bool Cancelled { get; set; }
    public LocalizedText? Evidence { get; set; }
    public string? EvidenceUrl { get; set; }
    public LocalizedText? Note { get; set; }
    public int Version { get; set; }

    /// <summary>The id part that stands for "every party".</summary>
    public const string AllParties = "all";

    /// <summary>The kind a seed retraction names a milestone by.</summary>
    public const string RetractionKind = "milestone";

    public static string KeyOf(string commitmentId, string? stateId, string suffix) =>
        $"{commitmentId}:{stateId ?? AllParties}:{suffix}";
}

/// <summary>Where a milestone stands, derived from its dates and today (never stored).</summary>
public enum MilestoneStatus
{
    /// <summary>Not yet achieved, and not past its due date (or none is stated).</summary>
    Planned,
    /// <summary>Past its due date and not achieved.</summary>
    Overdue,
    Achieved,
    /// <summary>Dropped by the parties.</summary>
    Cancelled,
}

/// <summary>The milestone rules, as pure functions.</summary>
public static class MilestoneRules
{
    /// <summary>
    /// Cancelled wins; then achieved (a date of achievement); then overdue once the last day the due date allows
    /// has passed ("2026-06" is due by 30 June 2026, "2027" by 31 December 2027); otherwise planned.
    /// </summary>
    public static MilestoneStatus StatusOf(PartialDate? due, PartialDate? achievedOn, bool cancelled, DateOnly today)
    {
        if (cancelled) return MilestoneStatus.Cancelled;
        if (achievedOn is not null) return MilestoneStatus.Achieved;
        return due is { } d && d.Latest < today ? MilestoneStatus.Overdue : MilestoneStatus.Planned;
    }

    public static MilestoneStatus StatusOf(Milestone m, DateOnly today) =>
        StatusOf(m.Due, m.AchievedOn, m.Cancelled, today);

    /// <summary>Achieved after the last day its due date allows.</summary>
    public static bool AchievedLate(PartialDate? due, PartialDate? achievedOn) =>
        due is { } d && achievedOn is { } a && a.Earliest > d.Latest;

    /// <summary>
    /// The date a milestone is placed at on a timeline: when it was achieved, else when it is due; null when
    /// neither is known (the record's checks refuse that).
    /// </summary>
    public static PartialDate? DateOf(Milestone m) => m.AchievedOn ?? m.Due;

    /// <summary>
    /// Whether a milestone falls due within [<paramref name="from"/>, <paramref name="to"/>]: its last allowed day
    /// does. A cancelled or achieved one is not due.
    /// </summary>
    public static bool FallsDueBetween(Milestone m, DateOnly from, DateOnly to) =>
        !m.Cancelled && m.AchievedOn is null && m.Due is { } d && d.Latest >= from && d.Latest <= to;

    /// <summary>
    /// Whether a milestone concerns a state: it names that state, or it is about every party of a commitment
    /// that binds the state.
    /// </summary>
    public static bool Concerns(Milestone m, IReadOnlyCollection<string> parties, string state) =>
        m.StateId is null ? parties.Contains(state) : m.StateId == state;

    /// <summary>
    /// Whose milestone it is: the state it concerns (its coordinator), and the bodies that lead or support the
    /// commitment (their officers). A milestone about every party is not one coordinator's to set for the others.
    /// </summary>
    public static Accounts.RecordScope ScopeOf(Commitment c, string? state) =>
        new(state is null ? [] : [state], [.. c.LeadBodies.Concat(c.SupportingBodies).Distinct()]);
}
