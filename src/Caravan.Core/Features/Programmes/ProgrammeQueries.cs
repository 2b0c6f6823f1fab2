using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Programmes;

/// <summary>One state's share of a programme over all years: allocated, each stage, and what is left.</summary>
public sealed record StateBalance(string StateId, decimal Allocated, IReadOnlyList<decimal> Stages)
{
    /// <summary>Allocated but not yet taken up by the first stage.</summary>
    public decimal Unused => Allocated - (Stages.Count > 0 ? Stages[0] : 0);
}

/// <summary>A programme with its published ledger and everything derived from it.</summary>
public sealed record ProgrammeView(Programme Programme, IReadOnlyList<ProgrammeEntry> Entries, LedgerBalance Balance,
    IReadOnlyList<BurnUpPoint> BurnUp)
{
    public IReadOnlyList<LedgerEntryKind> Stages => Ledger.StagesOf(Programme.Kind);

    /// <summary>Allocated and used by the last stage (disbursed, or completed): the two figures a list shows.</summary>
    public decimal Used => Balance.Stages.Count > 0 ? Balance.Stages[^1] : 0;

    public IReadOnlyList<StateBalance> States =>
    [
        .. Balance.Allocations.GroupBy(a => a.StateId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StateBalance(g.Key, g.Sum(a => a.Allocated),
                [.. Enumerable.Range(0, Stages.Count).Select(i => g.Sum(a => a.Stages[i]))])),
    ];
}

public sealed class ProgrammeQueries(CaravanDbContext db)
{
    /// <summary>Every programme, newest pledge first, with its derived balances.</summary>
    public async Task<List<ProgrammeView>> ListAsync(CancellationToken ct = default)
    {
        var programmes = await db.Programmes.AsNoTracking().ToListAsync(ct);
        var entries = (await db.ProgrammeEntries.AsNoTracking().ToListAsync(ct)).ToLookup(e => e.ProgrammeId);
        return [.. programmes.OrderByDescending(p => p.AnnouncedOn?.ToIso() ?? "")
            .ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => View(p, entries[p.Id]))];
    }

    public async Task<ProgrammeView?> GetAsync(string id, CancellationToken ct = default)
    {
        var programme = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (programme is null) return null;
        return View(programme,
            await db.ProgrammeEntries.AsNoTracking().Where(e => e.ProgrammeId == id).ToListAsync(ct));
    }

    /// <summary>
    /// Entries in date order (in memory: the same on both databases), then by id, which is time-ordered.
    /// </summary>
    private static ProgrammeView View(Programme p, IEnumerable<ProgrammeEntry> entries)
    {
        var ordered = entries.OrderBy(e => e.On).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var ledger = ordered.Select(e => e.ToLedger()).ToList();
        return new ProgrammeView(p, ordered, Ledger.Balance(p.Kind, p.Pledged, ledger), Ledger.BurnUp(p.Kind, ledger));
    }
}
