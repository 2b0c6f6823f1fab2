using System.Diagnostics;
using Caravan.Features.Accounts;
using Caravan.Features.Notifications;
using Caravan.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Caravan.Tests.Integration;

/// <summary>
/// The issue's figure: a message to 1,000 people (a reminder run) reaches the local SMTP server in under 30 s — raised
/// in one write step, claimed, rendered in each person's language and sent by the app's own delivery worker. Beside
/// it, in the same run, the floor: the same number of ready messages sent straight through MailKit over one
/// connection to the same server. Figures are printed (docs/benchmarks.md).
/// </summary>
public abstract class MailThroughputTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int People = 1000;
    private MailServer Mail => ((IMailApp)app).Mail;

    [Fact]
    public async Task A_message_to_a_thousand_people_is_sent_in_under_thirty_seconds()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var languages = new[] { "zh", "ru", "en" };
        var ids = new List<string>();
        await using (var db = app.NewDbContext())
        {
            for (var i = 0; i < People; i++)
            {
                var id = $"bench-{marker}-{i:0000}";
                ids.Add(id);
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

        // The floor: 1,000 ready messages straight through MailKit, one connection.
        var floor = Stopwatch.StartNew();
        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", Mail.Port, SecureSocketOptions.None, Ct);
            for (var i = 0; i < People; i++)
            {
                var message = new MimeMessage { Subject = $"floor {marker} {i}" };
                message.From.Add(new MailboxAddress("Caravan", "caravan@example.org"));
                message.To.Add(new MailboxAddress("Floor", $"floor-{marker}-{i}@example.org"));
                message.Body = new BodyBuilder { TextBody = "Hello", HtmlBody = "<p>Hello</p>" }.ToMessageBody();
                await client.SendAsync(message, Ct);
            }
            await client.DisconnectAsync(true, Ct);
        }
        floor.Stop();

        var run = Stopwatch.StartNew();
        await using (var db = app.NewDbContext())
            await db.WriteAsync(async () =>
            {
                Outbox.Raise(db, NotificationKind.RoundReminder, ids, new NotificationContent
                {
                    Title = new LocalizedText { En = "Status before the ministers' meeting", Ru = "Статус к встрече министров",
                        Zh = "外长会晤前的进展" },
                    Link = "/work", Days = 7, Due = new DateOnly(2026, 4, 1),
                }, DateTimeOffset.UtcNow);
                return await db.SaveChangesAsync(Ct);
            }, Ct);
        var raised = run.Elapsed;
        // Done when the app has recorded every message as sent (each right after the server took it).
        int sent;
        do
        {
            await Task.Delay(250, Ct);
            await using var db = app.NewDbContext();
            sent = await db.Notifications.CountAsync(n => n.Kind == NotificationKind.RoundReminder
                && n.Mail == MailState.Sent, Ct);
        }
        while (sent < People && run.Elapsed < TimeSpan.FromSeconds(120));
        run.Stop();
        await using (var db = app.NewDbContext())
        {
            var errors = await db.Notifications.Where(n => ids.Contains(n.UserId) && n.LastError != null)
                .Select(n => n.LastError).Take(3).ToListAsync(Ct);
            var states = (await db.Notifications.Where(n => ids.Contains(n.UserId)).ToListAsync(Ct))
                .GroupBy(n => $"{n.Mail}/{n.LeaseOwner}/{n.Attempts}/{n.LeaseUntil - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}")
                .Select(g => $"{g.Key}: {g.Count()}").Take(5);
            Assert.True(sent == People, $"{sent} sent after {run.Elapsed}; errors: {string.Join(" | ", errors)}; "
                + string.Join(", ", states));
        }
        var prefix = $"bench-{marker}-";
        Assert.Equal(People, Mail.Messages().Count(x => x.To.Mailboxes.Any(b => b.Address.StartsWith(prefix,
            StringComparison.Ordinal))));
        var line = $"{app.Provider}: 1,000 reminders raised in {raised.TotalMilliseconds:F0} ms, all received by the "
            + $"SMTP server after {run.Elapsed.TotalSeconds:F1} s; floor (1,000 ready messages, MailKit, one connection): "
            + $"{floor.Elapsed.TotalSeconds:F1} s";
        TestContext.Current.SendDiagnosticMessage(line);
        Console.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "caravan-mail-bench.txt"), line + Environment.NewLine);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), line);
    }
}

public sealed class MailThroughputTestsOnSqlite(SqliteMailApp app) : MailThroughputTests(app), IClassFixture<SqliteMailApp>;

public sealed class MailThroughputTestsOnPostgres(PostgresMailApp app) : MailThroughputTests(app),
    IClassFixture<PostgresMailApp>;
