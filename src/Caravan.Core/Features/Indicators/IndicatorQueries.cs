using Caravan.Data;
using Caravan.Features.Documents;
using Caravan.Features.Seed;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Indicators;

/// <summary>
/// A reported total beside the registry's own count, when there is one ("10 reported, 6 registered").
/// </summary>
public sealed record ReportedFigureView(ReportedFigure Figure, int? Registered);

/// <summary>
/// A year-on-year growth of one series (the whole mechanism, or one state), with the two values it rests on.
/// </summary>
public sealed record GrowthView(string? StateId, Growth Growth, IndicatorValue From, IndicatorValue To)
{
    /// <summary>A value stated as "about" or "more than" makes the growth approximate.</summary>
    public bool Approximate => From.Qualifier != Qualifier.Exact || To.Qualifier != Qualifier.Exact;
}

/// <summary>Another source's series of the same measure, and the years and states both give, side by side.</summary>
public sealed record SourceComparisonView(Indicator Other, IReadOnlyList<SourceDifference> Differences);

/// <summary>A quoted figure recomputed from the series: the verdict and the two values it rests on.</summary>
public sealed record FigureCheckView(ReportedFigure Figure, FigureCheck Check, ClaimCheck Result, IndicatorValue? From,
    IndicatorValue? To);

/// <summary>
/// An indicator with what is computed from it: growth, the other sources' disagreements, the checks of quoted figures.
/// </summary>
public sealed record IndicatorAnalysis(Indicator Indicator, IReadOnlyList<GrowthView> Growth,
    IReadOnlyList<SourceComparisonView> Comparisons, IReadOnlyList<FigureCheckView> Checks)
{
    /// <summary>
    /// Every value shown with this indicator (its own and the other sources'): the ids whose sources to fetch.
    /// </summary>
    public IEnumerable<string> ValueIds
        => Indicator.Values.Concat(Comparisons.SelectMany(c => c.Other.Values)).Select(v => v.Id).Distinct();
}

public sealed class IndicatorQueries(CaravanDbContext db)
{
    /// <summary>
    /// Every indicator analysed; the series are few and small, so all are read at once and compared in memory.
    /// </summary>
    public async Task<List<IndicatorAnalysis>> AnalysedAsync(CancellationToken ct = default)
    {
        var all = await ListAsync(ct);
        var figures = await db.ReportedFigures.AsNoTracking().ToDictionaryAsync(f => f.Id, ct);
        return [.. all.Select(i => Analyse(i, all, figures))];
    }

    public async Task<IndicatorAnalysis?> AnalysedAsync(string id, CancellationToken ct = default)
    {
        var all = await ListAsync(ct);
        if (all.FirstOrDefault(i => i.Id == id) is not { } indicator) return null;
        return Analyse(indicator, all, await db.ReportedFigures.AsNoTracking().ToDictionaryAsync(f => f.Id, ct));
    }

    /// <summary>
    /// Growth year on year per series; the sources that measure the same (the one this indicator names, and those
    /// naming it); and each quoted figure recomputed from the whole-mechanism values, at the figure's own precision.
    /// </summary>
    public static IndicatorAnalysis Analyse(Indicator indicator, IReadOnlyList<Indicator> all,
        IReadOnlyDictionary<string, ReportedFigure> figures)
    {
        var growth = indicator.Values.GroupBy(v => v.StateId).SelectMany(g =>
        {
            var byYear = g.ToDictionary(v => v.Year);
            return GrowthRules.YearOnYear(byYear.ToDictionary(kv => kv.Key, kv => kv.Value.Value))
                .Select(x => new GrowthView(g.Key, x, byYear[x.FromYear], byYear[x.ToYear]));
        }).OrderBy(x => x.StateId is null ? -1 : Mechanism.MemberState.OrderOf(x.StateId)).ThenBy(x => x.Growth.ToYear)
            .ToList();
        var comparisons = all.Where(o => o.Id != indicator.Id
            && (o.Id == indicator.SameMeasureAs || o.SameMeasureAs == indicator.Id))
            .Select(o => new SourceComparisonView(o, SourceComparison.Compare(indicator.Values, o.Values))).ToList();
        var whole = indicator.Values.Where(v => v.StateId is null).ToDictionary(v => v.Year);
        var checks = indicator.Checks.Where(c => figures.ContainsKey(c.Figure)).Select(c =>
        {
            var figure = figures[c.Figure];
            var result = GrowthRules.Check(whole.ToDictionary(kv => kv.Key, kv => kv.Value.Value), c.FromYear, c.ToYear,
                figure.Value, GrowthRules.DecimalsOf(figure.Value));
            return new FigureCheckView(figure, c, result, whole.GetValueOrDefault(c.FromYear),
                whole.GetValueOrDefault(c.ToYear));
        }).ToList();
        return new IndicatorAnalysis(indicator, growth, comparisons, checks);
    }

    public async Task<List<Indicator>> ListAsync(CancellationToken ct = default)
    {
        var indicators = await db.Indicators.AsNoTracking().Include(i => i.Values).ToListAsync(ct);
        foreach (var i in indicators) i.Values = Ordered(i.Values);
        return indicators.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Indicator?> GetAsync(string id, CancellationToken ct = default)
    {
        var indicator = await db.Indicators.AsNoTracking().Include(i => i.Values)
            .FirstOrDefaultAsync(i => i.Id == id, ct);
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
        var bodies = (
            await db.Bodies.AsNoTracking().GroupBy(b => b.Kind).Select(g => new { Kind = g.Key, Count = g.Count() })
                .ToListAsync(ct))
            .ToDictionary(x => x.Kind, x => x.Count);
        return figures.OrderBy(f => f.Id, StringComparer.Ordinal)
            .Select(f => new ReportedFigureView(f,
                (f.RegistryCount is null ? null : RegistryCount.TryParse(f.RegistryCount)) switch
        {
            { Kind: "documents", MeetingId: { } meeting, Scope: { } scope }
                => documents.GetValueOrDefault((meeting, scope)),
            { Kind: "bodies", BodyKind: { } kind } => bodies.GetValueOrDefault(kind),
            _ => (int?)null,
        })).ToList();
    }

    private static List<IndicatorValue> Ordered(List<IndicatorValue> values) =>
        values.OrderBy(v => v.Year).ThenBy(v => v.StateId is null ? -1 : Mechanism.MemberState.OrderOf(v.StateId))
            .ToList();
}
