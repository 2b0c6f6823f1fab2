using Caravan.Data;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed;

/// <summary>
/// What the sections share while a dataset is written: the context, the dataset, which rows to leave as they
/// are (<see cref="SeedOwnership"/>), and the citations to write once every section has added its rows.
/// </summary>
public sealed class SeedImport(CaravanDbContext db, SeedDataset dataset, SeedOwnership owned)
{
    private readonly List<(string Type, string Id, ICitedSeedRow Row)> _cited = [];

    public CaravanDbContext Db => db;
    public SeedDataset Dataset => dataset;

    /// <summary>
    /// Updates the stored row of each seed row, or adds it; EF then writes only the fields that changed.
    /// </summary>
    public async Task UpsertAsync<TRow, TEntity>(IQueryable<TEntity> set, IEnumerable<TRow> rows,
        Func<TRow, string> idOf, Func<TRow, TEntity> create, Action<TRow, TEntity> apply, CancellationToken ct)
        where TEntity : class
    {
        var existing = await set.ToListAsync(ct);
        var byId = existing.ToDictionary(e => (string)db.Entry(e).Property("Id").CurrentValue!);
        foreach (var row in rows)
        {
            // A record changed outside the seed since the seed last wrote it stays as published (ADR 0008).
            if (owned.Keeps(typeof(TEntity), idOf(row))) continue;
            if (!byId.TryGetValue(idOf(row), out var entity))
            {
                entity = create(row);
                db.Add(entity);
            }
            apply(row, entity);
        }
    }

    /// <summary>
    /// The sources of each row, written after every section's rows (<see cref="UpsertCitationsAsync"/>).
    /// </summary>
    public void Cite<TRow>(string type, IEnumerable<TRow> rows, Func<TRow, string> idOf,
        Func<TRow, ICitedSeedRow> cited)
    {
        foreach (var row in rows) _cited.Add((type, idOf(row), cited(row)));
    }

    public void Cite<TRow>(string type, IEnumerable<TRow> rows, Func<TRow, string> idOf) where TRow : ICitedSeedRow =>
        Cite(type, rows, idOf, r => r);

    internal async Task UpsertCitationsAsync(CancellationToken ct)
    {
        var existing = (await db.Citations.ToListAsync(ct)).ToLookup(c => (c.SubjectType, c.SubjectId));
        foreach (var (type, id, row) in _cited)
        {
            if (owned.KeepsCitationsOf(type, id)) continue;
            var current = existing[(type, id)].ToDictionary(c => c.SourceId);
            foreach (var c in row.Citations)
            {
                var confidence = SeedEnums.Parse<Confidence>(c.Confidence);
                if (current.Remove(c.Source, out var citation)) citation.Confidence = confidence;
                else
                    db.Citations.Add(new Citation
                    {
                        SubjectType = type, SubjectId = id, SourceId = c.Source, Confidence = confidence,
                    });
            }
            db.Citations.RemoveRange(current.Values);
        }
    }

    public static PartialDate? Date(string? text) => text is null ? null : PartialDate.Parse(text);
}
