using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// A round answered by spreadsheet, over HTTP on both providers: each state's template (locked ids, current values and
/// sources, drop-downs, a hidden sheet naming round and state), an upload checked row by row and previewed, submitted
/// as one submission per record together (all rows or none by default, per row by choice), and every file refused
/// whole with one message and nothing stored: another state's template, an edited id, an unknown column, a formula, a
/// zip bomb, a file too large, one that is not a sheet.
/// </summary>
public abstract class RoundSheetTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private async Task<string> OpenRoundAsync(Person secretariat, int order)
    {
        string period;
        await using (var db = app.NewDbContext())
        {
            period = $"sheet-test-{Guid.NewGuid():N}"[..40];
            db.ReportingPeriods.Add(new ReportingPeriod
            {
                Id = period, Order = order, From = PartialDate.Parse("2026-01"),
                Name = new LocalizedText { En = "Sheet test period", Ru = "Период проверки таблиц", Zh = "表格测试期" },
            });
            await db.SaveChangesAsync(Ct);
        }
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var opened = await app.Api(secretariat).PostAsJsonAsync("/api/v1/rounds",
            new { name = new { en = "Sheet round", ru = "Раунд таблиц", zh = "表格轮次" }, period, dueOn = due }, Ct);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private async Task<byte[]> TemplateAsync(Person who, string round, string query = "lang=en")
    {
        var response = await app.Api(who).GetAsync($"/api/v1/rounds/{round}/sheet?{query}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(Person who, string round, byte[] file,
        string query = "", string name = "answers.xlsx", string language = "en")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file), "file", name);
        var response = await app.Api(who, language).PostAsync($"/api/v1/rounds/{round}/sheet?{query}", form, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<int> SubmissionsAsync(string round)
    {
        await using var db = app.NewDbContext();
        return await db.Submissions.CountAsync(s => s.Reason == $"answered round {round} by spreadsheet", Ct);
    }

    /// <summary>The first assessment tasks of the template, by their ids.</summary>
    private static List<string> Assessments(byte[] template, int count) =>
        [.. SheetEdits.Read(template).Keys.Where(k => k.StartsWith("assessment:", StringComparison.Ordinal)).Take(count)];

    private static Dictionary<string, string> Answer(string score, string evidence, string url) => new()
    {
        ["G"] = score, ["K"] = evidence, ["L"] = url, ["M"] = "Ministry report", ["N"] = "2026-03-01", ["O"] = "ru",
        ["P"] = "high",
    };

    [Fact]
    public async Task A_coordinators_template_holds_their_states_tasks_locked_with_drop_downs_in_their_language()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 970);
        var bytes = await TemplateAsync(kz, round, "lang=ru");

        var expected = (await app.Api(kz).GetFromJsonAsync<JsonElement>($"/api/v1/rounds/{round}?state=KZ", Ct))
            .GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("key").GetString()!).ToHashSet();
        using var stream = new MemoryStream(bytes);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var wb = doc.WorkbookPart!;
        var sheets = wb.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal("Задачи", sheets[0].Name!.Value);
        Assert.Equal("caravan", sheets[1].Name!.Value);
        Assert.Equal(SheetStateValues.VeryHidden, sheets[1].State!.Value);
        var tasks = (WorksheetPart)wb.GetPartById(sheets[0].Id!.Value!);
        Assert.True(tasks.Worksheet.Elements<SheetProtection>().Single().Sheet!.Value);
        var rows = SheetEdits.Read(bytes);
        Assert.Equal("Код задачи (не изменять)", rows[""]["A"]);
        Assert.Equal("Новое значение", rows[""]["G"]);
        Assert.Equal(expected, rows.Keys.Where(k => k.Length > 0).ToHashSet());
        Assert.NotEmpty(expected);
        Assert.All(rows.Keys.Where(k => k.Length > 0), k => Assert.Contains(":KZ", k, StringComparison.Ordinal));
        Assert.Contains(rows.Values, r => r.GetValueOrDefault("B") == "Оценка выполнения");

        // The id column is locked, the new value open; the value of an assessment has a drop-down of scores.
        var formats = wb.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        bool Locked(string reference)
        {
            var cell = tasks.Worksheet.Descendants<Cell>().Single(c => c.CellReference!.Value == reference);
            return formats[(int)(cell.StyleIndex?.Value ?? 0)].Protection?.Locked?.Value ?? true;
        }
        Assert.True(Locked("A2"));
        Assert.False(Locked("G2"));
        var validations = tasks.Worksheet.Descendants<DataValidation>().ToList();
        Assert.Contains(validations, v => v.Type!.Value == DataValidationValues.List && v.Formula1!.Text.StartsWith("caravan!$G$1", StringComparison.Ordinal));
        Assert.Contains(validations, v => v.Formula1!.Text.StartsWith("caravan!$K$1", StringComparison.Ordinal)); // confidence

        // The hidden sheet names the round and the state.
        var meta = (WorksheetPart)wb.GetPartById(sheets[1].Id!.Value!);
        var strings = wb.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList();
        var metaTexts = meta.Worksheet.Descendants<Cell>().Where(c => c.DataType?.Value == CellValues.SharedString)
            .Select(c => strings[int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]).ToList();
        Assert.Contains(round, metaTexts);
        Assert.Contains("KZ", metaTexts);
        Assert.Contains("+1: выполнено", metaTexts);

        // Another state's template is not a coordinator's to take; the secretariat takes any, naming it.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(kz).GetAsync($"/api/v1/rounds/{round}/sheet?state=UZ", Ct)).StatusCode);
        var noState = await app.Api(secretariat).GetAsync($"/api/v1/rounds/{round}/sheet", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noState.StatusCode);
        Assert.Contains("KZ", await noState.Content.ReadAsStringAsync(Ct));
        var uz = SheetEdits.Read(await TemplateAsync(secretariat, round, "state=UZ&lang=zh"));
        Assert.Equal("任务编号（请勿修改）", uz[""]["A"]);
        Assert.All(uz.Keys.Where(k => k.Length > 0), k => Assert.Contains(":UZ", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_filled_in_sheet_is_previewed_then_submitted_as_one_submission_per_record()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 971);
        var template = await TemplateAsync(kz, round, "lang=ru");
        var ids = Assessments(template, 2);
        var filled = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>>
        {
            [ids[0]] = Answer("+1: выполнено", "Меморандум подписан 1 марта 2026 г.", "https://mfa.example.kz/report-1"),
            [ids[1]] = Answer("0", "Работа идёт.", "https://mfa.example.kz/report-2"),
        });

        var (status, preview) = await UploadAsync(kz, round, filled, "preview=true", language: "ru");
        Assert.True(status == HttpStatusCode.OK, preview.ToString());
        Assert.False(preview.GetProperty("stored").GetBoolean());
        Assert.Equal(2, preview.GetProperty("accepted").GetInt32());
        var first = preview.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("task").GetString() == ids[0]);
        Assert.Contains(first.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "score" && c.GetProperty("to").GetString() == "1");
        Assert.Contains(first.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "evidence.ru");
        Assert.Equal(0, await SubmissionsAsync(round));

        var (submitted, outcome) = await UploadAsync(kz, round, filled, language: "ru");
        Assert.True(submitted == HttpStatusCode.OK, outcome.ToString());
        Assert.True(outcome.GetProperty("stored").GetBoolean());
        Assert.Equal(2, outcome.GetProperty("submitted").GetInt32());
        await using (var db = app.NewDbContext())
        {
            var made = await db.Submissions.Where(s => s.Reason == $"answered round {round} by spreadsheet").ToListAsync(Ct);
            Assert.Equal(2, made.Count);
            Assert.All(made, s => Assert.Equal(SubmissionStatus.Submitted, s.Status));
            Assert.All(made, s => Assert.Equal(kz.Id, s.AuthorId));
            var one = made.Single(s => s.RecordId == ids[0]["assessment:".Length..]);
            Assert.Equal("1", one.Proposed["score"]);
            Assert.Equal("Меморандум подписан 1 марта 2026 г.", one.Proposed["evidence.ru"]);
            Assert.Null(one.Proposed["evidence.en"]);
            var source = Assert.Single(one.ProposedSources!);
            Assert.Equal("https://mfa.example.kz/report-1", source.Url);
            Assert.Equal(Caravan.Features.Sources.Confidence.High, source.Confidence);
        }
        // The round sees the tasks as submitted, through the normal workflow.
        var view = await app.Api(kz).GetFromJsonAsync<JsonElement>($"/api/v1/rounds/{round}?state=KZ&status=submitted", Ct);
        Assert.Equal(ids.Order().ToList(), view.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("key").GetString()!).Order().ToList());

        // The same sheet again: the records have open submissions; nothing more is stored.
        var (again, refused) = await UploadAsync(kz, round, filled, language: "ru");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again);
        Assert.Equal(2, await SubmissionsAsync(round));
        Assert.Contains("уже есть открытое предложение", refused.ToString());
    }

    [Fact]
    public async Task All_rows_or_none_by_default_and_the_rows_without_problems_by_choice()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 972);
        var template = await TemplateAsync(kz, round);
        var ids = Assessments(template, 3);
        var filled = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>>
        {
            [ids[0]] = Answer("1", "Signed.", "https://mfa.example.kz/a"),
            [ids[1]] = Answer("7", "Seven?", "https://mfa.example.kz/b"),                        // no such score
            [ids[2]] = new() { ["G"] = "-1", ["K"] = "Not done.", ["L"] = "https://mfa.example.kz/c", ["N"] = "31.02.2026", ["M"] = "Report", ["O"] = "en", ["P"] = "low" },
        });
        int RowOf(string id) => int.Parse(TemplateRow(template, id), System.Globalization.CultureInfo.InvariantCulture);

        var (status, problem) = await UploadAsync(kz, round, filled);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(0, await SubmissionsAsync(round));
        var outcome = problem.GetProperty("outcome");
        Assert.False(outcome.GetProperty("stored").GetBoolean());
        var problems = outcome.GetProperty("rows").EnumerateArray().SelectMany(r => r.GetProperty("problems").EnumerateArray()).ToList();
        Assert.Contains(problems, p => p.GetProperty("row").GetInt32() == RowOf(ids[1]) && p.GetProperty("column").GetString() == "value" && p.GetProperty("code").GetString() == "sheet.score");
        Assert.Contains(problems, p => p.GetProperty("row").GetInt32() == RowOf(ids[2]) && p.GetProperty("column").GetString() == "source-date");
        Assert.Contains($"row {RowOf(ids[1])}, New value", problem.GetProperty("errors").ToString());

        // Per row: the good row goes ahead, the others are reported.
        var (perRow, answer) = await UploadAsync(kz, round, filled, "mode=rows");
        Assert.Equal(HttpStatusCode.OK, perRow);
        Assert.Equal(1, answer.GetProperty("submitted").GetInt32());
        Assert.Equal(2, answer.GetProperty("refused").GetInt32());
        Assert.Equal(1, await SubmissionsAsync(round));
    }

    private static string TemplateRow(byte[] template, string id)
    {
        using var stream = new MemoryStream(template);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var wb = doc.WorkbookPart!;
        var strings = wb.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList();
        var sheet = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().First().Id!.Value!);
        return sheet.Worksheet.Descendants<Row>().First(r => r.Elements<Cell>().First() is var a && a.DataType?.Value == CellValues.SharedString
            && strings[int.Parse(a.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)] == id).RowIndex!.Value
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly string[] HostileKinds = ["other-state", "edited-id", "unknown-column", "formula", "zip-bomb", "pdf", "too-large", "other-round"];
    public static TheoryData<string> Hostile => [.. HostileKinds];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_bad_file_is_refused_whole_with_one_message_and_nothing_stored(string kind)
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 1000 + Array.IndexOf(HostileKinds, kind) * 2);
        var mine = await TemplateAsync(kz, round);
        var id = Assessments(mine, 1)[0];
        var answer = new Dictionary<string, Dictionary<string, string>> { [id] = Answer("1", "Signed.", "https://mfa.example.kz/x") };
        var good = SheetEdits.Fill(mine, answer);
        byte[] file;
        string expected;
        switch (kind)
        {
            case "other-state":
                var uz = await TemplateAsync(secretariat, round, "state=UZ");
                file = SheetEdits.Fill(uz, new Dictionary<string, Dictionary<string, string>> { [Assessments(uz, 1)[0]] = Answer("1", "Signed.", "https://mfa.example.uz/x") });
                expected = "sheet.other-state";
                break;
            case "edited-id":
                file = SheetEdits.Fill(good, new Dictionary<string, Dictionary<string, string>> { [id] = new() { ["A"] = id + "x" } });
                expected = "sheet.unknown-task";
                break;
            case "unknown-column":
                file = SheetEdits.Fill(good, new Dictionary<string, Dictionary<string, string>> { [""] = new() { ["Q"] = "My remarks" } });
                expected = "sheet.unknown-column";
                break;
            case "formula":
                file = SheetEdits.Fill(good, new Dictionary<string, Dictionary<string, string>> { [id] = new() { ["G"] = "=1+0" } });
                expected = "upload.formula";
                break;
            case "zip-bomb":
                using (var memory = new MemoryStream())
                {
                    memory.Write(good);
                    using (var zip = new ZipArchive(memory, ZipArchiveMode.Update, leaveOpen: true))
                    using (var entry = zip.CreateEntry("xl/media/image1.png", CompressionLevel.SmallestSize).Open())
                        for (var i = 0; i < 64; i++) entry.Write(new byte[1 << 20]);
                    file = memory.ToArray();
                }
                expected = "upload.ratio";
                break;
            case "pdf":
                file = Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\n");
                expected = "sheet.not-a-sheet";
                break;
            case "too-large":
                file = new byte[11 * 1024 * 1024];
                good.CopyTo(file, 0);
                expected = "sheet.too-large";
                break;
            default:
                var other = await OpenRoundAsync(secretariat, 1001 + Array.IndexOf(HostileKinds, kind) * 2);
                file = SheetEdits.Fill(await TemplateAsync(kz, other), answer);
                expected = "sheet.other-round";
                break;
        }
        var (status, body) = await UploadAsync(kz, round, file, name: kind == "pdf" ? "answers.pdf" : "answers.xlsx");
        Assert.True(status is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Forbidden, $"{status} {body}");
        Assert.Equal(expected, body.GetProperty("code").GetString());
        Assert.Single(body.GetProperty("errors").GetProperty("file").EnumerateArray());
        Assert.Equal(0, await SubmissionsAsync(round));
        // The good sheet still goes through afterwards.
        var (ok, _) = await UploadAsync(kz, round, good);
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task A_csv_sheet_in_russian_is_read_with_its_labels_decimal_commas_and_dotted_dates()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 980);
        var csv = Encoding.UTF8.GetString(await TemplateAsync(kz, round, "lang=ru&format=csv")).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.StartsWith("Код задачи (не изменять),Вид задачи", lines[0]);
        var index = lines.FindIndex(l => l.StartsWith("assessment:", StringComparison.Ordinal));
        var id = lines[index].Split(',')[0];
        // As Russian Excel saves CSV: semicolons, the labels of the person's language.
        var header = "Код задачи (не изменять);Новое значение;Дата;Обоснование или примечание;Источник: веб-адрес или код источника;Название источника;Дата источника;Язык источника;Достоверность";
        var row = $"{id};'-1 — не выполнено;15.03.2026;Не начато.;https://mfa.example.kz/csv;Отчёт МИД;01.03.2026;русский;средняя достоверность";
        var (status, body) = await UploadAsync(kz, round, Encoding.UTF8.GetBytes(header + "\r\n" + row + "\r\n"), name: "answers.csv", language: "ru");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("submitted").GetInt32());
        await using var db = app.NewDbContext();
        var s = await db.Submissions.SingleAsync(x => x.Reason == $"answered round {round} by spreadsheet", Ct);
        Assert.Equal("-1", s.Proposed["score"]);
        Assert.Equal("2026-03-15", s.Proposed["assessed-on"]);
        Assert.Equal("2026-03-01", Assert.Single(s.ProposedSources!).Date);
        Assert.Equal("ru", s.ProposedSources![0].Language);
    }

    [Fact]
    public async Task Two_uploads_of_the_same_sheet_at_once_make_one_set_of_submissions()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 981);
        var template = await TemplateAsync(kz, round);
        var ids = Assessments(template, 3);
        var filled = SheetEdits.Fill(template, ids.ToDictionary(i => i, i => Answer("1", "Done.", "https://mfa.example.kz/" + i.Length)));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => UploadAsync(kz, round, filled)));
        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Equal(3, results.Count(r => r.Status == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(3, await SubmissionsAsync(round));
    }

    /// <summary>
    /// A task whose record exists (a milestone falling due): its version is read for the hidden sheet. On PostgreSQL
    /// that read once failed (a projected tuple is a record Npgsql refuses), and with it every such template.
    /// </summary>
    [Fact]
    public async Task A_template_holds_a_task_whose_record_exists_with_what_Caravan_holds_now()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var round = await OpenRoundAsync(secretariat, 990);
        string milestone;
        await using (var db = app.NewDbContext())
        {
            var commitment = await db.Commitments.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Ct);
            milestone = Milestone.KeyOf(commitment, "KZ", $"sheet-{Guid.NewGuid():N}"[..16]);
            db.Milestones.Add(new Milestone
            {
                Id = milestone, CommitmentId = commitment, StateId = "KZ", Due = PartialDate.Parse("2026-06"),
                Title = new LocalizedText { En = "Customs terminal opened", Ru = "Таможенный терминал открыт" },
            });
            await db.SaveChangesAsync(Ct);
        }
        var rows = SheetEdits.Read(await TemplateAsync(kz, round));
        Assert.True(rows.TryGetValue($"milestone:{milestone}", out var row), string.Join(", ", rows.Keys));
        Assert.Contains("2026", row["E"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_coordinators_for_their_state_and_the_secretariat_answer_by_sheet()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var officer = await People.CreateAsync(app, CaravanRole.ProgrammeOfficer, bodies: ["secretariat"]);
        var readOnly = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ", readOnlyToken: true);
        var round = await OpenRoundAsync(secretariat, 982);
        var template = await TemplateAsync(kz, round);
        var filled = SheetEdits.Fill(template, new Dictionary<string, Dictionary<string, string>> { [Assessments(template, 1)[0]] = Answer("1", "Done.", "https://mfa.example.kz/auth") });

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(null).GetAsync($"/api/v1/rounds/{round}/sheet", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(officer).GetAsync($"/api/v1/rounds/{round}/sheet", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(officer, round, filled)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(readOnly, round, filled)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(kz, round, filled, "state=UZ")).Status);
        Assert.Equal(0, await SubmissionsAsync(round));
        // The secretariat's upload of a state's sheet: the file names the state; the submission is the secretariat's.
        var (status, body) = await UploadAsync(secretariat, round, filled);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("KZ", body.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api(kz).GetAsync("/api/v1/rounds/no-such-round/sheet", Ct)).StatusCode);
    }
}

public sealed class RoundSheetTestsOnSqlite(SqliteApp app) : RoundSheetTests(app), IClassFixture<SqliteApp>;

public sealed class RoundSheetTestsOnPostgres(PostgresApp app) : RoundSheetTests(app), IClassFixture<PostgresApp>;
