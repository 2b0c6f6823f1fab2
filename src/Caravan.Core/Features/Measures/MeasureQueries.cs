using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Measures;

public sealed record MeasureFilter(string? PledgedBy = null, string? Meeting = null, string? Direction = null);

public sealed class MeasureQueries(CaravanDbContext db)
{
    public async Task<List<PledgedMeasure>> ListAsync(MeasureFilter filter, CancellationToken ct = default)
    {
        var q = db.Measures.AsNoTracking();
        if (filter.PledgedBy is { } by) q = q.Where(m => m.PledgedById == by);
        if (filter.Meeting is { } meeting) q = q.Where(m => m.MeetingId == meeting);
        if (filter.Direction is { } direction) q = q.Where(m => m.DirectionId == direction);
        var measures = await q.ToListAsync(ct);
        return measures.OrderByDescending(m => m.AnnouncedOn?.ToIso() ?? "").ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    public Task<PledgedMeasure?> GetAsync(string id, CancellationToken ct = default) =>
        db.Measures.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
}
