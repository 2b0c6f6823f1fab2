using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// A counter that moves whenever this process writes data. Cached API responses and pages are keyed
/// by it, so that a write is visible on the next request. (One process; several instances would share
/// it through the database — a later concern.)
/// </summary>
public sealed class DataVersion
{
    private long _value;
    public long Value => Interlocked.Read(ref _value);
    public event Action? Changed;
    public void Bump()
    {
        Interlocked.Increment(ref _value);
        Changed?.Invoke();
    }
}

public sealed class DataVersionInterceptor(DataVersion version) : SaveChangesInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (result > 0) version.Bump();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (result > 0) version.Bump();
        return ValueTask.FromResult(result);
    }
}
