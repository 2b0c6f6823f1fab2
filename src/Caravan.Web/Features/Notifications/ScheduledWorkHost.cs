using Caravan.Data;
using Caravan.Features.Notifications;

namespace Caravan.Web.Features.Notifications;

/// <summary>
/// Runs each registered <see cref="IScheduledJob"/> when its period is due, on every node; the database decides which
/// node's run counts (<see cref="ScheduledWork.RunOnceAsync"/>), so each period runs once.
/// </summary>
public sealed class ScheduledWorkHost(IServiceScopeFactory scopes, IEnumerable<IScheduledJob> jobs,
    MailSettings settings, TimeProvider clock, ILogger<ScheduledWorkHost> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogWarning(e, "Scheduled work failed; it is tried again."); }
            try { await Task.Delay(settings.PollInterval * 12, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Runs every job whose period is due and has not run; the names of those this node ran.</summary>
    public async Task<List<string>> RunDueAsync(CancellationToken ct)
    {
        var ran = new List<string>();
        foreach (var job in jobs)
        {
            var now = clock.GetUtcNow();
            if (job.PeriodOf(now) is not { } period) continue;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            if (await ScheduledWork.RunOnceAsync(db, job.Name, period, c => job.RunAsync(db, period, now, c), now, ct))
            {
                log.LogInformation("Scheduled job {Job} ran for {Period}", job.Name, period);
                ran.Add(job.Name);
            }
        }
        return ran;
    }
}
