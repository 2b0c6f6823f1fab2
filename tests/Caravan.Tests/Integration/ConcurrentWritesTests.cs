using System.Globalization;
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
/// A rule that guards a limit holds when two requests arrive at once, each of which passes alone: of two changes sent
/// against the same version, exactly one is saved (never a lost update); of two allocations that together exceed a
/// pledge, or two published entries that together exceed the places, exactly one is recorded; of two nominations for
/// one state, exactly one is kept. 50 rounds each, on both providers.
/// </summary>
public abstract class ConcurrentWritesTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Record = "/api/v1/records/bodies/business-council";
    private const int Rounds = 50;

    [Fact]
    public async Task Two_changes_sent_at_once_against_one_version_save_exactly_one()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var (a, b) = (app.Api(secretariat), app.Api(secretariat));
        var violations = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var version = (await (await app.Client().GetAsync(Record, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
                .GetProperty("version").GetInt32();
            var notes = new[] { $"round {round}: first", $"round {round}: second" };
            var answers = await Task.WhenAll(
                a.PutAsJsonAsync(Record, new { version, values = new Dictionary<string, string> { ["note.en"] = notes[0] } }, Ct),
                b.PutAsJsonAsync(Record, new { version, values = new Dictionary<string, string> { ["note.en"] = notes[1] } }, Ct));
            var statuses = answers.Select(r => r.StatusCode).ToList();
            var after = await (await app.Client().GetAsync(Record, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var saved = after.GetProperty("values").GetProperty("note.en").GetString();
            var winner = statuses.IndexOf(HttpStatusCode.OK);
            if (statuses.Count(s => s == HttpStatusCode.OK) != 1 || statuses.Count(s => s == HttpStatusCode.Conflict) != 1
                || after.GetProperty("version").GetInt32() != version + 1 || saved != notes[winner])
                violations.Add($"round {round}: {string.Join(", ", statuses)}; version {version} → "
                    + $"{after.GetProperty("version").GetInt32()}; saved '{saved}'");
        }
        await TestReport.AddAsync($" Two changes sent at once against one version save exactly one ({app.Provider}): {Rounds} rounds, {violations.Count} violations");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task An_update_names_its_version_in_the_body_or_as_if_match_and_without_one_is_428()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var api = app.Api(secretariat, "ru");
        var read = await app.Client().GetAsync(Record, Ct);
        var version = (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt32();
        Assert.Equal($"\"{version}\"", read.Headers.ETag?.Tag);
        var body = new { values = new Dictionary<string, string> { ["note.en"] = $"no version {Guid.NewGuid():N}" } };

        var bare = await api.PutAsJsonAsync(Record, body, Ct);
        Assert.Equal(HttpStatusCode.PreconditionRequired, bare.StatusCode);
        var problem = await bare.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Требуется версия", problem.GetProperty("title").GetString());
        Assert.Contains("If-Match", problem.GetProperty("detail").GetString());
        foreach (var tag in new[] { $"\"{version + 1}\"", "\"not-a-version\"" })
        {
            using var stale = new HttpRequestMessage(HttpMethod.Put, Record) { Content = JsonContent.Create(body) };
            stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(tag));
            Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(stale, Ct)).StatusCode);
        }
        var unchanged = await (await app.Client().GetAsync(Record, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(version, unchanged.GetProperty("version").GetInt32());

        using var current = new HttpRequestMessage(HttpMethod.Put, Record) { Content = JsonContent.Create(body) };
        current.Headers.IfMatch.Add(read.Headers.ETag!);
        var saved = await api.SendAsync(current, Ct);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync(Ct));
        Assert.Equal(version + 1, (await saved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Two_proposals_on_one_record_published_at_once_publish_exactly_one()
    {
        const string record = "/api/v1/records/indicator-values/trade-turnover-usd:2023:KZ";
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var (a, b) = (app.Api(secretariat), app.Api(secretariat));
        var violations = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var values = new[] { $"{30 + round}.5", $"{30 + round}.7" };
            var urls = new List<string>();
            foreach (var value in values)
            {
                var proposed = await app.Api(kz).PutChangeAsync(record,
                    new { values = new { value }, reason = "customs statistics", sources = Cite.One() }, Ct);
                Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync(Ct));
                urls.Add(proposed.Headers.Location!.OriginalString);
            }
            foreach (var url in urls)
                Assert.Equal(HttpStatusCode.OK, (await a.PostAsJsonAsync(url + "/validate", new { }, Ct)).StatusCode);
            var answers = await Task.WhenAll(
                a.PostAsJsonAsync(urls[0] + "/publish", new { }, Ct), b.PostAsJsonAsync(urls[1] + "/publish", new { }, Ct));
            var statuses = answers.Select(r => r.StatusCode).ToList();
            var now = (await (await app.Client().GetAsync(record, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
                .GetProperty("values").GetProperty("value").GetString();
            var winner = statuses.IndexOf(HttpStatusCode.OK);
            if (statuses.Count(s => s == HttpStatusCode.OK) != 1 || statuses.Count(s => s == HttpStatusCode.Conflict) != 1
                || winner < 0 || decimal.Parse(now!, CultureInfo.InvariantCulture)
                    != decimal.Parse(values[winner], CultureInfo.InvariantCulture))
                violations.Add($"round {round}: {string.Join(", ", statuses)}; published value {now}");
        }
        await TestReport.AddAsync($" Two proposals on one record published at once publish exactly one ({app.Provider}): {Rounds} rounds, {violations.Count} violations");
        Assert.Empty(violations);
    }

    private async Task<(decimal Allocated, int Entries)> LedgerAsync(string programme)
    {
        await using var db = app.NewDbContext();
        var entries = await db.ProgrammeEntries.Where(e => e.ProgrammeId == programme).ToListAsync(Ct);
        return (entries.Sum(e => e.Quantity), entries.Count);
    }

    [Fact]
    public async Task Two_direct_allocations_each_within_the_pledge_sent_at_once_record_exactly_one()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var (a, b) = (app.Api(secretariat), app.Api(secretariat));
        var violations = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await Ledgers.ProgrammeAsync(app, 1_500_000_000m, "CNY", Ct);
            var answers = await Task.WhenAll(
                a.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("KZ", "1000000000"), Ct),
                b.PostAsJsonAsync($"/api/v1/programmes/{id}/entries", Ledgers.Allocation("UZ", "1000000000"), Ct));
            var statuses = answers.Select(r => r.StatusCode).ToList();
            var refused = answers.FirstOrDefault(r => r.StatusCode == HttpStatusCode.BadRequest) is { } r
                ? await r.Content.ReadAsStringAsync(Ct) : "";
            var (allocated, entries) = await LedgerAsync(id);
            if (statuses.Count(s => s == HttpStatusCode.Created) != 1 || allocated != 1_000_000_000m || entries != 1
                || !refused.Contains("against a pledge of 1,500,000,000"))
                violations.Add($"round {round}: {string.Join(", ", statuses)}; {allocated} allocated in {entries}");
        }
        await TestReport.AddAsync($" Two direct allocations each within the pledge sent at once record exactly one ({app.Provider}): {Rounds} rounds, {violations.Count} violations");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Two_validated_entries_published_at_once_never_exceed_the_places_pledged()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var uz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "UZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var (a, b) = (app.Api(secretariat), app.Api(secretariat));
        var violations = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await Ledgers.ProgrammeAsync(app, 3_000m, "training-places", Ct);
            var urls = new List<string>();
            foreach (var (who, state) in new[] { (kz, "KZ"), (uz, "UZ") })
            {
                var proposed = await app.Api(who).PostAsJsonAsync($"/api/v1/programmes/{id}/entries",
                    Ledgers.Allocation(state, "2100"), Ct);
                Assert.True(proposed.StatusCode == HttpStatusCode.Accepted,
                    await proposed.Content.ReadAsStringAsync(Ct));
                var url = "/api/v1/submissions/"
                    + (await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
                var validated = await a.PostAsJsonAsync(url + "/validate", new { }, Ct);
                Assert.True(validated.IsSuccessStatusCode, await validated.Content.ReadAsStringAsync(Ct));
                urls.Add(url);
            }
            var answers = await Task.WhenAll(
                a.PostAsJsonAsync(urls[0] + "/publish", new { }, Ct), b.PostAsJsonAsync(urls[1] + "/publish", new { }, Ct));
            var statuses = answers.Select(r => r.StatusCode).ToList();
            var (allocated, entries) = await LedgerAsync(id);
            if (statuses.Count(s => s == HttpStatusCode.OK) != 1 || statuses.Count(s => s == HttpStatusCode.Conflict) != 1
                || allocated != 2_100m || entries != 1)
                violations.Add($"round {round}: {string.Join(", ", statuses)}; {allocated} of 3,000 places in {entries}");
        }
        await TestReport.AddAsync($" Two validated entries published at once never exceed the places pledged ({app.Provider}): {Rounds} rounds, {violations.Count} violations");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Two_nominations_for_one_state_sent_at_once_keep_exactly_one()
    {
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var created = await app.Api(secretariat).PostAsJsonAsync("/api/v1/selections", new
        {
            title = new { en = $"Capital {Guid.NewGuid():N}", ru = "Столица культуры", zh = "文化之都" },
            nominationsFrom = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            nominationsTo = today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            scoringDeadline = today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            criteria = new[] { new { id = "heritage", name = new { en = "Cultural heritage" }, weight = 1 } },
        }, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var call = "/api/v1/selections/"
            + (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        var phase = await app.Api(secretariat).PostAsJsonAsync(call + "/phase", new { phase = "nominating" }, Ct);
        Assert.True(phase.IsSuccessStatusCode, await phase.Content.ReadAsStringAsync(Ct));
        var (first, second) = (app.Api(kz), app.Api(kz));
        var violations = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var answers = await Task.WhenAll(
                first.PostAsJsonAsync(call + "/nominations", new { city = new { en = $"Almaty {round}" } }, Ct),
                second.PostAsJsonAsync(call + "/nominations", new { city = new { en = $"Astana {round}" } }, Ct));
            var statuses = answers.Select(r => r.StatusCode).ToList();
            var kept = (await (await app.Api(secretariat).GetAsync(call, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
                .GetProperty("nominations").EnumerateArray().Count(n => n.GetProperty("state").GetString() == "KZ");
            if (statuses.Count(s => s.IsSuccess()) != 1 || statuses.Count(s => s == HttpStatusCode.Conflict) != 1
                || kept != 1)
                violations.Add($"round {round}: {string.Join(", ", statuses)}; {kept} nominations kept");
            var withdrawn = await first.PostAsJsonAsync(call + "/nominations/withdraw", new { }, Ct);
            Assert.True(withdrawn.IsSuccessStatusCode, await withdrawn.Content.ReadAsStringAsync(Ct));
        }
        await TestReport.AddAsync($" Two nominations for one state sent at once keep exactly one ({app.Provider}): {Rounds} rounds, {violations.Count} violations");
        Assert.Empty(violations);
    }
}

file static class StatusCodes
{
    public static bool IsSuccess(this HttpStatusCode status) => (int)status is >= 200 and < 300;
}


public sealed class ConcurrentWritesTestsOnSqlite(SqliteApp app) : ConcurrentWritesTests(app), IClassFixture<SqliteApp>;

public sealed class ConcurrentWritesTestsOnPostgres(PostgresApp app) : ConcurrentWritesTests(app), IClassFixture<PostgresApp>;
