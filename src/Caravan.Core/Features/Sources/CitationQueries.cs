using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Sources;

/// <summary>A source as shown next to a fact: where it is, what it is, and how far it is trusted.</summary>
/// <remarks><see cref="Date"/>: the date the source bears (ISO, to its precision), when recorded.</remarks>
public sealed record CitedSource(string Id, string? Url, string Title, string Language, Confidence Confidence,
    string? Date = null);

public sealed class CitationQueries(CaravanDbContext db)
{
    /// <summary>Above this many ids, <see cref="ForAsync(string, IEnumerable{string}, CancellationToken)"/> filters here.</summary>
    internal const int ManyIds = 2000;

    /// <summary>The sources of each of the given records of one type, in one query.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CitedSource>>> ForAsync(string subjectType,
        IEnumerable<string> subjectIds, CancellationToken ct = default)
    {
        var ids = subjectIds.Distinct().ToList();
        var query = db.Citations.AsNoTracking().Where(c => c.SubjectType == subjectType);
        // A long list would be one parameter per id (SQLite takes at most 32,766, PostgreSQL 65,535: a report of
        // 10,000 commitments has 60,000 scores): past a few thousand, the type's citations are read and kept here.
        var many = ids.Count > ManyIds;
        if (!many) query = query.Where(c => ids.Contains(c.SubjectId));
        var rows = await query
            .Select(c => new { c.SubjectId, c.Confidence, c.Source!.Id, c.Source.Url, c.Source.Title, c.Source.Language,
                c.Source.PublishedOn })
            .ToListAsync(ct);
        if (many)
        {
            var wanted = ids.ToHashSet(StringComparer.Ordinal);
            rows = [.. rows.Where(r => wanted.Contains(r.SubjectId))];
        }
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
