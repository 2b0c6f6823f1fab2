using System.Reflection;

namespace Caravan.Data;

/// <summary>
/// Data a feature derives from the rows a save changes and keeps in the same transaction (the projects' totals cells):
/// called before EF writes the changes, with the tracker as it is, and after, with what <see cref="BeforeSaveAsync"/>
/// returned. Found by reflection, as entity configurations are: a feature adding one edits nothing here.
/// </summary>
public interface ISaveHook
{
    /// <summary>What to carry to <see cref="AfterSaveAsync"/>, or null when this save changes nothing of the hook's.</summary>
    Task<object?> BeforeSaveAsync(CaravanDbContext db, CancellationToken ct);

    Task AfterSaveAsync(CaravanDbContext db, object state, CancellationToken ct);
}

internal static class SaveHooks
{
    public static readonly IReadOnlyList<ISaveHook> All = [.. typeof(SaveHooks).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISaveHook).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (ISaveHook)Activator.CreateInstance(t, nonPublic: true)!)];
}
