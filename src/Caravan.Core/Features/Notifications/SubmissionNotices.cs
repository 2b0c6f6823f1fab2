using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;

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
        var kind = NotificationKind.AwaitingValidation;
        List<string> recipients = [];
        // Every state's word is in, and none disagrees: the secretariat validates.
        var readyToValidate = s.Status == SubmissionStatus.Submitted && s.AwaitingConfirmationFrom.Count == 0
            && s.DisagreeingStates.Count == 0;
        switch (action)
        {
            case SubmissionAction.Submitted when s.AwaitingConfirmationFrom.Count > 0:
                kind = NotificationKind.AwaitingConfirmation;
                recipients = await Outbox.CoordinatorsOfAsync(db, s.AwaitingConfirmationFrom, ct);
                break;
            case SubmissionAction.Submitted or SubmissionAction.Confirmed when readyToValidate:
                recipients = await Outbox.SecretariatAsync(db, ct);
                break;
            case SubmissionAction.Validated:
                kind = NotificationKind.AwaitingPublication;
                recipients = await Outbox.SecretariatAsync(db, ct);
                break;
            case SubmissionAction.Returned:
                kind = NotificationKind.Returned;
                recipients = [s.AuthorId];
                break;
            case SubmissionAction.Published:
                kind = NotificationKind.Published;
                recipients = [s.AuthorId];
                break;
        }
        if (action == SubmissionAction.Returned)
            content = content with { Comment = s.Events.OrderBy(e => e.Sequence).LastOrDefault()?.Comment };
        var told = recipients.Where(id => id != actor.UserId).ToList();
        if (told.Count > 0) Outbox.Raise(db, kind, told, content, now);
    }
}
