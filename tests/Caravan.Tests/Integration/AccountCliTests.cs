using System.Net;
using Caravan.Tests.Support;
using Caravan.Web.Cli;

namespace Caravan.Tests.Integration;

/// <summary>
/// <c>caravan users add|list|disable</c>, the way the first administrator is made, against the same
/// database the portal serves; and the sign-in rate limit.
/// </summary>
public sealed class AccountCliTests(AccountCliTests.App app) : IClassFixture<AccountCliTests.App>
{
    /// <summary>A portal that allows three sign-in attempts a minute from one address.</summary>
    public sealed class App : SqliteApp
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Caravan:Accounts:SignInAttemptsPerMinute", "3")];
    }

    private async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CaravanCli.RunAsync([.. args, "--provider", "sqlite", "--connection", app.ConnectionString], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_first_administrator_is_invited_from_the_command_line_and_the_link_opens_in_the_portal()
    {
        _ = app.Client();
        var email = $"admin-{Guid.NewGuid():N}@example.org";
        var (code, output, error) = await Cli("users", "add", "--email", email, "--role", "secretariat-admin", "--name", "Secretariat Admin");
        Assert.True(code == 0, error);
        var link = output.Split('\n').Single(l => l.Contains("/account/invitation?", StringComparison.Ordinal)).Trim();
        var session = new PortalSession(app);
        var path = new Uri(link).PathAndQuery;
        await session.GetAsync(path);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        var set = await session.PostAsync("/account/invitation", [new("user", query["user"]!), new("token", query["token"]!), new("password", People.Password), new("confirm", People.Password)]);
        Assert.Contains("Your password is set", set.Html);

        var list = await Cli("users", "list");
        Assert.Matches($@"{Regex(email)}\s+secretariat-admin\s+no\s+active", list.Out);
        Assert.Equal(0, (await Cli("users", "disable", "--email", email)).Code);
        Assert.Matches($@"{Regex(email)}\s+secretariat-admin\s+no\s+disabled", (await Cli("users", "list")).Out);
        Assert.Equal(3, (await Cli("users", "disable", "--email", "nobody@example.org")).Code);
    }

    [Fact]
    public async Task An_invitation_from_the_command_line_keeps_the_persons_language_for_their_messages()
    {
        _ = app.Client();
        var email = $"kz-{Guid.NewGuid():N}@example.org";
        var (code, _, error) = await Cli("users", "add", "--email", email, "--role", "national-coordinator", "--state", "KZ", "--language", "ru");
        Assert.True(code == 0, error);
        await using var db = app.NewDbContext();
        var id = db.Users.Single(u => u.Email == email).Id;
        Assert.Equal("ru", await Caravan.Features.Notifications.MessagePreferences.LanguageOfAsync(db, id, TestContext.Current.CancellationToken));
        // Its invitation message is in the inbox, to be read (and mailed) in Russian.
        Assert.Contains(db.Notifications, n => n.UserId == id && n.Kind == Caravan.Features.Notifications.NotificationKind.Invitation);
    }

    [Fact]
    public async Task Bad_arguments_are_named_and_nothing_is_created()
    {
        _ = app.Client();
        var (code, _, error) = await Cli("users", "add", "--email", "kz@example.org", "--role", "national-coordinator");
        Assert.Equal((2, "--state: a national coordinator needs --state"), (code, error.Trim()));
        (code, _, error) = await Cli("users", "add", "--email", "x@example.org", "--role", "king");
        Assert.Equal(2, code);
        Assert.Contains("--role 'king' is not one of: secretariat-admin, secretariat-editor, national-coordinator, programme-officer", error);
        (code, _, error) = await Cli("users", "add", "--email", "o@example.org", "--role", "programme-officer", "--body", "no-such-body");
        Assert.Equal((2, "--body: no body no-such-body"), (code, error.Trim()));
        (code, _, error) = await Cli("users", "add", "--email", "ru@example.org", "--role", "secretariat-editor", "--language", "fr");
        Assert.Equal((2, "--language: 'fr' is not one of zh, ru, en"), (code, error.Trim()));
        Assert.DoesNotContain("kz@example.org", (await Cli("users", "list")).Out);
        Assert.DoesNotContain("ru@example.org", (await Cli("users", "list")).Out);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address()
    {
        var session = new PortalSession(app);
        await session.GetAsync("/account/sign-in");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await session.PostAsync("/account/sign-in", [new("email", "someone@example.org"), new("password", "guess number " + i)])).Status);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/account/sign-in")).Status); // the form itself still shows
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
