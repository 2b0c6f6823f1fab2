using BenchmarkDotNet.Attributes;
using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Reports;
using Caravan.Features.Seed;
using Caravan.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Benchmarks.Rules;

/// <summary>
/// The summit progress report for the seeded data (issue 17: under 2 s per language and format), on a SQLite file
/// with the seed loaded and its closed period's snapshot taken. "First request": the facts read in one read
/// transaction, the document built and laid out as XLSX (what the first download of a snapshot does, less the one
/// row it stores). "Frozen": the stored facts read back, built and laid out (every later download). "Build only":
/// the document from facts in memory. The baseline, in the same run, reads the snapshot and the commitments once.
/// DOCX and PDF are laid out by another lane's writers; their figures are to be added beside these once merged.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class ReportBenchmarks
{
    private readonly string _folder = Directory.CreateTempSubdirectory("caravan-report-bench-").FullName;
    private DbContextOptions<CaravanDbContext> _options = null!;
    private string _snapshot = "";
    private ReportFacts _facts = null!;

    [Params("zh", "ru", "en")]
    public string Language { get; set; } = "en";

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
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL");
        new SeedImporter(db).ImportAsync(SeedFile.Load(Path.Combine(AppContext.BaseDirectory, "cca-mechanism.json")))
            .GetAwaiter().GetResult();
        new Snapshots(db, TimeProvider.System).EnsureForClosedPeriodsAsync(default).GetAwaiter().GetResult();
        _snapshot = db.Snapshots.Select(s => s.Id).First();
        _facts = new ReportFactsStore(db, TimeProvider.System).EnsureFactsFrozenAsync(_snapshot, default)
            .GetAwaiter().GetResult()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "baseline: read the snapshot and the commitments once")]
    public int ReadSnapshot()
    {
        using var db = Db();
        return db.Snapshots.AsNoTracking().First(s => s.Id == _snapshot).Items.Count
            + db.Commitments.AsNoTracking().ToList().Count;
    }

    [Benchmark(Description = "first request: read the facts, build, XLSX")]
    public int FirstRequest()
    {
        using var db = Db();
        var facts = db.ReadAsOneAsync(
            () => new ReportFactsReader(db).ReadAsync(_snapshot, DateOnly.FromDateTime(DateTime.UtcNow), default),
            default).GetAwaiter().GetResult()!;
        return Xlsx(facts);
    }

    [Benchmark(Description = "frozen: the stored facts, build, XLSX")]
    public int Frozen()
    {
        using var db = Db();
        var facts = new ReportFactsStore(db, TimeProvider.System).StoredAsync(_snapshot, default).GetAwaiter().GetResult()!;
        return Xlsx(facts);
    }

    [Benchmark(Description = "build only: facts in memory to the document")]
    public int BuildOnly() =>
        ReportBuilder.Build(_facts, Language, ReportMaker.DefaultCurrency, ReportsFeature.Words(Language)).Blocks.Count;

    private int Xlsx(ReportFacts facts)
    {
        var document = ReportBuilder.Build(facts, Language, ReportMaker.DefaultCurrency, ReportsFeature.Words(Language));
        using var output = new MemoryStream();
        ReportXlsx.Write(document, output);
        return (int)output.Length;
    }
}
