using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caravan.Features.Audit;
using Caravan.Features.Seed;
using Caravan.Shared;
using Caravan.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Tests.Integration;

/// <summary>
/// A database that loaded version 5 loses, when version 6 is loaded through the real importer, what v6
/// retracts (the China–Kazakhstan visa commitment and five unsupported Secretariat scores): gone from the API
/// and the portal, each deletion in the audit trail with its reason, the frozen snapshot kept as it was but
/// marked, a row changed through the workflow held, and a second load changes nothing.
/// </summary>
public abstract class RetractionTests(CaravanApp app)
{
    private const string Visa = "china-kazakhstan-visa-exemption-2023";
    private static readonly string[] Unsupported = ["KZ", "KG", "TJ", "TM"];
    private const string ChangedInWorkflow = "secretariat-2023:UZ:xian-to-astana";
    private const string ChangedSourcesOnly = "secretariat-2023:TM:xian-to-astana";

    /// <summary>Version 6 as it was before the fixes, i.e. what version 5 held: the visa commitment and all six Secretariat scores.</summary>
    private static LoadedSeed V5Like(SeedDataset v6)
    {
        var secretariat = v6.Commitments.Single(c => c.Id == "secretariat-2023");
        var cn = secretariat.Assessments.Single();
        var visa = secretariat with
        {
            Id = Visa, Meeting = null, Document = "china-kazakhstan-visa-exemption-agreement-2023", Parties = ["CN", "KZ"], Lead = [],
            Direction = "people-to-people-exchanges", Kind = "policy", Summary = false, Translated = [], Note = null, Milestones = [],
            Text = new LocalizedText { En = "Bring into force the mutual visa exemption between China and Kazakhstan (stays of up to 30 days per entry, 90 days per 180 days)." },
            Assessments = [.. new[] { "CN", "KZ" }.Select(s => cn with { State = s, AssessedOn = "2023-11-10", Evidence = new LocalizedText { En = "In force since 10 November 2023." },
                Citations = [new("chinadaily_kzvisa", "high"), new("inform_kzvisa", "high")] })],
            Citations = [new("chinadaily_kzvisa", "high"), new("inform_kzvisa", "high")],
        };
        var v5 = v6 with
        {
            Version = 5,
            Retractions = [],
            Commitments = [.. v6.Commitments.Select(c => c.Id == secretariat.Id ? c with { Assessments = [.. AllSix.Select(s => cn with { State = s })] } : c), visa],
        };
        return new LoadedSeed(v5, "v5-like", "v5-like");
    }

    private static readonly string[] AllSix = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];

    [Fact]
    public async Task Loading_v6_over_v5_retracts_with_reasons_marks_the_snapshot_holds_workflow_changes_and_is_idempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = app.Client();
        var v6 = SeedFile.Load(SeedDataTests.SeedPath);
        Assert.Equal(6, v6.Dataset.Retractions.Count);

        await using (var db = app.NewDbContext())
            Assert.Equal(SeedOutcome.Loaded, (await new SeedImporter(db).ImportAsync(V5Like(v6.Dataset), ct)).Outcome);
        // What v5 showed: the visa commitment, six Secretariat scores ("complied" in the frozen snapshot).
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/commitments/{Visa}", ct)).StatusCode);
        var before = await client.GetFromJsonAsync<JsonElement>("/api/v1/snapshots/xian-to-astana", ct);
        Assert.Equal(6, Item(before, "secretariat-2023").GetProperty("scores").EnumerateObject().Count());
        Assert.Equal(0, before.GetProperty("retracted").GetArrayLength());

        // A coordinator's change through the workflow (a user actor): the seed must not delete it.
        await using (var db = app.NewDbContext())
        {
            var a = await db.Assessments.SingleAsync(x => x.Id == ChangedInWorkflow, ct);
            a.Evidence = new LocalizedText { En = "Uzbekistan's coordinator: the Secretariat's regulations were approved (evidence under review)." };
            db.Actor = new AuditActor("uz-coordinator", "coordinator", "evidence updated");
            await db.SaveChangesAsync(ct);
            // Another coordinator only added a source to their state's score: a row and its citations are one
            // record, so this is a workflow change too, and the seed must not delete the score with its new source.
            db.Citations.Add(new Caravan.Features.Sources.Citation
            {
                SubjectType = Caravan.Features.Sources.SubjectTypes.Assessment, SubjectId = ChangedSourcesOnly,
                SourceId = (await db.Sources.FirstAsync(ct)).Id, Confidence = Caravan.Features.Sources.Confidence.Medium,
            });
            db.Actor = new AuditActor("tm-coordinator", "coordinator", "source added");
            await db.SaveChangesAsync(ct);
        }

        SeedResult result;
        await using (var db = app.NewDbContext())
            result = await new SeedImporter(db).ImportAsync(v6, ct);
        Assert.Equal((SeedOutcome.Loaded, 4), (result.Outcome, result.Retracted));
        Assert.Equal([$"assessment:{ChangedSourcesOnly}", $"assessment:{ChangedInWorkflow}"], (result.Held ?? []).Order(StringComparer.Ordinal));

        // Gone from the API and the portal.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/commitments/{Visa}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/commitments/{Visa}", ct)).StatusCode);
        Assert.DoesNotContain($"/commitments/{Visa}\"", await client.GetStringAsync("/commitments", ct));
        var secretariat = await client.GetFromJsonAsync<JsonElement>("/api/v1/commitments/secretariat-2023", ct);
        Assert.Equal(["CN", "TM", "UZ"], secretariat.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("state").GetString()).Order());
        Assert.Equal(("partly", 3, 6), (secretariat.GetProperty("status").GetString(), secretariat.GetProperty("partiesAssessed").GetInt32(), secretariat.GetProperty("partiesBound").GetInt32()));

        await using (var db = app.NewDbContext())
        {
            // Each deletion is in the audit trail, by the seed, with its own reason.
            var deletions = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "delete" && e.Actor == "system:seed").ToListAsync(ct);
            var visaReason = v6.Dataset.Retractions.Single(r => r.Id == Visa).Reason.En!;
            Assert.Contains(deletions, e => e.SubjectType == "commitment" && e.SubjectId == Visa && e.Reason!.EndsWith(visaReason, StringComparison.Ordinal));
            foreach (var s in new[] { "CN", "KZ" })
                Assert.Contains(deletions, e => e.SubjectType == "compliance-assessment" && e.SubjectId == $"{Visa}:{s}:xian-to-astana" && e.Reason!.Contains(visaReason, StringComparison.Ordinal));
            foreach (var s in Unsupported.Where(s => $"secretariat-2023:{s}:xian-to-astana" != ChangedSourcesOnly))
            {
                var id = $"secretariat-2023:{s}:xian-to-astana";
                var reason = v6.Dataset.Retractions.Single(r => r.Id == id).Reason.En!;
                Assert.Contains(deletions, e => e.SubjectType == "compliance-assessment" && e.SubjectId == id && e.Reason!.Contains("version 6") && e.Reason.EndsWith(reason, StringComparison.Ordinal));
                Assert.False(await db.Citations.AnyAsync(c => c.SubjectId == id, ct));
            }
            Assert.DoesNotContain(deletions, e => e.SubjectId == ChangedInWorkflow);
            Assert.True(await db.Assessments.AnyAsync(a => a.Id == ChangedInWorkflow, ct));
            Assert.True((await db.SeedRetractions.SingleAsync(r => r.RecordId == ChangedInWorkflow, ct)).Held);
            Assert.True((await db.SeedRetractions.SingleAsync(r => r.RecordId == ChangedSourcesOnly, ct)).Held);
            Assert.True(await db.Citations.AnyAsync(c => c.SubjectId == ChangedSourcesOnly, ct)); // the added source stays with its score
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Actor == "system:seed" && e.Reason!.StartsWith("retraction held"), ct));
            Assert.True(new AuditQueries(db).Verify().Intact);
        }

        // The frozen snapshot keeps what it froze, and says which of its figures were retracted and why.
        var after = await client.GetFromJsonAsync<JsonElement>("/api/v1/snapshots/xian-to-astana", ct);
        Assert.Equal(6, Item(after, "secretariat-2023").GetProperty("scores").EnumerateObject().Count());
        Assert.Equal("complied", Item(after, Visa).GetProperty("status").GetString());
        var retracted = after.GetProperty("retracted").EnumerateArray().ToList();
        Assert.Contains(retracted, r => r.GetProperty("commitment").GetString() == Visa && r.GetProperty("state").ValueKind == JsonValueKind.Null
            && r.GetProperty("reason").GetProperty("zh").GetString()!.Length > 0 && r.GetProperty("sources").GetArrayLength() == 3);
        Assert.Equal([.. Unsupported, "UZ"], retracted.Where(r => r.GetProperty("commitment").GetString() == "secretariat-2023")
            .Select(r => r.GetProperty("state").GetString()).OrderBy(s => Array.IndexOf(AllSix, s)));
        Assert.True(retracted.Single(r => r.GetProperty("state").GetString() == "UZ").GetProperty("held").GetBoolean());
        foreach (var (culture, heading, held) in new[] { ("en", "Retracted since the snapshot", "kept for now"), ("zh", "冻结后撤回的内容", "暂予保留"), ("ru", "Отозвано после фиксации среза", "пока сохранено") })
        {
            var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/scorecards/compare?from=xian-to-astana&to=current&culture={culture}", ct));
            Assert.Contains(heading, page);
            var uz = page[page.IndexOf("data-state=\"UZ\"", StringComparison.Ordinal)..];
            Assert.Contains(held, uz[..uz.IndexOf("</li>", StringComparison.Ordinal)]);
            var reason = v6.Dataset.Retractions.Single(r => r.Id == "secretariat-2023:KZ:xian-to-astana").Reason[culture]!;
            Assert.Contains(reason, page);
        }

        // Loading again changes nothing: the same file is unchanged, and a later version finds nothing left to retract.
        await using (var db = app.NewDbContext())
        {
            var entries = await db.AuditEntries.MaxAsync(e => e.Id, ct);
            Assert.Equal(SeedOutcome.Unchanged, (await new SeedImporter(db).ImportAsync(v6, ct)).Outcome);
            // The next version, whatever the file's own number is now (7 added milestones).
            var v7 = await new SeedImporter(db).ImportAsync(v6 with { Dataset = v6.Dataset with { Version = v6.Dataset.Version + 1 }, Sha256 = "v7" }, ct);
            Assert.Equal((SeedOutcome.Loaded, 0, 0, 0), (v7.Outcome, v7.Added, v7.Updated, v7.Retracted));
            // Only the dataset's version number moved.
            Assert.Equal(["dataset-version"], (await db.AuditEntries.AsNoTracking().Where(e => e.Id > entries).Select(e => e.SubjectType).ToListAsync(ct)).Distinct());
        }
    }

    private static JsonElement Item(JsonElement snapshot, string commitment) =>
        snapshot.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("commitmentId").GetString() == commitment);
}

/// <summary>An app whose database starts empty: the test loads the datasets itself.</summary>
public sealed class EmptySqliteApp : SqliteApp
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Caravan:Seed:LoadOnStart", "false")];
}

public sealed class EmptyPostgresApp : PostgresApp
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Caravan:Seed:LoadOnStart", "false")];
}

public sealed class RetractionTestsOnSqlite(EmptySqliteApp app) : RetractionTests(app), IClassFixture<EmptySqliteApp>;

public sealed class RetractionTestsOnPostgres(EmptyPostgresApp app) : RetractionTests(app), IClassFixture<EmptyPostgresApp>;
