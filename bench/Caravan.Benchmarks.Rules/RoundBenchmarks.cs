using BenchmarkDotNet.Attributes;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Rounds;
using Caravan.Features.Seed;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Benchmarks.Rules;

/// <summary>
/// A reporting round at the issue's scale: 150 commitments binding all 6 states (the seed's 32 and 118 more), so 900
/// assessment tasks beside the seed's indicators and programmes, on a SQLite file. "Open" is what POST /api/v1/rounds
/// does (checks and saves the round under the writers' lock) followed by deriving every task with its status and who
/// acts, as the round page shows it; the period's round is closed again after each open (not timed: IterationCleanup)
/// so that every iteration opens one. The baseline, in the same run, reads the same commitments once
/// (<c>AsNoTracking().ToList()</c>): the floor any derivation over them pays.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15, invocationCount: 1)]
public class RoundBenchmarks
{
    private readonly string _folder = Directory.CreateTempSubdirectory("caravan-round-bench-").FullName;
    private DbContextOptions<CaravanDbContext> _options = null!;
    private Caller _secretariat = null!;
    private string _period = "";

    private CaravanDbContext Db() => new(_options);

    [GlobalSetup]
    public void Setup()
    {
        var builder = new DbContextOptionsBuilder<CaravanDbContext>();
        builder.UseSqlite($"Data Source={Path.Combine(_folder, "bench.db")}");
        builder.UseAuditKeys(new AuditKeyRing("bench", new Dictionary<string, byte[]> { ["bench"] = AuditKeyRing.NewKey() }));
        _options = builder.Options;
        using var db = Db();
        db.Database.EnsureCreated();
        var seed = Path.Combine(AppContext.BaseDirectory, "cca-mechanism.json");
        new SeedImporter(db).ImportAsync(SeedFile.Load(seed)).GetAwaiter().GetResult();
        _period = db.ReportingPeriods.Where(p => !p.Closed).OrderBy(p => p.Order).First().Id;
        var bodies = db.Bodies.Select(b => b.Id).OrderBy(b => b).ToList();
        var count = db.Commitments.Count();
        for (var i = count; i < 150; i++)
            db.Commitments.Add(new Commitment
            {
                Id = $"bench-{i:000}", Text = new LocalizedText { En = $"Benchmark commitment {i}" }, FirstPeriodId = _period,
                Parties = ["CN", "KZ", "KG", "TJ", "TM", "UZ"], LeadBodies = [bodies[i % bodies.Count]],
            });
        db.SaveChanges();
        _secretariat = new Caller("bench", "bench", CaravanRole.SecretariatEditor, null, new HashSet<string>(), true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "baseline: read the 150 commitments once")]
    public int ReadCommitments()
    {
        using var db = Db();
        return db.Commitments.AsNoTracking().ToList().Count;
    }

    [Benchmark(Description = "open a round and derive its tasks (150 commitments × 6 states)")]
    public int OpenAndDerive()
    {
        using var db = Db();
        var opened = new Caravan.Features.Rounds.Rounds(db, TimeProvider.System).OpenAsync(_secretariat,
            new RoundInput(new LocalizedText { En = "Benchmark round" }, _period, "2027-03-31", ["7", "1"]))
            .GetAwaiter().GetResult();
        if (!opened.Succeeded) throw new InvalidOperationException(opened.Problem?.Message.Code.Key);
        var tasks = RoundQueries.DeriveAsync(db, opened.Value!, DateTimeOffset.UtcNow).GetAwaiter().GetResult()!.Value.Tasks;
        if (tasks.Count < 800) throw new InvalidOperationException($"only {tasks.Count} tasks");
        return tasks.Count;
    }

    /// <summary>The round just opened is set aside (not closed: that would close the period), so the next opens anew.</summary>
    [IterationCleanup(Target = nameof(OpenAndDerive))]
    public void SetOpenRoundAside()
    {
        using var db = Db();
        db.Database.ExecuteSqlRaw("UPDATE \"Rounds\" SET \"OpenPeriodId\" = NULL, \"ClosedAt\" = '2000-01-01 00:00:00+00:00'");
    }
}
