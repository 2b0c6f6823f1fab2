using Caravan.Data;
using Caravan.Features.Indicators;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Partnerships;

public sealed record PartnershipFilter(PartnershipKind? Kind = null, string? State = null,
    PartnershipStatus? Status = null);

/// <summary>
/// Sister-city pairs over time: the totals sources reported (the indicator <c>sister-city-pairs</c>), the pairs
/// recorded here, year by year, and the target of 100 pairs set in January 2022 (the measure
/// <c>sister-cities-target-2022</c>).
/// </summary>
public sealed record PairCounts(
    IReadOnlyList<int> Years, IReadOnlyList<IndicatorValue> Reported, IReadOnlyList<int> Recorded, int RecordedNow,
    int RecordedUndated, PledgedMeasure? Target)
{
    /// <summary>
    /// One row per year: the reported total if a source gave one that year (null otherwise: a gap, never a zero),
    /// the pairs recorded here, and the target from the year it was set.
    /// </summary>
    public IReadOnlyList<PairYear> Rows => [.. Years.Select((year, i) =>
    {
        var reported = Reported.FirstOrDefault(v => v.Year == year);
        var target = Target is { Amount: { } amount } t && (t.AnnouncedOn?.Year ?? int.MinValue) <= year
            ? amount
            : (decimal?)null;
        return new PairYear(year, reported?.Value, reported?.Qualifier, Recorded[i], target);
    })];
}

public sealed record PairYear(int Year, decimal? Reported, Qualifier? ReportedQualifier, int Recorded, decimal? Target);

public sealed class PartnershipQueries(CaravanDbContext db)
{
    /// <summary>
    /// The indicator whose values are the reported totals of pairs, and the measure that set the target.
    /// </summary>
    public const string ReportedIndicator = "sister-city-pairs";
    public const string TargetMeasure = "sister-cities-target-2022";

    public async Task<List<Partnership>> ListAsync(PartnershipFilter filter, CancellationToken ct = default)
    {
        var q = db.Partnerships.AsNoTracking();
        if (filter.Kind is { } kind) q = q.Where(p => p.Kind == kind);
        if (filter.State is { } state) q = q.Where(p => p.StateA == state || p.StateB == state);
        if (filter.Status is { } status) q = q.Where(p => p.Status == status);
        var list = await q.ToListAsync(ct);
        // Ordered in memory: by kind, then the Central Asian side in the mechanism's order, then the date (partial
        // dates sort as text).
        return [.. list.OrderBy(p => p.Kind).ThenBy(p => MemberState.OrderOf(p.StateA == "CN" ? p.StateB : p.StateA))
            .ThenBy(p => (p.StartedOn ?? p.AgreedOn)?.ToIso() ?? "9999").ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    public Task<Partnership?> GetAsync(string id, CancellationToken ct = default) =>
        db.Partnerships.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);

    public async Task<PairCounts> CountsAsync(DateOnly today, CancellationToken ct = default)
    {
        var reported = (
            await db.IndicatorValues.AsNoTracking().Where(v => v.IndicatorId == ReportedIndicator && v.StateId == null)
                .ToListAsync(ct))
            .OrderBy(v => v.Year).ToList();
        var target = await db.Measures.AsNoTracking().FirstOrDefaultAsync(m => m.Id == TargetMeasure, ct);
        var pairs = await db.Partnerships.AsNoTracking()
            .Where(p => p.Kind == PartnershipKind.SisterCities || p.Kind == PartnershipKind.SisterProvinces)
            .ToListAsync(ct);
        var first = new[] { target?.AnnouncedOn?.Year, reported.FirstOrDefault()?.Year,
            pairs.Select(p => (p.AgreedOn ?? p.StartedOn)?.Year).Min() }
            .Where(y => y is not null).Select(y => y!.Value).DefaultIfEmpty(today.Year).Min();
        var last = Math.Max(today.Year, reported.LastOrDefault()?.Year ?? today.Year);
        var years = Enumerable.Range(first, last - first + 1).ToList();
        var recorded = PartnershipRules.RecordedPairsByYear(pairs, years);
        var undated = pairs.Count(p => p.Status != PartnershipStatus.Planned && p.AgreedOn is null
            && p.StartedOn is null);
        return new PairCounts(years, reported, recorded, recorded.Count == 0 ? 0 : recorded[^1], undated, target);
    }
}
