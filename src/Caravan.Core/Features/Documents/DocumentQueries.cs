using Caravan.Data;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Documents;

public sealed record DocumentFilter(string? Meeting = null, DocumentKind? Kind = null, DocumentScope? Scope = null,
    string? Party = null, int? Year = null);

public sealed class DocumentQueries(CaravanDbContext db)
{
    public async Task<List<OutcomeDocument>> ListAsync(DocumentFilter filter, CancellationToken ct = default)
    {
        var q = db.Documents.AsNoTracking().Include(d => d.Parties).Include(d => d.Meeting).AsQueryable();
        if (filter.Meeting is { } meeting) q = q.Where(d => d.MeetingId == meeting);
        if (filter.Kind is { } kind) q = q.Where(d => d.Kind == kind);
        if (filter.Scope is { } scope) q = q.Where(d => d.Scope == scope);
        if (filter.Party is { } party) q = q.Where(d => d.Parties.Any(p => p.StateId == party));
        var documents = await q.AsSplitQuery().ToListAsync(ct);
        if (filter.Year is { } year) documents = documents.Where(d => d.SignedOn?.Year == year).ToList();
        foreach (var d in documents) d.Parties.Sort(
            (a, b) => Mechanism.MemberState.OrderOf(a.StateId).CompareTo(Mechanism.MemberState.OrderOf(b.StateId)));
        return documents.OrderByDescending(d => d.SignedOn?.ToIso() ?? "").ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    public Task<OutcomeDocument?> GetAsync(string id, CancellationToken ct = default) =>
        db.Documents.AsNoTracking().Include(d => d.Parties).Include(d => d.Meeting).AsSplitQuery()
            .FirstOrDefaultAsync(d => d.Id == id, ct);
}
