using Caravan.Data;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Mechanism;

public sealed record BodyFilter(BodyKind? Kind = null, BodyStatus? Status = null, string? Host = null);

public sealed record MeetingFilter(string? Body = null, string? Host = null, MeetingStatus? Status = null,
    int? Year = null);

/// <summary>
/// Reads of the mechanism's registry: states, bodies, meetings, directions. Used by pages, API and tests.
/// </summary>
public sealed class MechanismQueries(CaravanDbContext db)
{
    public Task<List<MemberState>> StatesAsync(CancellationToken ct = default) =>
        db.MemberStates.AsNoTracking().OrderBy(s => s.Order).ToListAsync(ct);

    public Task<MemberState?> StateAsync(string id, CancellationToken ct = default) =>
        db.MemberStates.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id.ToUpperInvariant(), ct);

    public Task<List<Body>> BodiesAsync(BodyFilter filter, CancellationToken ct = default)
    {
        var q = db.Bodies.AsNoTracking();
        if (filter.Kind is { } kind) q = q.Where(b => b.Kind == kind);
        if (filter.Status is { } status) q = q.Where(b => b.Status == status);
        if (filter.Host is { } host) q = q.Where(b => b.HostStateId == host);
        return q.OrderBy(b => b.Kind).ThenBy(b => b.Id).ToListAsync(ct);
    }

    public Task<Body?> BodyAsync(string id, CancellationToken ct = default) =>
        db.Bodies.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);

    public async Task<List<Meeting>> MeetingsAsync(MeetingFilter filter, CancellationToken ct = default)
    {
        var q = db.Meetings.AsNoTracking().Include(m => m.Body).AsQueryable();
        if (filter.Body is { } body) q = q.Where(m => m.BodyId == body);
        if (filter.Host is { } host) q = q.Where(m => m.HostStateId == host);
        if (filter.Status is { } status) q = q.Where(m => m.Status == status);
        var meetings = await q.ToListAsync(ct);
        if (filter.Year is { } year) meetings = meetings.Where(m => m.Date?.Year == year).ToList();
        return meetings.OrderBy(m => m.Date?.ToIso() ?? "9999").ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    public Task<Meeting?> MeetingAsync(string id, CancellationToken ct = default) =>
        db.Meetings.AsNoTracking().Include(m => m.Body).FirstOrDefaultAsync(m => m.Id == id, ct);

    /// <summary>The next summit: the first planned one, or the first held one dated after today.</summary>
    public async Task<Meeting?> NextSummitAsync(DateOnly today, CancellationToken ct = default)
    {
        var summits = await MeetingsAsync(new MeetingFilter(Body: "summit"), ct);
        return summits.FirstOrDefault(m => m.Status == MeetingStatus.Planned || (m.Date is { } d && d.Latest >= today));
    }

    public Task<List<PriorityDirection>> DirectionsAsync(CancellationToken ct = default) =>
        db.PriorityDirections.AsNoTracking().OrderBy(d => d.Order).ToListAsync(ct);

    public Task<PriorityDirection?> DirectionAsync(string id, CancellationToken ct = default) =>
        db.PriorityDirections.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
}
