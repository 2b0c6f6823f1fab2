using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Projects;

/// <summary>Why an IATI import run failed or was refused, beside the reader's own reasons.</summary>
public static class ImportMessages
{
    /// <summary>A run left "running" by a process that is gone (killed, crashed, restarted).</summary>
    public static readonly MessageCode Abandoned = new("import.abandoned");
    public static readonly MessageCode Busy = new("import.busy");
    public static readonly MessageCode Cancelled = new("import.cancelled");
    public static readonly MessageCode Error = new("import.error");
}

/// <summary>
/// The record of an IATI import run from its first moment: recorded "running" (and audited) before anything is
/// stored, then completed or failed, each in the same transaction as what it makes visible or removes. A run
/// left running by a process that is gone is failed, and its staged rows deleted, by the next import or the
/// app's start-up (<see cref="RecoverAsync"/>).
/// </summary>
public static class ImportRunLog
{
    /// <summary>A run from another host whose last batch is older than this is taken as abandoned.</summary>
    public static readonly TimeSpan SilentFor = TimeSpan.FromMinutes(10);

    // The runs this process is running now: one of its own runs not among them was left by a failure.
    private static readonly ConcurrentDictionary<string, byte> Active = new(StringComparer.Ordinal);

    private static readonly long StartSeconds = Seconds(Process.GetCurrentProcess().StartTime);

    /// <summary>This process, as a run records it: host/pid/start (Unix seconds, which a reused pid does not share).</summary>
    public static string CurrentOwner { get; } =
        $"{Environment.MachineName}/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}/"
        + StartSeconds.ToString(CultureInfo.InvariantCulture);

    private static long Seconds(DateTime local) => new DateTimeOffset(local.ToUniversalTime()).ToUnixTimeSeconds();

    /// <summary>
    /// Records the run as running (audited). Null when another IATI import is running (at most one runs at a
    /// time: its staged rows and the ids it hands out are its own until it ends); that run is returned in
    /// <paramref name="other"/>.
    /// </summary>
    public static async Task<(ImportRun? Run, ImportRun? Other)> StartAsync(CaravanDbContext db, string fileName,
        string by, bool acceptWarnings, bool keepPartial, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var run = new ImportRun
        {
            Id = Guid.CreateVersion7().ToString("N"), Kind = "iati",
            FileName = fileName.Length > 255 ? fileName[..255] : fileName, Sha256 = "", StartedAt = now,
            FinishedAt = now, By = by, AcceptedWarnings = acceptWarnings, Status = ImportRunStatus.Running,
            Owner = CurrentOwner, HeartbeatAt = now, KeptPartial = keepPartial, Report = "{}",
        };
        Active[run.Id] = 0;
        db.ImportRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index on running runs refused it: another import is running.
            Active.TryRemove(run.Id, out _);
            db.ChangeTracker.Clear();
            var other = await db.ImportRuns.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Kind == "iati" && r.Status == ImportRunStatus.Running, ct);
            if (other is null) throw;
            return (null, other);
        }
        catch
        {
            Active.TryRemove(run.Id, out _);
            throw;
        }
        db.ChangeTracker.Clear();
        return (run, null);
    }

    /// <summary>The message for a refused start: which file is being imported, since when and by whom.</summary>
    public static Message Busy(ImportRun other) => new(ImportMessages.Busy, other.FileName,
        other.StartedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), other.By);

    /// <summary>
    /// Ends the run: <paramref name="publish"/> makes its staged rows visible (a new version replacing the stored
    /// one, new projects published or kept as drafts as the run asked), <paramref name="discard"/> deletes them;
    /// the run's record is updated and audited in the same transaction, so that no reader ever sees the projects
    /// without the completed run, or the run failed with its rows still there.
    /// </summary>
    internal static async Task FinishAsync(CaravanDbContext db, ImportRun run, ImportReport report, string status,
        Message? reason, StagedAction staged, bool publishNew, bool refreshUmbrellas, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var store = new ProjectStore(db);
        // One write step: the switch of the rows and the run's audited record commit together, under the writers' lock.
        await db.WriteAsync(async () =>
        {
            if (staged == StagedAction.Publish) await store.PublishStagedAsync(publishNew, ct);
            else if (staged == StagedAction.Discard) await store.DiscardStagedAsync(ct);
            if (refreshUmbrellas) await store.RefreshUmbrellasAsync(ct);
            db.ImportRuns.Attach(run);
            run.Status = status;
            run.FinishedAt = DateTimeOffset.UtcNow;
            run.Sha256 = report.Sha256;
            run.Bytes = report.Bytes;
            run.Added = report.Added;
            run.Updated = report.Updated;
            run.Unchanged = report.Unchanged;
            run.Skipped = report.Skipped;
            run.Stopped = reason is null ? null : IatiImport.Describe(reason);
            run.Report = IatiImport.ReportJson(report);
            return await db.SaveChangesAsync(ct);
        }, ct);
        db.ChangeTracker.Clear();
        Active.TryRemove(run.Id, out _);
    }

    /// <summary>
    /// Fails every IATI run left "running" by a process that is gone, deleting its staged rows, each in one
    /// transaction with its audited record. Called before every import and at the app's start-up. Returns the runs
    /// it failed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RecoverAsync(CaravanDbContext db, CancellationToken ct = default)
    {
        var failed = new List<string>();
        var running = await db.ImportRuns.AsNoTracking()
            .Where(r => r.Kind == "iati" && r.Status == ImportRunStatus.Running).ToListAsync(ct);
        foreach (var run in running.Where(r => IsGone(r, DateTimeOffset.UtcNow)))
        {
            var report = new ImportReport { Added = 0, Updated = 0, Sha256 = run.Sha256, Bytes = run.Bytes };
            // What a kept-partial run stored is visible already; a staged run's rows go.
            await FinishAsync(db, run, report, ImportRunStatus.Failed,
                new Message(ImportMessages.Abandoned, run.Owner ?? "?"),
                run.KeptPartial ? StagedAction.None : StagedAction.Discard, publishNew: false,
                refreshUmbrellas: run.KeptPartial, ct);
            failed.Add(run.Id);
        }
        return failed;
    }

    /// <summary>
    /// Whether the process that runs <paramref name="run"/> is gone: on this host, its pid is not running, or runs
    /// another process (a different start), or it is this process and the run is not among its active ones; from
    /// another host, no batch for <see cref="SilentFor"/>.
    /// </summary>
    public static bool IsGone(ImportRun run, DateTimeOffset now)
    {
        var parts = (run.Owner ?? "").Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var started))
            return (run.HeartbeatAt ?? run.StartedAt) < now - SilentFor;
        if (run.Owner == CurrentOwner) return !Active.ContainsKey(run.Id);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || Seconds(process.StartTime) != started;
        }
        catch (ArgumentException) { return true; } // no such process
        catch (InvalidOperationException) { return true; } // it exited meanwhile
    }
}

/// <summary>What the end of a run does with its staged rows.</summary>
internal enum StagedAction { None, Publish, Discard }
