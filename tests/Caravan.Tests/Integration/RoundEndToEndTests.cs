using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Notifications;
using Caravan.Features.Rounds;
using Caravan.Shared;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Issue 16's "done when", in one journey on each provider with a real SMTP server: the secretariat opens a round; the
/// coordinator is told by mail in Russian, reminded on the reminder day, answers one task by spreadsheet and one by
/// the form; the secretariat validates and publishes both (the spreadsheet's announced once); closing the round
/// freezes the period's snapshot with both scores in it.
/// </summary>
public abstract class RoundEndToEndTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MailServer Mail => ((IMailApp)app).Mail;

    [Fact]
    public async Task A_round_is_opened_reminded_answered_by_sheet_and_form_validated_and_closed_into_its_snapshot()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var period = $"e2e-{Guid.NewGuid():N}"[..30];
        await using (var db = app.NewDbContext())
        {
            if (await db.NotificationPreferences.FindAsync([kz.Id], Ct) is { } preference) preference.Language = "ru";
            else db.NotificationPreferences.Add(new NotificationPreference { UserId = kz.Id, Language = "ru" });
            db.ReportingPeriods.Add(new ReportingPeriod { Id = period, Order = 2000, From = PartialDate.Parse("2026-01"), Name = new LocalizedText { En = "Before the 2027 summit", Ru = "Перед саммитом 2027 года", Zh = "2027年峰会前" } });
            await db.SaveChangesAsync(Ct);
        }
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20);
        var opened = await app.Api(secretariat).PostAsJsonAsync("/api/v1/rounds", new
        {
            name = new { en = "Status before the summit", ru = "Состояние перед саммитом", zh = "峰会前进展" }, period,
            dueOn = due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reminderDays = new[] { 7 },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var round = (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        // Opened: the coordinator's mail, in Russian, with their own tasks.
        await Mail.WaitForAsync(m => m.Any(x => x.To.Mailboxes.Any(b => b.Address == kz.Email) && x.Subject == "Открыт отчётный цикл: Состояние перед саммитом"));
        // The reminder day: reminded once, in Russian.
        var job = new RoundReminders();
        var day = new DateTimeOffset(due.AddDays(-7).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
        await using (var db = app.NewDbContext())
            await ScheduledWork.RunOnceAsync(db, job.Name, job.PeriodOf(day)!, c => job.RunAsync(db, job.PeriodOf(day)!, day, c), day, Ct);
        // The reminder was raised for that day; the day comes (the delivery worker runs on the real clock).
        await using (var db = app.NewDbContext())
        {
            var reminder = await db.Notifications.SingleAsync(n => n.UserId == kz.Id && n.Kind == NotificationKind.RoundReminder, Ct);
            reminder.NextAttemptAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await db.SaveChangesAsync(Ct);
        }
        await Mail.WaitForAsync(m => m.Any(x => x.To.Mailboxes.Any(b => b.Address == kz.Email) && x.Subject == "Состояние перед саммитом: срок через 7 дн."));

        // Answered: one task by spreadsheet, another by the form.
        var template = await (await app.Api(kz).GetAsync($"/api/v1/rounds/{round}/sheet?lang=ru", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var tasks = SheetEdits.Read(template).Keys.Where(k => k.StartsWith("assessment:", StringComparison.Ordinal)).Take(2).ToList();
        var filled = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>>
        {
            [tasks[0]] = new() { ["G"] = "+1: выполнено", ["K"] = "Подписано в Астане.", ["L"] = "https://mfa.example.kz/e2e", ["M"] = "МИД Казахстана", ["N"] = "01.03.2026", ["O"] = "русский", ["P"] = "высокая достоверность" },
        });
        using var form = new MultipartFormDataContent { { new ByteArrayContent(filled), "file", "ответы.xlsx" } };
        var sheet = await app.Api(kz, "ru").PostAsync($"/api/v1/rounds/{round}/sheet", form, Ct);
        Assert.True(sheet.StatusCode == HttpStatusCode.OK, await sheet.Content.ReadAsStringAsync(Ct));
        var bySheet = (await sheet.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("rows")[0].GetProperty("submission").GetString()!;
        var byForm = await app.Api(kz).PostAsJsonAsync("/api/v1/records/assessments", new
        {
            id = tasks[1]["assessment:".Length..], values = new Dictionary<string, string> { ["score"] = "0", ["evidence.ru"] = "Работа идёт." }, sources = Cite.One(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, byForm.StatusCode);
        var formSubmission = (await byForm.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        // Validated and published by the secretariat.
        foreach (var id in new[] { bySheet, formSubmission })
            foreach (var step in new[] { "validate", "publish" })
                Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync($"/api/v1/submissions/{id}/{step}", new { }, Ct)).StatusCode);
        var view = await app.Api(kz).GetFromJsonAsync<JsonElement>($"/api/v1/rounds/{round}?state=KZ&status=validated&kind=assessment", Ct);
        Assert.Equal(tasks.Order().ToList(), view.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("key").GetString()!).Order().ToList());

        // Closed: the snapshot holds both scores; the progress at the close counts them.
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsync($"/api/v1/rounds/{round}/close", null, Ct)).StatusCode);
        var closed = await app.Api(secretariat).GetFromJsonAsync<JsonElement>($"/api/v1/rounds/{round}", Ct);
        Assert.True(closed.GetProperty("progress").EnumerateArray().Single(p => p.GetProperty("state").GetString() == "KZ").GetProperty("validated").GetInt32() >= 2);
        var snapshot = JsonDocument.Parse(await (await app.Client().GetAsync($"/api/v1/snapshots/{period}", Ct)).Content.ReadAsStringAsync(Ct)).RootElement;
        foreach (var task in tasks)
        {
            var commitment = task.Split(':')[1];
            Assert.Contains("\"KZ\"", snapshot.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("commitmentId").GetString() == commitment).GetRawText());
        }
        await using (var db = app.NewDbContext())
            Assert.True(await db.ReportingPeriods.Where(p => p.Id == period).Select(p => p.Closed).SingleAsync(Ct));
    }
}

public sealed class RoundEndToEndTestsOnSqlite(SqliteMailApp app) : RoundEndToEndTests(app), IClassFixture<SqliteMailApp>;

public sealed class RoundEndToEndTestsOnPostgres(PostgresMailApp app) : RoundEndToEndTests(app), IClassFixture<PostgresMailApp>;
