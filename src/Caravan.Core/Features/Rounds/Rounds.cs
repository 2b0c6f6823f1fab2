using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Rounds;

/// <summary>What the secretariat sends to open a round, as typed (checked by <see cref="Rounds.OpenAsync"/>).</summary>
public sealed record RoundInput(LocalizedText Name, string? Period, string? DueOn, IReadOnlyList<string> ReminderDays);

/// <summary>
/// Opens and closes rounds, each as one write step under the writers' lock (ADR 0014): one open round per period,
/// and a close that happens once, whatever arrives at the same time.
/// </summary>
public sealed class Rounds(CaravanDbContext db, TimeProvider clock)
{
    public const int MaxName = 300;

    public Task<WriteOutcome<string>> OpenAsync(Caller? caller, RoundInput input, CancellationToken ct = default) =>
        db.WriteAsync(() => OpenUnderLockAsync(caller, input, ct), ct);

    private async Task<WriteOutcome<string>> OpenUnderLockAsync(Caller? caller, RoundInput input, CancellationToken ct)
    {
        if (!Access.CanValidate(caller))
            return await RefuseAsync(caller, input.Period ?? "", "open a reporting round", ct);
        var problems = new List<FieldError>();
        if (input.Name.IsEmpty) problems.Add(new("name", RoundMessages.NameRequired));
        foreach (var language in LocalizedText.Languages)
            if (input.Name[language] is { Length: > MaxName })
                problems.Add(new($"name.{language}", RoundMessages.NameTooLong, MaxName));
        ReportingPeriod? period = null;
        if (string.IsNullOrWhiteSpace(input.Period)) problems.Add(new("period", RoundMessages.PeriodRequired));
        else if ((period = await db.ReportingPeriods.AsNoTracking().FirstOrDefaultAsync(p => p.Id == input.Period, ct))
                 is null)
            problems.Add(new("period", RoundMessages.UnknownPeriod, input.Period));
        else if (period.Closed) problems.Add(new("period", RoundMessages.PeriodClosed, period.Id));
        DateOnly due = default;
        if (string.IsNullOrWhiteSpace(input.DueOn)) problems.Add(new("dueOn", RoundMessages.DueRequired));
        else if (!DateOnly.TryParseExact(input.DueOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                     DateTimeStyles.None, out due))
            problems.Add(new("dueOn", RoundMessages.BadDate, input.DueOn));
        else if (period is not null && due < period.From.Earliest)
            problems.Add(new("dueOn", RoundMessages.DueBeforePeriod, period.From.Earliest));
        var reminders = new SortedSet<int>();
        for (var i = 0; i < input.ReminderDays.Count; i++)
            if (int.TryParse(input.ReminderDays[i]?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture,
                    out var days) && days is >= 1 and <= 365)
                reminders.Add(days);
            else problems.Add(new($"reminderDays[{i}]", RoundMessages.BadReminder, input.ReminderDays[i] ?? ""));
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);

        // Under the lock: no other request can open one between this read and the save; the unique index says so too.
        if (await db.Set<Round>().AsNoTracking().FirstOrDefaultAsync(r => r.OpenPeriodId == period!.Id, ct) is { } open)
            return WriteOutcome<string>.Conflict("period", RoundMessages.AlreadyOpen, open.Id);
        var round = new Round
        {
            Id = Guid.CreateVersion7().ToString("N"), Name = Trimmed(input.Name), PeriodId = period!.Id,
            OpenPeriodId = period.Id, DueOn = due, ReminderDays = [.. reminders.Reverse()],
            OpenedAt = clock.GetUtcNow(), OpenedBy = caller!.Name,
        };
        db.Set<Round>().Add(round);
        db.Actor = new AuditActor(caller.Name, caller.AuditRole, "opened a reporting round");
        await db.SaveChangesAsync(ct);
        // Everyone who owes the round something is told, each of their own tasks, in the same transaction.
        if (await RoundNotices.RaiseAsync(db, round, Notifications.NotificationKind.RoundOpened, null,
                round.OpenedAt, ct) > 0)
            await db.SaveChangesAsync(ct);
        return WriteOutcome<string>.Created(round.Id);
    }

    /// <summary>
    /// Closes the round: the period closes and its snapshot is frozen through <see cref="Snapshots.CloseAsync"/>, and
    /// the progress as it stands is kept with the round, in one transaction. A round closes once: a second close is a
    /// conflict. A period the secretariat already closed (its snapshot taken) keeps that snapshot.
    /// </summary>
    public Task<WriteOutcome<string>> CloseAsync(Caller? caller, string id, CancellationToken ct = default) =>
        db.WriteAsync(() => CloseUnderLockAsync(caller, id, ct), ct);

    private async Task<WriteOutcome<string>> CloseUnderLockAsync(Caller? caller, string id, CancellationToken ct)
    {
        var round = await db.Set<Round>().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || caller is null) return WriteOutcome<string>.NotFound();
        if (!Access.CanValidate(caller)) return await RefuseAsync(caller, id, "close a reporting round", ct);
        if (!round.IsOpen) return WriteOutcome<string>.Conflict(WriteOutcome.Whole, RoundMessages.AlreadyClosed);

        var now = clock.GetUtcNow();
        var (_, tasks) = await RoundQueries.DeriveAsync(db, round.PeriodId, round.DueOn, now, ct);
        var actor = new AuditActor(caller.Name, caller.AuditRole, "closed the reporting round");
        var (snapshot, error) = await new Snapshots(db, clock).CloseAsync(round.PeriodId, actor, ct);
        if (error is not null && error != SnapshotMessages.Exists)
            return WriteOutcome<string>.NotFound();
        round.SnapshotId = snapshot?.Id ?? round.PeriodId;
        round.ProgressAtClose = RoundRules.ProgressOf(tasks.Select(t => (t.Task, t.Status)));
        round.ClosedAt = now;
        round.ClosedBy = caller.Name;
        round.OpenPeriodId = null;
        db.Actor = actor;
        await db.SaveChangesAsync(ct);
        return WriteOutcome<string>.Done(round.Id);
    }

    private async Task<WriteOutcome<string>> RefuseAsync(Caller? caller, string subjectId, string attempted,
        CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await AuditRecorder.AppendRefusalAsync(db,
            caller is null ? AuditActor.Anonymous : new AuditActor(caller.Name, caller.AuditRole, null),
            "round", subjectId, attempted, clock.GetUtcNow(), ct);
        var why = caller is { SecondFactor: false } ? new Message(AccessMessages.SecondFactorRequired)
            : caller is { ReadOnly: true } ? new Message(AccessMessages.ReadOnlyRefused)
            : new Message(RoundMessages.SecretariatOnly);
        return WriteOutcome<string>.Refused(ChangeOutcome.Forbidden, new FieldError("request", why));
    }

    private static LocalizedText Trimmed(LocalizedText t) =>
        new() { En = Blank(t.En), Ru = Blank(t.Ru), Zh = Blank(t.Zh) };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
