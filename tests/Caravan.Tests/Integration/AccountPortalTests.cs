using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Caravan.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Caravan.Tests.Integration;

/// <summary>
/// Accounts and the portal's forms over HTTP: invitation, password and TOTP sign-in, what a person
/// without a second factor may do, sign out everywhere, forged antiforgery tokens, hostile input.
/// </summary>
public abstract partial class AccountPortalTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> InviteAsync(string email, CaravanRole role, string? state = null)
    {
        using var scope = app.Services.CreateScope();
        var (_, link, errors) = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .InviteAsync(email, "Test Person", role, state, [], new AuditActor("test", "system", null), "test");
        Assert.Empty(errors);
        return new Uri(link!).PathAndQuery;
    }

    [Fact]
    public async Task Sign_in_needs_the_password_and_then_the_authenticator_code_and_failures_read_the_same()
    {
        var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var session = new PortalSession(app);
        await session.GetAsync("/account/sign-in");
        var wrongPassword = await session.PostAsync("/account/sign-in", [new("email", person.Email), new("password", "not the password at all")]);
        var unknown = await session.PostAsync("/account/sign-in", [new("email", "nobody@example.org"), new("password", "not the password at all")]);
        Assert.Equal(HttpStatusCode.OK, wrongPassword.Status);
        Assert.Equal(Problem(wrongPassword.Html), Problem(unknown.Html)); // no hint whether the account exists
        Assert.Contains("locked for 15 minutes", Problem(unknown.Html));

        var first = await session.PostAsync("/account/sign-in", [new("email", person.Email), new("password", person.Password)]);
        Assert.StartsWith("/account/sign-in/code", first.Location);
        await session.GetAsync(first.Location!);
        var wrongCode = await session.PostAsync("/account/sign-in/code", [new("code", "000000")]);
        Assert.Contains("not right", Problem(wrongCode.Html));
        var second = await session.PostAsync("/account/sign-in/code", [new("code", person.TotpNow())]);
        Assert.Equal(("/work", HttpStatusCode.Redirect), (second.Location, second.Status));
        var work = await session.GetAsync("/work");
        Assert.Equal(HttpStatusCode.OK, work.Status);
        Assert.Contains("Validate submissions", work.Html);
    }

    /// <summary>
    /// The lockout is a limit: five wrong passwords lock the account, however many arrive at once. Before, each attempt
    /// read the count, added one and saved over the others' (Identity's own read-modify-write with a concurrency stamp),
    /// so a burst of guesses counted as a few and never locked the account.
    /// </summary>
    [Fact]
    public async Task Wrong_passwords_sent_at_once_lock_the_account_as_sent_one_by_one()
    {
        var person = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ");
        var sessions = new List<PortalSession>();
        for (var i = 0; i < 16; i++)
        {
            var session = new PortalSession(app);
            await session.GetAsync("/account/sign-in");
            sessions.Add(session);
        }
        var answers = await Task.WhenAll(sessions.Select((s, i) =>
            s.PostAsync("/account/sign-in", [new("email", person.Email), new("password", $"wrong guess number {i}")])));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        await using (var db = app.NewDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == person.Id, Ct);
            Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, $"not locked after 16 wrong passwords at once (count {user.AccessFailedCount})");
        }
        // The right password is refused while locked.
        var session2 = new PortalSession(app);
        await session2.GetAsync("/account/sign-in");
        var right = await session2.PostAsync("/account/sign-in", [new("email", person.Email), new("password", person.Password)]);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Null(right.Location);
    }

    /// <summary>Two sessions at the password-accepted step, each ready to send the code.</summary>
    private async Task<PortalSession[]> AtCodeStepAsync(Person person, int count)
    {
        var sessions = new List<PortalSession>();
        for (var i = 0; i < count; i++)
        {
            var session = new PortalSession(app);
            await session.GetAsync("/account/sign-in");
            var first = await session.PostAsync("/account/sign-in",
                [new("email", person.Email), new("password", person.Password)]);
            Assert.StartsWith("/account/sign-in/code", first.Location);
            await session.GetAsync(first.Location!);
            sessions.Add(session);
        }
        return [.. sessions];
    }

    [Fact]
    public async Task An_authenticator_code_signs_in_once_whether_replayed_later_or_sent_twice_at_once()
    {
        var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var code = person.TotpNow();
        var (first, replay) = (await AtCodeStepAsync(person, 2)) switch { var s => (s[0], s[1]) };
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostAsync("/account/sign-in/code", [new("code", code)])).Status);
        // The same code from a second session, inside its 30 seconds: refused like a wrong one.
        var refused = await replay.PostAsync("/account/sign-in/code", [new("code", code)]);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("not right", Problem(refused.Html));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.PostAsync("/account/sign-in/code",
            [new("code", person.TotpNow())])).Status); // the app's next code is taken

        // One code sent from two sessions at the same instant: exactly one signs in (10 rounds, a person each: a
        // person's codes come 30 seconds apart, and each refusal counts towards the lockout).
        var doubled = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            var someone = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
            var sessions = await AtCodeStepAsync(someone, 2);
            var next = someone.TotpNow();
            var answers = await Task.WhenAll(sessions.Select(s => s.PostAsync("/account/sign-in/code", [new("code", next)])));
            if (answers.Count(a => a.Status == HttpStatusCode.Redirect) != 1)
                doubled.Add($"round {round}: {string.Join(", ", answers.Select(a => a.Status))}");
        }
        Assert.Empty(doubled);
    }

    [Fact]
    public async Task An_invitation_link_works_once_and_the_new_person_must_set_up_two_factor_before_anything_else()
    {
        var email = $"kz-{Guid.NewGuid():N}@example.org";
        var link = await InviteAsync(email, CaravanRole.NationalCoordinator, "KZ");
        var session = new PortalSession(app);
        await session.GetAsync(link);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query);
        var weak = await session.PostAsync("/account/invitation", [new("user", query["user"]!), new("token", query["token"]!), new("password", "short"), new("confirm", "short")]);
        Assert.Contains("at least 12 characters", Problem(weak.Html));
        var set = await session.PostAsync("/account/invitation", [new("user", query["user"]!), new("token", query["token"]!), new("password", People.Password), new("confirm", People.Password)]);
        Assert.Contains("Your password is set", set.Html);
        var again = await session.PostAsync("/account/invitation", [new("user", query["user"]!), new("token", query["token"]!), new("password", People.Password + "2"), new("confirm", People.Password + "2")]);
        Assert.Contains("not valid", Problem(again.Html));

        await session.GetAsync("/account/sign-in");
        var signedIn = await session.PostAsync("/account/sign-in", [new("email", email), new("password", People.Password)]);
        Assert.Equal("/account/two-factor", signedIn.Location);
        var blocked = await session.GetAsync("/work");
        Assert.Contains("/account/denied", blocked.Location);
        var denied = await session.GetAsync(blocked.Location!);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("two-factor", denied.Html);

        var setup = await session.GetAsync("/account/two-factor");
        Assert.Matches("src=\"data:image/svg(\\+|&#x2B;)xml;base64,", setup.Html); // the QR code, drawn on the server
        var key = KeyField().Match(setup.Html).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var enabled = await session.PostAsync("/account/two-factor", [new("code", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp())]);
        Assert.True(Regex.Matches(enabled.Html, "<li><code>").Count == 10, $"{enabled.Status} {enabled.Location} {Problem(enabled.Html)} key={key}"); // recovery codes, shown once
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/work")).Status);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_when_the_phone_is_lost()
    {
        var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        string code;
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CaravanUser>>();
            code = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(person.Id))!, 10))!.First();
        }
        async Task<string?> TryAsync()
        {
            var session = new PortalSession(app);
            await session.GetAsync("/account/sign-in");
            var first = await session.PostAsync("/account/sign-in", [new("email", person.Email), new("password", person.Password)]);
            await session.GetAsync(first.Location!);
            return (await session.PostAsync("/account/sign-in/code", [new("code", code)])).Location;
        }
        Assert.Equal("/work", await TryAsync());
        Assert.Null(await TryAsync());
    }

    [Fact]
    public async Task A_recovery_code_sent_from_two_sessions_at_once_signs_in_once()
    {
        var doubled = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
            string code;
            using (var scope = app.Services.CreateScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CaravanUser>>();
                code = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(person.Id))!, 10))!
                    .First();
            }
            var sessions = await AtCodeStepAsync(person, 2);
            var answers = await Task.WhenAll(sessions.Select(s => s.PostAsync("/account/sign-in/code", [new("code", code)])));
            if (answers.Count(a => a.Location == "/work") != 1)
                doubled.Add($"round {round}: {string.Join(", ", answers.Select(a => $"{a.Status} {a.Location}"))}");
        }
        Assert.Empty(doubled);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_other_sessions_at_once()
    {
        var person = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ");
        var laptop = new PortalSession(app);
        var phone = new PortalSession(app);
        await laptop.SignInAsync(person);
        await phone.SignInAsync(person);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/work")).Status);
        await laptop.GetAsync("/account");
        var signedOut = await laptop.PostAsync("/account?handler=SignOutEverywhere", []);
        Assert.True(signedOut.Location == "/account/sign-in", $"{signedOut.Status} {System.Text.RegularExpressions.Regex.Match(signedOut.Html, "<main.*?</main>", System.Text.RegularExpressions.RegexOptions.Singleline).Value}");
        Assert.StartsWith("http://localhost/account/sign-in", (await phone.GetAsync("/work")).Location);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_is_told_nothing_more()
    {
        var person = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        using (var scope = app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<AccountService>().SetDisabledAsync(person.Email, true, new AuditActor("test", "system", null));
        var session = new PortalSession(app);
        await session.GetAsync("/account/sign-in");
        var refused = await session.PostAsync("/account/sign-in", [new("email", person.Email), new("password", person.Password)]);
        Assert.Null(refused.Location);
        Assert.Contains("cannot sign in now", Problem(refused.Html));
    }

    [Fact]
    public async Task A_forged_or_missing_antiforgery_token_is_rejected_and_nothing_is_stored()
    {
        var person = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var session = new PortalSession(app);
        await session.SignInAsync(person);
        var form = await session.GetAsync("/work/bodies/secretariat");
        var version = Regex.Match(form.Html, """name="version" value="(\d+)""").Groups[1].Value;
        var fields = new List<KeyValuePair<string, string>> { new("version", version), new("f:note.en", "forged"), new("intent", "save") };
        Assert.Equal(HttpStatusCode.BadRequest, (await session.PostAsync("/work/bodies/secretariat", fields, token: "CfDJ8forged")).Status);
        var other = new PortalSession(app); // a token from another person's session
        await other.GetAsync("/account/sign-in");
        var foreign = Regex.Match((await other.GetAsync("/account/sign-in")).Html, """name="__RequestVerificationToken" type="hidden" value="([^"]+)""").Groups[1].Value;
        Assert.Equal(HttpStatusCode.BadRequest, (await session.PostAsync("/work/bodies/secretariat", fields, token: System.Net.WebUtility.HtmlDecode(foreign))).Status);
        var record = await (await app.Client().GetAsync("/api/v1/records/bodies/secretariat", Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.NotEqual("forged", record.GetProperty("values").GetProperty("note.en").ToString());
        await session.GetAsync("/work/bodies/secretariat");
        Assert.Equal(HttpStatusCode.Redirect, (await session.PostAsync("/work/bodies/secretariat", fields)).Status); // the real token works
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("zh")]
    public async Task Hostile_text_in_every_field_renders_inert_in_every_language(string language)
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        string Payload(string field) => $"{field} {language} <script>alert('{field}')</script>\"><img src=x onerror=alert(1)> 中文 русский";
        var fields = new[] { "seat", "note" }.SelectMany(f => new[] { "en", "ru", "zh" }.Select(l => $"{f}.{l}")).ToDictionary(f => f, Payload);
        var saved = await app.Api(secretariat).PutChangeAsync("/api/v1/records/bodies/business-council", new { values = fields, reason = Payload("reason"), sources = Cite.One(title: Payload("source")) }, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var proposed = await app.Api(kz).PutChangeAsync("/api/v1/records/documents/china-kazakhstan-visa-exemption-agreement-2023",
            new { values = new Dictionary<string, string> { ["summary.en"] = Payload("summary"), ["signed-at.zh"] = Payload("signed-at") }, reason = Payload("why"), sources = Cite.One(title: Payload("cited")) }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);

        var session = new PortalSession(app);
        await session.SignInAsync(secretariat);
        foreach (var url in new[] { $"/bodies/business-council?culture={language}", $"/history/bodies/business-council?culture={language}", proposed.Headers.Location!.OriginalString.Replace("/api/v1", "", StringComparison.Ordinal) + $"?culture={language}", $"/audit?subjectId=business-council&culture={language}", $"/work/bodies/business-council?culture={language}" })
        {
            var page = await session.GetAsync(url);
            Assert.True(page.Status == HttpStatusCode.OK, $"{url}: {page.Status}");
            Assert.DoesNotContain("<script>alert", page.Html);
            Assert.DoesNotContain("<img src=x", page.Html);
            Assert.Contains("&lt;script&gt;alert(", page.Html);
        }
    }

    [Fact]
    public async Task Out_of_scope_pages_are_a_clear_refusal_and_other_states_submissions_do_not_exist()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var proposed = await app.Api(kz).PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2023:KZ", new { values = new { value = "40" }, sources = Cite.One() }, Ct);
        var session = new PortalSession(app);
        await session.SignInAsync(uz);
        var edit = await session.GetAsync("/work/indicator-values/trade-turnover-usd:2023:KZ");
        Assert.StartsWith("http://localhost/account/denied", edit.Location);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync(proposed.Headers.Location!.OriginalString.Replace("/api/v1", "", StringComparison.Ordinal))).Status);
        Assert.StartsWith("http://localhost/account/denied", (await session.GetAsync("/admin/users")).Location);
        Assert.StartsWith("http://localhost/account/denied", (await session.GetAsync("/audit")).Location);
    }

    private static string Problem(string html) => Regex.Match(html, """<div class="errors" role="alert" id="problems">(.*?)</div>""", RegexOptions.Singleline).Groups[1].Value;

    [GeneratedRegex("""<code id="authenticator-key">([^<]+)</code>""")]
    private static partial Regex KeyField();
}

public sealed class AccountPortalTestsOnSqlite(SqliteApp app) : AccountPortalTests(app), IClassFixture<SqliteApp>;

public sealed class AccountPortalTestsOnPostgres(PostgresApp app) : AccountPortalTests(app), IClassFixture<PostgresApp>;
