using Caravan.Data;
using Caravan.Features.Documents;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Treaties;

/// <summary>A treaty with its parties' steps and its status computed from them.</summary>
public sealed record TreatyView(OutcomeDocument Document, IReadOnlyList<TreatyParticipant> Participants,
    TreatyEvaluation Evaluation);

/// <summary>
/// One row of the participant table: a party, its signature, its steps and the date it is bound from.
/// </summary>
public sealed record TreatyParticipant(string StateId, Shared.PartialDate? SignedOn,
    IReadOnlyList<RatificationStep> Steps, Shared.PartialDate? InstrumentOn, Shared.PartialDate? InForceOn);

public sealed class TreatyQueries(CaravanDbContext db)
{
    public async Task<List<TreatyView>> ListAsync(DateOnly today, CancellationToken ct = default)
    {
        var treaties = await db.Documents.AsNoTracking().Include(d => d.Parties)
            .Where(d => d.Kind == DocumentKind.Treaty).ToListAsync(ct);
        var ids = treaties.Select(t => t.Id).ToList();
        var steps = await db.RatificationSteps.AsNoTracking().Where(s => ids.Contains(s.DocumentId)).ToListAsync(ct);
        return [.. treaties.OrderBy(t => t.SignedOn?.ToIso()).ThenBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => View(t, steps.Where(s => s.DocumentId == t.Id).ToList(), today))];
    }

    public async Task<TreatyView?> GetAsync(string id, DateOnly today, CancellationToken ct = default)
    {
        var treaty = await db.Documents.AsNoTracking().Include(d => d.Parties)
            .FirstOrDefaultAsync(d => d.Id == id && d.Kind == DocumentKind.Treaty, ct);
        if (treaty is null) return null;
        return View(treaty, await db.RatificationSteps.AsNoTracking().Where(s => s.DocumentId == id).ToListAsync(ct),
            today);
    }

    /// <summary>
    /// Parties in the mechanism's order (China first, then the Central Asian states alphabetically by code as seeded).
    /// </summary>
    private static TreatyView View(OutcomeDocument treaty, List<RatificationStep> steps, DateOnly today)
    {
        var parties = treaty.Parties.Select(p => p.StateId).ToList();
        var dates = parties.Select(state =>
        {
            var own = steps.Where(s => s.StateId == state).ToList();
            return new PartyDates(state, RatificationRules.SignatureOf(treaty.SignedOn, own),
                own.FirstOrDefault(s => s.Kind == RatificationStepKind.Instrument)?.On);
        }).ToList();
        var evaluation = EntryIntoForce.Evaluate(treaty.EntryIntoForceRule, dates, today);
        var participants = dates.Select(d => new TreatyParticipant(d.StateId, d.SignedOn,
            [.. steps.Where(s => s.StateId == d.StateId).OrderBy(s => s.Kind)], d.InstrumentOn,
            evaluation.InForceFor.GetValueOrDefault(d.StateId))).ToList();
        return new TreatyView(treaty, participants, evaluation);
    }
}
