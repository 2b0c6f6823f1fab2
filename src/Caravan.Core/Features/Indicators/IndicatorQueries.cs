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
        var views = new List<ReportedFigureView>();
        foreach (var f in figures.OrderBy(f => f.Id, StringComparer.Ordinal))
            views.Add(new ReportedFigureView(f, await RegisteredAsync(f.RegistryCount, ct)));
        return views;
    }

    private async Task<int?> RegisteredAsync(string? registryCount, CancellationToken ct)
    {
        var count = registryCount is null ? null : RegistryCount.TryParse(registryCount);
        return count switch
        {
            { Kind: "documents", MeetingId: { } meeting, Scope: { } scope } => await db.Documents.CountAsync(d => d.MeetingId == meeting && d.Scope == scope, ct),
            { Kind: "bodies", BodyKind: { } kind } => await db.Bodies.CountAsync(b => b.Kind == kind, ct),
            _ => null,
        };
    }

    private static List<IndicatorValue> Ordered(List<IndicatorValue> values) =>
        values.OrderBy(v => v.Year).ThenBy(v => v.StateId is null ? -1 : Mechanism.MemberState.OrderOf(v.StateId)).ToList();
}
