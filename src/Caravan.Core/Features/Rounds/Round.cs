using Caravan.Features.Accounts;
using Caravan.Shared;

namespace Caravan.Features.Rounds;

/// <summary>
/// A reporting round: the secretariat asks the states and bodies for their reports on one reporting period, by a due
/// date ("Status before the foreign ministers' meeting, April 2026"). Its tasks are not stored: they are derived from
/// the live records whenever they are read (<see cref="RoundTaskSource"/>), so the normal submission workflow moves
/// them. Closing the round closes the period and freezes its snapshot; the progress as it stood is kept with it.
/// </summary>
public sealed class Round : IVersioned
{
    public required string Id { get; set; }
    public required LocalizedText Name { get; set; }
    public required string PeriodId { get; set; }
    /// <summary>After this day (in UTC) a task not yet submitted is overdue.</summary>
    public DateOnly DueOn { get; set; }
    /// <summary>Reminders, in days before <see cref="DueOn"/> (7, 1…); empty: none.</summary>
    public List<int> ReminderDays { get; set; } = [];
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    /// <summary>
    /// The period while the round is open, null once closed: unique, so the database itself holds "one open round per
    /// reporting period" (several nulls are allowed by both providers).
    /// </summary>
    public string? OpenPeriodId { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    /// <summary>The snapshot frozen at the close (the period's: one per period).</summary>
    public string? SnapshotId { get; set; }
    /// <summary>The progress per state and per body as it stood at the close; empty while open.</summary>
    public List<RoundProgress> ProgressAtClose { get; set; } = [];
    public int Version { get; set; }

    public bool IsOpen => ClosedAt is null;
}

/// <summary>
/// Where a group of tasks stands: a state's (<see cref="StateId"/>) or a body's (<see cref="BodyId"/>); the
/// mechanism's own tasks (both null) are the secretariat's. The four counts partition the group's tasks.
/// </summary>
public sealed record RoundProgress(string? StateId, string? BodyId, int Requested, int Overdue, int Submitted,
    int Validated)
{
    public int Total => Requested + Overdue + Submitted + Validated;
}

/// <summary>Where one task stands.</summary>
public enum RoundTaskStatus
{
    /// <summary>Nothing submitted yet (nothing proposed, a draft, or returned to its author).</summary>
    Requested,
    /// <summary>Requested, and the due date has passed.</summary>
    Overdue,
    /// <summary>Submitted, awaiting the states' confirmation or the secretariat's validation.</summary>
    Submitted,
    /// <summary>Validated (awaiting publication) or published.</summary>
    Validated,
}

/// <summary>What a task waits for next.</summary>
public enum RoundWaitsFor
{
    /// <summary>Nothing: the record is published for the period.</summary>
    Nothing,
    /// <summary>A proposal from those whose record it is.</summary>
    Proposal,
    /// <summary>Its author to submit the draft.</summary>
    Submission,
    /// <summary>Its author to rework what the secretariat returned.</summary>
    Rework,
    /// <summary>The coordinators of the record's states to confirm.</summary>
    Confirmation,
    /// <summary>The secretariat to validate.</summary>
    Validation,
    /// <summary>The secretariat to publish.</summary>
    Publication,
}

/// <summary>
/// Who must act next on a task: a role, for a state or a body (<c>null</c> both: the secretariat), or one person (the
/// author of the submission, <see cref="UserId"/> and <see cref="Name"/>).
/// </summary>
public sealed record RoundActor(CaravanRole? Role, string? StateId, string? BodyId, string? UserId = null,
    string? Name = null)
{
    public static readonly RoundActor Secretariat = new(CaravanRole.SecretariatEditor, null, null);
}

/// <summary>Why a round cannot be opened or closed.</summary>
public static class RoundMessages
{
    public static readonly MessageCode SecretariatOnly = new("round.secretariat-only");
    public static readonly MessageCode NameRequired = new("round.name-required");
    public static readonly MessageCode NameTooLong = new("round.name-too-long");
    public static readonly MessageCode PeriodRequired = new("round.period-required");
    public static readonly MessageCode UnknownPeriod = new("round.unknown-period");
    /// <summary>The period is closed: its snapshot is frozen, nothing more is reported on it.</summary>
    public static readonly MessageCode PeriodClosed = new("round.period-closed");
    /// <summary>A round is already open for the period ({0}: its id).</summary>
    public static readonly MessageCode AlreadyOpen = new("round.already-open");
    public static readonly MessageCode DueRequired = new("round.due-required");
    public static readonly MessageCode BadDate = new("round.bad-date");
    public static readonly MessageCode DueBeforePeriod = new("round.due-before-period");
    /// <summary>A reminder day is not a whole number of days from 1 to 365.</summary>
    public static readonly MessageCode BadReminder = new("round.bad-reminder");
    /// <summary>The round is closed already: it closes once.</summary>
    public static readonly MessageCode AlreadyClosed = new("round.already-closed");
}
