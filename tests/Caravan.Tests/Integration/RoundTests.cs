using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Rounds;
using Caravan.Shared;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// Reporting rounds over HTTP: opened once per period (under concurrent opens), tasks derived from the live records and
/// moved by the normal workflow, progress per state and body, who sees what, a close that freezes the snapshot once
/// (under concurrent closes), and a publication after the close that goes to the next period.
/// </summary>
public abstract class RoundTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Day(int days) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static object Evidence(string text) => new Dictionary<string, string> { ["score"] = "1", ["evidence.en"] = text };

    /// <summary>A period of the test's own, after the seed's (ordered), so that rounds of several tests never meet.</summary>
    private async Task<string> NewPeriodAsync(string from, int order)
    {
        await using var db = app.NewDbContext();
        var id = $"round-test-{Guid.NewGuid():N}"[..40];
        db.ReportingPeriods.Add(new ReportingPeriod { Id = id, Order = order, Name = new LocalizedText { En = "Test period", Ru = "Тестовый период", Zh = "测试期" }, From = PartialDate.Parse(from) });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private async Task<JsonElement> OpenAsync(Person secretariat, string period, string due, int[]? reminders = null)
    {
        var opened = await app.Api(secretariat).PostAsJsonAsync("/api/v1/rounds", new
        {
            name = new { en = "Status before the foreign ministers' meeting, April 2026", ru = "Состояние перед встречей министров иностранных дел, апрель 2026 г.", zh = "2026年4月外长会晤前的进展" },
            period, dueOn = due, reminderDays = reminders ?? [7, 1],
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return await opened.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<JsonElement> RoundAsync(Person who, string id, string query = "") =>
        await app.Api(who).GetFromJsonAsync<JsonElement>($"/api/v1/rounds/{id}{query}", Ct);

    private static JsonElement Task(JsonElement round, string key) =>
        round.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("key").GetString() == key);

    private static JsonElement Row(JsonElement round, string state) =>
        round.GetProperty("progress").EnumerateArray().Single(p => p.GetProperty("state").GetString() == state);

    [Fact]
    public async Task Opening_reminding_and_overdue_each_tell_every_person_their_own_open_tasks_once()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var period = await NewPeriodAsync("2026-01", 960);
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20);
        var id = (await OpenAsync(secretariat, period, due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), [7]))
            .GetProperty("id").GetString()!;
        var link = $"/rounds/{id}";

        async Task<List<Caravan.Features.Notifications.Notification>> ToldAsync(Person p, Caravan.Features.Notifications.NotificationKind kind)
        {
            await using var db = app.NewDbContext();
            return [.. (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                    db.Notifications.Where(n => n.UserId == p.Id && n.Kind == kind), Ct))
                .Where(n => n.Content.Link == link)];
        }

        // Opened: each coordinator is told once, with their own state's tasks and nobody else's.
        var opened = Assert.Single(await ToldAsync(kz, Caravan.Features.Notifications.NotificationKind.RoundOpened));
        Assert.NotEmpty(opened.Content.Awaiting!);
        Assert.All(opened.Content.Awaiting!, l => Assert.Contains("%3AKZ%3A", l.Link, StringComparison.Ordinal));
        Assert.Equal(due, opened.Content.Due);
        Assert.All(Assert.Single(await ToldAsync(uz, Caravan.Features.Notifications.NotificationKind.RoundOpened)).Content.Awaiting!,
            l => Assert.Contains("%3AUZ%3A", l.Link, StringComparison.Ordinal));
        Assert.Empty(await ToldAsync(secretariat, Caravan.Features.Notifications.NotificationKind.RoundOpened));

        // The reminder day (7 days before the due date), run by several nodes at once: sent once, naming the days.
        var job = new RoundReminders();
        var reminderDay = new DateTimeOffset(due.AddDays(-7).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var db = app.NewDbContext();
            await Caravan.Features.Notifications.ScheduledWork.RunOnceAsync(db, job.Name, job.PeriodOf(reminderDay)!,
                c => job.RunAsync(db, job.PeriodOf(reminderDay)!, reminderDay, c), reminderDay, Ct);
        }));
        var reminded = Assert.Single(await ToldAsync(kz, Caravan.Features.Notifications.NotificationKind.RoundReminder));
        Assert.Equal(7, reminded.Content.Days);
        Assert.All(reminded.Content.Awaiting!, l => Assert.Contains("%3AKZ%3A", l.Link, StringComparison.Ordinal));
        // No reminder on another day; the overdue notice once, on the first run after the due date (here two days
        // after it: no node ran the day after), not again on later days.
        foreach (var day in new[] { due.AddDays(-6), due, due.AddDays(2), due.AddDays(3) })
        {
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
            await using var db = app.NewDbContext();
            await Caravan.Features.Notifications.ScheduledWork.RunOnceAsync(db, job.Name, job.PeriodOf(at)!,
                c => job.RunAsync(db, job.PeriodOf(at)!, at, c), at, Ct);
        }
        Assert.Single(await ToldAsync(kz, Caravan.Features.Notifications.NotificationKind.RoundReminder));
        Assert.Single(await ToldAsync(kz, Caravan.Features.Notifications.NotificationKind.RoundOverdue));
        Assert.Single(await ToldAsync(uz, Caravan.Features.Notifications.NotificationKind.RoundOverdue));
    }

    [Fact]
    public async Task A_round_derives_each_states_tasks_and_a_coordinators_submission_moves_theirs()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var round = await OpenAsync(secretariat, "astana-to-2027", Day(30));
        var id = round.GetProperty("id").GetString()!;
        Assert.Equal([7, 1], round.GetProperty("reminderDays").EnumerateArray().Select(d => d.GetInt32()));

        // Derived from the seed: every bound party of every commitment active in the period; none for one bound to no
        // party; one already assessed in the period is validated; one active since the earlier period is asked again.
        var all = await RoundAsync(secretariat, id);
        var tasks = all.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(6, tasks.Count(t => t.GetProperty("key").GetString()!.StartsWith("assessment:treaty-sign:", StringComparison.Ordinal)));
        Assert.DoesNotContain(tasks, t => t.GetProperty("record").GetString()!.StartsWith("decl-secretariat-support:", StringComparison.Ordinal));
        Assert.Equal("validated", Task(all, "assessment:poverty-reduction-centre-2025:CN:astana-to-2027").GetProperty("status").GetString());
        Assert.Equal("nothing", Task(all, "assessment:poverty-reduction-centre-2025:CN:astana-to-2027").GetProperty("waitsFor").GetString());
        Assert.Equal("requested", Task(all, "assessment:secretariat-2023:KZ:astana-to-2027").GetProperty("status").GetString());
        // Who acts: the state's coordinator, named.
        var treaty = Task(all, "assessment:treaty-sign:KZ:astana-to-2027");
        Assert.Equal(("requested", "proposal"), (treaty.GetProperty("status").GetString(), treaty.GetProperty("waitsFor").GetString()));
        Assert.Equal(("national-coordinator", "KZ"), (treaty.GetProperty("who")[0].GetProperty("role").GetString(), treaty.GetProperty("who")[0].GetProperty("state").GetString()));
        Assert.Contains(treaty.GetProperty("people").EnumerateArray(), p => p.GetProperty("id").GetString() == kz.Id);
        Assert.DoesNotContain(treaty.GetProperty("people").EnumerateArray(), p => p.GetProperty("id").GetString() == uz.Id);
        // The counts partition each state's tasks.
        var before = Row(all, "KZ");
        Assert.Equal(tasks.Count(t => t.GetProperty("state").GetString() == "KZ"), before.GetProperty("total").GetInt32());
        Assert.Equal(before.GetProperty("total").GetInt32(), new[] { "requested", "overdue", "submitted", "validated" }.Sum(k => before.GetProperty(k).GetInt32()));

        // A coordinator sees their own state's tasks and progress only; the public nothing at all.
        var own = await RoundAsync(kz, id);
        Assert.All(own.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("KZ", t.GetProperty("state").GetString()));
        Assert.All(own.GetProperty("progress").EnumerateArray(), p => Assert.Contains(p.GetProperty("state").GetString(), new[] { "KZ", null }));
        Assert.Equal(before.GetProperty("total").GetInt32(), Row(own, "KZ").GetProperty("total").GetInt32());
        // An officer sees the tasks of the bodies they run (the lead body's), of any state, and nothing else.
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        var bodys = (await RoundAsync(officer, id)).GetProperty("tasks").EnumerateArray().ToList();
        Assert.NotEmpty(bodys);
        Assert.All(bodys, t => Assert.Contains("secretariat", t.GetProperty("bodies").EnumerateArray().Select(b => b.GetString())));
        Assert.Equal(tasks.Count(t => t.GetProperty("bodies").EnumerateArray().Any(b => b.GetString() == "secretariat")), bodys.Count);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().GetAsync($"/api/v1/rounds/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().GetAsync("/api/v1/rounds", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(kz).GetAsync("/api/v1/rounds/no-such-round", Ct)).StatusCode);
        var listed = await app.Api(kz).GetFromJsonAsync<JsonElement>("/api/v1/rounds", Ct);
        Assert.Equal(before.GetProperty("total").GetInt32(), listed.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).GetProperty("tasks").GetInt32());

        // The coordinator proposes through the normal workflow: requested → submitted → validated → published.
        var proposed = await app.Api(kz).PostAsJsonAsync("/api/v1/records/assessments", new { id = "treaty-sign:KZ:astana-to-2027", values = Evidence("Signed by Kazakhstan in Astana."), sources = Cite.One() }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var submission = (await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var submitted = Task(await RoundAsync(kz, id), "assessment:treaty-sign:KZ:astana-to-2027");
        Assert.Equal(("submitted", "validation", submission), (submitted.GetProperty("status").GetString(), submitted.GetProperty("waitsFor").GetString(), submitted.GetProperty("submission").GetString()));
        Assert.Contains(submitted.GetProperty("people").EnumerateArray(), p => p.GetProperty("id").GetString() == secretariat.Id);
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{submission}/validate", new { }, Ct)).StatusCode);
        Assert.Equal(("validated", "publication"), Status(Task(await RoundAsync(secretariat, id), "assessment:treaty-sign:KZ:astana-to-2027")));
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{submission}/publish", new { }, Ct)).StatusCode);
        var after = await RoundAsync(secretariat, id);
        Assert.Equal(("validated", "nothing"), Status(Task(after, "assessment:treaty-sign:KZ:astana-to-2027")));
        Assert.Equal(before.GetProperty("validated").GetInt32() + 1, Row(after, "KZ").GetProperty("validated").GetInt32());
        Assert.Equal(before.GetProperty("requested").GetInt32() - 1, Row(after, "KZ").GetProperty("requested").GetInt32());
        Assert.Equal(Row(all, "UZ").GetProperty("validated").GetInt32(), Row(after, "UZ").GetProperty("validated").GetInt32());

        // Filters: by state and status.
        var filtered = await RoundAsync(secretariat, id, "?state=KZ&status=validated&kind=assessment");
        Assert.All(filtered.GetProperty("tasks").EnumerateArray(), t => Assert.Equal(("KZ", "validated"), (t.GetProperty("state").GetString(), t.GetProperty("status").GetString())));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Api(secretariat).GetAsync($"/api/v1/rounds/{id}?status=late", Ct)).StatusCode);
    }

    private static (string?, string?) Status(JsonElement t) => (t.GetProperty("status").GetString(), t.GetProperty("waitsFor").GetString());

    [Fact]
    public async Task Only_one_round_is_open_per_period_even_when_opened_at_once()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var period = await NewPeriodAsync("2030-01", 40);
        var body = new { name = new { en = "Concurrent round" }, period, dueOn = "2030-12-31" };
        var answers = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Api(secretariat).PostAsJsonAsync("/api/v1/rounds", body, Ct)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var conflict = await answers.First(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("already open", conflict.GetProperty("detail").GetString());
        await using (var db = app.NewDbContext())
            Assert.Equal(1, db.Rounds.Count(r => r.PeriodId == period));

        // What is wrong, on its field, in the reader's language; a coordinator may not open one.
        var bad = await app.Api(secretariat, "ru").PostAsJsonAsync("/api/v1/rounds", new { name = "", period = "xian-to-astana", dueOn = "31.12.2030", reminderDays = new object[] { 7, "soon" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("закрыт", errors.GetProperty("period")[0].GetString());
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("dueOn", out _) && errors.TryGetProperty("reminderDays[1]", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(kz).PostAsJsonAsync("/api/v1/rounds", body, Ct)).StatusCode);
    }

    [Fact]
    public async Task Closing_freezes_the_snapshot_once_and_a_later_publication_goes_to_the_next_period()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var period = await NewPeriodAsync("2031-01", 50);
        var next = await NewPeriodAsync("2032-01", 51);
        var id = (await OpenAsync(secretariat, period, "2031-12-31")).GetProperty("id").GetString()!;
        var proposed = await app.Api(kz).PostAsJsonAsync("/api/v1/records/assessments", new { id = $"treaty-sign:KZ:{period}", values = Evidence("Ratified in 2031."), sources = Cite.One() }, Ct);
        var submission = (await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{submission}/validate", new { }, Ct)).StatusCode);

        // Two closes at once: one closes, the other is told it is closed already.
        var closes = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 2).Select(_ => app.Api(secretariat).PostAsync($"/api/v1/rounds/{id}/close", null, Ct)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], closes.Select(c => c.StatusCode).Order());
        var refused = await closes.Single(c => c.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("closed already", refused.GetProperty("detail").GetString());
        var closed = await RoundAsync(secretariat, id);
        Assert.False(closed.GetProperty("open").GetBoolean());
        Assert.Equal(period, closed.GetProperty("snapshot").GetString());
        // The progress as it stood at the close: the validated proposal counts for Kazakhstan.
        Assert.True(Row(closed, "KZ").GetProperty("validated").GetInt32() >= 1);
        await using (var db = app.NewDbContext())
            Assert.True(db.ReportingPeriods.Single(p => p.Id == period).Closed);
        var frozen = await (await app.Client().GetAsync($"/api/v1/snapshots/{period}", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("\"KZ\"", JsonDocument.Parse(frozen).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("commitmentId").GetString() == "treaty-sign").GetRawText());

        // Published after the close: it goes to the next period; the frozen snapshot and the closed period do not move.
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{submission}/publish", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync($"/api/v1/records/assessments/treaty-sign:KZ:{next}", Ct)).StatusCode);
        await using (var db = app.NewDbContext())
        {
            Assert.False(db.Assessments.Any(a => a.Id == $"treaty-sign:KZ:{period}"));
            Assert.Equal(1, db.Assessments.Single(a => a.Id == $"treaty-sign:KZ:{next}").Score);
        }
        Assert.Equal(frozen, await (await app.Client().GetAsync($"/api/v1/snapshots/{period}", Ct)).Content.ReadAsStringAsync(Ct));
        // A new round on the closed period is refused; the next period's round sees the late score as done.
        var again = await app.Api(secretariat).PostAsJsonAsync("/api/v1/rounds", new { name = "again", period, dueOn = "2031-12-31" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var following = (await OpenAsync(secretariat, next, "2032-12-31")).GetProperty("id").GetString()!;
        Assert.Equal("validated", Task(await RoundAsync(kz, following), $"assessment:treaty-sign:KZ:{next}").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Past_the_due_date_unsubmitted_tasks_are_overdue_and_each_person_is_told_only_their_own()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var period = await NewPeriodAsync("2020-01", 30);
        var id = (await OpenAsync(secretariat, period, "2020-06-30", [14, 1])).GetProperty("id").GetString()!;
        // A draft of the coordinator's own waits for them to submit it, and is overdue too.
        var draft = await app.Api(kz).PostAsJsonAsync("/api/v1/records/assessments", new { id = $"customs-document:KZ:{period}", values = Evidence("Draft."), sources = Cite.One(), submit = false }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, draft.StatusCode);
        var round = await RoundAsync(secretariat, id);
        var kzRow = Row(round, "KZ");
        Assert.Equal((0, 0, 0), (kzRow.GetProperty("requested").GetInt32(), kzRow.GetProperty("submitted").GetInt32(), kzRow.GetProperty("validated").GetInt32()));
        Assert.Equal(kzRow.GetProperty("total").GetInt32(), kzRow.GetProperty("overdue").GetInt32());
        var drafted = Task(round, $"assessment:customs-document:KZ:{period}");
        Assert.Equal(("overdue", "submission"), Status(drafted));
        Assert.Equal(kz.Id, drafted.GetProperty("people").EnumerateArray().Single().GetProperty("id").GetString());

        await using var db = app.NewDbContext();
        var recipients = await RoundQueries.RecipientsDueAsync(db, id, DateTimeOffset.UtcNow, Ct);
        var mine = recipients.Single(r => r.Person.UserId == kz.Id);
        Assert.Equal(kz.Email, mine.Person.Email);
        Assert.All(mine.Tasks, t => Assert.Equal("KZ", t.Task.StateId));
        Assert.Equal(kzRow.GetProperty("total").GetInt32(), mine.Tasks.Count);
        Assert.All(recipients.Single(r => r.Person.UserId == uz.Id).Tasks, t => Assert.Equal("UZ", t.Task.StateId));
        // Reminders: on the days of the schedule before the due date only.
        var stored = db.Rounds.Single(r => r.Id == id);
        Assert.Equal(14, RoundRules.ReminderOn(stored, new DateOnly(2020, 6, 16)));
        Assert.Null(RoundRules.ReminderOn(stored, new DateOnly(2020, 6, 17)));
        // Closed: nobody is reminded any more.
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsync($"/api/v1/rounds/{id}/close", null, Ct)).StatusCode);
        Assert.Empty(await RoundQueries.RecipientsDueAsync(app.NewDbContext(), id, DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task The_pages_show_a_round_in_each_language_to_those_who_may_see_it()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var tj = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "TJ");
        var period = await NewPeriodAsync("2033-01", 70);
        var id = (await OpenAsync(secretariat, period, "2033-12-31")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Redirect, (await app.Client().GetAsync($"/rounds/{id}", Ct)).StatusCode);
        var coordinator = new PortalSession(app);
        await coordinator.SignInAsync(tj);
        var (status, html, _) = await coordinator.GetAsync($"/rounds/{id}?culture=zh");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("2026年4月外长会晤前的进展", html);
        Assert.Contains("已请求", html);
        Assert.DoesNotContain("close-round", html); // only the secretariat closes
        Assert.DoesNotContain("/states/KZ", html);  // nothing of another state
        var (_, list, _) = await coordinator.GetAsync("/rounds?culture=ru");
        Assert.Contains("id=\"rounds\"", list);
        Assert.Contains("Состояние перед встречей министров", list);
        Assert.DoesNotContain("open-round-form", list);
        var desk = new PortalSession(app);
        await desk.SignInAsync(secretariat);
        var (_, deskHtml, _) = await desk.GetAsync($"/rounds/{id}");
        Assert.Contains("close-round", deskHtml);
        Assert.Contains("id=\"sheet-link\"", deskHtml); // answered by spreadsheet, while open
        Assert.DoesNotContain("id=\"tasks-now\"", deskHtml);
        // Closed: the progress is as it stood at the close, and the page says the task list is today's.
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsync($"/api/v1/rounds/{id}/close", null, Ct)).StatusCode);
        var (_, closedHtml, _) = await coordinator.GetAsync($"/rounds/{id}?culture=ru");
        Assert.Contains("id=\"tasks-now\"", closedHtml);
        Assert.Contains("в их сегодняшнем состоянии", closedHtml);
        Assert.DoesNotContain("id=\"sheet-link\"", closedHtml);
        Assert.Contains("/states/KZ", deskHtml);
    }
}

public sealed class RoundTestsOnSqlite(SqliteApp app) : RoundTests(app), IClassFixture<SqliteApp>;

public sealed class RoundTestsOnPostgres(PostgresApp app) : RoundTests(app), IClassFixture<PostgresApp>;
