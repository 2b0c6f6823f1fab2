using Caravan.Data;
using Caravan.Features.Documents;
using Caravan.Features.Seed;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Indicators;

/// <summary>A reported total beside the registry's own count, when there is one ("10 reported, 6 registered").</summary>
public sealed record ReportedFigureView(ReportedFigure Figure, int? Registered);

public sealed class IndicatorQueries(CaravanDbContext db)
{
    public async Task<List<Indicator>> ListAsync(CancellationToken ct = default)
    {
        var indicators = await db.Indicators.AsNoTracking().Include(i => i.Values).ToListAsync(ct);
        foreach (var i in indicators) i.Values = Ordered(i.Values);
        return indicators.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Indicator?> GetAsync(string id, CancellationToken ct = default)
    {
        var indicator = await db.Indicators.AsNoTracking().Include(i => i.Values).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (indicator is not null) indicator.Values = Ordered(indicator.Values);
        return indicator;
    }

    public async Task<List<ReportedFigureView>> ReportedFiguresAsync(CancellationToken ct = default)
    {
        var figures = await db.ReportedFigures.AsNoTracking().ToListAsync(ct);
        // Two grouped counts serve every figure, rather than one query per figure.
        var documents = (await db.Documents.AsNoTracking().GroupBy(d => new { d.MeetingId, d.Scope })
            .Select(g => new { g.Key.MeetingId, g.Key.Scope, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(x => (x.MeetingId, x.Scope), x => x.Count);
        var bodies = (await db.Bodies.AsNoTracking().GroupBy(b => b.Kind).Select(g => new { Kind = g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(x => x.Kind, x => x.Count);
        return figures.OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => new ReportedFigureView(f, (f.RegistryCount is null ? null : RegistryCount.TryParse(f.RegistryCount)) switch
        {
            { Kind: "documents", MeetingId: { } meeting, Scope: { } scope } => documents.GetValueOrDefault((meeting, scope)),
            { Kind: "bodies", BodyKind: { } kind } => bodies.GetValueOrDefault(kind),
            _ => (int?)null,
        })).ToList();
    }

    private static List<IndicatorValue> Ordered(List<IndicatorValue> values) =>
        values.OrderBy(v => v.Year).ThenBy(v => v.StateId is null ? -1 : Mechanism.MemberState.OrderOf(v.StateId)).ToList();
}
