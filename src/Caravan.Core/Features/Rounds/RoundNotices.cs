using System.Globalization;
using Caravan.Data;
using Caravan.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Rounds;

/// <summary>
/// What a round tells the people who owe it something: that it opened, a reminder on each of its reminder days
/// before the due date, and on the day after the due date that it is overdue. Each person is told only of their own
/// open tasks (<see cref="RoundQueries.RecipientsDueAsync"/>), listed in the message with their pages.
/// </summary>
public static class RoundNotices
{
    /// <summary>Raises <paramref name="kind"/> for each person with open tasks in the round, inside the caller's write step.</summary>
    public static async Task<int> RaiseAsync(CaravanDbContext db, Round round, NotificationKind kind, int? days,
        DateTimeOffset now, CancellationToken ct)
    {
        var recipients = await RoundQueries.RecipientsDueAsync(db, round.Id, now, ct);
        foreach (var r in recipients)
            Outbox.Raise(db, kind, [r.Person.UserId], new NotificationContent
            {
                Title = round.Name, Link = $"/rounds/{round.Id}", Days = days, Due = round.DueOn,
                Awaiting = [.. r.Tasks.Select(t => new DigestLine(t.Task.Title, t.Task.Link))],
            }, now);
        return recipients.Count;
    }
}

/// <summary>
/// Once a day across every node (<see cref="ScheduledWork"/>): each open round whose reminder day it is reminds, and
/// each open round past its due date says, once, that it is overdue (on the first run after the due date, even when
/// no node ran on the day after it). The day is the run's period, so a day's messages go out once.
/// </summary>
public sealed class RoundReminders : IScheduledJob
{
    public const string JobName = "round-reminders";
    /// <summary>The record that a round's overdue notice went out (its period is the round's id).</summary>
    public const string OverdueJob = "round-overdue";
    public string Name => JobName;

    public string? PeriodOf(DateTimeOffset now) =>
        DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task RunAsync(CaravanDbContext db, string period, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var round in await db.Set<Round>().AsNoTracking().Where(r => r.OpenPeriodId != null).ToListAsync(ct))
        {
            if (RoundRules.ReminderOn(round, today) is { } days)
                await RoundNotices.RaiseAsync(db, round, NotificationKind.RoundReminder, days, now, ct);
            else if (RoundRules.IsPastDue(round.DueOn, now)
                     && !await db.ScheduledRuns.AnyAsync(r => r.Job == OverdueJob && r.Period == round.Id, ct))
            {
                // Recorded with the messages, in the same write step: told once per round.
                db.ScheduledRuns.Add(new ScheduledRun { Job = OverdueJob, Period = round.Id, RanAt = now });
                await RoundNotices.RaiseAsync(db, round, NotificationKind.RoundOverdue, null, now, ct);
            }
        }
    }
}
