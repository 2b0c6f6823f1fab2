using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Notifications;

/// <summary>
/// Once a week, to each person who chose it: what awaits them (as <c>/work</c> shows it) and what was published in
/// their scope in the last seven days. Nobody gets an empty digest. Each line is a submission the person may see.
/// </summary>
public sealed class WeeklyDigest : IScheduledJob
{
    public const string JobName = "weekly-digest";
    public string Name => JobName;

    public string? PeriodOf(DateTimeOffset now) => ScheduledWork.IsoWeek(now);

    public async Task RunAsync(CaravanDbContext db, string period, DateTimeOffset now, CancellationToken ct)
    {
        var readers = await (from p in db.NotificationPreferences
                             join u in db.Users on p.UserId equals u.Id
                             where p.Digest == DigestChoice.Weekly && !u.Disabled
                             select u).AsNoTracking().ToListAsync(ct);
        if (readers.Count == 0) return;
        var open = await db.Submissions.AsNoTracking().Include(s => s.Events).AsSplitQuery()
            .Where(s => s.Status == SubmissionStatus.Submitted || s.Status == SubmissionStatus.Validated)
            .ToListAsync(ct);
        // SQLite cannot compare DateTimeOffset: the week's publications are picked from the published ones here.
        var since = now.AddDays(-7);
        var published = (await db.Submissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Published)
                .Select(s => new { s.Id, s.Title, s.States, s.Bodies, s.UpdatedAt }).ToListAsync(ct))
            .Where(s => s.UpdatedAt >= since).OrderByDescending(s => s.UpdatedAt).ToList();
        foreach (var user in readers)
        {
            var me = new Caller(user.Id, user.DisplayName, user.Role, user.StateId, user.BodyIds.ToHashSet(),
                SecondFactor: true);
            var awaiting = open.Where(s => AwaitsMe(me, s))
                .Select(s => new DigestLine(s.Title, $"/submissions/{s.Id}")).ToList();
            var news = published.Where(s => Access.CanSeeUnpublished(me, new RecordScope(s.States, s.Bodies)))
                .Select(s => new DigestLine(s.Title, $"/submissions/{s.Id}")).ToList();
            if (awaiting.Count == 0 && news.Count == 0) continue;
            Outbox.Raise(db, NotificationKind.Digest, [user.Id],
                new NotificationContent { Link = "/work", Awaiting = awaiting, Published = news }, now);
        }
    }

    /// <summary>As <c>/work</c> says: the secretariat validates or publishes; a state confirms what awaits its word.</summary>
    private static bool AwaitsMe(Caller me, Submission s) => me.IsSecretariat
        ? s.Status is SubmissionStatus.Submitted or SubmissionStatus.Validated
        : s.Status == SubmissionStatus.Submitted && me.StateId is not null
            && s.AwaitingConfirmationFrom.Contains(me.StateId);
}
