using System.Data.Common;
using System.Globalization;
using System.Resources;
using BenchmarkDotNet.Attributes;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Rounds;
using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Features.Uploads;
using Caravan.Shared;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Caravan.Benchmarks.Rules;

/// <summary>
/// The words of a round's spreadsheet as the web layer gives them (<c>SheetWords</c> in Caravan.Web): the same UI
/// strings (the portal's resx files, embedded in this assembly by the project file), read through a
/// <see cref="ResourceManager"/> as <c>MessageFormatter.Text</c> reads them, so that the figures include the lookups
/// without this project referencing the web application.
/// </summary>
internal static class BenchSheetWords
{
    private static readonly ResourceManager Strings =
        new("Caravan.Benchmarks.Rules.Resources.SharedResource", typeof(BenchSheetWords).Assembly);

    private static string? Lookup(string key, string language) =>
        Strings.GetString(key, CultureInfo.GetCultureInfo(language));

    public static Func<string, string> Text(string language) => key => Lookup(key, language) ?? key;

    public static async Task<SheetVocabulary> VocabularyAsync(CaravanDbContext db, string language)
    {
        var units = await db.Indicators.AsNoTracking().Select(i => i.Unit).Distinct().ToListAsync();
        units.AddRange(await db.Programmes.AsNoTracking().Select(p => p.Unit).Distinct().ToListAsync());
        return SheetVocabulary.Build(language, (l, key) => Lookup(key, l), units);
    }

    /// <summary>A check that the strings are really there: a missing resource would make every word its key.</summary>
    public static void EnsureLoaded()
    {
        if (Lookup("sheet.col.value", "ru") is not { } ru || ru == "sheet.col.value"
            || ru == Lookup("sheet.col.value", "en"))
            throw new InvalidOperationException("the UI strings (ru) are not embedded in the benchmark assembly");
    }
}

/// <summary>
/// Counts the SQL commands a benchmark's operation sends (each a round trip to the database): what the upload's figures
/// are made of, printed into the run's log. Counting costs an increment per command.
/// </summary>
internal sealed class CommandCounter : DbCommandInterceptor
{
    public static readonly CommandCounter Instance = new();
    private int _count;
    public int Count => _count;
    /// <summary>When set (in a setup, untimed), the commands by the table they start reading or writing.</summary>
    public Dictionary<string, int>? ByTable { get; set; }
    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result)
    {
        Interlocked.Increment(ref _count);
        Tally(command);
        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Interlocked.Increment(ref _count);
        Tally(command);
        return result;
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Interlocked.Increment(ref _count);
        Tally(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _count);
        Tally(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        int result, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _count);
        Tally(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        object? result, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _count);
        Tally(command);
        return ValueTask.FromResult(result);
    }

    private void Tally(DbCommand command)
    {
        if (ByTable is not { } tally) return;
        var m = System.Text.RegularExpressions.Regex.Match(command.CommandText,
            @"(SELECT)\b.*?\bFROM\s+""(\w+)""|(INSERT INTO|UPDATE|DELETE FROM)\s+""(\w+)""",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        var key = !m.Success ? command.CommandText[..Math.Min(30, command.CommandText.Length)]
            : m.Groups[1].Success ? $"SELECT {m.Groups[2].Value}" : $"{m.Groups[3].Value} {m.Groups[4].Value}";
        lock (tally) tally[key] = tally.GetValueOrDefault(key) + 1;
    }
}

/// <summary>
/// A benchmark database on SQLite (a file) or PostgreSQL (a database of its own on the server that
/// <c>CARAVAN_BENCH_POSTGRES</c> names, dropped afterwards), migrated as the application migrates it, with the seed
/// loaded; copies of it for iterations that must start from the same data.
/// </summary>
internal sealed class BenchDatabase
{
    public static readonly string? Postgres = Environment.GetEnvironmentVariable("CARAVAN_BENCH_POSTGRES");
    private readonly string _folder = Directory.CreateTempSubdirectory("caravan-sheet-bench-").FullName;
    private readonly List<string> _databases = [];
    public string Provider { get; }
    public DatabaseSettings Settings { get; private set; }

    public BenchDatabase(string provider)
    {
        Provider = provider;
        Settings = Create();
        using var db = Context();
        db.Database.Migrate();
        new SeedImporter(db).ImportAsync(SeedFile.Load(Path.Combine(AppContext.BaseDirectory, "cca-mechanism.json")))
            .GetAwaiter().GetResult();
    }

    private DatabaseSettings Create(string? template = null)
    {
        if (Provider == "sqlite")
        {
            var file = Path.Combine(_folder, $"caravan-{Guid.NewGuid():N}.db");
            return new DatabaseSettings { Provider = "sqlite", ConnectionString = $"Data Source={file}" };
        }
        var name = $"caravan_bench_sheets_{Guid.NewGuid():N}";
        using var admin = new NpgsqlConnection(Postgres);
        admin.Open();
        using (var create = new NpgsqlCommand(
                   template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}", admin))
            create.ExecuteNonQuery();
        _databases.Add(name);
        return new DatabaseSettings
        {
            Provider = "postgres",
            ConnectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString,
        };
    }

    public CaravanDbContext Context(DatabaseSettings? settings = null)
    {
        var options = new DbContextOptionsBuilder<CaravanDbContext>();
        (settings ?? Settings).Apply(options);
        options.UseAuditKeys(new AuditKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = new byte[32] }));
        options.AddInterceptors(CommandCounter.Instance);
        return new CaravanDbContext(options.Options);
    }

    /// <summary>A copy of the database as it stands (not timed): SQLite's backup, PostgreSQL's template.</summary>
    public DatabaseSettings Copy()
    {
        if (Provider == "sqlite")
        {
            var copy = Create();
            using var source = new Microsoft.Data.Sqlite.SqliteConnection(Settings.ConnectionString);
            using var target = new Microsoft.Data.Sqlite.SqliteConnection(copy.ConnectionString);
            source.Open();
            target.Open();
            source.BackupDatabase(target);
            return copy;
        }
        // A template database may have no other connection open while it is copied.
        NpgsqlConnection.ClearAllPools();
        return Create(new NpgsqlConnectionStringBuilder(Settings.ConnectionString).Database);
    }

    public void Drop(DatabaseSettings copy)
    {
        if (Provider == "sqlite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(copy.ConnectionString).DataSource;
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(copy.ConnectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(Postgres);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
        _databases.Remove(name);
    }

    public void DropAll()
    {
        if (Provider == "sqlite") Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        else
            foreach (var name in _databases.ToList())
                Drop(new DatabaseSettings
                {
                    Provider = "postgres",
                    ConnectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString,
                });
        Directory.Delete(_folder, recursive: true);
    }

    public static IEnumerable<string> Providers() => Postgres is null ? ["sqlite"] : ["sqlite", "postgres"];

    /// <summary>Commitments that the seed does not have, each binding <paramref name="parties"/>.</summary>
    public void AddCommitments(int upTo, string[] parties)
    {
        using var db = Context();
        var period = db.ReportingPeriods.Where(p => !p.Closed).OrderBy(p => p.Order).First().Id;
        var bodies = db.Bodies.Select(b => b.Id).OrderBy(b => b).ToList();
        for (var i = db.Commitments.Count(); i < upTo; i++)
            db.Commitments.Add(new Commitment
            {
                Id = $"bench-{i:0000}", Text = new LocalizedText { En = $"Benchmark commitment {i}" },
                FirstPeriodId = period, Parties = [.. parties], LeadBodies = [bodies[i % bodies.Count]],
            });
        db.SaveChanges();
    }

    public string OpenPeriod()
    {
        using var db = Context();
        return db.ReportingPeriods.Where(p => !p.Closed).OrderBy(p => p.Order).First().Id;
    }
}

/// <summary>
/// Issue 16's first figure in full: a round over 150 commitments binding all six states (the seed's 32 and 118 more)
/// opens, derives its tasks and builds the six states' XLSX templates. One operation is what the secretariat's open
/// (<c>Rounds.OpenAsync</c>) and the round page (<c>RoundQueries.DeriveAsync</c>) do, followed by what six downloads
/// of <c>GET /api/v1/rounds/{id}/sheet</c> do, each with its own DbContext as a request has: the template
/// (<c>RoundSheets.TemplateAsync</c>, which derives the tasks again), the vocabulary, and the workbook written with the
/// OpenXml SDK. The round is set aside after each iteration (not timed). Baseline in the same run: the same 150
/// commitments read once with EF. SQLite always; PostgreSQL too when <c>CARAVAN_BENCH_POSTGRES</c> is set.
/// </summary>
[MemoryDiagnoser, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class RoundSheetTemplateBenchmarks
{
    private static readonly string[] States = ["CN", "KG", "KZ", "TJ", "TM", "UZ"];
    private static readonly string[] Languages = ["zh", "ru", "en", "ru", "ru", "ru"];
    private BenchDatabase _db = null!;
    private string _period = "";
    private readonly Caller _secretariat =
        new("bench", "bench", CaravanRole.SecretariatEditor, null, new HashSet<string>(), true);

    [ParamsSource(nameof(Providers))] public string Provider { get; set; } = "sqlite";

    public static IEnumerable<string> Providers() => BenchDatabase.Providers();

    [GlobalSetup]
    public void Setup()
    {
        BenchSheetWords.EnsureLoaded();
        _db = new BenchDatabase(Provider);
        _db.AddCommitments(150, ["CN", "KZ", "KG", "TJ", "TM", "UZ"]);
        _period = _db.OpenPeriod();
    }

    [GlobalCleanup]
    public void Cleanup() => _db.DropAll();

    [Benchmark(Baseline = true, Description = "baseline: read the 150 commitments once")]
    public int ReadCommitments()
    {
        using var db = _db.Context();
        return db.Commitments.AsNoTracking().ToList().Count;
    }

    [Benchmark(Description = "open, derive, six XLSX templates (150 commitments × 6 states)")]
    public async Task<long> OpenDeriveAndTemplates()
    {
        string round;
        await using (var db = _db.Context())
        {
            var opened = await new Caravan.Features.Rounds.Rounds(db, TimeProvider.System).OpenAsync(_secretariat,
                new RoundInput(new LocalizedText { En = "Benchmark round" }, _period, "2027-03-31", ["7", "1"]));
            if (!opened.Succeeded) throw new InvalidOperationException(opened.Problem?.Message.Code.Key);
            round = opened.Value!;
            var tasks = (await RoundQueries.DeriveAsync(db, round, DateTimeOffset.UtcNow))!.Value.Tasks;
            if (tasks.Count < 800) throw new InvalidOperationException($"only {tasks.Count} tasks");
        }
        long bytes = 0;
        for (var i = 0; i < States.Length; i++)
        {
            await using var db = _db.Context();
            var sheets = new RoundSheets(db, TimeProvider.System, new RecordEditor(db, TimeProvider.System));
            var words = await BenchSheetWords.VocabularyAsync(db, Languages[i]);
            var (template, refusal) = await sheets.TemplateAsync(_secretariat, round, States[i], Languages[i],
                BenchSheetWords.Text(Languages[i]), words);
            if (refusal is not null) throw new InvalidOperationException(refusal.Message.Code.Key);
            if (template!.Rows.Count == 0) throw new InvalidOperationException($"no rows for {States[i]}");
            using var memory = new MemoryStream();
            RoundSheetFile.WriteXlsx(memory, template, words);
            bytes += memory.Length;
        }
        return bytes;
    }

    /// <summary>
    /// The round just opened is set aside (not closed: that would close the period), so the next opens anew.
    /// </summary>
    [IterationCleanup(Target = nameof(OpenDeriveAndTemplates))]
    public void SetOpenRoundAside()
    {
        using var db = _db.Context();
        db.Database.ExecuteSqlRaw(
            "UPDATE \"Rounds\" SET \"OpenPeriodId\" = NULL, \"ClosedAt\" = '2000-01-01 00:00:00+00:00'");
    }
}

/// <summary>
/// Issue 16's second figure: an upload of 1,000 answered rows. Kazakhstan's template holds the assessment tasks of
/// 1,000 more commitments binding it (beside the seed's); 1,000 of them are answered as a coordinator fills them in a
/// spreadsheet (a score from the drop-down, a note, a web source with its title, date, language and confidence, each
/// row its own address: text cells in the shared strings). "Validate" is the upload's preview
/// (<c>RoundSheets.CheckAsync(…, submit: false)</c>: the file read within the upload limits, every row read by the
/// rules and checked by the workflow, nothing stored); "submit" stores the 1,000 submissions in one step under the
/// writers' lock (all rows or none), each iteration on a fresh copy of the database (made and dropped untimed).
/// Baseline in the same run: the bare read of the same file (<c>RoundSheetFile.Read</c>).
/// </summary>
[MemoryDiagnoser, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class RoundSheetUploadBenchmarks
{
    private const int Rows = 1000;
    private const string State = "KZ", Language = "ru";
    private BenchDatabase _db = null!;
    private DatabaseSettings? _copy;
    private string _round = "";
    private byte[] _file = [];
    private SheetVocabulary _words = null!;
    private readonly UploadLimits _limits = new();
    private readonly SheetReading _reading = new(Language, CultureInfo.GetCultureInfo(Language), "");
    private readonly Caller _coordinator =
        new("bench-kz", "Бенчмарк", CaravanRole.NationalCoordinator, State, new HashSet<string>(), true);

    [ParamsSource(nameof(Providers))] public string Provider { get; set; } = "sqlite";

    public static IEnumerable<string> Providers() => BenchDatabase.Providers();

    [GlobalSetup]
    public void Setup()
    {
        BenchSheetWords.EnsureLoaded();
        _db = new BenchDatabase(Provider);
        _db.AddCommitments(Rows + 40, [State]);
        using var db = _db.Context();
        var secretariat =
            new Caller("bench", "bench", CaravanRole.SecretariatEditor, null, new HashSet<string>(), true);
        var opened = new Caravan.Features.Rounds.Rounds(db, TimeProvider.System).OpenAsync(secretariat,
            new RoundInput(new LocalizedText { En = "Benchmark round" }, _db.OpenPeriod(), "2027-03-31", ["7"]))
            .GetAwaiter().GetResult();
        if (!opened.Succeeded) throw new InvalidOperationException(opened.Problem?.Message.Code.Key);
        _round = opened.Value!;
        var sheets = new RoundSheets(db, TimeProvider.System, new RecordEditor(db, TimeProvider.System));
        _words = BenchSheetWords.VocabularyAsync(db, Language).GetAwaiter().GetResult();
        var (template, refusal) = sheets.TemplateAsync(_coordinator, _round, State, Language,
            BenchSheetWords.Text(Language), _words).GetAwaiter().GetResult();
        if (refusal is not null) throw new InvalidOperationException(refusal.Message.Code.Key);
        using var memory = new MemoryStream();
        RoundSheetFile.WriteXlsx(memory, template!, _words);
        _file = Fill(memory.ToArray(), [.. template!.Rows.Where(r => r.TaskKind == AssessmentTasks.Name)
            .Select(r => r.TaskKey).Take(Rows)]);
        Console.WriteLine(
            $"// {template.Rows.Count} tasks in {State}'s template; {Rows} answered; {_file.Length:N0} bytes");
        CommandCounter.Instance.Reset();
        CommandCounter.Instance.ByTable = [];
        CheckAsync(null, submit: false).GetAwaiter().GetResult();
        Console.WriteLine($"// validate: {CommandCounter.Instance.Count} SQL commands: " + string.Join(", ",
            CommandCounter.Instance.ByTable.OrderByDescending(x => x.Value).Take(10)
                .Select(x => $"{x.Key} ×{x.Value}")));
        // The same for a submit, on a copy (dropped).
        var copy = _db.Copy();
        CommandCounter.Instance.Reset();
        CommandCounter.Instance.ByTable = [];
        CheckAsync(copy, submit: true).GetAwaiter().GetResult();
        Console.WriteLine($"// submit: {CommandCounter.Instance.Count} SQL commands: " + string.Join(", ",
            CommandCounter.Instance.ByTable.OrderByDescending(x => x.Value).Take(12)
                .Select(x => $"{x.Key} ×{x.Value}")));
        CommandCounter.Instance.ByTable = null;
        _db.Drop(copy);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.DropAll();

    /// <summary>
    /// Answers for <paramref name="tasks"/>, typed into the template's open cells as a spreadsheet stores them.
    /// </summary>
    private byte[] Fill(byte[] xlsx, List<string> tasks)
    {
        if (tasks.Count < Rows) throw new InvalidOperationException($"only {tasks.Count} assessment tasks");
        var scores = _words.Offer(SheetVocabulary.Scores);
        var confidence = _words.Offer(SheetVocabulary.Confidences);
        var language = _words.Label(SheetVocabulary.Languages, "ru");
        var wanted = tasks.ToHashSet(StringComparer.Ordinal);
        using var output = new MemoryStream();
        output.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(output, true))
        {
            var wb = doc.WorkbookPart!;
            var first = wb.Workbook.Sheets!.Elements<Sheet>().First();
            var sheet = ((WorksheetPart)wb.GetPartById(first.Id!.Value!)).Worksheet;
            var table = wb.SharedStringTablePart!.SharedStringTable;
            var strings = table.Elements<SharedStringItem>().Select(s => s.InnerText).ToList();
            var index = 0;
            foreach (var row in sheet.Descendants<Row>().Where(r => r.RowIndex!.Value > 1))
            {
                var a = row.Elements<Cell>().First();
                var key = a.DataType?.Value == CellValues.SharedString
                    ? strings[int.Parse(a.CellValue!.Text, CultureInfo.InvariantCulture)] : a.InnerText;
                if (!wanted.Contains(key)) continue;
                var n = index++;
                var answer = new Dictionary<string, string>
                {
                    ["G"] = scores[n % scores.Count].Label,
                    ["K"] = $"Министерство сообщает о ходе выполнения, мера № {n + 1}: приняты постановления " +
                        "и выделены средства.",
                    ["L"] = $"https://gov.kz/memleket/entities/mfa/documents/details/{500000 + n}?lang=ru",
                    ["M"] = $"Отчёт министерства № {n + 1}",
                    ["N"] = "2026-03-01",
                    ["O"] = language,
                    ["P"] = confidence[n % confidence.Count].Label,
                };
                foreach (var (column, value) in answer)
                {
                    var reference = column + row.RowIndex!.Value;
                    var cell = row.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == reference)
                        ?? throw new InvalidOperationException($"no cell {reference} in the template");
                    cell.RemoveAllChildren();
                    table.AppendChild(
                        new SharedStringItem(new Text(value) { Space = SpaceProcessingModeValues.Preserve }));
                    cell.DataType = CellValues.SharedString;
                    cell.CellValue = new CellValue(strings.Count);
                    strings.Add(value);
                }
            }
            if (index != Rows) throw new InvalidOperationException($"{index} rows filled");
            table.Count = table.UniqueCount = (uint)strings.Count;
            table.Save();
            sheet.Save();
        }
        return output.ToArray();
    }

    private async Task<SheetOutcome> CheckAsync(DatabaseSettings? settings, bool submit)
    {
        await using var db = _db.Context(settings);
        var sheets = new RoundSheets(db, TimeProvider.System, new RecordEditor(db, TimeProvider.System));
        var (outcome, refusal) = await sheets.CheckAsync(_coordinator, _round, State, _file, "answers.xlsx", _words,
            _reading, _limits, perRow: false, submit: submit);
        if (refusal is not null) throw new InvalidOperationException(refusal.Message.Code.Key);
        if (outcome!.Accepted != Rows || outcome.Refused != 0)
            throw new InvalidOperationException($"{outcome.Accepted} accepted, {outcome.Refused} refused: " +
                string.Join("; ", outcome.Rows.SelectMany(r => r.Problems).Take(3)
                    .Select(p => $"row {p.Row} {p.Column} {p.Message.Code.Key}")));
        return outcome;
    }

    [Benchmark(Baseline = true, Description = "baseline: read the 1,000-row XLSX (RoundSheetFile.Read)")]
    public int Read()
    {
        var (content, refusal) = RoundSheetFile.Read(_file, "answers.xlsx", _limits, _words);
        if (refusal is not null) throw new InvalidOperationException(refusal.Code.Key);
        return content!.Rows.Count;
    }

    [Benchmark(Description = "validate 1,000 rows (preview, nothing stored)")]
    public async Task<int> Validate() => (await CheckAsync(null, submit: false)).Accepted;

    [IterationSetup(Target = nameof(Submit))]
    public void FreshCopy() => _copy = _db.Copy();

    [Benchmark(Description = "submit 1,000 rows (1,000 submissions, one write step)")]
    public async Task<int> Submit()
    {
        CommandCounter.Instance.Reset();
        var outcome = await CheckAsync(_copy, submit: true);
        return outcome.Submitted == Rows ? outcome.Submitted
            : throw new InvalidOperationException($"{outcome.Submitted} submitted");
    }

    [IterationCleanup(Target = nameof(Submit))]
    public void DropCopy()
    {
        Console.WriteLine($"// submit: {CommandCounter.Instance.Count} SQL commands");
        if (_copy is not null) _db.Drop(_copy);
        _copy = null;
    }
}
