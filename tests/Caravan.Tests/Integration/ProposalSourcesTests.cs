using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Sources;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// Caravan's first promise through the workflow: a coordinator's changed figure is refused without a source;
/// with one, once validated and published, the portal and API show it with exactly its own source; the
/// earlier figure keeps its sources in the history; the edit form takes sources and says what is missing
/// in the reader's language.
/// </summary>
public abstract class ProposalSourcesTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Figure = "trade-turnover-usd:2023:KZ";
    private const string NewUrl = "https://stat.gov.kz/en/news/foreign-trade-2023-final/";
    private const string NewTitle = "Foreign trade of Kazakhstan in 2023: final figures";

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    /// <summary>What is stored for the figure: its sources (ids, joined), version, the submissions count and the value.</summary>
    private async Task<(string Sources, int Version, int Submissions, decimal Value)> StoredAsync()
    {
        await using var db = app.NewDbContext();
        var sources = await db.Citations.AsNoTracking().Where(c => c.SubjectType == SubjectTypes.IndicatorValue && c.SubjectId == Figure)
            .Select(c => c.SourceId).ToListAsync(Ct);
        var value = await db.IndicatorValues.AsNoTracking().SingleAsync(v => v.Id == Figure, Ct);
        return (string.Join(" ", sources.Order(StringComparer.Ordinal)), value.Version, await db.Submissions.CountAsync(Ct), value.Value);
    }

    [Fact]
    public async Task A_changed_figure_without_a_source_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var before = await StoredAsync();
        Assert.NotEqual("", before.Sources);

        var refused = await app.Api(kz, "ru").PutChangeAsync($"/api/v1/records/indicator-values/{Figure}", new { values = new { value = "41.77" }, reason = "final" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = (await Json(refused)).GetProperty("errors");
        Assert.Equal(["sources"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("источник", errors.GetProperty("sources")[0].GetString());
        // Nor can the secretariat write it directly without one; an empty list is no source either.
        var direct = await app.Api(secretariat, "zh").PutChangeAsync($"/api/v1/records/indicator-values/{Figure}", new { values = new { value = "41.77" }, sources = Array.Empty<object>() }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        Assert.Contains("来源", (await Json(direct)).GetProperty("errors").GetProperty("sources")[0].GetString());
        // A source with no title, a bad address and a bad date: each part named.
        var bad = await app.Api(kz).PutChangeAsync($"/api/v1/records/indicator-values/{Figure}",
            new { values = new { value = "41.77" }, sources = new[] { new { url = "stat.gov.kz", title = "", date = "March", language = "en", confidence = "sure" } } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["sources[0].confidence", "sources[0].date", "sources[0].title", "sources[0].url"], (await Json(bad)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        Assert.Equal(before, await StoredAsync());
        // A note is the writer's comment, not a fact: it needs no source, and the figure keeps its own.
        var note = await app.Api(kz).PutChangeAsync($"/api/v1/records/indicator-values/{Figure}", new { values = new Dictionary<string, string> { ["note.en"] = "Customs figure." } }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, note.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Json(note)).GetProperty("proposedSources").ValueKind); // null: the record keeps its sources
    }

    [Fact]
    public async Task A_published_figure_carries_exactly_its_own_source_and_the_history_keeps_the_earlier_figures()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var before = await StoredAsync();
        Assert.NotEqual("", before.Sources);
        Assert.NotEqual(41.03m, before.Value);

        var proposed = await app.Api(kz).PutChangeAsync($"/api/v1/records/indicator-values/{Figure}", new
        {
            values = new { value = "41.03" }, reason = "final customs figure",
            sources = new[] { new { url = NewUrl, title = NewTitle, date = "2024-03-15", language = "en", confidence = "medium" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var url = proposed.Headers.Location!.OriginalString;
        var submission = await Json(proposed);
        Assert.Equal(before.Sources, string.Join(" ", submission.GetProperty("publishedSources").EnumerateArray().Select(s => s.GetProperty("source").GetString()).Order(StringComparer.Ordinal)));
        Assert.Equal(NewUrl, Assert.Single(submission.GetProperty("proposedSources").EnumerateArray()).GetProperty("url").GetString());
        // Until published, the figure keeps its sources.
        Assert.Equal(before.Sources, (await StoredAsync()).Sources);

        // The diff shows the sources going and coming.
        var session = new PortalSession(app);
        await session.SignInAsync(secretariat);
        var diff = await session.GetAsync(url.Replace("/api/v1", "", StringComparison.Ordinal) + "?culture=en");
        Assert.Equal(HttpStatusCode.OK, diff.Status);
        var sourcesDiff = System.Text.RegularExpressions.Regex.Match(diff.Html, "id=\"sources-diff\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches($"<ins>\\s*<a href=\"{System.Text.RegularExpressions.Regex.Escape(NewUrl)}\"", sourcesDiff);
        Assert.Equal(before.Sources.Split(' ').Length, System.Text.RegularExpressions.Regex.Matches(sourcesDiff, "<li class=\"removed\">").Count);

        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(url + "/validate", new { }, Ct)).StatusCode);
        var published = await app.Api(secretariat).PostAsJsonAsync(url + "/publish", new { }, Ct);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(Ct));

        // The API: the record and the indicator's series show the new figure with exactly the new source.
        var record = await Json(await app.Client().GetAsync($"/api/v1/records/indicator-values/{Figure}", Ct));
        Assert.Equal(41.03m, decimal.Parse(record.GetProperty("values").GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var cited = Assert.Single(record.GetProperty("sources").EnumerateArray());
        Assert.Equal((NewUrl, NewTitle, "medium", "2024-03-15"), (cited.GetProperty("url").GetString(), cited.GetProperty("title").GetString(), cited.GetProperty("confidence").GetString(), cited.GetProperty("date").GetString()));
        var series = await Json(await app.Client().GetAsync("/api/v1/indicators/trade-turnover-usd", Ct));
        var value = series.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("year").GetInt32() == 2023 && v.GetProperty("state").GetString() == "KZ");
        Assert.Equal(41.03m, value.GetProperty("value").GetDecimal());
        Assert.Equal([NewUrl], value.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
        var after = await StoredAsync();
        var newId = after.Sources;
        Assert.Matches("^p-[0-9a-f]{16}$", newId); // one source, the new one
        Assert.DoesNotContain(newId, before.Sources.Split(' '));

        // The portal: the indicator's page shows the figure with its source, title linked and its confidence.
        var page = await app.Client().GetStringAsync("/indicators/trade-turnover-usd?culture=en", Ct);
        Assert.Contains($"href=\"{NewUrl}\"", page);
        Assert.Contains(NewTitle, page);

        // The history (API and page): the earlier figure's sources were cited when it was recorded and removed when this one was published.
        var history = (await Json(await app.Client().GetAsync($"/api/v1/records/indicator-values/{Figure}/history", Ct))).EnumerateArray().ToList();
        var citations = history.Where(h => h.GetProperty("subjectType").GetString() == "citation").ToList();
        foreach (var old in before.Sources.Split(' '))
        {
            var cite = Assert.Single(citations, h => h.GetProperty("action").GetString() == "create" && h.GetProperty("after").GetProperty("SourceId").GetString() == old);
            var removed = Assert.Single(citations, h => h.GetProperty("action").GetString() == "delete" && h.GetProperty("before").GetProperty("SourceId").GetString() == old);
            Assert.True(cite.GetProperty("id").GetInt64() < removed.GetProperty("id").GetInt64());
        }
        Assert.Single(citations, h => h.GetProperty("action").GetString() == "create" && h.GetProperty("after").GetProperty("SourceId").GetString() == newId);
        var update = history.First(h => h.GetProperty("subjectType").GetString() == "indicator-value" && h.GetProperty("action").GetString() == "update");
        var earlier = update.GetProperty("before").GetProperty("Value"); // a number, or text where the provider stores decimals as text
        Assert.Equal(before.Value, earlier.ValueKind == JsonValueKind.String ? decimal.Parse(earlier.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : earlier.GetDecimal());
        var historyPage = await app.Client().GetStringAsync($"/history/indicator-values/{Figure}?culture=en", Ct);
        await using var db = app.NewDbContext();
        // The page names each source the figure has had by its title: the earlier ones and the new one.
        var titles = await db.Sources.AsNoTracking().Where(x => before.Sources.Split(' ', StringSplitOptions.None).Contains(x.Id)).Select(x => x.Title).ToListAsync(Ct);
        Assert.NotEmpty(titles);
        var named = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(historyPage, "id=\"history-sources\">(.*?)</dl>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value);
        foreach (var title in titles) Assert.Contains(title, named);
        Assert.Contains(NewTitle, named);
        Assert.True(new AuditQueries(db).Verify().Intact);
    }

    [Fact]
    public async Task A_ledger_entry_is_a_new_figure_refused_without_a_source_and_shown_with_its_own()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var values = new Dictionary<string, string> { ["kind"] = "allocation", ["year"] = "2025", ["on"] = "2025-07-01", ["quantity"] = "1" };
        var refused = await app.Api(secretariat).PostAsJsonAsync("/api/v1/programmes/grant-2025/entries", new { state = "KZ", values }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await Json(refused)).GetProperty("errors").TryGetProperty("sources", out _));
        const string grantUrl = "https://www.mofcom.gov.cn/example/grant-2025-kazakhstan";
        var created = await app.Api(secretariat).PostAsJsonAsync("/api/v1/programmes/grant-2025/entries",
            new { state = "KZ", values, sources = Cite.One(grantUrl, "Grant agreement with Kazakhstan signed", "2025-07-01", "zh") }, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var entryId = (await Json(created)).GetProperty("id").GetString();
        var programme = await Json(await app.Client().GetAsync("/api/v1/programmes/grant-2025", Ct));
        var entry = programme.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("id").GetString() == entryId);
        Assert.Equal([grantUrl], entry.GetProperty("sources").EnumerateArray().Select(x => x.GetProperty("url").GetString()));
        Assert.Contains($"href=\"{grantUrl}\"", await app.Client().GetStringAsync("/programmes/grant-2025?culture=en", Ct));
    }

    [Fact]
    public async Task A_document_uploaded_as_a_source_is_checked_kept_with_the_proposal_and_served_as_a_pdf()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var session = new PortalSession(app);
        await session.SignInAsync(kz);
        var path = $"/work/indicator-values/{Figure}?culture=en";
        var form = await session.GetAsync(path);
        Assert.Contains("name=\"s:0:file\"", form.Html);
        Assert.Contains("enctype=\"multipart/form-data\"", form.Html);
        var version = System.Text.RegularExpressions.Regex.Match(form.Html, """name="version" value="(\d+)""").Groups[1].Value;
        List<KeyValuePair<string, string>> fields = [new("version", version), new("f:value", "41.9"), new("intent", "submit"),
            new("s:0:title", "Customs committee letter on 2023 trade"), new("s:0:date", "2024-04-02"), new("s:0:language", "ru"), new("s:0:confidence", "high")];
        await using var db = app.NewDbContext();
        var files = await db.SourceFiles.CountAsync(Ct);

        // Not a PDF (whatever its name says): refused on the file, nothing stored.
        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var refused = await session.PostFileAsync(path, fields, "letter.pdf", html, "s:0:file");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("href=\"#field-sources[0].file\"", refused.Html);
        Assert.Contains("PDF", refused.Html);
        Assert.Equal(files, await db.SourceFiles.CountAsync(Ct));

        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        await session.GetAsync(path);
        var saved = await session.PostFileAsync(path, fields, "letter.pdf", pdf, "s:0:file");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var submission = await db.Submissions.AsNoTracking().SingleAsync(x => x.Id == saved.Location!.Substring("/submissions/".Length), Ct);
        var source = Assert.Single(submission.ProposedSources!);
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf));
        Assert.Equal(($"/sources/files/{id}", "Customs committee letter on 2023 trade"), (source.Url, source.Title));
        Assert.Equal(files + 1, await db.SourceFiles.CountAsync(Ct));

        var served = await app.Client().GetAsync($"/sources/files/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/pdf", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(pdf, await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/sources/files/{new string('0', 64)}", Ct)).StatusCode);
        // Through the API the document travels as base64; the secretariat's direct change cites it at once.
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var letter = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% the secretariat's seat decision\n%%EOF\n");
        var direct = await app.Api(secretariat).PutChangeAsync("/api/v1/records/bodies/secretariat", new
        {
            values = new Dictionary<string, string> { ["seat.en"] = "Astana (decision of 2024)" },
            sources = new[] { new { title = "Decision on the seat of the Secretariat", date = "2024", language = "ru", confidence = "high", file = new { fileName = "seat.pdf", content = Convert.ToBase64String(letter) } } },
        }, Ct);
        Assert.True(direct.StatusCode == HttpStatusCode.OK, await direct.Content.ReadAsStringAsync(Ct));
        var letterUrl = $"/sources/files/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(letter))}";
        Assert.Equal([letterUrl], (await Json(direct)).GetProperty("sources").EnumerateArray().Select(x => x.GetProperty("url").GetString()));
        Assert.Equal(letter, await app.Client().GetByteArrayAsync(letterUrl, Ct));

        // The bytes stay out of the audit trail: the row's other fields are there.
        var audited = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.SubjectType == "source-file" && e.SubjectId == id, Ct);
        Assert.DoesNotContain("JVBERi", audited.After); // base64 of "%PDF"
    }

    [Fact]
    public async Task A_ministry_pdf_of_several_megabytes_is_accepted_and_one_over_ten_is_refused_on_the_file()
    {
        // The site's general 1 MB body limit must not swallow a real document before the 10 MB rule answers.
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        byte[] Pdf(int size)
        {
            var bytes = new byte[size];
            System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n").CopyTo(bytes, 0);
            Random.Shared.NextBytes(bytes.AsSpan(9, size - 20));
            System.Text.Encoding.ASCII.GetBytes("\n%%EOF\n").CopyTo(bytes, size - 7);
            return bytes;
        }
        object Body(string value, byte[] file) => new
        {
            values = new { value },
            sources = new[] { new { title = "Customs statistics yearbook 2024 (scan)", date = "2025", language = "ru", confidence = "high", file = new { fileName = "yearbook.pdf", content = Convert.ToBase64String(file) } } },
        };
        var big = await app.Api(secretariat).PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2023:UZ", Body("14.1", Pdf(4 * 1024 * 1024)), Ct);
        Assert.True(big.StatusCode == HttpStatusCode.OK, await big.Content.ReadAsStringAsync(Ct));
        var tooBig = await app.Api(secretariat, "ru").PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2023:UZ", Body("14.2", Pdf(10 * 1024 * 1024 + 1)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("sources[0].file", await tooBig.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_returned_proposal_keeps_its_uploaded_document_when_edited_again()
    {
        var kg = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KG");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var letter = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% customs letter {Guid.NewGuid()}\n%%EOF\n");
        var proposed = await app.Api(kg).PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2024:KG", new
        {
            values = new { value = "22.7" }, reason = "customs letter",
            sources = new[] { new { title = "State Customs Service letter", date = "2025-02", language = "ru", confidence = "high", file = new { fileName = "letter.pdf", content = Convert.ToBase64String(letter) } } },
        }, Ct);
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync(Ct));
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(url + "/return", new { comment = "Please give the figure to one decimal more." }, Ct)).StatusCode);
        var stored = $"/sources/files/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(letter))}";
        static object Edit(string address) => new
        {
            values = new { value = "22.71" }, reason = "one decimal more", submit = true,
            sources = new[] { new { url = address, title = "State Customs Service letter", date = "2025-02", language = "ru", confidence = "high" } },
        };
        // An address that names no stored document is refused on that field.
        var unknown = await app.Api(kg).PutChangeAsync(url, Edit($"/sources/files/{new string('a', 64)}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("sources[0].url", await unknown.Content.ReadAsStringAsync(Ct));
        // The document already uploaded is cited by its address, without uploading it again.
        var edited = await app.Api(kg).PutChangeAsync(url, Edit(stored), Ct);
        Assert.True(edited.IsSuccessStatusCode, await edited.Content.ReadAsStringAsync(Ct));
        Assert.Equal(stored, Assert.Single((await Json(edited)).GetProperty("proposedSources").EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task Two_changes_citing_the_same_new_document_at_once_both_succeed_and_store_it_once()
    {
        // Two coordinators' figures backed by the same ministry letter, saved by the secretariat at the same
        // moment: the file and the web source are one row each (their ids are hashes of their content), and
        // neither request may fail on the other's insert.
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        await using var db = app.NewDbContext();
        for (var round = 0; round < 6; round++)
        {
            // A new letter each round, so that every round races on a row neither request has stored yet.
            var letter = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% statistics letter {Guid.NewGuid()}\n%%EOF\n");
            var title = $"Statistics committee letter {Guid.NewGuid():N}";
            object Body(string value) => new
            {
                values = new { value },
                sources = new object[]
                {
                    new { url = "https://stat.gov.kz/en/letters/2025-07", title, date = "2025-07", language = "en", confidence = "high" },
                    new { title = title + " (scan)", date = "2025-07", language = "ru", confidence = "high", file = new { fileName = "letter.pdf", content = Convert.ToBase64String(letter) } },
                },
            };
            var writes = await Task.WhenAll(
                app.Api(secretariat).PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2023:TJ", Body($"41.{round}1"), Ct),
                app.Api(secretariat).PutChangeAsync("/api/v1/records/indicator-values/trade-turnover-usd:2024:TJ", Body($"43.{round}2"), Ct));
            foreach (var w in writes) Assert.True(w.StatusCode == HttpStatusCode.OK, await w.Content.ReadAsStringAsync(Ct));
            var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(letter));
            Assert.Equal(1, await db.SourceFiles.CountAsync(f => f.Id == id, Ct));
            Assert.Equal(1, await db.Sources.CountAsync(x => x.Title == title, Ct));
        }
    }

    [Theory]
    [InlineData("ru", "источник")]
    [InlineData("zh", "来源")]
    public async Task The_edit_form_takes_sources_and_says_what_is_missing_in_the_readers_language(string language, string word)
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var session = new PortalSession(app);
        await session.SignInAsync(kz);
        var path = $"/work/indicator-values/{Figure}?culture={language}";
        var form = await session.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("id=\"field-sources\"", form.Html);
        Assert.Contains("name=\"s:0:url\"", form.Html);
        var version = System.Text.RegularExpressions.Regex.Match(form.Html, """name="version" value="(\d+)""").Groups[1].Value;
        var before = await StoredAsync();

        List<KeyValuePair<string, string>> fields = [new("version", version), new("f:value", "41.5"), new("intent", "submit")];
        var refused = await session.PostAsync(path, fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var problems = System.Text.RegularExpressions.Regex.Match(refused.Html, """id="problems">(.*?)</div>""", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("href=\"#field-sources\"", problems);
        Assert.Contains(word, problems);
        Assert.Equal(before, await StoredAsync());

        // A source row half filled in: the missing title is named, what was typed stays in the form.
        await session.GetAsync(path);
        var half = await session.PostAsync(path, [.. fields, new("s:0:url", NewUrl), new("s:0:date", "2024-03"), new("s:0:language", "ru"), new("s:0:confidence", "high")]);
        Assert.Equal(HttpStatusCode.BadRequest, half.Status);
        Assert.Contains("href=\"#field-sources[0].title\"", half.Html);
        Assert.Contains($"value=\"{NewUrl}\"", half.Html);

        await session.GetAsync(path);
        var saved = await session.PostAsync(path, [.. fields, .. Cite.Form(NewUrl, NewTitle, "2024-03", language)]);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.StartsWith("/submissions/", saved.Location);
        var detail = await session.GetAsync(saved.Location + $"?culture={language}");
        Assert.Matches($"<ins>\\s*<a href=\"{System.Text.RegularExpressions.Regex.Escape(NewUrl)}\"", detail.Html);
        await using var db = app.NewDbContext();
        var submission = await db.Submissions.AsNoTracking().SingleAsync(s => s.Id == saved.Location!.Substring("/submissions/".Length), Ct);
        var source = Assert.Single(submission.ProposedSources!);
        Assert.Equal((NewUrl, NewTitle, "2024-03", language, Confidence.High), (source.Url, source.Title, source.Date, source.Language, source.Confidence));
    }
}

public sealed class ProposalSourcesTestsOnSqlite(SqliteApp app) : ProposalSourcesTests(app), IClassFixture<SqliteApp>;

public sealed class ProposalSourcesTestsOnPostgres(PostgresApp app) : ProposalSourcesTests(app), IClassFixture<PostgresApp>;
