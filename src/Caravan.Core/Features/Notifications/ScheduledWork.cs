using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Notifications;

/// <summary>
/// A job that runs once per period across every node: the weekly digest, a reporting round's reminders. The host asks
/// each job for the current period's name (null: nothing due now) and runs it through <see cref="ScheduledWork"/>.
/// </summary>
public interface IScheduledJob
{
    /// <summary>A stable name, e.g. <c>weekly-digest</c>.</summary>
    string Name { get; }

    /// <summary>The period due at <paramref name="now"/> (e.g. <c>2026-W50</c>), or null when nothing is due.</summary>
    string? PeriodOf(DateTimeOffset now);

    /// <summary>The work, inside the write step that records the run: raise notifications, write rows; no save.</summary>
    Task RunAsync(CaravanDbContext db, string period, DateTimeOffset now, CancellationToken ct);
}

/// <summary>A job's run for one period: its primary key is what makes the run happen once.</summary>
public sealed class ScheduledRun : Caravan.Features.Audit.IUnaudited
{
    public required string Job { get; set; }
    public required string Period { get; set; }
    public DateTimeOffset RanAt { get; set; }
}

public static class ScheduledWork
{
    /// <summary>
    /// Runs <paramref name="work"/> for (<paramref name="job"/>, <paramref name="period"/>) unless it already ran, in
    /// one write step under the writers' lock: the run's row and everything the work adds commit together or not at
    /// all, so across nodes it happens exactly once, and a node that dies half-way leaves it to the next. True when
    /// this call ran it.
    /// </summary>
    public static Task<bool> RunOnceAsync(CaravanDbContext db, string job, string period,
        Func<CancellationToken, Task> work, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async () =>
        {
            if (await db.ScheduledRuns.AnyAsync(r => r.Job == job && r.Period == period, ct)) return false;
            db.ScheduledRuns.Add(new ScheduledRun { Job = job, Period = period, RanAt = now });
            await work(ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);

    /// <summary>The ISO week of <paramref name="now"/> (UTC) as <c>2026-W50</c>.</summary>
    public static string IsoWeek(DateTimeOffset now)
    {
        var day = now.UtcDateTime;
        return $"{System.Globalization.ISOWeek.GetYear(day)}-W{System.Globalization.ISOWeek.GetWeekOfYear(day):00}";
    }
}

internal sealed class ScheduledRunConfiguration : IEntityTypeConfiguration<ScheduledRun>
{
    public void Configure(EntityTypeBuilder<ScheduledRun> e)
    {
        e.HasKey(x => new { x.Job, x.Period });
        e.Property(x => x.Job).HasMaxLength(100);
        e.Property(x => x.Period).HasMaxLength(100);
    }
}
