using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Notifications;
using Caravan.Tests.Support;
using Caravan.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Caravan.Tests.Integration;

/// <summary>
/// Notifications through a real SMTP server on loopback (aiosmtpd), on both providers: invitations mailed in the
/// invitee's language with a link that works, a submission's next step mailed to exactly those who take it, a return
/// with its comment, nothing lost while the server is down, each message once across two nodes, the digest once per
/// period, the inbox and its count.
/// </summary>
public abstract partial class NotificationTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string KazakhTrade = "trade-turnover-usd:2023:KZ";
    private const string VisaAgreement = "china-kazakhstan-visa-exemption-agreement-2023";
    private MailServer Mail => ((IMailApp)app).Mail;

    private static string Text(MimeMessage m) => m.TextBody ?? "";

    /// <summary>The messages whose link is this submission's page.</summary>
    private static List<MimeMessage> About(IEnumerable<MimeMessage> messages, string submissionId) =>
        [.. messages.Where(m => Text(m).Contains($"/submissions/{submissionId}", StringComparison.Ordinal))];

    private async Task SetLanguageAsync(Person person, string language, DigestChoice? digest = null)
    {
        await using var db = app.NewDbContext();
        await db.WriteAsync(async () =>
        {
            await MessagePreferences.SetAsync(db, person.Id, language, digest, Ct);
            return await db.SaveChangesAsync(Ct);
        }, Ct);
    }

    private async Task<HashSet<string>> SecretariatAddressesAsync()
    {
        await using var db = app.NewDbContext();
        return [.. await db.Users.Where(u => !u.Disabled && (u.Role == CaravanRole.SecretariatAdmin
            || u.Role == CaravanRole.SecretariatEditor)).Select(u => u.Email!.ToLower()).ToListAsync(Ct)];
    }

    private async Task<string> ProposeAsync(Person author, string kind, string id, object values)
    {
        var response = await app.Api(author).PutChangeAsync($"/api/v1/records/{kind}/{id}",
            new { values, reason = "notification test", sources = Cite.One() }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    private static HashSet<string> Recipients(IEnumerable<MimeMessage> messages) =>
        [.. messages.SelectMany(m => m.To.Mailboxes).Select(b => b.Address.ToLowerInvariant())];

    [Fact]
    public async Task An_invitation_is_mailed_in_the_invitees_language_with_a_link_that_works()
    {
        var email = $"invitee-{Guid.NewGuid():N}@example.org";
        using (var scope = app.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var (_, _, errors) = await accounts.InviteAsync(email, "Айгерим Садыкова", CaravanRole.NationalCoordinator,
                "KZ", [], new AuditActor("test", "system", null), "test", language: "ru");
            Assert.Empty(errors);
        }
        var message = Assert.Single(await Mail.WaitForAsync(m => m.Any(x => x.To.ToString().Contains(email))),
            m => m.To.Mailboxes.Single().Address == email);
        Assert.Equal("Приглашение в Caravan", message.Subject);
        Assert.Equal("ru", message.Body?.Headers[HeaderId.ContentLanguage]);
        Assert.Contains("Здравствуйте, Айгерим Садыкова!", Text(message));
        Assert.Contains("Задать пароль", message.HtmlBody);
        // The link is absolute, under the public address, and is the only credential the mail carries.
        var link = InvitationLink().Match(Text(message));
        Assert.True(link.Success, Text(message));
        Assert.StartsWith(MailApps.PublicUrl + "/account/invitation?", link.Value);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link.Value).Query);
        using (var scope = app.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var (user, errors) = await accounts.AcceptInvitationAsync(query["user"], query["token"], People.Password);
            Assert.Empty(errors);
            Assert.Equal(email, user!.Email);
        }
        // Once mailed, the link is not kept.
        await using var db = app.NewDbContext();
        var row = await db.Notifications.SingleAsync(n => n.Kind == NotificationKind.Invitation
            && db.Users.Any(u => u.Id == n.UserId && u.Email == email), Ct);
        Assert.Equal(MailState.Sent, row.Mail);
        Assert.Null(row.OneTimeLink);
    }

    [Fact]
    public async Task A_submission_awaiting_validation_mails_exactly_the_validators_in_their_languages()
    {
        var editorZh = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var adminEn = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var author = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var otherState = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ");
        await SetLanguageAsync(editorZh, "zh");
        await SetLanguageAsync(adminEn, "en");

        var id = await ProposeAsync(author, "indicator-values", KazakhTrade, new { value = "41.5" });
        var validators = await SecretariatAddressesAsync();
        var received = About(await Mail.WaitForAsync(m => About(m, id).Count >= validators.Count), id);
        await Task.Delay(1000, Ct); // anything more would have come by now
        received = About(Mail.Messages(), id);
        Assert.Equal(validators.Order(), Recipients(received).Order());
        Assert.Equal(validators.Count, received.Count); // one each
        Assert.DoesNotContain(otherState.Email, Recipients(received));
        Assert.DoesNotContain(author.Email, Recipients(received));
        Assert.StartsWith("待审核：", Assert.Single(Mail.To(editorZh.Email), m => Text(m).Contains(id)).Subject);
        Assert.StartsWith("To validate: ", Assert.Single(Mail.To(adminEn.Email), m => Text(m).Contains(id)).Subject);
        Assert.Contains($"{MailApps.PublicUrl}/submissions/{id}", Text(received[0]));
    }

    [Fact]
    public async Task A_bilateral_submission_asks_the_other_state_first_and_no_one_else()
    {
        var author = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var china = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var tajik = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ");
        await SetLanguageAsync(china, "zh");
        var id = await ProposeAsync(author, "documents", VisaAgreement,
            new Dictionary<string, string> { ["note.en"] = "notification test" });
        var chinese = await CoordinatorAddressesAsync("CN");
        await Mail.WaitForAsync(m => About(m, id).Count >= chinese.Count);
        await Task.Delay(1000, Ct);
        var asked = About(Mail.Messages(), id);
        Assert.Equal(chinese.Order(), Recipients(asked).Order());
        Assert.DoesNotContain(tajik.Email, Recipients(asked));
        Assert.StartsWith("待确认：", Assert.Single(asked, m => m.To.Mailboxes.Single().Address == china.Email).Subject);

        // China confirms: now the secretariat validates.
        Assert.Equal(HttpStatusCode.OK, (await app.Api(china).PostAsJsonAsync($"/api/v1/submissions/{id}/confirm",
            new { }, Ct)).StatusCode);
        var validators = await SecretariatAddressesAsync();
        await Mail.WaitForAsync(m => About(m, id).Count >= chinese.Count + validators.Count);
        Assert.Equal(validators.Order(), Recipients(About(Mail.Messages(), id).Where(m => ToValidate().IsMatch(
            m.Subject ?? ""))).Order());
    }

    private async Task<HashSet<string>> CoordinatorAddressesAsync(string state)
    {
        await using var db = app.NewDbContext();
        return [.. await db.Users.Where(u => !u.Disabled && u.Role == CaravanRole.NationalCoordinator
            && u.StateId == state).Select(u => u.Email!.ToLower()).ToListAsync(Ct)];
    }

    [Fact]
    public async Task A_returned_submission_mails_its_author_with_the_comment_and_shows_in_the_inbox()
    {
        var author = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var stranger = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        await SetLanguageAsync(author, "ru");
        var id = await ProposeAsync(author, "indicator-values", KazakhTrade, new { value = "42.1" });
        const string comment = "Please cite the customs bulletin of March.";
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(
            $"/api/v1/submissions/{id}/return", new { comment }, Ct)).StatusCode);
        var returned = About(await Mail.WaitForAsync(m => About(m, id).Any(x => x.To.Mailboxes.Single().Address
            == author.Email)), id).Single(m => m.To.Mailboxes.Single().Address == author.Email);
        Assert.StartsWith("Возвращено вам: ", returned.Subject);
        Assert.Contains(comment, Text(returned));
        Assert.Contains(comment, returned.HtmlBody ?? "");

        // The inbox: the count in the header, the message, marked read; another person cannot mark it.
        var portal = new PortalSession(app);
        await portal.SignInAsync(author);
        static int Unread(string html) => UnreadCount().Match(html) is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;
        var home = await portal.GetAsync("/work?culture=en");
        await using (var db = app.NewDbContext())
            Assert.Equal(await db.Notifications.CountAsync(n => n.UserId == author.Id && n.ReadAt == null, Ct),
                Unread(home.Html));
        Assert.True(Unread(home.Html) >= 1);
        var inbox = await portal.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, inbox.Status);
        Assert.Contains("Returned to you: ", inbox.Html);
        Assert.Contains(WebUtility.HtmlEncode(comment), inbox.Html);
        string rowId;
        await using (var db = app.NewDbContext())
            rowId = (await db.Notifications.SingleAsync(n => n.UserId == author.Id
                && n.Kind == NotificationKind.Returned, Ct)).Id;

        var intruder = new PortalSession(app);
        await intruder.SignInAsync(stranger);
        await intruder.GetAsync("/inbox");
        await intruder.PostAsync("/inbox?handler=Read", [new("id", rowId)]);
        await using (var db = app.NewDbContext())
            Assert.Null((await db.Notifications.SingleAsync(n => n.Id == rowId, Ct)).ReadAt);

        var opened = await portal.PostAsync("/inbox?handler=Open", [new("id", rowId)]);
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        Assert.Equal($"/submissions/{id}", opened.Location);
        await portal.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, (await portal.PostAsync("/inbox?handler=Read", [])).Status);
        Assert.Equal(0, Unread((await portal.GetAsync("/work")).Html));
        Assert.DoesNotContain("id=\"unread-count\"", (await portal.GetAsync("/work")).Html);
    }

    [Fact]
    public async Task With_the_mail_server_down_nothing_is_lost_the_retry_is_visible_and_it_is_delivered_once_up()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var email = $"outage-{Guid.NewGuid():N}@example.org";
        Mail.Down();
        try
        {
            using (var scope = app.Services.CreateScope())
                Assert.Empty((await scope.ServiceProvider.GetRequiredService<AccountService>().InviteAsync(email,
                    "Outage Test", CaravanRole.SecretariatEditor, null, [], new AuditActor("test", "system", null),
                    "test", "zh")).Errors);
            Notification row;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                await using var db = app.NewDbContext();
                row = await db.Notifications.AsNoTracking().SingleAsync(n => db.Users.Any(u => u.Id == n.UserId
                    && u.Email == email), Ct);
                if (row.Attempts >= 2 || DateTime.UtcNow > deadline) break;
                await Task.Delay(200, Ct);
            }
            Assert.Equal(MailState.Pending, row.Mail);
            Assert.True(row.Attempts >= 2, $"{row.Attempts} tries");
            Assert.False(string.IsNullOrEmpty(row.LastError));
            Assert.NotNull(row.OneTimeLink); // still to be mailed

            // The secretariat sees it waiting, with its error and its next try, and can try it again.
            var portal = new PortalSession(app);
            await portal.SignInAsync(secretariat);
            var page = await portal.GetAsync("/notifications/deliveries?state=pending&culture=en");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(email, page.Html);
            Assert.Contains(WebUtility.HtmlEncode(row.LastError!), page.Html);
            Assert.Contains("Try again now", page.Html);
            Assert.Equal(HttpStatusCode.Redirect, (await portal.PostAsync("/notifications/deliveries?handler=Retry",
                [new("id", row.Id)])).Status);
            Assert.Empty(Mail.To(email));
        }
        finally { Mail.Up(); }
        var delivered = await Mail.WaitForAsync(m => m.Any(x => x.To.Mailboxes.Single().Address == email));
        await Task.Delay(1500, Ct);
        var message = Assert.Single(Mail.To(email));
        Assert.Equal("Caravan 平台邀请", message.Subject);
        await using var check = app.NewDbContext();
        var sent = await check.Notifications.AsNoTracking().SingleAsync(n => check.Users.Any(u => u.Id == n.UserId
            && u.Email == email), Ct);
        Assert.Equal(MailState.Sent, sent.Mail);
        Assert.Null(sent.OneTimeLink);
        Assert.NotEmpty(delivered);
    }

    [Fact]
    public async Task Two_nodes_deliver_each_message_exactly_once()
    {
        var people = new List<Person>();
        for (var i = 0; i < 3; i++) people.Add(await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KG"));
        await using var node = await SecondNode.StartAsync(app, Ct, ((IMailApp)app).MailSettings);
        var marker = Guid.NewGuid().ToString("N");
        List<string> ids;
        await using (var db = app.NewDbContext())
            ids = await db.WriteAsync(async () =>
            {
                var raised = new List<Notification>();
                for (var i = 0; i < 40; i++)
                    raised.AddRange(Outbox.Raise(db, NotificationKind.Published, people.Select(p => p.Id),
                        new NotificationContent
                        {
                            Title = new LocalizedText { En = $"two nodes {marker} {i}" }, Link = "/work",
                        }, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(Ct);
                return raised.Select(n => n.Id).ToList();
            }, Ct);
        var expected = ids.Select(id => $"{id}@caravan").ToHashSet();
        await Mail.WaitForAsync(m => m.Count(x => expected.Contains(x.MessageId ?? "")) >= ids.Count, 90);
        await Task.Delay(2000, Ct); // a duplicate would have come by now
        var received = Mail.Messages().Where(m => expected.Contains(m.MessageId ?? "")).ToList();
        Assert.Equal(ids.Count, received.Count);
        Assert.Equal(ids.Count, received.Select(m => m.MessageId).Distinct().Count());
        await using var check = app.NewDbContext();
        Assert.Equal(ids.Count, await check.Notifications.CountAsync(n => ids.Contains(n.Id)
            && n.Mail == MailState.Sent && n.Attempts == 1, Ct));
    }

    [Fact]
    public async Task Concurrent_delivery_runs_send_each_message_exactly_once()
    {
        var people = new List<Person>();
        for (var i = 0; i < 4; i++) people.Add(await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ"));
        var marker = Guid.NewGuid().ToString("N");
        List<string> ids;
        await using (var db = app.NewDbContext())
            ids = await db.WriteAsync(async () =>
            {
                var raised = new List<Notification>();
                for (var i = 0; i < 50; i++)
                    raised.AddRange(Outbox.Raise(db, NotificationKind.Published, people.Select(p => p.Id),
                        new NotificationContent { Title = new LocalizedText { En = $"race {marker} {i}" }, Link = "/work" },
                        DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(Ct);
                return raised.Select(n => n.Id).ToList();
            }, Ct);
        // Six runs at once, over and over, beside the app's own worker: each claims what it can.
        var worker = app.Services.GetRequiredService<Caravan.Web.Features.Notifications.DeliveryWorker>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < 20; round++)
            {
                await worker.RunOnceAsync(Ct);
                await using var db = app.NewDbContext();
                if (!await db.Notifications.AnyAsync(n => ids.Contains(n.Id) && n.Mail == MailState.Pending, Ct)) return;
            }
        }, Ct)));
        var expected = ids.Select(id => $"{id}@caravan").ToHashSet();
        await Mail.WaitForAsync(m => m.Count(x => expected.Contains(x.MessageId ?? "")) >= ids.Count);
        await Task.Delay(1500, Ct);
        var received = Mail.Messages().Where(m => expected.Contains(m.MessageId ?? "")).ToList();
        Assert.Equal(ids.Count, received.Count);
        Assert.Equal(ids.Count, received.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task The_digest_runs_once_per_period_however_many_run_it_and_only_for_those_who_chose_it()
    {
        var author = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var reader = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var notReader = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        await SetLanguageAsync(reader, "zh", DigestChoice.Weekly);
        await SetLanguageAsync(notReader, "en", DigestChoice.None);
        var id = await ProposeAsync(author, "documents", VisaAgreement,
            new Dictionary<string, string> { ["note.en"] = "digest test" });
        var period = $"test-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            return await ScheduledWork.RunOnceAsync(db, WeeklyDigest.JobName, period,
                c => new WeeklyDigest().RunAsync(db, period, now, c), now, Ct);
        }));
        Assert.Single(runs, r => r);
        await using var check = app.NewDbContext();
        var digests = await check.Notifications.AsNoTracking()
            .Where(n => n.Kind == NotificationKind.Digest && (n.UserId == reader.Id || n.UserId == notReader.Id))
            .ToListAsync(Ct);
        var digest = Assert.Single(digests);
        Assert.Equal(reader.Id, digest.UserId);
        Assert.Contains(digest.Content.Awaiting!, l => l.Link == $"/submissions/{id}");
        var mailed = await Mail.WaitForAsync(m => m.Any(x => x.MessageId == $"{digest.Id}@caravan"));
        var message = mailed.Single(x => x.MessageId == $"{digest.Id}@caravan");
        Assert.Equal("您的每周摘要", message.Subject);
        Assert.Contains($"{MailApps.PublicUrl}/submissions/{id}", Text(message));
    }

    [Fact]
    public async Task Deliveries_are_the_secretariats_and_the_inbox_is_each_persons()
    {
        var coordinator = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var anonymous = new PortalSession(app);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/notifications/deliveries")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/inbox")).Status);
        var coordinatorSession = new PortalSession(app);
        await coordinatorSession.SignInAsync(coordinator);
        var denied = await coordinatorSession.GetAsync("/notifications/deliveries");
        Assert.NotEqual(HttpStatusCode.OK, denied.Status);
        Assert.Equal(HttpStatusCode.OK, (await coordinatorSession.GetAsync("/inbox")).Status);
        Assert.DoesNotContain("/notifications/deliveries", (await coordinatorSession.GetAsync("/work")).Html);
        var secretariatSession = new PortalSession(app);
        await secretariatSession.SignInAsync(secretariat);
        var page = await secretariatSession.GetAsync("/notifications/deliveries");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        // Who and what kind, never a message's link.
        Assert.DoesNotContain("/account/invitation?", page.Html);
    }

    [GeneratedRegex("^(To validate: |待审核：|Проверьте: )")]
    private static partial Regex ToValidate();

    [GeneratedRegex(@"https?://\S+/account/invitation\?\S+")]
    private static partial Regex InvitationLink();

    [GeneratedRegex(@"id=""unread-count""[^>]*>(\d+)<")]
    private static partial Regex UnreadCount();
}

public sealed class NotificationTestsOnSqlite(SqliteMailApp app) : NotificationTests(app), IClassFixture<SqliteMailApp>;

public sealed class NotificationTestsOnPostgres(PostgresMailApp app) : NotificationTests(app),
    IClassFixture<PostgresMailApp>;
