using Caravan.Features.Accounts;
using Caravan.Features.Notifications;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Caravan.Tests.Integration;

/// <summary>
/// A reminder run for 1,000 people, through the app's own path: raised in one write step, claimed, rendered in each
/// person's language and sent by the delivery worker to a real SMTP server (aiosmtpd). What must hold is behaviour:
/// every one arrives, in its recipient's language, exactly once. How long it takes is measured in a benchmark beside a
/// baseline (bench/Caravan.Benchmarks.Rules, MailDeliveryBenchmarks; docs/benchmarks.md), not here. The mail server
/// being down (nothing lost, the retries visible) is NotificationTests'.
/// </summary>
public abstract class MailToAThousandPeopleTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int People = 1000;
    private MailServer Mail => ((IMailApp)app).Mail;

    /// <summary>The subject each language's reader gets (UI string "mail.round-reminder.subject", filled).</summary>
    private static readonly Dictionary<string, string> Subjects = new()
    {
        ["zh"] = "外长会晤前的进展：7天后截止",
        ["ru"] = "Статус к встрече министров: срок через 7 дн.",
        ["en"] = "Status before the ministers' meeting: due in 7 days",
    };

    [Fact]
    public async Task A_reminder_to_a_thousand_people_reaches_each_once_in_their_language()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var languages = new[] { "zh", "ru", "en" };
        var languageOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ids = new List<string>();
        await using (var db = app.NewDbContext())
        {
            for (var i = 0; i < People; i++)
            {
                var id = $"many-{marker}-{i:0000}";
                ids.Add(id);
                languageOf[$"{id}@example.org"] = languages[i % 3];
                db.Users.Add(new CaravanUser
                {
                    Id = id, UserName = $"{id}@example.org", NormalizedUserName = $"{id}@EXAMPLE.ORG",
                    Email = $"{id}@example.org", NormalizedEmail = $"{id}@EXAMPLE.ORG", DisplayName = $"Reader {i}",
                    Role = CaravanRole.NationalCoordinator, StateId = "KZ", SecurityStamp = Guid.NewGuid().ToString(),
                });
                db.NotificationPreferences.Add(new NotificationPreference { UserId = id, Language = languages[i % 3] });
            }
            await db.SaveChangesAsync(Ct);
        }

        List<string> raised;
        await using (var db = app.NewDbContext())
            raised = await db.WriteAsync(async () =>
            {
                var rows = Outbox.Raise(db, NotificationKind.RoundReminder, ids, new NotificationContent
                {
                    Title = new LocalizedText
                    {
                        En = "Status before the ministers' meeting", Ru = "Статус к встрече министров", Zh = "外长会晤前的进展",
                    },
                    Link = "/work", Days = 7, Due = new DateOnly(2026, 4, 1),
                }, DateTimeOffset.UtcNow);
                await db.SaveChangesAsync(Ct);
                return rows.Select(n => n.Id).ToList();
            }, Ct);
        Assert.Equal(People, raised.Count);

        // Until the worker has recorded the last one as sent. The limit only ends a hung run; it is no target.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        int sent;
        do
        {
            await Task.Delay(250, Ct);
            await using var db = app.NewDbContext();
            sent = await db.Notifications.CountAsync(n => raised.Contains(n.Id) && n.Mail == MailState.Sent, Ct);
        }
        while (sent < People && DateTime.UtcNow < deadline);
        await using (var db = app.NewDbContext())
        {
            var left = await db.Notifications.Where(n => raised.Contains(n.Id) && n.Mail != MailState.Sent)
                .Select(n => new { n.Mail, n.Attempts, n.LastError }).Take(3).ToListAsync(Ct);
            Assert.True(sent == People, $"{sent} of {People} sent; not sent, e.g.: {string.Join(" | ", left)}");
            // Each sent on its first try: none was sent, failed and sent again.
            Assert.Equal(People, await db.Notifications.CountAsync(n => raised.Contains(n.Id) && n.Attempts == 1, Ct));
        }
        await Task.Delay(1500, Ct); // a second copy of any would have come by now

        var prefix = $"many-{marker}-";
        var received = Mail.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address.StartsWith(prefix,
            StringComparison.Ordinal))).ToList();
        // Exactly once: 1,000 messages, one per person, one per notification (its id is the Message-ID).
        Assert.Equal(People, received.Count);
        Assert.Equal(languageOf.Keys.Order(StringComparer.OrdinalIgnoreCase),
            received.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(raised.Select(id => $"{id}@caravan").Order(StringComparer.Ordinal),
            received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        // Each in its reader's language: subject, the body's Content-Language and the HTML's lang.
        foreach (var message in received)
        {
            var language = languageOf[message.To.Mailboxes.Single().Address];
            Assert.Equal(Subjects[language], message.Subject);
            Assert.Equal(language, message.Body?.Headers[HeaderId.ContentLanguage]);
            Assert.Contains($"<html lang=\"{language}\">", message.HtmlBody ?? "", StringComparison.Ordinal);
        }
        Assert.Equal([334, 333, 333], languages.Select(l => received.Count(m => m.Subject == Subjects[l])));
    }
}

public sealed class MailToAThousandPeopleTestsOnSqlite(SqliteMailApp app) : MailToAThousandPeopleTests(app),
    IClassFixture<SqliteMailApp>;

public sealed class MailToAThousandPeopleTestsOnPostgres(PostgresMailApp app) : MailToAThousandPeopleTests(app),
    IClassFixture<PostgresMailApp>;
