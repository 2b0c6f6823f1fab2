using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Sources;

/// <summary>A source as shown next to a fact: where it is, what it is, and how far it is trusted.</summary>
/// <remarks><see cref="Date"/>: the date the source bears (ISO, to its precision), when recorded.</remarks>
public sealed record CitedSource(string Id, string? Url, string Title, string Language, Confidence Confidence,
    string? Date = null);

public sealed class CitationQueries(CaravanDbContext db)
{
    /// <summary>The sources of each of the given records of one type, in one query.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CitedSource>>> ForAsync(string subjectType,
        IEnumerable<string> subjectIds, CancellationToken ct = default)
    {
        var ids = subjectIds.Distinct().ToList();
        var rows = await db.Citations.AsNoTracking()
            .Where(c => c.SubjectType == subjectType && ids.Contains(c.SubjectId))
            .Select(c => new { c.SubjectId, c.Confidence, c.Source!.Id, c.Source.Url, c.Source.Title, c.Source.Language,
                c.Source.PublishedOn })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.SubjectId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<CitedSource>)g.OrderBy(r => r.Confidence).ThenBy(r => r.Id, StringComparer.Ordinal)
                .Select(r => new CitedSource(r.Id, r.Url, r.Title, r.Language, r.Confidence, r.PublishedOn?.ToIso()))
                .ToList());
    }

    public async Task<IReadOnlyList<CitedSource>> ForAsync(string subjectType, string subjectId,
        CancellationToken ct = default) =>
        (await ForAsync(subjectType, [subjectId], ct)).GetValueOrDefault(subjectId) ?? [];
}
