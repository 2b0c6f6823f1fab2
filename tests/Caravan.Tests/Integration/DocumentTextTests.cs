using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Caravan.Tests.Integration;

/// <summary>Documents' texts: imported (pasted, .txt, .docx), split into provisions that align across languages, versioned.</summary>
public abstract class DocumentTextTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Treaty = "good-neighbourliness-treaty-2025";
    private const string English = "The Parties have agreed as follows:\nArticle 1\nThe Parties shall develop permanent good-neighbourliness.\nArticle 2\n1. The Parties respect each other's sovereignty.\n2. Disputes are settled peacefully.";
    private const string Russian = "Стороны договорились о нижеследующем:\nСтатья 1\nСтороны развивают вечное добрососедство.\nСтатья 2\n1. Стороны уважают суверенитет друг друга.\n2. Споры разрешаются мирно.";
    private static readonly string[] Chinese = ["缔约各方达成协议如下：", "第一条", "缔约各方发展永久睦邻关系。", "第二条", "1. 缔约各方相互尊重主权。", "2. 以和平方式解决争端。"];

    private static byte[] Docx(IEnumerable<string> paragraphs)
    {
        using var memory = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(memory, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => new Paragraph(new Run(new Text(p))))));
        }
        return memory.ToArray();
    }

    /// <summary>The same package with a DOCTYPE (and an internal entity) put before the document part's root.</summary>
    private static byte[] WithDtd(byte[] docx)
    {
        using var memory = new MemoryStream();
        memory.Write(docx);
        using (var zip = new System.IO.Compression.ZipArchive(memory, System.IO.Compression.ZipArchiveMode.Update, true))
        {
            var entry = zip.GetEntry("word/document.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
            entry.Delete();
            var root = xml.IndexOf("<w:document", StringComparison.Ordinal);
            xml = xml[..root] + "<!DOCTYPE w:document [<!ENTITY x \"expanded\">]>" + xml[root..];
            using var writer = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            writer.Write(xml);
        }
        return memory.ToArray();
    }

    [Fact]
    public async Task The_seeded_declaration_has_the_passages_its_source_quotes()
    {
        var texts = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/documents/astana-declaration-2025/texts", Ct);
        var zh = Assert.Single(texts.GetProperty("latest").EnumerateArray());
        Assert.Equal(("zh", true, 5), (zh.GetProperty("language").GetString(), zh.GetProperty("partial").GetBoolean(), zh.GetProperty("provisions").GetArrayLength()));
        Assert.StartsWith("各方重申恪守《联合国宪章》", zh.GetProperty("provisions")[1].GetProperty("text").GetString());
        var page = await (await app.Client().GetAsync("/documents/astana-declaration-2025?culture=zh", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("仅含来源引用的段落", page);
    }

    [Fact]
    public async Task Three_languages_imported_three_ways_align_by_number_and_versions_are_kept()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var api = app.Api(secretariat);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/documents/{Treaty}/texts", new { language = "en", text = English, authentic = true }, Ct)).StatusCode);
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("ru"), "language");
            form.Add(new StringContent("true"), "authentic");
            var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Russian));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "file", "treaty-ru.txt");
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/v1/documents/{Treaty}/texts", form, Ct)).StatusCode);
        }
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("zh"), "language");
            form.Add(new ByteArrayContent(Docx(Chinese)), "file", "treaty-zh.docx");
            var created = await api.PostAsync($"/api/v1/documents/{Treaty}/texts", form, Ct);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        }
        var texts = await app.Client().GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Treaty}/texts", Ct);
        var numbers = texts.GetProperty("latest").EnumerateArray().ToDictionary(t => t.GetProperty("language").GetString()!,
            t => string.Join(" ", t.GetProperty("provisions").EnumerateArray().Select(p => p.GetProperty("number").GetString())));
        Assert.Equal(["zh", "ru", "en"], numbers.Keys);
        Assert.All(numbers.Values, n => Assert.Equal("preamble 1 2 2.1 2.2", n));

        await using (var db = app.NewDbContext())
        {
            db.Commitments.Add(new Caravan.Features.Commitments.Commitment { Id = "respect-and-peace", Text = new Caravan.Shared.LocalizedText { En = "Respect sovereignty; settle disputes peacefully" },
                DocumentId = Treaty, ProvisionRef = "2.1, 2.2", Parties = ["CN", "KZ", "KG", "TJ", "TM", "UZ"], FirstPeriodId = "astana-to-2027" });
            await db.SaveChangesAsync(Ct);
        }
        var page = await (await app.Client().GetAsync($"/documents/{Treaty}?left=ru&right=zh&culture=en", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Статья 2", page);
        Assert.Contains("缔约各方相互尊重主权。", page);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(page, "href=\"/commitments/respect-and-peace\"").Count); // one commitment, two provisions

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/documents/{Treaty}/texts", new { language = "en", text = English + "\nArticle 3\nIn force after the last notification.", authentic = true }, Ct)).StatusCode);
        var versions = (await app.Client().GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Treaty}/texts", Ct)).GetProperty("versions").EnumerateArray()
            .Where(v => v.GetProperty("language").GetString() == "en").Select(v => v.GetProperty("version").GetInt32());
        Assert.Equal([1, 2], versions);
    }

    [Fact]
    public async Task A_numbering_that_does_not_parse_names_its_lines_and_keeps_nothing_and_only_the_secretariat_imports()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var bad = await app.Api(secretariat, "ru").PostAsJsonAsync($"/api/v1/documents/{Treaty}/texts", new { language = "kk", text = "Статья 1\nМәтін.\nСтатья 3\nМәтін." }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("Пропущен номер (ожидался 2)", errors.GetProperty("line 3")[0].GetString());
        var texts = await app.Client().GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Treaty}/texts", Ct);
        Assert.DoesNotContain(texts.GetProperty("versions").EnumerateArray(), v => v.GetProperty("language").GetString() == "kk");

        using var form = new MultipartFormDataContent { { new StringContent("en"), "language" }, { new ByteArrayContent([1, 2, 3]), "file", "broken.docx" } };
        var broken = await app.Api(secretariat).PostAsync($"/api/v1/documents/{Treaty}/texts", form, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        // A DOCX whose document part declares a DTD (with an entity Word would never write): a clear 400 in the
        // reader's language, no entity read, nothing stored.
        using var dtd = new MultipartFormDataContent
            { { new StringContent("en"), "language" }, { new ByteArrayContent(WithDtd(Docx(["Article 1. &x;"]))), "file", "dtd.docx" } };
        var refused = await app.Api(secretariat, "ru").PostAsync($"/api/v1/documents/{Treaty}/texts", dtd, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith("В файле DOCX объявлено определение типа документа (DTD)",
            (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(kz).PostAsJsonAsync($"/api/v1/documents/{Treaty}/texts", new { language = "kk", text = English }, Ct)).StatusCode);
    }
}

public sealed class DocumentTextTestsOnSqlite(SqliteApp app) : DocumentTextTests(app), IClassFixture<SqliteApp>;

public sealed class DocumentTextTestsOnPostgres(PostgresApp app) : DocumentTextTests(app), IClassFixture<PostgresApp>;

/// <summary>A document's files: kept byte for byte with their SHA-256 and size, typed by content.</summary>
public abstract class AttachmentTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_larger_than_the_usual_request_limit_is_kept_byte_for_byte_with_its_hash()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var pdf = new byte[1_500_000]; // over the 1 MB limit of other requests
        new Random(17).NextBytes(pdf);
        "%PDF-1.7\n"u8.CopyTo(pdf);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(pdf), "file", "astana-declaration-ru.pdf" }, { new StringContent("ru"), "language" } };
        var created = await app.Api(secretariat).PostAsync("/api/v1/documents/astana-declaration-2025/attachments", form, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var dto = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf));
        Assert.Equal((sha, 1_500_000L, "application/pdf"), (dto.GetProperty("sha256").GetString(), dto.GetProperty("size").GetInt64(), dto.GetProperty("contentType").GetString()));

        var download = await app.Client().GetAsync(dto.GetProperty("url").GetString(), Ct);
        var bytes = await download.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.Equal(sha, download.Headers.GetValues("X-Content-SHA256").Single());
        var page = await (await app.Client().GetAsync("/documents/astana-declaration-2025", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains(sha, page);
        await using var db = app.NewDbContext();
        var entry = db.AuditEntries.Where(e => e.SubjectType == "document-attachment").OrderByDescending(e => e.Id).First();
        Assert.DoesNotContain("JVBERi", entry.After); // the bytes (base64 "%PDF") stay out of the audit trail; the hash is there
        Assert.Contains(sha, entry.After);
    }

    [Fact]
    public async Task A_file_whose_content_is_not_pdf_or_docx_is_refused_and_only_the_secretariat_uploads()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        using var fake = new MultipartFormDataContent { { new ByteArrayContent("MZ\u0090\0 not a pdf"u8.ToArray()), "file", "declaration.pdf" } };
        var refused = await app.Api(secretariat, "zh").PostAsync("/api/v1/documents/astana-declaration-2025/attachments", fake, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("PDF", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("file")[0].GetString());
        using var real = new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4"u8.ToArray()), "file", "x.pdf" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(kz).PostAsync("/api/v1/documents/astana-declaration-2025/attachments", real, Ct)).StatusCode);
    }
}

public sealed class AttachmentTestsOnSqlite(SqliteApp app) : AttachmentTests(app), IClassFixture<SqliteApp>;

public sealed class AttachmentTestsOnPostgres(PostgresApp app) : AttachmentTests(app), IClassFixture<PostgresApp>;
