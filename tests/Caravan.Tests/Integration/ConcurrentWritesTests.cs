using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// A rule that guards a record's version holds when two requests arrive at once: of two changes sent against the
/// same version, exactly one is saved and the other is told of the conflict — never both (a lost update).
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
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Two_proposals_on_one_record_published_at_once_publish_exactly_one()
    {
        const string record = "/api/v1/records/indicator-values/trade-turnover-usd:2023:KZ";
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        var (a, b) = (app.Api(secretariat), app.Api(secretariat));
        var violations = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            var values = new[] { $"{30 + round}.5", $"{30 + round}.7" };
            var urls = new List<string>();
            foreach (var value in values)
            {
                var proposed = await app.Api(kz).PutAsJsonAsync(record,
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
        Assert.Empty(violations);
    }
}

public sealed class ConcurrentWritesTestsOnSqlite(SqliteApp app) : ConcurrentWritesTests(app), IClassFixture<SqliteApp>;

public sealed class ConcurrentWritesTestsOnPostgres(PostgresApp app) : ConcurrentWritesTests(app), IClassFixture<PostgresApp>;
