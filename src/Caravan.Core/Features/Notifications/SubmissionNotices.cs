using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Shared;

namespace Caravan.Features.Notifications;

/// <summary>
/// Who is told what when a submission moves, decided from the workflow's own table (<see cref="SubmissionSteps"/>):
/// those who may take the next step, and the author when the secretariat returns or publishes. Everyone told may see
/// the submission (its states' coordinators, the secretariat, its author), so the message reveals nothing new.
/// The person who acted is not told of their own step.
/// </summary>
public static class SubmissionNotices
{
    public static async Task RaiseAsync(CaravanDbContext db, Submission s, SubmissionAction action, Caller actor,
        DateTimeOffset now, CancellationToken ct)
    {
        var content = new NotificationContent { Title = s.Title, Link = $"/submissions/{s.Id}" };
        var (kind, recipients) = await TargetsAsync(db, s, action, ct);
        if (action == SubmissionAction.Returned)
            content = content with { Comment = s.Events.OrderBy(e => e.Sequence).LastOrDefault()?.Comment };
        var told = recipients.Where(id => id != actor.UserId).ToList();
        if (told.Count > 0) Outbox.Raise(db, kind, told, content, now);
    }

    /// <summary>The most submissions one message lists; its count says how many there are in all.</summary>
    public const int MaxListed = 100;

    /// <summary>
    /// Many submissions submitted together (a spreadsheet's rows): each person who must act is told once, with the
    /// list of those awaiting them, not once per row — a state's thousand figures are one message. A person awaited by
    /// one of them only gets the usual message about it.
    /// </summary>
    public static async Task RaiseSubmittedAsync(CaravanDbContext db, IReadOnlyList<Submission> submitted,
        Caller actor, LocalizedText about, DateTimeOffset now, CancellationToken ct)
    {
        var told = new Dictionary<(string User, NotificationKind Kind), List<Submission>>();
        // The people to tell are looked up once per distinct set of states awaited (not once per row).
        var looked = new Dictionary<string, (NotificationKind, List<string>)>(StringComparer.Ordinal);
        foreach (var s in submitted)
        {
            var key = string.Join('|', s.AwaitingConfirmationFrom.Order(StringComparer.Ordinal)) + "/"
                + string.Join('|', s.DisagreeingStates.Order(StringComparer.Ordinal)) + "/" + s.Status;
            if (!looked.TryGetValue(key, out var target))
                looked[key] = target = await TargetsAsync(db, s, SubmissionAction.Submitted, ct);
            var (kind, recipients) = target;
            foreach (var user in recipients.Where(id => id != actor.UserId))
            {
                if (!told.TryGetValue((user, kind), out var list)) told[(user, kind)] = list = [];
                list.Add(s);
            }
        }
        foreach (var ((user, kind), list) in told.OrderBy(t => t.Key.User, StringComparer.Ordinal))
        {
            if (list.Count == 1)
            {
                Outbox.Raise(db, kind, [user], new NotificationContent
                    { Title = list[0].Title, Link = $"/submissions/{list[0].Id}" }, now);
                continue;
            }
            Outbox.Raise(db, kind == NotificationKind.AwaitingConfirmation
                    ? NotificationKind.SheetAwaitingConfirmation : NotificationKind.SheetAwaitingValidation, [user],
                new NotificationContent
                {
                    Title = about, Link = "/work", Count = list.Count,
                    Awaiting = [.. list.Take(MaxListed).Select(s => new DigestLine(s.Title, $"/submissions/{s.Id}"))],
                }, now);
        }
    }

    /// <summary>Who is told of a step, and as what: those who may take the next step, or the author.</summary>
    private static async Task<(NotificationKind Kind, List<string> Recipients)> TargetsAsync(CaravanDbContext db,
        Submission s, SubmissionAction action, CancellationToken ct)
    {
        // Every state's word is in, and none disagrees: the secretariat validates.
        var readyToValidate = s.Status == SubmissionStatus.Submitted && s.AwaitingConfirmationFrom.Count == 0
            && s.DisagreeingStates.Count == 0;
        return action switch
        {
            SubmissionAction.Submitted when s.AwaitingConfirmationFrom.Count > 0 =>
                (NotificationKind.AwaitingConfirmation, await Outbox.CoordinatorsOfAsync(db, s.AwaitingConfirmationFrom, ct)),
            SubmissionAction.Submitted or SubmissionAction.Confirmed when readyToValidate =>
                (NotificationKind.AwaitingValidation, await Outbox.SecretariatAsync(db, ct)),
            SubmissionAction.Validated => (NotificationKind.AwaitingPublication, await Outbox.SecretariatAsync(db, ct)),
            SubmissionAction.Returned => (NotificationKind.Returned, [s.AuthorId]),
            SubmissionAction.Published => (NotificationKind.Published, [s.AuthorId]),
            _ => (NotificationKind.AwaitingValidation, []),
        };
    }
}
