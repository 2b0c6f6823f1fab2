using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using System.Xml.Schema;
using Caravan.Data;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Projects;

public sealed record IatiImportOptions
{
    /// <summary>
    /// Keep out activities that break the Standard's rules (warnings), as imports did before findings were stored
    /// (<c>--strict</c>). By default such an activity is stored with its findings; schema errors always keep one out.
    /// </summary>
    public bool Strict { get; init; }
    /// <summary>New projects are published at once (the secretariat imports); updated ones keep their state.</summary>
    public bool Publish { get; init; } = true;
    public int BatchSize { get; init; } = 250;
    public long MaxBytes { get; init; } = 1L << 30;
    /// <summary>The length of a tag or text and the depth of nesting the reader accepts (Caravan:Uploads).</summary>
    public Caravan.Features.Uploads.UploadLimits? Limits { get; init; }
    public string FileName { get; init; } = "";
    public required string By { get; init; }
    /// <summary>The official XSD, when configured: every activity is validated against it too.</summary>
    public XmlSchemaSet? Schema { get; init; }
    /// <summary>
    /// Make each batch visible as it is stored (the behaviour before imports were all or nothing): a broken file
    /// or a killed run keeps the batches stored before. By default nothing of a file is visible until it completes.
    /// </summary>
    public bool KeepPartial { get; init; }
}

/// <summary>One line of an import report: an activity, where, the rule, a message key and its detail.</summary>
public sealed record ImportLine(string Activity, int Line, string Path, string Rule,
    [property: System.Text.Json.Serialization.JsonIgnore] Message Message, bool IsError)
{
    // The run's stored report keeps its shape: the code and the detail as written, for the record.
    public string Code => Message.Code.Key;
    public string? Detail => Message.Args.Count == 0 ? null : string.Join(", ", Message.Args.Select(a => a.Invariant));
}

/// <summary>
/// What an import did. Counts are exact; the lists keep the first <see cref="IatiImport.ReportLimit"/> lines.
/// </summary>
public sealed class ImportReport
{
    public string RunId { get; set; } = "";
    public int Read { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Skipped { get; set; }
    public int ProblemCount { get; set; }
    /// <summary>
    /// Activities stored (added, updated or unchanged) that carry rule findings: warnings only, as an error keeps an
    /// activity out.
    /// </summary>
    public int StoredWithFindings { get; set; }
    /// <summary>The run's status: completed, or failed (nothing of the file is visible unless kept partial).</summary>
    public string Status { get; set; } = ImportRunStatus.Completed;
    /// <summary>The batches were made visible as stored (<see cref="IatiImportOptions.KeepPartial"/>).</summary>
    public bool KeptPartial { get; set; }
    /// <summary>Not started: another import is running (<see cref="Stopped"/> says which).</summary>
    public bool Refused { get; set; }
    public List<ImportLine> Problems { get; } = [];
    public List<ImportChange> Changes { get; } = [];
    /// <summary>Every finding and error of the file by rule: how often, in how many activities, the first examples.</summary>
    public List<FindingSummary> Summary { get; set; } = [];
    /// <summary>
    /// Why the run failed: the file broke off (a message key and the reader's detail, with the line), or another
    /// reason (<see cref="ImportMessages"/>). Nothing of the file is stored then, unless kept partial.
    /// </summary>
    public Message? Stopped { get; set; }
    public string Sha256 { get; set; } = "";
    public long Bytes { get; set; }

    /// <summary>What the run came to, from the counts above (the CLI's exit code, the API's <c>outcome</c>).</summary>
    public ImportOutcome Outcome =>
        Refused ? ImportOutcome.Busy
        : Stopped is not null ? ImportOutcome.FileRefused
        : Skipped > 0 ? ImportOutcome.ActivitiesRefused
        : StoredWithFindings > 0 ? ImportOutcome.StoredWithFindings
        : ImportOutcome.Stored;
}

/// <summary>
/// What an IATI import came to, worst last: every activity stored; stored, some with rule findings; some activities
/// refused (schema errors, or findings not accepted); the file refused (it broke off, or the run failed: nothing of
/// it kept unless kept partial); not started because another import runs.
/// </summary>
public enum ImportOutcome
{
    Stored,
    StoredWithFindings,
    ActivitiesRefused,
    FileRefused,
    Busy,
}

public sealed record ImportChange(string Activity, List<string> Changed);

/// <summary>
/// Imports an IATI 2.03 file: streams it one activity at a time (memory flat whatever the size), checks
/// each against the rules (and the XSD when given), and stores valid activities in transactional batches
/// through <see cref="ProjectStore"/>. Upsert by identifier: an unchanged activity (same content hash) is
/// not written again; a changed one is replaced and its changes listed. All or nothing: the batches are staged
/// (seen by no read; a changed activity as a staged new version beside the stored one) and made visible in one
/// transaction when the file has been read to its end; a broken file, an error or a killed process leaves
/// nothing visible. The run is an <see cref="ImportRun"/> from its start (running, audited), completed or
/// failed with what it made visible or removed (<see cref="ImportRunLog"/>).
/// </summary>
public static class IatiImport
{
    public const int ReportLimit = 2000;

    public static async Task<ImportReport> RunAsync(CaravanDbContext db, Stream file, IatiImportOptions options,
        CancellationToken ct = default)
    {
        var report = new ImportReport { KeptPartial = options.KeepPartial };
        await ImportRunLog.RecoverAsync(db, ct);
        var (run, other) = await ImportRunLog.StartAsync(db, options.FileName, options.By, !options.Strict,
            options.KeepPartial, ct);
        if (run is null)
        {
            report.Refused = true;
            report.Status = ImportRunStatus.Failed;
            report.Stopped = ImportRunLog.Busy(other!);
            return report;
        }
        report.RunId = run.Id;
        try
        {
            await StoreFileAsync(db, file, options, run.Id, report, ct);
        }
        catch (Exception e)
        {
            // Nothing of the file stays visible (a kept-partial run keeps its stored batches), and the run says why.
            report.Status = ImportRunStatus.Failed;
            var reason = e is OperationCanceledException
                ? new Message(ImportMessages.Cancelled)
                : new Message(ImportMessages.Error, $"{e.GetType().Name}: {e.Message}");
            try
            {
                await ImportRunLog.FinishAsync(db, run, report, ImportRunStatus.Failed, reason,
                    options.KeepPartial ? StagedAction.None : StagedAction.Discard, publishNew: false,
                    refreshUmbrellas: options.KeepPartial, CancellationToken.None);
            }
            catch (Exception)
            {
                // The database itself failed: the run stays "running", and the next import or start-up fails it.
            }
            throw;
        }
        var failed = report.Stopped is not null;
        report.Status = failed ? ImportRunStatus.Failed : ImportRunStatus.Completed;
        if (failed && !options.KeepPartial) report.Added = report.Updated = report.StoredWithFindings = 0;
        await ImportRunLog.FinishAsync(db, run, report, report.Status, report.Stopped,
            options.KeepPartial ? StagedAction.None : failed ? StagedAction.Discard : StagedAction.Publish,
            options.Publish, refreshUmbrellas: report.Added + report.Updated > 0, ct);
        return report;
    }

    private static async Task StoreFileAsync(CaravanDbContext db, Stream file, IatiImportOptions options,
        string runId, ImportReport report, CancellationToken ct)
    {
        var store = new ProjectStore(db);
        var nextId = await store.NextIdAsync(ct);
        // Into an empty table every activity is new (the reader refuses an identifier repeated in the file):
        // no need to look each batch up.
        var empty = nextId == 1;
        await store.PrepareForBulkAsync(ct);
        using var hashing = new CountingHashStream(file, options.MaxBytes);
        // Two stages on two threads: reading, checking and serialising activities (CPU) runs ahead of
        // storing them (database), at most one batch ahead, so memory stays flat whatever the file's size.
        var batches = Channel.CreateBounded<List<Prepared>>(
            new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => ReadAsync(hashing, options, report, batches.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
                nextId = await StoreAsync(store, batch, nextId, empty, options, runId, report, ct);
        }
        catch
        {
            // The store failed: stop the reader (it may be waiting for room in the channel) before giving up.
            await stop.CancelAsync();
            try { await reading; } catch (OperationCanceledException) { }
            throw;
        }
        await reading; // rethrows what the reader met, other than a broken file (which is in the report)
        report.Sha256 = hashing.Sha256();
        report.Bytes = hashing.Count;
    }

    /// <summary>
    /// An activity ready to store: its JSON, content hash and projections (the id is given when stored).
    /// </summary>
    private sealed record Prepared(IatiActivity Activity, ProjectRows Rows);

    private static async Task ReadAsync(Stream file, IatiImportOptions options, ImportReport report,
        ChannelWriter<List<Prepared>> output, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<Prepared>(options.BatchSize);
        var now = DateTimeOffset.UtcNow;
        var tally = new FindingTally();
        try
        {
            foreach (var activity in IatiReader.Read(file, options.Schema, options.Limits))
            {
                report.Read++;
                var problems = IatiRules.Check(activity);
                foreach (var error in activity.SchemaErrors ?? [])
                    problems.Add(
                        new IatiProblem(activity.Identifier, "xsd", "schema", new(IatiMessages.Xsd, error),
                            IsError: true));
                if (activity.Identifier.Length > 0 && !seen.Add(activity.Identifier))
                    problems.Add(
                        new IatiProblem(activity.Identifier, "iati-identifier", "unique", new(IatiMessages.Duplicate),
                            IsError: true));
                foreach (var p in problems)
                {
                    report.ProblemCount++;
                    tally.Add(activity.Identifier, activity.Line, p.Path, p.Rule, p.Message, p.IsError);
                    if (report.Problems.Count < ReportLimit)
                        report.Problems.Add(
                            new ImportLine(activity.Identifier, activity.Line, p.Path, p.Rule, p.Message, p.IsError));
                }
                // Schema errors keep an activity out; rule findings only when strict, else they are stored with it.
                if (problems.Any(p => p.IsError) || (problems.Count > 0 && options.Strict))
                {
                    report.Skipped++;
                    continue;
                }
                var (project, transactions, countries) = ProjectRules.ToRows(activity, 0, activity.ToJson(), now,
                    options.By);
                if (problems.Count > 0)
                {
                    project.Findings = ProjectFindings.ToJson(problems, activity.Line);
                    project.FindingCount = problems.Count;
                    report.StoredWithFindings++;
                }
                batch.Add(new Prepared(activity, new ProjectRows(project, transactions, countries)));
                if (batch.Count >= options.BatchSize)
                {
                    await output.WriteAsync(batch, ct);
                    batch = new List<Prepared>(options.BatchSize);
                }
            }
        }
        catch (IatiFileException e)
        {
            // The run fails: its staged batches are removed. Kept partial, the whole batches before the break stay.
            report.Stopped = e.Reason;
        }
        finally
        {
            report.Summary = tally.Summary();
            if (batch.Count > 0 && !ct.IsCancellationRequested && (report.Stopped is null || options.KeepPartial))
                await output.WriteAsync(batch, ct);
            output.Complete();
        }
    }

    private static async Task<long> StoreAsync(ProjectStore store, List<Prepared> batch, long nextId, bool empty,
        IatiImportOptions options, string runId, ImportReport report, CancellationToken ct)
    {
        var staged = !options.KeepPartial;
        var existing = empty ? [] : await store.ExistingAsync([.. batch.Select(b => b.Activity.Identifier)], ct);
        var inserted = new List<ProjectRows>();
        var updated = new List<ProjectRows>();
        foreach (var (activity, rows) in batch)
        {
            if (existing.TryGetValue(activity.Identifier, out var stored))
            {
                if (stored.Hash == rows.Project.ContentHash && stored.Findings == rows.Project.Findings)
                {
                    report.Unchanged++;
                    continue;
                }
                updated.Add(WithId(rows, stored.Id));
            }
            else
            {
                // Staged, a new project is unpublished until the run completes, as every read requires.
                rows.Project.Published = options.Publish && !staged;
                rows.Project.Staged = staged;
                inserted.Add(WithId(rows, nextId++));
            }
        }
        if (updated.Count > 0)
        {
            var before = await store.ActivitiesAsync([.. updated.Select(u => u.Project.Id)], ct);
            foreach (var rows in updated)
                if (report.Changes.Count < ReportLimit)
                    report.Changes.Add(
                        new ImportChange(rows.Project.IatiIdentifier,
                            ProjectRules.Diff(before[rows.Project.Id], rows.Project.Activity)));
        }
        var added = inserted.Count;
        if (staged)
        {
            // A changed activity is staged as a new version beside the stored project, which stays as it is (and
            // visible) until the run completes.
            foreach (var rows in updated)
            {
                rows.Project.Replaces = rows.Project.Id;
                rows.Project.Staged = true;
                rows.Project.Published = false;
                inserted.Add(WithId(rows, nextId++));
            }
            await store.WriteAsync(inserted, [], ct, runId);
        }
        else await store.WriteAsync(inserted, updated, ct, runId);
        report.Added += added;
        report.Updated += updated.Count;
        return nextId;
    }

    private static ProjectRows WithId(ProjectRows rows, long id)
    {
        rows.Project.Id = id;
        foreach (var t in rows.Transactions) t.ProjectId = id;
        foreach (var c in rows.Countries) c.ProjectId = id;
        return rows;
    }

    /// <summary>The run's stored report: the first lines of problems and changes, and the count of problems.</summary>
    internal static string ReportJson(ImportReport report) => JsonSerializer.Serialize(
        new
        {
            problems = report.Problems, changes = report.Changes, problemCount = report.ProblemCount,
            summary = report.Summary, storedWithFindings = report.StoredWithFindings,
        },
        JsonSerializerOptions.Web);

    /// <summary>
    /// The file's findings by rule as a run's stored report keeps them (<see cref="ReportJson"/>): read back for the
    /// record of imports, each example's message to be shown in the reader's language. Empty for a report without one.
    /// </summary>
    public static List<FindingSummary> StoredSummary(string reportJson)
    {
        using var report = JsonDocument.Parse(reportJson);
        if (!report.RootElement.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.Array)
            return [];
        return
        [
            .. summary.EnumerateArray().Select(s => new FindingSummary(
                s.GetProperty("rule").GetString()!, s.GetProperty("code").GetString()!,
                s.GetProperty("isError").GetBoolean(), s.GetProperty("count").GetInt32(),
                s.GetProperty("activities").GetInt32(),
                [
                    .. s.GetProperty("examples").EnumerateArray().Select(e => new FindingExample(
                        e.GetProperty("activity").GetString()!, e.GetProperty("line").GetInt32(),
                        e.GetProperty("path").GetString()!,
                        new Message(new MessageCode(e.GetProperty("code").GetString()!),
                            [.. e.GetProperty("args").EnumerateArray()
                                .Select(a => (MessageArg)new MessageArg.Text(a.GetString() ?? ""))]))),
                ])),
        ];
    }

    /// <summary>Why a run failed, as the run keeps it: the message key, then its detail (<see cref="ReasonOf"/>).</summary>
    internal static string Describe(Message reason)
    {
        var text = reason.Args.Count == 0
            ? reason.Code.Key
            : $"{reason.Code.Key}: {string.Join(", ", reason.Args.Select(a => a.Invariant))}";
        return text.Length > 2000 ? text[..2000] : text;
    }

    /// <summary>A run's stored reason as a message again, to be shown in the reader's language.</summary>
    public static Message? ReasonOf(string? stopped)
    {
        if (string.IsNullOrEmpty(stopped)) return null;
        var colon = stopped.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0
            ? new Message(new MessageCode(stopped))
            : new Message(new MessageCode(stopped[..colon]), stopped[(colon + 2)..]);
    }
}

/// <summary>
/// Reads through to the file while hashing and counting its bytes; past the limit it stops the import with one message.
/// </summary>
internal sealed class CountingHashStream(Stream inner, long maxBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    public long Count { get; private set; }

    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Account(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..n]);
        return n;
    }

    private void Account(ReadOnlySpan<byte> read)
    {
        Count += read.Length;
        if (Count > maxBytes)
            throw new IatiFileException(IatiMessages.TooLarge,
                maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _hash.AppendData(read);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Writes the published projects as one IATI 2.03 file, reading them in pages (memory flat whatever their number).
/// </summary>
public static class IatiExport
{
    /// <param name="generated">The file's generated-datetime (default now); an open-data release gives its own date, so
    /// that the same data gives the same bytes.</param>
    public static async Task<int> WriteAsync(CaravanDbContext db, Stream output, CancellationToken ct = default,
        DateTimeOffset? generated = null)
    {
        var count = 0;
        long last = 0;
        using var writer = new IatiWriter(output, generated ?? DateTimeOffset.UtcNow);
        while (true)
        {
            var page = await db.Projects.AsNoTracking().Where(p => p.Published && p.Id > last).OrderBy(p => p.Id)
                .Take(500)
                .Select(p => new { p.Id, p.Activity }).ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var p in page) writer.Write(IatiActivity.FromJson(p.Activity));
            count += page.Count;
            last = page[^1].Id;
        }
        return count;
    }
}
