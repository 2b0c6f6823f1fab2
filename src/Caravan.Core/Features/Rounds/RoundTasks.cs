using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Submissions;
using Caravan.Shared;

namespace Caravan.Features.Rounds;

/// <summary>
/// One thing a round asks of a state or a body: a record to propose for the period. <see cref="RecordId"/> names the
/// record the workflow will publish (or, with <see cref="ByPrefix"/>, the start of the ids of a ledger's entries), so
/// that a submission through the normal workflow is found and moves the task. <see cref="Done"/>: the record is
/// published for the period, as its source reads the live data.
/// </summary>
public sealed record RoundTask(
    string Kind, string Key, LocalizedText Title, int? Year, string? StateId, IReadOnlyList<string> Bodies,
    string RecordKind, string RecordId, bool ByPrefix, bool Done, string Link)
{
    /// <summary>Whose business the task is: who sees it, and who proposes.</summary>
    public RecordScope Scope => new(StateId is null ? [] : [StateId], Bodies);

    public bool Matches(string recordKind, string recordId) => recordKind == RecordKind
        && (ByPrefix ? recordId.StartsWith(RecordId, StringComparison.Ordinal) : recordId == RecordId);
}

/// <summary>The period a round reports on, and its due date: what every task source derives from.</summary>
public sealed record RoundPeriod(ReportingPeriod Period, IReadOnlyList<ReportingPeriod> Periods, DateOnly DueOn)
{
    /// <summary>
    /// The period's last day: its stated end, else the due date (a period open towards the next meeting).
    /// </summary>
    public DateOnly LastDay => Period.To?.Latest ?? DueOn;
}

/// <summary>
/// A kind of task. Each kind is one class in the feature that owns its records (or here): it reads what it needs and
/// derives its tasks with plain rules. Kinds are found by reflection, as record kinds are: adding one (a commitment's
/// milestones falling due) is adding its class and its name in the UI strings (keyed by <see cref="Kind"/>).
/// </summary>
public abstract class RoundTaskSource
{
    /// <summary>The kind's name in the API and in the UI strings' keys (<c>assessment</c>).</summary>
    public abstract string Kind { get; }
    /// <summary>Where the kind comes in task lists.</summary>
    public abstract int Order { get; }

    public abstract Task<IReadOnlyList<RoundTask>> TasksAsync(CaravanDbContext db, RoundPeriod period,
        CancellationToken ct);

    /// <summary>The UI string that names a kind of task.</summary>
    public static string LabelKey(string kind) => "round.kind." + kind;

    public static readonly IReadOnlyList<RoundTaskSource> All =
    [
        .. typeof(RoundTaskSource).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(RoundTaskSource)))
            .Select(t => (RoundTaskSource)Activator.CreateInstance(t, nonPublic: true)!)
            .OrderBy(s => s.Order).ThenBy(s => s.Kind, StringComparer.Ordinal),
    ];
}

/// <summary>
/// The rules of a task's status, of who acts next, and of the progress counts: plain methods, no database.
/// </summary>
public static class RoundRules
{
    /// <summary>The most advanced of a task's open submissions: validated, then submitted, returned, draft.</summary>
    public static Submission? Leading(IEnumerable<Submission> open) =>
        open.Where(s => s.IsOpen).OrderByDescending(s => Rank(s.Status)).ThenByDescending(s => s.UpdatedAt)
            .FirstOrDefault();

    private static int Rank(SubmissionStatus s) => s switch
    {
        SubmissionStatus.Validated => 4,
        SubmissionStatus.Submitted => 3,
        SubmissionStatus.Returned => 2,
        _ => 1,
    };

    /// <summary>Past the due date: the day after it has begun (UTC).</summary>
    public static bool IsPastDue(DateOnly due, DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime) > due;

    /// <summary>
    /// Where a task stands and what it waits for: published for the period is validated and waits for nothing;
    /// otherwise its leading open submission decides; with none submitted, it is requested, or overdue past the due
    /// date.
    /// </summary>
    public static (RoundTaskStatus Status, RoundWaitsFor WaitsFor) StatusOf(bool done, Submission? leading,
        DateOnly due, DateTimeOffset now)
    {
        if (done) return (RoundTaskStatus.Validated, RoundWaitsFor.Nothing);
        var notYet = IsPastDue(due, now) ? RoundTaskStatus.Overdue : RoundTaskStatus.Requested;
        return leading?.Status switch
        {
            SubmissionStatus.Validated => (RoundTaskStatus.Validated, RoundWaitsFor.Publication),
            SubmissionStatus.Submitted => (RoundTaskStatus.Submitted,
                leading.AwaitingConfirmationFrom.Count > 0 || leading.DisagreeingStates.Count > 0
                    ? RoundWaitsFor.Confirmation : RoundWaitsFor.Validation),
            SubmissionStatus.Returned => (notYet, RoundWaitsFor.Rework),
            SubmissionStatus.Draft => (notYet, RoundWaitsFor.Submission),
            _ => (notYet, RoundWaitsFor.Proposal),
        };
    }

    /// <summary>
    /// Who must act next: a proposal is for the state's coordinator and the bodies' officers (the secretariat for the
    /// mechanism's own records); a draft or a returned submission is its author's; a confirmation is for the states
    /// that have not confirmed; validating and publishing are the secretariat's.
    /// </summary>
    public static IReadOnlyList<RoundActor> WhoActs(RoundTask task, RoundWaitsFor waitsFor, Submission? leading) =>
        waitsFor switch
        {
            RoundWaitsFor.Nothing => [],
            RoundWaitsFor.Proposal => task.StateId is null && task.Bodies.Count == 0
                ? [RoundActor.Secretariat]
                : [.. (task.StateId is { } s
                        ? new[] { new RoundActor(CaravanRole.NationalCoordinator, s, null) }
                        : []),
                    .. task.Bodies.Select(b => new RoundActor(CaravanRole.ProgrammeOfficer, null, b))],
            RoundWaitsFor.Submission or RoundWaitsFor.Rework =>
                [new RoundActor(null, null, null, leading!.AuthorId, leading.AuthorName)],
            RoundWaitsFor.Confirmation =>
                [.. leading!.AwaitingConfirmationFrom.Concat(leading.DisagreeingStates).Distinct()
                    .Select(s => new RoundActor(CaravanRole.NationalCoordinator, s, null))],
            _ => [RoundActor.Secretariat],
        };

    /// <summary>
    /// The progress per state and per body (a task of a state and a lead body counts in both), and the mechanism's
    /// own tasks in one row with neither; states first, then bodies, each in id order.
    /// </summary>
    public static List<RoundProgress> ProgressOf(IEnumerable<(RoundTask Task, RoundTaskStatus Status)> tasks)
    {
        var groups = new Dictionary<(string?, string?), int[]>();
        foreach (var (task, status) in tasks)
        {
            var keys = new List<(string?, string?)>();
            if (task.StateId is { } s) keys.Add((s, null));
            keys.AddRange(task.Bodies.Select(b => ((string?)null, (string?)b)));
            if (keys.Count == 0) keys.Add((null, null));
            foreach (var key in keys)
            {
                if (!groups.TryGetValue(key, out var counts)) groups[key] = counts = new int[4];
                counts[(int)status]++;
            }
        }
        return [.. groups.OrderBy(g => g.Key.Item1 is not null ? 0 : g.Key.Item2 is not null ? 1 : 2)
            .ThenBy(g => g.Key.Item1 ?? g.Key.Item2 ?? "", StringComparer.Ordinal)
            .Select(g => new RoundProgress(g.Key.Item1, g.Key.Item2, g.Value[0], g.Value[1], g.Value[2], g.Value[3]))];
    }

    /// <summary>
    /// A commitment is assessed in a period when it counts (not cancelled, superseded or merged), its first period is
    /// not later, and the treaty it waits for (if any) is in force.
    /// </summary>
    public static bool ActiveIn(Commitment c, ReportingPeriod period, IReadOnlyDictionary<string, int> order,
        IReadOnlySet<string> treatiesInForce) =>
        c.Counts && order.GetValueOrDefault(c.FirstPeriodId, int.MaxValue) <= period.Order
            && (c.ActiveOnceInForceId is not { } treaty || treatiesInForce.Contains(treaty));

    /// <summary>
    /// The years an annual series owes in a round: those that ended within the period, before the due date (a year's
    /// figure exists only once the year is over).
    /// </summary>
    public static IReadOnlyList<int> YearsDue(RoundPeriod p)
    {
        var from = p.Period.From.Earliest;
        var last = p.LastDay < p.DueOn ? p.LastDay : p.DueOn;
        return [.. Enumerable.Range(from.Year, Math.Max(0, last.Year - from.Year + 1))
            .Where(y => new DateOnly(y, 12, 31) >= from && new DateOnly(y, 12, 31) < last)];
    }

    /// <summary>
    /// The reminder due on <paramref name="today"/>, in days before the due date, if the schedule has one for today.
    /// </summary>
    public static int? ReminderOn(Round round, DateOnly today)
    {
        var before = round.DueOn.DayNumber - today.DayNumber;
        return round.IsOpen && round.ReminderDays.Contains(before) ? before : null;
    }
}
