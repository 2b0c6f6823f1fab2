using System.Net;
using Caravan.Features.Accounts;
using Caravan.Features.Notifications;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Mail off (the default): the administrator sees the invitation link as before, the message is in the inbox and is
/// marked not mailed, and its one-time link is not kept.
/// </summary>
public abstract class MailOffTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_mail_off_the_link_is_shown_and_the_message_is_kept_unmailed_without_its_link()
    {
        var admin = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var portal = new PortalSession(app);
        await portal.SignInAsync(admin);
        await portal.GetAsync("/admin/users?culture=en");
        var email = $"mail-off-{Guid.NewGuid():N}@example.org";
        var invited = await portal.PostAsync("/admin/users?handler=Invite", [new("email", email),
            new("displayName", "Mail Off"), new("role", "secretariat-editor"), new("language", "zh")]);
        Assert.Equal(HttpStatusCode.OK, invited.Status);
        Assert.Contains("id=\"invitation-link\"", invited.Html);
        Assert.DoesNotContain("id=\"invitation-mailed\"", invited.Html);

        Notification row;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200, Ct);
            await using var db = app.NewDbContext();
            row = await db.Notifications.AsNoTracking().SingleAsync(n => db.Users.Any(u => u.Id == n.UserId
                && u.Email == email), Ct);
        }
        while (row.Mail == MailState.Pending && DateTime.UtcNow < deadline);
        Assert.Equal(MailState.Off, row.Mail);
        Assert.Equal(NotificationKind.Invitation, row.Kind);
        Assert.Null(row.OneTimeLink);
        await using var check = app.NewDbContext();
        Assert.Equal("zh", await MessagePreferences.LanguageOfAsync(check, row.UserId, Ct));
    }
}

public sealed class MailOffTestsOnSqlite(SqliteApp app) : MailOffTests(app), IClassFixture<SqliteApp>;

public sealed class MailOffTestsOnPostgres(PostgresApp app) : MailOffTests(app), IClassFixture<PostgresApp>;
