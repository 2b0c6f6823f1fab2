namespace Caravan.Shared;

/// <summary>
/// A record people edit. <see cref="Version"/> goes up by one on every save and is checked by the
/// database on update (optimistic concurrency): the second of two conflicting saves fails instead of
/// silently overwriting the first.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
}
