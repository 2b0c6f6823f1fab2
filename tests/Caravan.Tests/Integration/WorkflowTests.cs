using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Submit and validate through the API, on a real database: what the public sees before and after,
/// bilateral confirmation, returns with comments, refusals, conflicts, and tokens that must not work.
/// </summary>
public abstract class WorkflowTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string KazakhTrade = "trade-turnover-usd:2023:KZ";
    private const string VisaAgreement = "china-kazakhstan-visa-exemption-agreement-2023";

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct));

    private static Task<HttpResponseMessage> Put(HttpClient client, string url, object body) => client.PutChangeAsync(url, body, Ct);
    private static Task<HttpResponseMessage> Post(HttpClient client, string url, object? body = null) => client.PostAsJsonAsync(url, body ?? new { }, Ct);

    private async Task<decimal?> PublicValue(string indicator, int year, string? state)
    {
        var json = await Json(await app.Api(null).GetAsync($"/api/v1/indicators/{indicator}", Ct));
        foreach (var v in json.GetProperty("values").EnumerateArray())
            if (v.GetProperty("year").GetInt32() == year && (v.GetProperty("state").ValueKind == JsonValueKind.Null ? null : v.GetProperty("state").GetString()) == state)
                return v.GetProperty("value").GetDecimal();
        return null;
    }

    [Fact]
    public async Task A_coordinators_change_is_invisible_to_the_public_and_to_other_states_until_published()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var before = await PublicValue("trade-turnover-usd", 2023, "KZ");

        var proposed = await Put(app.Api(kz), $"/api/v1/records/indicator-values/{KazakhTrade}", new { values = new { value = "41.03" }, reason = "customs statistics, final", sources = Cite.One() });
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Equal(before, await PublicValue("trade-turnover-usd", 2023, "KZ"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(uz).GetAsync(url, Ct)).StatusCode);
        Assert.DoesNotContain(url.Split('/')[^1], await (await app.Api(uz).GetAsync("/api/v1/submissions?status=submitted", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(null).GetAsync(url, Ct)).StatusCode);

        var seen = await Json(await app.Api(secretariat).GetAsync(url, Ct));
        var change = Assert.Single(seen.GetProperty("changes").EnumerateArray());
        Assert.Equal(("value", "41.03"), (change.GetProperty("field").GetString(), change.GetProperty("proposed").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(secretariat), url + "/validate")).StatusCode);
        Assert.Equal(before, await PublicValue("trade-turnover-usd", 2023, "KZ")); // validated, not yet published
        var published = await Post(app.Api(secretariat), url + "/publish");
        Assert.Equal("published", (await Json(published)).GetProperty("status").GetString());
        Assert.Equal(41.03m, await PublicValue("trade-turnover-usd", 2023, "KZ"));

        var history = await Json(await app.Api(null).GetAsync($"/api/v1/records/indicator-values/{KazakhTrade}/history", Ct));
        // The newest entries are the figure's update and its sources' change (filed as "citation"), all by the secretariat.
        Assert.All(history.EnumerateArray().TakeWhile(e => e.GetProperty("role").GetString() == "secretariat-editor"), e => Assert.Contains(e.GetProperty("subjectType").GetString(), new[] { "indicator-value", "citation" }));
        var last = history.EnumerateArray().First(e => e.GetProperty("subjectType").GetString() == "indicator-value");
        Assert.Equal(("update", "secretariat-editor"), (last.GetProperty("action").GetString(), last.GetProperty("role").GetString()));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("actor").ValueKind); // the public sees roles, not people
        await using var db = app.NewDbContext();
        Assert.True(new AuditQueries(db).Verify().Intact);
    }

    [Fact]
    public async Task A_bilateral_change_needs_both_coordinators_and_a_disagreement_is_recorded()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);

        var first = await Put(app.Api(kz), $"/api/v1/records/documents/{VisaAgreement}", new { values = new Dictionary<string, string> { ["note.en"] = "In force since 10 November 2023." } });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var url = first.Headers.Location!.OriginalString;
        Assert.Equal(["CN"], (await Json(first)).GetProperty("awaitingConfirmationFrom").EnumerateArray().Select(e => e.GetString()));
        var early = await Post(app.Api(secretariat), url + "/validate");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("CN", (await Json(early)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Post(app.Api(uz), url + "/confirm")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(cn), url + "/confirm")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(secretariat), url + "/validate")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(secretariat), url + "/publish")).StatusCode);
        var doc = await Json(await app.Api(null).GetAsync($"/api/v1/documents/{VisaAgreement}", Ct));
        Assert.Equal("In force since 10 November 2023.", doc.GetProperty("note").GetProperty("en").GetString());

        var second = await Put(app.Api(kz), $"/api/v1/records/documents/{VisaAgreement}", new { values = new Dictionary<string, string> { ["signed-on"] = "2023-05" }, sources = Cite.One() });
        var url2 = second.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(app.Api(cn), url2 + "/disagree")).StatusCode); // a disagreement says why
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(cn), url2 + "/disagree", new { comment = "Signed on 17 May 2023 in Xi'an." })).StatusCode);
        var shown = await Json(await app.Api(kz).GetAsync(url2, Ct));
        Assert.Equal(["CN"], shown.GetProperty("disagreeingStates").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(shown.GetProperty("events").EnumerateArray(), e => e.GetProperty("action").GetString() == "disagreed" && e.GetProperty("comment").GetString() == "Signed on 17 May 2023 in Xi'an.");
        Assert.Equal(HttpStatusCode.Conflict, (await Post(app.Api(secretariat), url2 + "/validate")).StatusCode);
    }

    [Fact]
    public async Task A_returned_submission_keeps_its_comment_and_can_be_reworked()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var proposed = await Put(app.Api(kz), "/api/v1/records/indicator-values/kz-person-trips:2024:KZ", new { values = new { value = "3.2" }, sources = Cite.One() });
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(app.Api(secretariat), url + "/return")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(secretariat), url + "/return", new { comment = "Please cite the Ministry of Tourism's figure." })).StatusCode);
        var reworked = await Put(app.Api(kz), url, new { values = new { value = "3.3" }, reason = "Ministry of Tourism, 2025 notice", submit = true });
        Assert.Equal(HttpStatusCode.OK, reworked.StatusCode);
        var json = await Json(reworked);
        Assert.Equal("submitted", json.GetProperty("status").GetString());
        Assert.Contains(json.GetProperty("events").EnumerateArray(), e => e.GetProperty("action").GetString() == "returned" && e.GetProperty("comment").GetString() == "Please cite the Ministry of Tourism's figure.");
        Assert.Equal("3.3", json.GetProperty("changes")[0].GetProperty("proposed").GetString());
    }

    [Fact]
    public async Task An_edit_outside_scope_is_refused_stores_nothing_and_is_audited()
    {
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        await using var db = app.NewDbContext();
        var submissions = await db.Submissions.CountAsync(Ct);
        var version = (await db.IndicatorValues.AsNoTracking().SingleAsync(v => v.Id == KazakhTrade, Ct)).Version;

        var refused = await Put(app.Api(uz, "ru"), $"/api/v1/records/indicator-values/{KazakhTrade}", new { values = new { value = "1" } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("государств", (await Json(refused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Put(app.Api(officer), $"/api/v1/records/documents/{VisaAgreement}", new { values = new { } })).StatusCode);

        Assert.Equal(submissions, await db.Submissions.CountAsync(Ct));
        Assert.Equal(version, (await db.IndicatorValues.AsNoTracking().SingleAsync(v => v.Id == KazakhTrade, Ct)).Version);
        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "refused" && e.Actor == uz.Email).SingleAsync(Ct);
        Assert.Equal(("indicator-value", KazakhTrade, "national-coordinator:UZ"), (entry.SubjectType, entry.SubjectId, entry.Role));
        Assert.True(new AuditQueries(db).Verify().Intact);
    }

    [Fact]
    public async Task The_second_of_two_conflicting_saves_sees_the_other_change_and_nothing_is_overwritten()
    {
        var first = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var second = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var record = await Json(await app.Api(first).GetAsync("/api/v1/records/bodies/secretariat", Ct));
        var version = record.GetProperty("version").GetInt32();
        Assert.Equal("direct", record.GetProperty("yourRight").GetString());

        var saved = await Put(app.Api(first), "/api/v1/records/bodies/secretariat", new { values = new Dictionary<string, string> { ["seat.en"] = "Astana" }, version, sources = Cite.One() });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var conflict = await Put(app.Api(second), "/api/v1/records/bodies/secretariat", new { values = new Dictionary<string, string> { ["seat.en"] = "Almaty" }, version, sources = Cite.One() });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await Json(conflict);
        Assert.Equal("Astana", problem.GetProperty("current").GetProperty("values").GetProperty("seat.en").GetString());
        Assert.Equal(first.Email, problem.GetProperty("otherChange").GetProperty("actor").GetString());
        Assert.Contains("Astana", problem.GetProperty("otherChange").GetProperty("after").GetRawText());
        var now = await Json(await app.Api(null).GetAsync("/api/v1/records/bodies/secretariat", Ct));
        Assert.Equal(("Astana", version + 1), (now.GetProperty("values").GetProperty("seat.en").GetString(), now.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Bad_values_are_named_in_the_callers_language_and_nothing_is_stored()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var before = await Json(await app.Api(null).GetAsync($"/api/v1/records/indicator-values/{KazakhTrade}", Ct));
        var bad = await Put(app.Api(secretariat, "zh"), $"/api/v1/records/indicator-values/{KazakhTrade}", new { values = new { value = "1,5", qualifier = "roughly", colour = "red" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await Json(bad)).GetProperty("errors");
        Assert.Equal(["colour", "qualifier", "value"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("小数", errors.GetProperty("value")[0].GetString());
        var after = await Json(await app.Api(null).GetAsync($"/api/v1/records/indicator-values/{KazakhTrade}", Ct));
        Assert.Equal(before.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Read_only_revoked_expired_and_disabled_accounts_tokens_cannot_write()
    {
        var readOnly = await People.CreateAsync(app, CaravanRole.SecretariatEditor, readOnlyToken: true);
        var revoked = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var expired = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var disabled = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var change = new { values = new Dictionary<string, string> { ["note.en"] = "x" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await Put(app.Api(readOnly), "/api/v1/records/bodies/secretariat", change)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(readOnly).GetAsync("/api/v1/submissions", Ct)).StatusCode); // it can read

        await using (var db = app.NewDbContext())
        {
            var revokedToken = await db.AccessTokens.SingleAsync(t => t.UserId == revoked.Id, Ct);
            revokedToken.RevokedAt = DateTimeOffset.UtcNow;
            var expiredToken = await db.AccessTokens.SingleAsync(t => t.UserId == expired.Id, Ct);
            expiredToken.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync(Ct);
        }
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(app.Services))
        {
            var accounts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Caravan.Web.Features.Accounts.AccountService>(scope.ServiceProvider);
            Assert.True(await accounts.SetDisabledAsync(disabled.Email, true, new AuditActor("test", "system", null)));
        }
        foreach (var person in new[] { revoked, expired, disabled })
        {
            var response = await Put(app.Api(person), "/api/v1/records/bodies/secretariat", change);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer realm=\"caravan\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_coordinator_proposes_a_new_figure_for_their_own_state_only()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(app.Api(kz), "/api/v1/records/indicator-values", new { id = "kz-person-trips:2025:UZ", values = new { value = "1" } })).StatusCode);
        var bad = await Post(app.Api(kz), "/api/v1/records/indicator-values", new { id = "kz-person-trips:year:KZ", values = new { value = "1" } });
        Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, await bad.Content.ReadAsStringAsync(Ct));
        Assert.True((await Json(bad)).GetProperty("errors").TryGetProperty("id", out _));

        var proposed = await Post(app.Api(kz), "/api/v1/records/indicator-values", new { id = "kz-person-trips:2025:KZ", values = new { value = "3.6", qualifier = "more-than" }, reason = "national statistics", sources = Cite.One() });
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        Assert.Null(await PublicValue("kz-person-trips", 2025, "KZ"));
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.OK, (await Post(app.Api(secretariat), url + "/validate")).StatusCode);
        var publish = await Post(app.Api(secretariat), url + "/publish");
        Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync(Ct));
        Assert.Equal(3.6m, await PublicValue("kz-person-trips", 2025, "KZ"));
    }
}

public sealed class WorkflowTestsOnSqlite(SqliteApp app) : WorkflowTests(app), IClassFixture<SqliteApp>;

public sealed class WorkflowTestsOnPostgres(PostgresApp app) : WorkflowTests(app), IClassFixture<PostgresApp>;
