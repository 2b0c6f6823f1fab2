using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Submissions;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Rounds;

/// <summary>A person who holds an actor's place: named on the round page, and the recipient of its mail.</summary>
public sealed record RoundPerson(string UserId, string Name, string? Email);

/// <summary>
/// One task as it stands now: its status, what it waits for, who must act (the roles, and the people who hold them),
/// and the leading open submission, if any.
/// </summary>
public sealed record RoundTaskView(RoundTask Task, RoundTaskStatus Status, RoundWaitsFor WaitsFor,
    IReadOnlyList<RoundActor> Actors, IReadOnlyList<RoundPerson> People, string? SubmissionId);

/// <summary>A round as one reader sees it: the tasks they may see and the progress over those.</summary>
public sealed record RoundView(Round Round, ReportingPeriod Period, IReadOnlyList<RoundProgress> Progress,
    IReadOnlyList<RoundTaskView> Tasks);

public sealed record RoundSummary(Round Round, ReportingPeriod Period, int Tasks, int Validated, int Overdue);

/// <summary>A person's own open tasks in a round: what a reminder tells them, and nothing else.</summary>
public sealed record RoundRecipient(RoundPerson Person, IReadOnlyList<RoundTaskView> Tasks);

/// <summary>Reads rounds: derives their tasks from the live records, as each reader may see them.</summary>
public static class RoundQueries
{
    /// <summary>
    /// Every task of the round, derived now, with its status and who must act; null when there is no such round.
    /// Everything, for the secretariat and for mail; <see cref="ViewAsync"/> filters for a reader.
    /// </summary>
    public static async Task<(Round Round, ReportingPeriod Period, List<RoundTaskView> Tasks)?> DeriveAsync(
        CaravanDbContext db, string roundId, DateTimeOffset now, CancellationToken ct = default)
    {
        var round = await db.Set<Round>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null) return null;
        var (period, tasks) = await DeriveAsync(db, round.PeriodId, round.DueOn, now, ct);
        return (round, period, tasks);
    }

    /// <summary>
    /// The tasks of a period due on <paramref name="dueOn"/>: closing a round and the benchmark call this.
    /// </summary>
    public static async Task<(ReportingPeriod Period, List<RoundTaskView> Tasks)> DeriveAsync(
        CaravanDbContext db, string periodId, DateOnly dueOn, DateTimeOffset now, CancellationToken ct = default)
    {
        var periods = await db.ReportingPeriods.AsNoTracking().OrderBy(p => p.Order).ToListAsync(ct);
        var period = periods.First(p => p.Id == periodId);
        var scope = new RoundPeriod(period, periods, dueOn);
        var tasks = new List<RoundTask>();
        foreach (var source in RoundTaskSource.All) tasks.AddRange(await source.TasksAsync(db, scope, ct));

        var kinds = tasks.Select(t => t.RecordKind).Distinct().ToList();
        var open = await db.Submissions.AsNoTracking().Include(s => s.Events).AsSplitQuery()
            .Where(s => kinds.Contains(s.RecordKind) && (s.Status == SubmissionStatus.Draft
                || s.Status == SubmissionStatus.Submitted || s.Status == SubmissionStatus.Returned
                || s.Status == SubmissionStatus.Validated))
            .ToListAsync(ct);
        var exact = open.ToLookup(s => (s.RecordKind, s.RecordId));
        var users = await db.Users.AsNoTracking().Where(u => !u.Disabled).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.Role, u.StateId, u.BodyIds }).ToListAsync(ct);

        List<RoundPerson> PeopleOf(RoundActor a) => a.UserId is { } id
            ? [.. users.Where(u => u.Id == id).Select(u => new RoundPerson(u.Id, u.DisplayName, u.Email))]
            : [.. users.Where(u => a.Role is CaravanRole.SecretariatEditor
                    ? u.Role is CaravanRole.SecretariatAdmin or CaravanRole.SecretariatEditor
                    : u.Role == a.Role && (a.StateId is null || u.StateId == a.StateId)
                        && (a.BodyId is null || u.BodyIds.Contains(a.BodyId)))
                .Select(u => new RoundPerson(u.Id, u.DisplayName, u.Email))];

        var people = new Dictionary<RoundActor, List<RoundPerson>>();
        var views = tasks.Select(task =>
        {
            var matching = task.ByPrefix
                ? open.Where(s => task.Matches(s.RecordKind, s.RecordId))
                : exact[(task.RecordKind, task.RecordId)];
            var leading = RoundRules.Leading(matching);
            var (status, waitsFor) = RoundRules.StatusOf(task.Done, leading, dueOn, now);
            var actors = RoundRules.WhoActs(task, waitsFor, leading);
            var named = actors.SelectMany(a =>
                people.TryGetValue(a, out var p) ? p : people[a] = PeopleOf(a)).DistinctBy(p => p.UserId).ToList();
            return new RoundTaskView(task, status, waitsFor, actors, named,
                waitsFor == RoundWaitsFor.Nothing ? null : leading?.Id);
        }).ToList();
        return (period, views);
    }

    /// <summary>
    /// The round as <paramref name="caller"/> may see it: the tasks whose records they may see unpublished work of (a
    /// coordinator their state's, an officer their bodies', the secretariat all), and the progress over those; once
    /// closed, the progress frozen at the close, in the rows they may see. Null for the public and for no round.
    /// </summary>
    public static async Task<RoundView?> ViewAsync(CaravanDbContext db, Caller? caller, string roundId,
        DateTimeOffset now, CancellationToken ct = default)
    {
        if (caller is null) return null;
        var derived = await DeriveAsync(db, roundId, now, ct);
        if (derived is null) return null;
        var (round, period, all) = derived.Value;
        var tasks = all.Where(t => Access.CanSeeUnpublished(caller, t.Task.Scope)).ToList();
        var progress = round.IsOpen
            ? RoundRules.ProgressOf(tasks.Select(t => (t.Task, t.Status)))
            : [.. round.ProgressAtClose.Where(p => MaySee(caller, p))];
        return new RoundView(round, period, progress, tasks);
    }

    /// <summary>
    /// A frozen progress row: the secretariat sees all; a coordinator their state's; an officer their bodies'.
    /// </summary>
    private static bool MaySee(Caller caller, RoundProgress p) => caller.IsSecretariat
        || (p.StateId is not null && caller.Role == CaravanRole.NationalCoordinator && caller.StateId == p.StateId)
        || (p.BodyId is not null && caller.Role == CaravanRole.ProgrammeOfficer && caller.BodyIds.Contains(p.BodyId));

    /// <summary>The rounds, latest first, each with the caller's share of its tasks (none for the public).</summary>
    public static async Task<List<RoundSummary>> ListAsync(CaravanDbContext db, Caller? caller, DateTimeOffset now,
        CancellationToken ct = default)
    {
        if (caller is null) return [];
        // Ordered here: SQLite cannot order by a DateTimeOffset, and rounds are a handful a year.
        var ids = (await db.Set<Round>().AsNoTracking().Select(r => new { r.Id, r.OpenedAt }).ToListAsync(ct))
            .OrderByDescending(r => r.OpenedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
        var list = new List<RoundSummary>();
        foreach (var id in ids)
        {
            var view = (await ViewAsync(db, caller, id, now, ct))!;
            // Each task counted once: in its state's row, or the mechanism's (a body's row repeats them).
            var rows = view.Progress.Where(p => p.BodyId is null).ToList();
            list.Add(new RoundSummary(view.Round, view.Period, rows.Sum(p => p.Total), rows.Sum(p => p.Validated),
                rows.Sum(p => p.Overdue)));
        }
        return list;
    }

    /// <summary>
    /// Per person, their own open tasks in the round (those waiting for them: to propose, to submit or rework their
    /// own draft, to confirm for their state, to validate or publish), for the "round opened", reminder and overdue
    /// mail. Disabled accounts are left out; an empty list for a closed round or no round. Whether a mail is due today
    /// is <see cref="RoundRules.ReminderOn"/>'s and <see cref="RoundRules.IsPastDue"/>'s.
    /// </summary>
    public static async Task<List<RoundRecipient>> RecipientsDueAsync(CaravanDbContext db, string roundId,
        DateTimeOffset now, CancellationToken ct = default)
    {
        var derived = await DeriveAsync(db, roundId, now, ct);
        if (derived is not { Round.IsOpen: true } d) return [];
        var tasks = d.Tasks;
        return
        [
            .. tasks.Where(t => t.WaitsFor != RoundWaitsFor.Nothing)
                .SelectMany(t => t.People.Select(p => (Person: p, Task: t)))
                .GroupBy(x => x.Person.UserId)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RoundRecipient(g.First().Person, [.. g.Select(x => x.Task)])),
        ];
    }
}
