using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.OpenData;
using Caravan.Shared;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sylvan.Data.Csv;

namespace Caravan.Tests.Integration;

/// <summary>
/// Open data releases: every CSV matches the table schema its datapackage.json declares (types, formats, required
/// fields, primary keys, foreign keys), the counts match the API's, the IATI file is valid against the official
/// schema, the manifest matches, the bytes are deterministic, a snapshot's release never changes, two first
/// requests store one, an unknown release names those that exist, and nothing private is published.
/// </summary>
public abstract class OpenDataTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<byte[]> DownloadAsync(string release)
    {
        var response = await app.Client().GetAsync($"/api/v1/open-data/{release}.zip", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"caravan-open-data-{release}.zip", response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", response.Headers.ETag?.Tag);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        return bytes;
    }

    private static Dictionary<string, byte[]> Files(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    private static List<string?[]> ReadCsv(byte[] bytes, out List<string> header)
    {
        using var csv = CsvDataReader.Create(new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false)),
            new CsvDataReaderOptions { HasHeaders = true });
        header = [.. Enumerable.Range(0, csv.FieldCount).Select(csv.GetName)];
        var rows = new List<string?[]>();
        while (csv.Read())
            rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i) is { Length: > 0 } s ? s : null)]);
        return rows;
    }

    [Fact]
    public async Task Every_csv_matches_its_table_schema_and_the_manifest_and_iati_file_check()
    {
        // Projects with transactions and recipient countries (the seed has none), published by an import.
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        var import = await app.Api(secretariat).PostAsync("/api/v1/projects/import", new StringContent(IatiSamples.File(
            IatiSamples.Activity("OPEN-DATA-1"), IatiSamples.Activity("OPEN-DATA-2", title: "Railway, \"east\" line",
                countries: """<recipient-country code="KZ" percentage="60"/><recipient-country code="UZ" percentage="40"/>""")),
            Encoding.UTF8, "application/xml"), Ct);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var files = Files(await DownloadAsync("current"));
        // UTF-8 without BOM, everywhere.
        Assert.All(files, f => Assert.False(f.Value.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), f.Key));

        // SHA256SUMS lists every other file with its hash, as sha256sum -c reads it.
        var sums = Encoding.UTF8.GetString(files[OpenDataBuilder.ManifestPath]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Regex.Match(l, "^([0-9a-f]{64})  (.+)$")).ToList();
        Assert.All(sums, m => Assert.True(m.Success));
        Assert.Equal(files.Keys.Where(k => k != OpenDataBuilder.ManifestPath).Order(), sums.Select(m => m.Groups[2].Value).Order());
        Assert.All(sums, m => Assert.Equal(m.Groups[1].Value, Convert.ToHexStringLower(SHA256.HashData(files[m.Groups[2].Value]))));

        var package = JsonDocument.Parse(files[OpenDataBuilder.PackagePath]).RootElement;
        Assert.Equal("CC-BY-4.0", package.GetProperty("licenses")[0].GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(package.GetProperty("citation").GetString()));
        Assert.True(package.GetProperty("sources").GetArrayLength() > 0);
        Assert.False(string.IsNullOrEmpty(package.GetProperty("version").GetString()));
        Assert.True(DateTimeOffset.TryParse(package.GetProperty("created").GetString(), CultureInfo.InvariantCulture, out _));

        var tables = new Dictionary<string, (List<string> Header, List<string?[]> Rows, JsonElement Schema)>();
        foreach (var resource in package.GetProperty("resources").EnumerateArray())
        {
            var path = resource.GetProperty("path").GetString()!;
            Assert.True(files.ContainsKey(path), path);
            Assert.Equal(files[path].Length, resource.GetProperty("bytes").GetInt64());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(files[path])), resource.GetProperty("hash").GetString());
            if (!resource.TryGetProperty("schema", out var schema)) continue;
            var rows = ReadCsv(files[path], out var header);
            tables[resource.GetProperty("name").GetString()!] = (header, rows, schema);
        }
        Assert.Contains("commitments", tables.Keys);
        Assert.Contains("snapshot-items", tables.Keys);
        Assert.Contains("exchange-rates", tables.Keys);

        var problems = new List<string>();
        foreach (var (name, (header, rows, schema)) in tables)
        {
            var fields = schema.GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(fields.Select(f => f.GetProperty("name").GetString()), header);
            for (var r = 0; r < rows.Count; r++)
                for (var i = 0; i < fields.Count; i++)
                    if (Check(fields[i], rows[r][i]) is { } problem)
                        problems.Add($"{name} row {r + 2} {header[i]}: {problem}");
            var key = schema.GetProperty("primaryKey").EnumerateArray().Select(k => header.IndexOf(k.GetString()!)).ToList();
            Assert.DoesNotContain(-1, key);
            var keys = rows.Select(row => string.Join('\u001f', key.Select(k => row[k]))).ToList();
            if (keys.Count != keys.Distinct().Count()) problems.Add($"{name}: primary key not unique");
        }
        foreach (var (name, (header, rows, schema)) in tables)
            foreach (var fk in schema.GetProperty("foreignKeys").EnumerateArray())
            {
                var own = fk.GetProperty("fields").EnumerateArray().Select(f => header.IndexOf(f.GetString()!)).ToList();
                var reference = fk.GetProperty("reference");
                var target = tables[reference.GetProperty("resource").GetString()!];
                var theirs = reference.GetProperty("fields").EnumerateArray().Select(f => target.Header.IndexOf(f.GetString()!)).ToList();
                var known = target.Rows.Select(row => string.Join('\u001f', theirs.Select(k => row[k]))).ToHashSet();
                foreach (var row in rows.Where(row => own.All(k => row[k] is not null)))
                    if (!known.Contains(string.Join('\u001f', own.Select(k => row[k]))))
                        problems.Add($"{name}: {string.Join(",", own.Select(k => row[k]))} not in {reference.GetProperty("resource").GetString()}");
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(30)));

        // Names in the three languages where the data has them.
        var states = tables["member-states"];
        foreach (var language in new[] { "en", "ru", "zh" })
            Assert.All(states.Rows, row => Assert.NotNull(row[states.Header.IndexOf("name_" + language)]));
        Assert.Equal("哈萨克斯坦共和国", states.Rows.Single(r => r[0] == "KZ")[states.Header.IndexOf("name_zh")]);

        // The one JSON file holds every table, row for row.
        var json = JsonDocument.Parse(files[OpenDataBuilder.JsonPath]).RootElement.GetProperty("tables");
        foreach (var (name, (_, rows, _)) in tables.Where(t => t.Key != "changes"))
            Assert.Equal(rows.Count, json.GetProperty(name).GetArrayLength());

        // The projects as IATI 2.03, valid against the Standard's own schema.
        Assert.Empty(IatiSchema.Validate(new MemoryStream(files[OpenDataBuilder.IatiPath])));
        Assert.True(tables["projects"].Rows.Count >= 2 && tables["project-countries"].Rows.Count >= 3);
        Assert.Equal(tables["projects"].Rows.Count,
            Regex.Matches(Encoding.UTF8.GetString(files[OpenDataBuilder.IatiPath]), "<iati-activity[ >]").Count);

        // Row counts match the API's for the same tables.
        async Task<int> ApiCount(string url)
        {
            var answer = await app.Client().GetFromJsonAsync<JsonElement>(url, Ct);
            return answer.ValueKind == JsonValueKind.Array ? answer.GetArrayLength() : answer.GetProperty("total").GetInt32();
        }
        Assert.Equal(await ApiCount("/api/v1/member-states"), tables["member-states"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/bodies"), tables["bodies"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/meetings"), tables["meetings"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/directions"), tables["priority-directions"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/commitments"), tables["commitments"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/projects"), tables["projects"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/programmes"), tables["programmes"].Rows.Count);
        Assert.Equal(await ApiCount("/api/v1/snapshots"), tables["snapshots"].Rows.Count);
    }

    /// <summary>Why a value breaks its field's type, format or constraints; null when it does not.</summary>
    private static string? Check(JsonElement field, string? value)
    {
        var constraints = field.TryGetProperty("constraints", out var c) ? c : default;
        if (value is null)
            return constraints.ValueKind == JsonValueKind.Object && constraints.TryGetProperty("required", out var req)
                && req.GetBoolean() ? "required but empty" : null;
        var ok = field.GetProperty("type").GetString() switch
        {
            "string" => true,
            "integer" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "number" => Regex.IsMatch(value, @"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"),
            "boolean" => value is "true" or "false",
            "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "datetime" => DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "array" => Parses(value, JsonValueKind.Array),
            "object" => Parses(value, JsonValueKind.Object),
            var other => throw new InvalidOperationException($"type {other}"),
        };
        if (!ok) return $"'{value}' is not a {field.GetProperty("type").GetString()}";
        if (constraints.ValueKind != JsonValueKind.Object) return null;
        if (constraints.TryGetProperty("enum", out var e) && !e.EnumerateArray().Any(x => x.GetString() == value))
            return $"'{value}' is not one of the allowed values";
        if (constraints.TryGetProperty("pattern", out var p) && !Regex.IsMatch(value, p.GetString()!))
            return $"'{value}' does not match {p.GetString()}";
        return null;
    }

    private static bool Parses(string value, JsonValueKind kind)
    {
        try { return JsonDocument.Parse(value).RootElement.ValueKind == kind; }
        catch (JsonException) { return false; }
    }

    [Fact]
    public async Task The_same_data_gives_the_same_bytes()
    {
        var settings = app.Services.GetRequiredService<OpenDataSettings>();
        async Task<byte[]> Build()
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            var header = new ReleaseHeader("current", "current-test", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                new HashSet<string>(await db.Snapshots.Select(s => s.Id).ToListAsync(Ct)), null);
            var output = new MemoryStream();
            await new OpenDataBuilder(db, settings).WriteAsync(header, null, output, Ct);
            return output.ToArray();
        }
        var first = await Build();
        var second = await Build();
        Assert.Equal(first, second);
        // Entries carry the release's date, not the time they were written.
        using var zip = new ZipArchive(new MemoryStream(first));
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 4), e.LastWriteTime.DateTime, TimeSpan.FromSeconds(2)));
        // The release the API serves twice, unchanged data: the same bytes.
        Assert.Equal(await DownloadAsync("current"), await DownloadAsync("current"));
    }

    [Fact]
    public async Task A_closed_snapshots_release_does_not_change_when_live_tables_do_and_current_lists_the_change()
    {
        var before = await DownloadAsync("xian-to-astana");
        var currentBefore = await DownloadAsync("current");
        string removedCitation;
        using (var db = app.NewDbContext())
        {
            var c = await db.Commitments.OrderBy(x => x.Id).FirstAsync(Ct);
            c.Note = new LocalizedText { En = "Edited after the close", Ru = "Изменено после закрытия", Zh = "闭会后修改" };
            db.Sources.Add(new Caravan.Features.Sources.Source { Id = "open-data-added-source", Title = "Added after the close", Language = "en" });
            var citation = await db.Citations.Where(x => x.SubjectType == "commitment").OrderBy(x => x.Id).FirstAsync(Ct);
            removedCitation = $"{citation.SubjectType}|{citation.SubjectId}|{citation.SourceId}";
            db.Citations.Remove(citation);
            await db.SaveChangesAsync(Ct);
        }
        var after = await DownloadAsync("xian-to-astana");
        Assert.Equal(before, after);
        var current = Files(await DownloadAsync("current"));
        Assert.NotEqual(currentBefore, await DownloadAsync("current") is var again ? again : null);
        string first;
        using (var db = app.NewDbContext()) first = await db.Commitments.OrderBy(x => x.Id).Select(x => x.Id).FirstAsync(Ct);
        var changes = Encoding.UTF8.GetString(current[OpenDataBuilder.ChangesPath]);
        Assert.Contains($"commitments,changed,{first}\r\n", changes);
        Assert.Contains("sources,added,open-data-added-source\r\n", changes);
        Assert.Contains($"citations,removed,{removedCitation}\r\n", changes);
        Assert.Contains("| citations |", Encoding.UTF8.GetString(current[OpenDataBuilder.ChangelogPath]));
        var package = JsonDocument.Parse(Files(after)[OpenDataBuilder.PackagePath]).RootElement;
        Assert.Equal("xian-to-astana", package.GetProperty("snapshot").GetProperty("id").GetString());

        var list = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/open-data", Ct);
        var stored = list.GetProperty("releases").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "xian-to-astana");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(before)), stored.GetProperty("sha256").GetString());
        Assert.Equal(before.Length, stored.GetProperty("bytes").GetInt64());
        // A matching If-None-Match: 304, nothing sent again.
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/open-data/xian-to-astana.zip");
        request.Headers.IfNoneMatch.ParseAdd(stored.GetProperty("sha256").GetString() is var s ? $"\"{s}\"" : "");
        Assert.Equal(HttpStatusCode.NotModified, (await app.Client().SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task Two_first_requests_at_once_store_one_release()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin);
        using (var db = app.NewDbContext())
            if (!await db.Snapshots.AnyAsync(s => s.Id == "astana-to-2027", Ct))
                Assert.Equal(HttpStatusCode.Created, (await app.Api(secretariat).PostAsJsonAsync("/api/v1/snapshots",
                    new { period = "astana-to-2027" }, Ct)).StatusCode);
        using (var db = app.NewDbContext())
            Assert.False(await db.OpenDataReleases.AnyAsync(r => r.Id == "astana-to-2027", Ct));
        var settings = app.Services.GetRequiredService<OpenDataSettings>();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            var release = await new OpenDataReleases(db, settings, TimeProvider.System).EnsureReleaseAsync("astana-to-2027", Ct);
            return release!.Sha256;
        }));
        Assert.Single(results.Distinct());
        using (var db = app.NewDbContext())
        {
            var stored = await db.OpenDataReleases.Where(r => r.Id == "astana-to-2027").ToListAsync(Ct);
            Assert.Single(stored);
            Assert.Equal(stored[0].ChunkCount, await db.OpenDataChunks.CountAsync(c => c.ReleaseId == "astana-to-2027", Ct));
            Assert.Equal(results[0], stored[0].Sha256);
        }
        var bytes = await DownloadAsync("astana-to-2027");
        Assert.Equal(results[0], Convert.ToHexStringLower(SHA256.HashData(bytes)));
        // Its changes are counted from the release before it.
        var package = JsonDocument.Parse(Files(bytes)[OpenDataBuilder.PackagePath]).RootElement;
        Assert.Equal("xian-to-astana", package.GetProperty("previousRelease").GetString());
    }

    [Fact]
    public async Task An_unknown_release_names_those_that_exist_in_the_readers_language()
    {
        foreach (var (language, words) in new[] { ("en", "There is no open data release"), ("ru", "Выпуска открытых данных"), ("zh", "没有开放数据发布") })
        {
            var response = await app.Api(null, language).GetAsync("/api/v1/open-data/no-such-round.zip", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains(words, detail);
            Assert.Contains("no-such-round", detail);
            Assert.Contains("current", detail);
            Assert.Contains("xian-to-astana", detail);
        }
    }

    [Fact]
    public async Task The_cli_writes_the_same_zip_and_refuses_an_unknown_release_listing_those_that_exist()
    {
        var folder = Directory.CreateTempSubdirectory("caravan-open-data-");
        try
        {
            string[] db = ["--provider", app.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres", "--connection", app.ConnectionString];
            var file = Path.Combine(folder.FullName, "release.zip");
            var (code, output, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>(),
                ["export", "open-data", "--snapshot", "xian-to-astana", "--output", file, .. db]);
            Assert.True(code == 0, output + error);
            Assert.Equal(await DownloadAsync("xian-to-astana"), await File.ReadAllBytesAsync(file, Ct));

            (code, output, error) = await CaravanProcess.RunAsync(new Dictionary<string, string>(),
                ["export", "open-data", "--snapshot", "no-such-round", "--output", file + ".2", .. db]);
            Assert.Equal(1, code);
            Assert.Contains("no-such-round", error);
            Assert.Contains("xian-to-astana", error);
            Assert.Contains("current", error);
            Assert.False(File.Exists(file + ".2"));
        }
        finally { folder.Delete(recursive: true); }
    }

    /// <summary>
    /// Entity types a release must never read: people, secrets, the trail, work in progress, and copies derived from
    /// published tables (the releases themselves, the report's frozen facts, the projects' totals cells).
    /// </summary>
    private static readonly string[] Private =
    [
        "CaravanUser", "IdentityUserClaim`1", "IdentityUserLogin`1", "IdentityUserToken`1", "DataProtectionKey",
        "SignInWindow", "AuditEntry", "AuditAnchor", "AccessToken", "Submission", "SubmissionEvent", "Notification",
        "NotificationPreference", "ScheduledRun", "ImportRun", "SelectionCall", "SelectionNomination", "SelectionJuror",
        "SelectionConflict", "SelectionScore", "SelectionDecision", "Round", "CacheVersion", "SourceFile",
        "DocumentAttachment", "SeedRetraction", "DatasetVersion", "OpenDataRelease", "OpenDataChunk",
        "FrozenReportFacts", "ProjectTotalCell", "ProjectTotalsStamp",
    ];

    [Fact]
    public async Task No_private_table_column_or_unpublished_value_is_published()
    {
        // Every entity type of the model is either published or named here as never published: a new table must be
        // decided on, and a private one added to the release fails.
        using (var db = app.NewDbContext())
        {
            var types = db.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => t != typeof(Dictionary<string, object>)).ToList();
            var published = OpenDataCatalog.Published.Keys.Select(t => t.Name).ToHashSet();
            Assert.Empty(published.Intersect(Private));
            var undecided = types.Select(t => t.Name).Where(n => !published.Contains(n) && !Private.Contains(n)
                && n is not ("DocumentText" or "Provision" or "ReportedFigureCheck")).ToList();
            Assert.True(undecided.Count == 0, "Decide whether these are published: " + string.Join(", ", undecided));
        }

        // A person, a proposal waiting for validation and an unpublished project: none reaches the release.
        var email = $"open-data-{Guid.NewGuid():N}@example.org";
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatAdmin, email: email);
        var cn = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "CN");
        const string marker = "UNPUBLISHED-PROPOSAL-7f3e";
        var proposal = await app.Api(cn).PostAsJsonAsync("/api/v1/records/assessments", new
        {
            id = "grant-2025:CN:astana-to-2027",
            values = new Dictionary<string, string> { ["score"] = "1", ["evidence.en"] = marker },
            sources = new[] { new { url = "https://example.org/evidence", title = "Evidence", language = "en", confidence = "medium" } },
        }, Ct);
        Assert.True(proposal.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created or HttpStatusCode.BadRequest,
            $"{proposal.StatusCode}: {await proposal.Content.ReadAsStringAsync(Ct)}");
        var draft = await app.Api(secretariat).PostAsync("/api/v1/projects/import?draft=true",
            new StringContent(IatiSamples.File(IatiSamples.Activity("OPEN-DATA-DRAFT-1")), Encoding.UTF8, "application/xml"), Ct);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        using (var db = app.NewDbContext())
            Assert.False(await db.Projects.Where(p => p.IatiIdentifier == "CN-MOFCOM-OPEN-DATA-DRAFT-1").Select(p => p.Published).SingleAsync(Ct));

        var files = Files(await DownloadAsync("current"));
        foreach (var (path, content) in files)
        {
            var text = Encoding.UTF8.GetString(content);
            Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(cn.Email, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(marker, text);
            Assert.DoesNotContain("OPEN-DATA-DRAFT-1", text);
        }
        // No column names a person, a password, a token or a key.
        var package = JsonDocument.Parse(files[OpenDataBuilder.PackagePath]).RootElement;
        var columns = package.GetProperty("resources").EnumerateArray().Where(r => r.TryGetProperty("schema", out _))
            .SelectMany(r => r.GetProperty("schema").GetProperty("fields").EnumerateArray()
                .Select(f => r.GetProperty("name").GetString() + "." + f.GetProperty("name").GetString())).ToList();
        Assert.DoesNotContain(columns, c => Regex.IsMatch(c, @"(_by|email|password|token|secret|seal|user)\b|\.(recorded_by|taken_by|updated_by)$"));
    }

    [Fact]
    public async Task The_page_and_the_api_are_public_to_every_caller()
    {
        var callers = new List<Person?> { null, await People.CreateAsync(app, CaravanRole.SecretariatAdmin),
            await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ") };
        foreach (var person in callers)
        {
            var client = app.Api(person);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/open-data", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/open-data/xian-to-astana.zip", Ct)).StatusCode);
        }
        foreach (var language in new[] { "zh", "ru", "en" })
        {
            var page = await app.Client().GetStringAsync($"/open-data?culture={language}", Ct);
            Assert.Contains("/api/v1/open-data/current.zip", page);
            Assert.Contains("/api/v1/open-data/xian-to-astana.zip", page);
            Assert.Contains("CC-BY-4.0", page);
        }
        var home = await app.Client().GetStringAsync("/", Ct);
        Assert.Contains("href=\"/open-data\"", home);
    }
}

public sealed class OpenDataTestsOnSqlite(SqliteApp app) : OpenDataTests(app), IClassFixture<SqliteApp>;

public sealed class OpenDataTestsOnPostgres(PostgresApp app) : OpenDataTests(app), IClassFixture<PostgresApp>;
