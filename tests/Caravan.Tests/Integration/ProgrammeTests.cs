using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Programmes;
using Caravan.Shared;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Programmes over HTTP: the seeded pledges with their sources and empty ledgers; an officer's allocation
/// confirmed by the state's coordinator, validated and published by the secretariat; every overspend, date
/// outside the period and bad number refused with its reason and figures, nothing stored; an entry that
/// became an overspend meanwhile refused at publish.
/// </summary>
public abstract class ProgrammeTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Centre = "poverty-reduction-centre";

    /// <summary>A programme of its own per test (the seed's have no body), run by <see cref="Centre"/>.</summary>
    private async Task<string> ProgrammeAsync(decimal pledged = 1_500_000_000m, string unit = "CNY")
    {
        var id = $"test-{Guid.NewGuid():N}"[..20];
        await using var db = app.NewDbContext();
        db.Programmes.Add(new Programme
        {
            Id = id, Name = new LocalizedText { En = "Test grant", Ru = "Тестовый грант", Zh = "测试援助" }, Kind = Programme.KindOf(unit), Unit = unit,
            Pledged = pledged, PledgedById = "CN", PeriodFrom = new DateOnly(2025, 1, 1), PeriodTo = new DateOnly(2025, 12, 31), BodyId = Centre,
        });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private static object Entry(string state, string kind, string quantity, string on = "2025-07-01", string year = "2025", string? note = null) =>
        new { state, values = new Dictionary<string, string?> { ["kind"] = kind, ["year"] = year, ["on"] = on, ["quantity"] = quantity, ["note.en"] = note }, sources = Cite.One(EntrySource, "Grant agreement notice", on) };

    /// <summary>Where a test's ledger entry is said to come from: every entry is a new figure, published with its source.</summary>
    private const string EntrySource = "https://www.mofcom.gov.cn/example/grant-notice";

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await app.Client().GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<(int Entries, int Submissions)> StoredAsync(string programme)
    {
        await using var db = app.NewDbContext();
        return (await db.ProgrammeEntries.CountAsync(e => e.ProgrammeId == programme, Ct),
            await db.Submissions.CountAsync(s => s.RecordKind == ProgrammeEntry.RecordKind && s.RecordId.StartsWith(programme + ":"), Ct));
    }

    [Fact]
    public async Task The_seeded_pledges_are_listed_with_their_sources_and_their_empty_ledgers_say_so()
    {
        var list = await GetAsync("/api/v1/programmes?pageSize=100");
        var items = list.GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Superset(new HashSet<string> { "grant-2025", "training-places-2025", "training-places-2024", "scholarships-2024", "financing-2023", "grant-2022", "training-places-2022", "scholarships-2022" }, items.Keys.ToHashSet());
        Assert.All(items.Values.Where(p => !p.GetProperty("id").GetString()!.StartsWith("test-", StringComparison.Ordinal)), p => Assert.NotEmpty(p.GetProperty("sources").EnumerateArray()));

        var grant = await GetAsync("/api/v1/programmes/grant-2025");
        var pledge = grant.GetProperty("programme");
        Assert.Equal(("money", "CNY", 1_500_000_000m, "CN", "summit-2025-astana"), (pledge.GetProperty("kind").GetString(), pledge.GetProperty("unit").GetString(),
            pledge.GetProperty("pledged").GetDecimal(), pledge.GetProperty("pledgedBy").GetString(), pledge.GetProperty("meeting").GetString()));
        Assert.Equal(("2025-01-01", "2025-12-31"), (pledge.GetProperty("period").GetProperty("from").GetString(), pledge.GetProperty("period").GetProperty("to").GetString()));
        Assert.Contains(pledge.GetProperty("sources").EnumerateArray(), s => s.GetProperty("url").GetString()!.Contains("inform.kz", StringComparison.Ordinal));
        Assert.Equal((0m, 1_500_000_000m), (pledge.GetProperty("allocated").GetDecimal(), pledge.GetProperty("unallocated").GetDecimal()));
        Assert.Empty(grant.GetProperty("entries").EnumerateArray());
        // No period in the sources: none invented.
        var financing = await GetAsync("/api/v1/programmes/financing-2023");
        Assert.Equal(JsonValueKind.Null, financing.GetProperty("programme").GetProperty("period").GetProperty("from").ValueKind);

        var page = await app.Client().GetStringAsync("/programmes?culture=en", Ct);
        Assert.Contains("href=\"/programmes/grant-2025\"", page);
        Assert.Contains("1,500,000,000 yuan (CNY)", page);
        Assert.Contains("inform.kz", page);
        var detail = await app.Client().GetStringAsync("/programmes/training-places-2025?culture=ru", Ct);
        Assert.Contains("id=\"no-entries\"", detail);
        Assert.Contains("источники о них не сообщают", detail);
        Assert.DoesNotContain("id=\"entry-form\"", detail); // the public gets no form
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/programmes/no-such-programme", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("en", "Disbursed: 0 yuan (CNY)", "Completed: 0 training places")]
    [InlineData("ru", "Выплачено: 0 юаней", "Завершено: 0 мест для обучения")]
    [InlineData("zh", "已拨付：0元人民币", "已结业：0个培训名额")]
    public async Task The_stage_labels_its_figure_so_a_zero_never_reads_as_delivered(string culture, string grant, string places)
    {
        var page = WebUtility.HtmlDecode(await app.Client().GetStringAsync($"/programmes?culture={culture}", Ct));
        string Used(string id) => System.Text.RegularExpressions.Regex.Match(page,
            $"<tr id=\"{id}\">.*?<td class=\"num used\">(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value.Trim();
        // Seeded pledges with no ledger entry: nothing used, and the stage word is the figure's label, not a verdict after it.
        Assert.Equal(grant, Used("grant-2025"));
        Assert.Equal(places, Used("training-places-2025"));
    }

    [Fact]
    public async Task An_officer_allocates_the_states_coordinator_confirms_and_the_secretariat_publishes_then_the_balances_change()
    {
        var id = await ProgrammeAsync();
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: [Centre]);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);

        var proposed = await app.Api(officer).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "allocation", "1000000000"), Ct);
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync(Ct));
        var submission = (await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        Assert.Equal(0m, (await GetAsync($"/api/v1/programmes/{id}")).GetProperty("programme").GetProperty("allocated").GetDecimal());

        // The secretariat cannot validate before Kazakhstan's coordinator confirms; Uzbekistan's cannot confirm at all.
        Assert.Equal(HttpStatusCode.Conflict, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{submission}/validate", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(uz).PostAsJsonAsync($"/api/v1/submissions/{submission}/confirm", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(officer).PostAsJsonAsync($"/api/v1/submissions/{submission}/confirm", new { }, Ct)).StatusCode);
        var officerPage = new PortalSession(app);
        await officerPage.SignInAsync(officer);
        Assert.Contains($"href=\"/submissions/{submission}\"", (await officerPage.GetAsync($"/programmes/{id}")).Html); // pending, for those who may see it
        Assert.DoesNotContain("/submissions/", await app.Client().GetStringAsync($"/programmes/{id}", Ct));

        foreach (var (who, step) in new[] { (kz, "confirm"), (secretariat, "validate"), (secretariat, "publish") })
        {
            var response = await app.Api(who).PostAsJsonAsync($"/api/v1/submissions/{submission}/{step}", new { }, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{step}: {await response.Content.ReadAsStringAsync(Ct)}");
        }

        var after = await GetAsync($"/api/v1/programmes/{id}");
        Assert.Equal((1_000_000_000m, 500_000_000m), (after.GetProperty("programme").GetProperty("allocated").GetDecimal(), after.GetProperty("programme").GetProperty("unallocated").GetDecimal()));
        var entry = Assert.Single(after.GetProperty("entries").EnumerateArray());
        Assert.Equal(("allocation", "KZ", "programme-officer"), (entry.GetProperty("kind").GetString(), entry.GetProperty("state").GetString(), entry.GetProperty("recordedBy").GetString()));
        var row = Assert.Single(after.GetProperty("states").EnumerateArray());
        Assert.Equal(1_000_000_000m, row.GetProperty("balance").GetProperty("unused").GetDecimal());

        // The officer records use of the allocation; Kazakhstan's coordinator proposes for Kazakhstan (their proposal is their confirmation).
        var committed = await app.Api(kz).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "committed", "400000000", on: "2025-09-01"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, committed.StatusCode);
        var second = (await committed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        foreach (var step in new[] { "validate", "publish" })
            Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{second}/{step}", new { }, Ct)).StatusCode);
        var used = await GetAsync($"/api/v1/programmes/{id}");
        var kzRow = Assert.Single(used.GetProperty("states").EnumerateArray()).GetProperty("balance");
        Assert.Equal((400_000_000m, 600_000_000m), (kzRow.GetProperty("stages").GetProperty("committed").GetDecimal(), kzRow.GetProperty("unused").GetDecimal()));
        Assert.Equal(2, used.GetProperty("burnUp").GetArrayLength());

        // Another state's coordinator may not record for Kazakhstan; an officer of another body may not record at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(uz).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "allocation", "1"), Ct)).StatusCode);
        var stranger = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["education-exchange-centre"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(stranger).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "allocation", "1"), Ct)).StatusCode);
        Assert.Equal((2, 2), await StoredAsync(id));
    }

    [Fact]
    public async Task Overspending_a_date_outside_the_period_a_negative_or_non_numeric_value_are_refused_with_the_reason_and_nothing_is_stored()
    {
        var id = await ProgrammeAsync();
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var created = await app.Api(secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "allocation", "1000000000", on: "2025-03-01"), Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Created, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "committed", "400000000"), Ct)).StatusCode);

        async Task<string> Refused(object body, string field, string language = "en")
        {
            var response = await app.Api(secretariat, language).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", body, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), text);
            return string.Join(" | ", messages.EnumerateArray().Select(m => m.GetString()));
        }

        Assert.Equal("This would allocate 1,600,000,000 yuan (CNY) against a pledge of 1,500,000,000 yuan (CNY).", await Refused(Entry("UZ", "allocation", "600000000"), "quantity"));
        Assert.Contains("1 600 000 000", (await Refused(Entry("UZ", "allocation", "600000000"), "quantity", "ru")).Replace('\u00a0', ' '));
        Assert.Equal("Committed would reach 1 yuan (CNY), more than the 0 yuan (CNY) allocated to this state for this year.", await Refused(Entry("UZ", "committed", "1"), "quantity"));
        Assert.Equal("Disbursed would reach 500,000,000 yuan (CNY), more than the 400,000,000 yuan (CNY) of the stage before.", await Refused(Entry("KZ", "disbursed", "500000000"), "quantity"));
        Assert.Equal("The date is outside the programme's period (2025-01-01/2025-12-31).", await Refused(Entry("KZ", "disbursed", "1", on: "2026-01-05"), "on"));
        Assert.Equal("The year 2026 is outside the programme's years (2025–2025).", await Refused(Entry("KZ", "allocation", "1", year: "2026"), "year"));
        // Negative: a correction needs its reason, and cannot take back more than was recorded.
        Assert.Contains("say why", await Refused(Entry("KZ", "allocation", "-5"), "note.en"));
        Assert.Contains("Allocated would fall below zero (-500,000,000 yuan (CNY))", await Refused(Entry("KZ", "allocation", "-1500000000", note: "released"), "quantity"));
        Assert.Contains("number", await Refused(Entry("KZ", "allocation", "lots"), "quantity"));
        Assert.Contains("number", await Refused(Entry("KZ", "allocation", "1,5"), "quantity"));
        Assert.NotEmpty(await Refused(Entry("KZ", "allocation", "0"), "quantity"));
        Assert.NotEmpty(await Refused(Entry("KZ", "allocation", "5", on: "2025"), "on"));
        Assert.NotEmpty(await Refused(Entry("CN", "allocation", "5"), "state"));
        Assert.NotEmpty(await Refused(Entry("RU", "allocation", "5"), "state"));
        Assert.Equal((2, 0), await StoredAsync(id));

        // A correction with its reason is accepted; the override is the secretariat's, with its reason.
        Assert.Equal(HttpStatusCode.Created, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KZ", "allocation", "-100000000", note: "released to the pool"), Ct)).StatusCode);
        var over = new { state = "UZ", values = new Dictionary<string, string> { ["kind"] = "allocation", ["year"] = "2025", ["on"] = "2025-08-01", ["quantity"] = "700000000", ["override"] = "true" } };
        Assert.Contains("reason", await Refused(over, "override-reason"));
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: [Centre]);
        var byOfficer = await app.Api(officer).PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
            new { state = "UZ", values = new Dictionary<string, string> { ["kind"] = "allocation", ["year"] = "2025", ["on"] = "2025-08-01", ["quantity"] = "1", ["override"] = "true", ["override-reason"] = "x" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, byOfficer.StatusCode);
        Assert.Equal((3, 0), await StoredAsync(id));
        var balance = (await GetAsync($"/api/v1/programmes/{id}")).GetProperty("programme");
        Assert.Equal((900_000_000m, 600_000_000m), (balance.GetProperty("allocated").GetDecimal(), balance.GetProperty("unallocated").GetDecimal()));
    }

    [Fact]
    public async Task An_entry_that_became_an_overspend_while_it_waited_is_refused_at_publish()
    {
        var id = await ProgrammeAsync(3000, "training-places");
        var kg = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KG");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var first = await app.Api(kg).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KG", "allocation", "2000"), Ct);
        var second = await app.Api(kg).PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Entry("KG", "allocation", "2000"), Ct);
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode)); // each fits the published ledger
        var ids = new List<string?>();
        foreach (var r in new[] { first, second }) ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString());
        foreach (var s in ids)
            Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{s}/validate", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{ids[0]}/publish", new { }, Ct)).StatusCode);
        var refused = await app.Api(secretariat, "zh").PostAsJsonAsync($"/api/v1/submissions/{ids[1]}/publish", new { }, Ct);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("分配总额将达 4,000个培训名额，超过承诺的 3,000个培训名额。", problem.GetProperty("detail").GetString());
        Assert.Equal((1, 2), await StoredAsync(id));
        await using var db = app.NewDbContext();
        Assert.Equal(Caravan.Features.Submissions.SubmissionStatus.Validated, (await db.Submissions.SingleAsync(s => s.Id == ids[1], Ct)).Status);
    }

    [Fact]
    public async Task The_secretariat_names_the_centre_that_runs_a_seeded_programme_and_its_officers_then_record_for_it()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["education-exchange-centre"]);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        static object Body(string body) => new { values = new Dictionary<string, string> { ["body"] = body }, sources = Cite.One("https://www.mfa.gov.cn/example/centre", "The centre takes on the scholarships programme", "2023-06") };
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(officer).PostAsJsonAsync("/api/v1/programmes/scholarships-2022/entries", Entry("TJ", "allocation", "10", on: "2023-09-01", year: "2023"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(kz).PutChangeAsync("/api/v1/records/programmes/scholarships-2022", Body("education-exchange-centre"), Ct)).StatusCode);
        var summit = await app.Api(secretariat).PutChangeAsync("/api/v1/records/programmes/scholarships-2022", Body("summit"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, summit.StatusCode);
        var reason = (await summit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("body")[0].GetString();
        Assert.Equal("\"summit\" is not a cooperation platform or centre of the mechanism.", reason);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PutChangeAsync("/api/v1/records/programmes/scholarships-2022", Body("education-exchange-centre"), Ct)).StatusCode);

        var proposed = await app.Api(officer).PostAsJsonAsync("/api/v1/programmes/scholarships-2022/entries", Entry("TJ", "allocation", "10", on: "2023-09-01", year: "2023"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var submission = await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["TJ"], submission.GetProperty("awaitingConfirmationFrom").EnumerateArray().Select(x => x.GetString()));
        // Before the announcement (25 January 2022 + five years): outside the period the sources give.
        var early = await app.Api(officer).PostAsJsonAsync("/api/v1/programmes/scholarships-2022/entries", Entry("TJ", "allocation", "10", on: "2021-12-01", year: "2022"), Ct);
        Assert.Contains("2022-01-25/2027-01-24", await early.Content.ReadAsStringAsync(Ct));
        Assert.Contains("/bodies/education-exchange-centre", await app.Client().GetStringAsync("/programmes/scholarships-2022", Ct));
    }

    [Fact]
    public async Task The_secretariat_records_through_the_portal_form_and_reads_a_refusal_with_its_figures_in_chinese()
    {
        var id = await ProgrammeAsync();
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var session = new PortalSession(app);
        await session.SignInAsync(secretariat);
        var page = await session.GetAsync($"/programmes/{id}?culture=zh");
        Assert.Contains("id=\"entry-form\"", page.Html);
        static KeyValuePair<string, string>[] Form(string quantity) => [new("state", "TJ"), new("kind", "allocation"), new("year", "2025"), new("on", "2025-05-20"), new("quantity", quantity), new("note", "第一批"), new("reason", "测试"), .. Cite.Form(EntrySource, "资助协议通知", "2025-05-20", "zh")];
        var refused = await session.PostAsync($"/programmes/{id}/record", Form("1600000000"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Html.Contains("分配总额将达 1,600,000,000元人民币，超过承诺的 1,500,000,000元人民币。", StringComparison.Ordinal), System.Text.RegularExpressions.Regex.Match(refused.Html, "id=\"problems\">(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Value);
        Assert.Equal((0, 0), await StoredAsync(id));
        var saved = await session.PostAsync($"/programmes/{id}/record", Form("600000000"));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/programmes/{id}#states", saved.Location);
        var after = await session.GetAsync($"/programmes/{id}");
        Assert.Contains("600,000,000元人民币", after.Html);
        Assert.Contains("900,000,000元人民币", after.Html); // not yet allocated
        Assert.Contains("第一批", after.Html);
        Assert.Equal((1, 0), await StoredAsync(id));
    }
}

public sealed class ProgrammeTestsOnSqlite(SqliteApp app) : ProgrammeTests(app), IClassFixture<SqliteApp>;

public sealed class ProgrammeTestsOnPostgres(PostgresApp app) : ProgrammeTests(app), IClassFixture<PostgresApp>;
