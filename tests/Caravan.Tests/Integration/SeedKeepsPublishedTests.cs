using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Tests.Support;
using Caravan.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Integration;

/// <summary>
/// A newer seed dataset never hides what was published through the workflow (ADR 0008): a coordinator's
/// figure, with its own source, published by the secretariat, stays what the API and the portal show after
/// <c>caravan seed --file</c> loads a newer version; the other rows the newer version changes are updated;
/// the kept row is reported by the command, in the load's result and in the load's audit entries.
/// </summary>
public abstract class SeedKeepsPublishedTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Indicator = "trade-turnover-usd";
    private const string Figure = "trade-turnover-usd:2023:KZ";
    private const string Other = "trade-turnover-usd:2023:KG";
    private const string NewUrl = "https://stat.gov.kz/en/news/foreign-trade-2023-final/";
    private const string NewTitle = "Foreign trade of Kazakhstan in 2023: final figures";

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var provider = app.Provider == Caravan.Data.DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        var code = await CaravanCli.RunAsync([.. args, "--provider", provider, "--connection", app.ConnectionString], output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A copy of the shipped dataset as its maintainers would publish it next: a higher version, the coordinator's
    /// figure still at the dataset's (older) value with a changed source, and another figure changed.
    /// </summary>
    private static string NewerSeed(int bump, decimal otherValue)
    {
        var root = JsonNode.Parse(File.ReadAllText(SeedDataTests.SeedPath))!.AsObject();
        root["version"] = root["version"]!.GetValue<int>() + bump;
        var values = root["indicators"]!.AsArray().Single(i => (string?)i!["id"] == Indicator)!["values"]!.AsArray();
        JsonNode ValueOf(string state) => values.Single(v => (int)v!["year"]! == 2023 && (string?)v["state"] == state)!;
        ValueOf("KG")["value"] = otherValue;
        // Were the figure not kept, it would take this value and this source.
        var kz = ValueOf("KZ");
        kz["value"] = 12.34m;
        kz["citations"] = new JsonArray(new JsonObject { ["source"] = root["sources"]!.AsObject().Select(s => s.Key).First(k => k != "wenews_2023"), ["confidence"] = "low" });
        var path = Path.Combine(Path.GetTempPath(), $"caravan-seed-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private async Task<(decimal Value, string[] Urls)> SeriesValueAsync(string state)
    {
        var series = await Json(await app.Client().GetAsync($"/api/v1/indicators/{Indicator}", Ct));
        var value = series.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("year").GetInt32() == 2023 && v.GetProperty("state").GetString() == state);
        return (value.GetProperty("value").GetDecimal(), [.. value.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!)]);
    }

    [Fact]
    public async Task A_newer_dataset_keeps_the_published_figure_and_its_sources_updates_the_rest_and_reports_what_it_kept()
    {
        var kz = await People.CreateAsync(app, CaravanRole.NationalCoordinator, "KZ");
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);

        // The coordinator's figure, with its own source, published by the secretariat.
        var proposed = await app.Api(kz).PutChangeAsync($"/api/v1/records/indicator-values/{Figure}", new
        {
            values = new { value = "41.03" }, reason = "final customs figure",
            sources = new[] { new { url = NewUrl, title = NewTitle, date = "2024-03-15", language = "en", confidence = "medium" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var url = proposed.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.OK, (await app.Api(secretariat).PostAsJsonAsync(url + "/validate", new { }, Ct)).StatusCode);
        var published = await app.Api(secretariat).PostAsJsonAsync(url + "/publish", new { }, Ct);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(Ct));
        await AssertPublishedFigureAsync();
        var otherBefore = await SeriesValueAsync("KG");
        var otherValue = otherBefore.Value + 1.1m;

        string publishedBy;
        await using (var db = app.NewDbContext())
            publishedBy = (await db.AuditEntries.AsNoTracking().Where(a => a.SubjectType == "indicator-value" && a.SubjectId == Figure)
                .OrderByDescending(a => a.Id).FirstAsync(Ct)).Actor;
        Assert.NotEqual(SeedOwnership.SeedActor, publishedBy);

        var newer = NewerSeed(1, otherValue);
        try
        {
            var (code, output, error) = await Cli("seed", "--file", newer);
            Assert.True(code == 0, error + output);
            Assert.Contains("Loaded cca-mechanism version", output);
            // (The class's other test may have changed a row of its own: this one checks its figure's line.)
            Assert.Matches(@"\nKept \d+ row\(s\) changed outside the seed since it last wrote them \(the file's values for them were not applied\):\n", output);
            Assert.Matches($@"\n  indicator-value {Regex(Figure)}: (create|update|delete) by {Regex(publishedBy)} \(secretariat-editor\) at \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ, audit entry \d+ \(published submission ", output);
            // The command wrote from outside the portal: the app reads the cache versions it raised (its poll, now).
            await app.Services.GetRequiredService<Caravan.Web.Infrastructure.DataVersionWatch>().CheckAsync(Ct);

            // The API and the portal: the published figure with exactly its own source.
            await AssertPublishedFigureAsync();
            var record = await Json(await app.Client().GetAsync($"/api/v1/records/indicator-values/{Figure}", Ct));
            Assert.Equal(41.03m, decimal.Parse(record.GetProperty("values").GetProperty("value").GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal(NewUrl, Assert.Single(record.GetProperty("sources").EnumerateArray()).GetProperty("url").GetString());
            var page = await app.Client().GetStringAsync($"/indicators/{Indicator}?culture=en", Ct);
            Assert.Contains($"href=\"{NewUrl}\"", page);
            Assert.Contains(NewTitle, page);
            // The figure nobody changed took the newer dataset's value.
            Assert.Equal(otherValue, (await SeriesValueAsync("KG")).Value);

            await using (var db = app.NewDbContext())
            {
                var figure = await db.IndicatorValues.AsNoTracking().SingleAsync(v => v.Id == Figure, Ct);
                Assert.Equal(41.03m, figure.Value);
                var sources = await db.Citations.AsNoTracking().Where(c => c.SubjectType == SubjectTypes.IndicatorValue && c.SubjectId == Figure).Select(c => c.SourceId).ToListAsync(Ct);
                Assert.Matches("^p-[0-9a-f]{16}$", Assert.Single(sources));
                // The load's audit entries say what it kept; none of them touches the kept figure or its citations.
                var load = await db.AuditEntries.AsNoTracking().Where(a => a.Actor == SeedOwnership.SeedActor && a.SubjectType == "dataset-version").OrderByDescending(a => a.Id).FirstAsync(Ct);
                Assert.Contains("row(s) changed outside the seed since it last wrote them: ", load.Reason);
                Assert.Contains($"indicator-value/{Figure} (entry ", load.Reason);
                Assert.False(await db.AuditEntries.AnyAsync(a => a.Actor == SeedOwnership.SeedActor && a.Reason == load.Reason
                    && ((a.SubjectType == "indicator-value" && a.SubjectId == Figure) || (a.SubjectType == "citation" && a.SubjectId == $"indicator-value/{Figure}")), Ct));
                Assert.True(await db.AuditEntries.AnyAsync(a => a.Reason == load.Reason && a.SubjectType == "indicator-value" && a.SubjectId == Other, Ct));
            }

            // Loading the same version again changes nothing.
            var (again, againOutput, _) = await Cli("seed", "--file", newer);
            Assert.Equal(0, again);
            Assert.Contains("is already loaded; nothing changed", againOutput);
        }
        finally { File.Delete(newer); }

        // A later version still keeps it: the record stays the workflow's until the seed writes it again.
        var later = NewerSeed(2, otherValue + 1m);
        try
        {
            await using var db = app.NewDbContext();
            var result = await new SeedImporter(db).ImportAsync(SeedFile.Load(later), Ct);
            Assert.Equal(SeedOutcome.Loaded, result.Outcome);
            var kept = Assert.Single(result.Kept, k => k.Id == Figure);
            Assert.Equal(("indicator-value", Figure, publishedBy), (kept.SubjectType, kept.Id, kept.LastChange.Actor));
            Assert.Equal(1, result.Updated); // the other figure, and nothing else
        }
        finally { File.Delete(later); }
        await AssertPublishedFigureAsync();
        Assert.Equal(otherValue + 1m, (await SeriesValueAsync("KG")).Value);

        // The shipped (older) file is not applied over it either.
        await using (var db = app.NewDbContext())
            Assert.Equal(SeedOutcome.OlderThanDatabase, (await new SeedImporter(db).ImportAsync(SeedFile.Load(SeedDataTests.SeedPath), Ct)).Outcome);
    }

    [Fact]
    public async Task A_load_writes_nothing_over_a_change_made_while_it_ran()
    {
        const string during = "trade-turnover-usd:2023:TJ";
        var secretariat = await People.CreateAsync(app, CaravanRole.SecretariatEditor);
        await using var db = app.NewDbContext();
        var owned = await SeedOwnership.LoadAsync(db, Ct);
        await owned.EnsureNoneChangedSinceAsync(db, Ct); // nothing changed yet: the load may save

        // The secretariat writes a figure directly while the load would be running.
        var direct = await app.Api(secretariat).PutChangeAsync($"/api/v1/records/indicator-values/{during}", new
        {
            values = new { value = "3.95" }, reason = "customs figure",
            sources = new[] { new { url = "https://stat.gov.tj/en/foreign-trade-2023", title = "Foreign trade of Tajikistan, 2023", date = "2024-02-20", language = "en", confidence = "medium" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => owned.EnsureNoneChangedSinceAsync(db, Ct));
        Assert.Contains(during, refused.Message);
        Assert.Contains("nothing was written", refused.Message);
    }

    /// <summary>What readers see of the coordinator's figure: 41.03 with exactly its own source.</summary>
    private async Task AssertPublishedFigureAsync()
    {
        var (value, urls) = await SeriesValueAsync("KZ");
        Assert.Equal(41.03m, value);
        Assert.Equal([NewUrl], urls);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}

public sealed class SeedKeepsPublishedTestsOnSqlite(SqliteApp app) : SeedKeepsPublishedTests(app), IClassFixture<SqliteApp>;

public sealed class SeedKeepsPublishedTestsOnPostgres(PostgresApp app) : SeedKeepsPublishedTests(app), IClassFixture<PostgresApp>;
