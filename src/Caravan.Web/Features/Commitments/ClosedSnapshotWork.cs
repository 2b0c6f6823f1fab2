using System.Threading.Channels;

namespace Caravan.Web.Features.Commitments;

/// <summary>
/// Work a feature does for a snapshot right after its period closes, once the close has committed: the report's facts
/// and the open-data release are frozen then, so that "status as at the close" holds the other tables as they stood at
/// the close, not as they stand whenever someone first asks (which still freezes them, if this node dies first).
/// </summary>
public interface IClosedSnapshotWork
{
    /// <summary>For the log: what the work makes.</summary>
    string Name { get; }

    /// <summary>Idempotent: a second call, or another node's, stores nothing new.</summary>
    Task RunAsync(IServiceProvider services, string snapshotId, CancellationToken ct);
}

/// <summary>
/// The closes waiting for their work. The page and the API that close a period enqueue after the close has committed;
/// <see cref="ClosedSnapshotWorker"/> runs the registered work in the background, in registration order, so that the
/// close answers at once and the work (a release at 100,000 projects takes tens of seconds) never holds the writers'
/// lock.
/// </summary>
public sealed class ClosedSnapshots
{
    private readonly Channel<string> _closed = Channel.CreateUnbounded<string>();

    public void Closed(string snapshotId) => _closed.Writer.TryWrite(snapshotId);

    internal ChannelReader<string> Reader => _closed.Reader;
}

public sealed class ClosedSnapshotWorker(ClosedSnapshots closed, IEnumerable<IClosedSnapshotWork> work,
    IServiceScopeFactory scopes, ILogger<ClosedSnapshotWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in closed.Reader.ReadAllAsync(stoppingToken))
                foreach (var w in work)
                {
                    try
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        await w.RunAsync(scope.ServiceProvider, id, stoppingToken);
                        log.LogInformation("{Work} for snapshot {Snapshot} made after its close", w.Name, id);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The first request makes it instead: nothing is lost, only the moment it stands at.
                        log.LogWarning(e, "{Work} for snapshot {Snapshot} failed after its close; it is made when first asked for",
                            w.Name, id);
                    }
                }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
