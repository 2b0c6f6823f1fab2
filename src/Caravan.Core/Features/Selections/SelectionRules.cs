namespace Caravan.Features.Selections;

/// <summary>A criterion of a call, with its weight (weights need not sum to 1: they are normalised).</summary>
public sealed record Criterion(string Id, decimal Weight);

public sealed record Nomination(string Id, string StateId);

/// <summary>A juror, the state they come from (if any) and the nominations they declared a conflict of interest on.</summary>
public sealed record Juror(string Id, string? StateId, IReadOnlySet<string> DeclaredConflicts);

public sealed record JuryScore(string JurorId, string NominationId, string CriterionId, decimal Value);

/// <summary>A nomination's place: its weighted score (per criterion, the mean of the jurors who scored it) and rank (ties share one).</summary>
public sealed record RankedNomination(string NominationId, string StateId, int Rank, decimal Score, IReadOnlyDictionary<string, decimal> ByCriterion, int Jurors);

public sealed record SelectionProblem(string Code, string? Detail = null);

/// <summary>
/// The culture-and-tourism-capital selection as plain functions: who may nominate and score, and the ranking
/// computed from the scores. Exact decimal arithmetic in a fixed order, so the ranking does not depend on
/// the order in which scores were given.
/// </summary>
public static class SelectionRules
{
    public const decimal MinScore = 0;
    public const decimal MaxScore = 10;

    /// <summary>One nomination per state per call.</summary>
    public static List<SelectionProblem> CheckNomination(IEnumerable<Nomination> existing, string stateId, IReadOnlySet<string> memberStates)
    {
        var problems = new List<SelectionProblem>();
        if (!memberStates.Contains(stateId)) problems.Add(new("selection.unknown-state", stateId));
        else if (existing.Any(n => n.StateId == stateId)) problems.Add(new("selection.already-nominated", stateId));
        return problems;
    }

    /// <summary>A juror scores a nomination on a criterion: within the scale, not their own state's, not one they declared a conflict on.</summary>
    public static List<SelectionProblem> CheckScore(Juror juror, Nomination nomination, string criterionId, IReadOnlyCollection<Criterion> criteria, decimal value)
    {
        var problems = new List<SelectionProblem>();
        if (juror.StateId is { } state && state == nomination.StateId) problems.Add(new("selection.own-state", state));
        if (juror.DeclaredConflicts.Contains(nomination.Id)) problems.Add(new("selection.conflict", nomination.Id));
        if (criteria.All(c => c.Id != criterionId)) problems.Add(new("selection.unknown-criterion", criterionId));
        if (value < MinScore || value > MaxScore) problems.Add(new("selection.score-range", $"{MinScore}–{MaxScore}"));
        return problems;
    }

    /// <summary>
    /// The ranking: per nomination and criterion the mean of the jurors' scores, weighted by the criteria's
    /// normalised weights. A criterion nobody scored counts 0. Equal scores share a rank (1, 2, 2, 4), listed by id.
    /// </summary>
    public static List<RankedNomination> Rank(IReadOnlyCollection<Criterion> criteria, IEnumerable<Nomination> nominations, IEnumerable<JuryScore> scores)
    {
        var all = scores.ToList();
        var totalWeight = criteria.Sum(c => c.Weight);
        // Sums and counts are order-independent; so is everything computed from them.
        var cells = all.GroupBy(s => (s.NominationId, s.CriterionId)).ToDictionary(g => g.Key, g => (Sum: g.Sum(s => s.Value), Count: g.Count()));
        var jurors = all.GroupBy(s => s.NominationId).ToDictionary(g => g.Key, g => g.Select(s => s.JurorId).Distinct().Count());
        var scored = nominations.Select(n =>
        {
            var byCriterion = criteria.OrderBy(c => c.Id, StringComparer.Ordinal).ToDictionary(c => c.Id,
                c => cells.TryGetValue((n.Id, c.Id), out var cell) ? cell.Sum / cell.Count : 0m);
            var total = totalWeight == 0 ? 0 : criteria.Sum(c => byCriterion[c.Id] * c.Weight) / totalWeight;
            return (Nomination: n, Score: total, ByCriterion: byCriterion);
        }).OrderByDescending(x => x.Score).ThenBy(x => x.Nomination.Id, StringComparer.Ordinal).ToList();

        var ranked = new List<RankedNomination>(scored.Count);
        for (var i = 0; i < scored.Count; i++)
        {
            var rank = i > 0 && scored[i].Score == scored[i - 1].Score ? ranked[i - 1].Rank : i + 1;
            var (n, score, byCriterion) = scored[i];
            ranked.Add(new RankedNomination(n.Id, n.StateId, rank, score, byCriterion, jurors.GetValueOrDefault(n.Id)));
        }
        return ranked;
    }
}
