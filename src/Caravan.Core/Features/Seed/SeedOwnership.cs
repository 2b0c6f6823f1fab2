using Caravan.Data;
using Caravan.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed;

/// <summary>The last change of a record in the audit trail: which entry, by whom, when, how and why.</summary>
public sealed record LastChange(long EntryId, string Actor, string Role, string Action, DateTimeOffset At,
    string? Reason);

/// <summary>
/// A row the dataset lists but the load did not write, because someone other than the seed changed it (or its
/// citations) after the seed last wrote it: the record as published stays what readers see.
/// </summary>
/// <param name="SubjectType">The row's type as the audit trail files its history (e.g. <c>indicator-value</c>).</param>
public sealed record KeptRow(string SubjectType, string Id, LastChange LastChange);

/// <summary>
/// Decides, from the audit trail, which rows a newer version of the dataset may write (see
/// docs/decisions/0008-seed-keeps-records-changed-outside-it.md). Every save is in the trail with its actor,
/// so "changed outside the seed since the seed last wrote it" is: the row's (or its citations') last entry
/// is not the seed's. Databases loaded before this rule existed are covered too.
/// </summary>
public sealed class SeedOwnership
{
    /// <summary>The actor the importer saves as.</summary>
    public const string SeedActor = "system:seed";

    /// <summary>
    /// The type under which each seeded entity's citations are stored (none: not cited), as its section declares.
    /// </summary>
    private static readonly Dictionary<Type, string?> CitedAs =
        SeedSections.All.SelectMany(s => s.Entities).ToDictionary(e => e.Type, e => e.CitedAs);

    public const string CitationType = "citation";

    /// <summary>The subject type of a seeded entity's citations ("" when it has none).</summary>
    public static string CitedAsOf(Type entity) => CitedAs.GetValueOrDefault(entity) ?? "";

    private readonly Dictionary<(string, string), long> _lastBySeed;
    private readonly Dictionary<(string, string), LastChange> _lastByOthers;
    private readonly List<KeptRow> _kept = [];
    private readonly HashSet<(string, string)> _keptCitations = [];

    private readonly long _readUpTo;
    private readonly List<string> _types;

    private SeedOwnership(Dictionary<(string, string), long> lastBySeed,
        Dictionary<(string, string), LastChange> lastByOthers, long readUpTo, List<string> types) =>
        (_lastBySeed, _lastByOthers, _readUpTo, _types) = (lastBySeed, lastByOthers, readUpTo, types);

    /// <summary>The rows kept so far, in the order the importer met them.</summary>
    public IReadOnlyList<KeptRow> Kept => _kept;

    /// <summary>
    /// The decision rule: the seed may write a row unless someone else changed it after the seed last did.
    /// Returns that change (the reason to keep the row), or null when the seed may write.
    /// </summary>
    public static LastChange? ChangedSinceSeed(long? lastBySeed, LastChange? lastByOthers) =>
        lastByOthers is not null && (lastBySeed is null || lastByOthers.EntryId > lastBySeed) ? lastByOthers : null;

    /// <summary>
    /// The type the audit trail files an entity's changes under (as <see cref="AuditRecorder"/> names it).
    /// </summary>
    public static string AuditTypeOf(Type entity) => SeedEnums.ToKebab(entity.Name.Split('`')[0]);

    /// <summary>
    /// Reads, per seeded row and per cited record, the last change by the seed and the last by anyone else.
    /// </summary>
    public static async Task<SeedOwnership> LoadAsync(CaravanDbContext db, CancellationToken ct)
    {
        var types = CitedAs.Keys.Select(AuditTypeOf).Append(CitationType).ToList();
        var readUpTo = await db.AuditEntries.AsNoTracking().MaxAsync(a => (long?)a.Id, ct) ?? 0;
        // A refused attempt changed nothing.
        var entries = db.AuditEntries.AsNoTracking()
            .Where(a => a.Id <= readUpTo && types.Contains(a.SubjectType) && a.Action != "refused");
        var bySeed = await entries.Where(a => a.Actor == SeedActor).GroupBy(a => new { a.SubjectType, a.SubjectId })
            .Select(g => new { g.Key.SubjectType, g.Key.SubjectId, Last = g.Max(a => a.Id) }).ToListAsync(ct);
        var lastOtherIds = entries.Where(a => a.Actor != SeedActor).GroupBy(a => new { a.SubjectType, a.SubjectId })
            .Select(g => g.Max(a => a.Id));
        var byOthers = await db.AuditEntries.AsNoTracking().Where(a => lastOtherIds.Contains(a.Id))
            .Select(a => new
            {
                a.SubjectType, a.SubjectId, Change = new LastChange(a.Id, a.Actor, a.Role, a.Action, a.At, a.Reason),
            }).ToListAsync(ct);
        return new(bySeed.ToDictionary(x => (x.SubjectType, x.SubjectId), x => x.Last),
            byOthers.ToDictionary(x => (x.SubjectType, x.SubjectId), x => x.Change), readUpTo, types);
    }

    /// <summary>
    /// Just before the load saves: refuses it if someone changed a seeded kind of record while it ran (a publish
    /// during the load), rather than write over a change the decisions above did not see. Running it again decides
    /// anew.
    /// </summary>
    public async Task EnsureNoneChangedSinceAsync(CaravanDbContext db, CancellationToken ct)
    {
        var since = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Id > _readUpTo && _types.Contains(a.SubjectType) && a.Action != "refused"
                && a.Actor != SeedActor)
            .OrderBy(a => a.Id).Select(a => new { a.Id, a.SubjectType, a.SubjectId }).FirstOrDefaultAsync(ct);
        if (since is not null)
            throw new InvalidOperationException($"{since.SubjectType}/{since.SubjectId} was changed while the seed "
                + $"dataset was loading (audit entry {since.Id}); nothing was written. Load it again.");
    }

    /// <summary>
    /// Whether the importer must leave this row (and its citations) as they are; if so it is remembered as kept.
    /// A row and its citations are one record: a changed figure keeps its own sources, and new sources keep their
    /// figure.
    /// </summary>
    public bool Keeps(Type entity, string id)
    {
        var row = (AuditTypeOf(entity), id);
        var citedAs = CitedAs.GetValueOrDefault(entity);
        (string, string)? citations = citedAs is null ? null : (CitationType, $"{citedAs}/{id}");
        long? bySeed = Max(_lastBySeed.TryGetValue(row, out var s) ? s : null,
            citations is { } c && _lastBySeed.TryGetValue(c, out var cs) ? cs : null);
        var byOthers = new[]
            {
                _lastByOthers.GetValueOrDefault(row), citations is { } k ? _lastByOthers.GetValueOrDefault(k) : null,
            }
            .Where(x => x is not null).MaxBy(x => x!.EntryId);
        if (ChangedSinceSeed(bySeed, byOthers) is not { } change) return false;
        _kept.Add(new(row.Item1, id, change));
        if (citedAs is not null) _keptCitations.Add((citedAs, id));
        return true;

        static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    }

    /// <summary>Whether the citations of a record (by its citation type and id) belong to a kept row.</summary>
    public bool KeepsCitationsOf(string citedAs, string id) => _keptCitations.Contains((citedAs, id));

    /// <summary>For the load's audit entries: what was kept, briefly (the full list is in the load's result).</summary>
    public string? Describe()
    {
        if (_kept.Count == 0) return null;
        const int listed = 10;
        var names = string.Join(", ",
            _kept.Take(listed).Select(k => $"{k.SubjectType}/{k.Id} (entry {k.LastChange.EntryId})"));
        return $"kept {_kept.Count} row(s) changed outside the seed since it last wrote them: {names}"
            + (_kept.Count > listed ? $" and {_kept.Count - listed} more" : "");
    }
}
