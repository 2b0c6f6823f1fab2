using Caravan.Data;

namespace Caravan.Shared;

/// <summary>
/// A row whose id is a hash of its content (an uploaded file, a proposed web source): two requests that add
/// the same one at once add the same row. The save drops an addition whose id is already stored, under the
/// write lock, so the second request succeeds instead of failing on the key.
/// </summary>
public interface IContentAddressed
{
    Task<bool> IsStoredAsync(CaravanDbContext db, CancellationToken ct);
}
