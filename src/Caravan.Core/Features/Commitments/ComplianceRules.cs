namespace Caravan.Features.Commitments;

/// <summary>How the parties' scores on one commitment make its collective status.</summary>
public enum CombineRule
{
    /// <summary>+1 only if every party complies; −1 if any party is at −1; 0 otherwise.</summary>
    AllMustComply,
    /// <summary>The mean of the parties' scores.</summary>
    Average,
    /// <summary>The lowest party's score.</summary>
    WeakestParty,
}

/// <summary>How recently a commitment's assessment was brought up to date.</summary>
public enum Freshness
{
    /// <summary>Assessed in the current reporting period.</summary>
    Updated,
    /// <summary>Assessed last period; this period's assessment is not yet due.</summary>
    Due,
    /// <summary>Assessed last period; this period's assessment is past its due date.</summary>
    Overdue,
    /// <summary>Not assessed for two periods or more (or never).</summary>
    Inactive,
    /// <summary>Not yet in effect (e.g. waiting for a treaty's entry into force): nothing is due.</summary>
    NotYetActive,
}

/// <summary>
/// A commitment's collective score (null: no party scored) and how many of the parties it binds are scored.
/// </summary>
public sealed record CollectiveStatus(double? Value, int Assessed, int Bound)
{
    /// <summary>Some bound parties are not assessed: the status is shown with "k of n parties assessed".</summary>
    public bool Partial => Assessed < Bound;
}

/// <summary>One party's score on one commitment in a period, with what the roll-ups group it by.</summary>
public sealed record ScoredItem(string CommitmentId, string StateId, string? DirectionId, IReadOnlyList<string> BodyIds,
    int Score, bool Cancelled = false);

/// <summary>
/// A roll-up: the mean score (−1…+1), as a percentage ((mean + 1) / 2 × 100), and how many scores it covers.
/// </summary>
public sealed record RollUp(double Mean, double Percent, int Count)
{
    public static readonly RollUp Empty = new(0, 50, 0);
}

/// <summary>
/// The compliance rules of the G20 and BRICS Research Groups' reports, as pure functions: scores of −1, 0
/// or +1 per commitment, party and period; collective status per commitment; means and percentages per
/// state, direction, body and overall, cancelled commitments excluded.
/// </summary>
public static class ComplianceRules
{
    public static bool IsValidScore(int score) => score is -1 or 0 or 1;

    /// <summary>
    /// The combination of the scores given, as if they were every party's; null when none. Use
    /// <see cref="CollectiveOf"/> for a commitment.
    /// </summary>
    public static double? Collective(CombineRule rule, IReadOnlyCollection<int> scores)
    {
        if (scores.Count == 0) return null;
        if (scores.Any(s => !IsValidScore(s))) throw new ArgumentOutOfRangeException(nameof(scores),
            "scores are −1, 0 or +1");
        return rule switch
        {
            CombineRule.AllMustComply => scores.All(s => s == 1) ? 1 : scores.Any(s => s == -1) ? -1 : 0,
            CombineRule.WeakestParty => scores.Min(),
            _ => scores.Average(),
        };
    }

    /// <summary>
    /// The collective status of a commitment from the parties it binds and the scores given: a party not scored is not
    /// assessed, never taken as complying. Under <see cref="CombineRule.AllMustComply"/> and
    /// <see cref="CombineRule.WeakestParty"/> it is +1 only when every bound party is scored +1 (with one of six scored
    /// +1 it is 0: not every party is known to comply); any −1 makes it −1 under AllMustComply.
    /// <see cref="CombineRule.Average"/> is the mean of the bound parties' scores given, and not +1 while a party is
    /// unscored. <see cref="CollectiveStatus.Assessed"/> of <see cref="CollectiveStatus.Bound"/> says how many parties
    /// the figure rests on. A commitment whose parties no source lists is bound, as far as is known, by the parties
    /// scored.
    /// </summary>
    public static CollectiveStatus CollectiveOf(CombineRule rule, IReadOnlyCollection<string> parties,
        IReadOnlyDictionary<string, int> scores)
    {
        var bound = parties.Count > 0
            ? parties.Distinct(StringComparer.Ordinal).ToList()
            : [.. scores.Keys.Order(StringComparer.Ordinal)];
        var assessed = bound.Count(scores.ContainsKey);
        // Only the bound parties' scores count; a score given for another state says nothing about this commitment.
        var value = Collective(rule, [.. bound.Where(scores.ContainsKey).Select(p => scores[p])]);
        // "Complied" is said of the commitment only when every bound party is known to comply, under any rule.
        if (value >= 1 && assessed < bound.Count) value = 0;
        return new CollectiveStatus(value, assessed, bound.Count);
    }

    /// <summary>
    /// The collective score as a word: +1 complied, −1 not complied, in between partly; none is "not assessed", never
    /// zero.
    /// </summary>
    public static CommitmentStatus StatusOf(double? collective, bool counts) => !counts
        ? CommitmentStatus.Cancelled
        : collective switch
    {
        null => CommitmentStatus.NotAssessed,
        >= 1 => CommitmentStatus.Complied,
        <= -1 => CommitmentStatus.NotComplied,
        _ => CommitmentStatus.Partly,
    };

    /// <summary>The research groups' convention: a mean of −1 is 0 %, 0 is 50 %, +1 is 100 %.</summary>
    public static double Percent(double mean) => Math.Clamp((mean + 1) / 2 * 100, 0, 100);

    /// <summary>
    /// Mean and percentage of the items, cancelled commitments excluded; an empty set is <see cref="RollUp.Empty"/>
    /// with Count 0.
    /// </summary>
    public static RollUp Of(IEnumerable<ScoredItem> items)
    {
        long sum = 0;
        var count = 0;
        foreach (var item in items)
        {
            if (item.Cancelled) continue;
            sum += item.Score;
            count++;
        }
        if (count == 0) return RollUp.Empty;
        var mean = (double)sum / count;
        return new RollUp(mean, Percent(mean), count);
    }

    /// <summary>Roll-ups by a key (state, direction…); an item with several keys (bodies) counts in each.</summary>
    public static Dictionary<string, RollUp> By(IEnumerable<ScoredItem> items,
        Func<ScoredItem, IEnumerable<string>> keys)
    {
        var sums = new Dictionary<string, (long Sum, int Count)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Cancelled) continue;
            foreach (var key in keys(item))
            {
                var (sum, count) = sums.GetValueOrDefault(key);
                sums[key] = (sum + item.Score, count + 1);
            }
        }
        return sums.ToDictionary(kv => kv.Key, kv =>
        {
            var mean = (double)kv.Value.Sum / kv.Value.Count;
            return new RollUp(mean, Percent(mean), kv.Value.Count);
        }, StringComparer.Ordinal);
    }

    /// <summary>
    /// A roll-up from a sum of scores and their count (as a database adds them up); Count 0 is
    /// <see cref="RollUp.Empty"/>.
    /// </summary>
    public static RollUp FromSum(long sum, int count)
    {
        if (count == 0) return RollUp.Empty;
        var mean = (double)sum / count;
        return new RollUp(mean, Percent(mean), count);
    }

    /// <summary>
    /// Roll-ups by key from partial sums (e.g. one per commitment, counted under each of its bodies).
    /// </summary>
    public static Dictionary<string, RollUp> BySums(IEnumerable<(IEnumerable<string> Keys, long Sum, int Count)> parts)
    {
        var sums = new Dictionary<string, (long Sum, int Count)>(StringComparer.Ordinal);
        foreach (var (keys, sum, count) in parts)
            foreach (var key in keys)
            {
                var (s, c) = sums.GetValueOrDefault(key);
                sums[key] = (s + sum, c + count);
            }
        return sums.ToDictionary(kv => kv.Key, kv => FromSum(kv.Value.Sum, kv.Value.Count), StringComparer.Ordinal);
    }

    public static Dictionary<string, RollUp> ByState(IEnumerable<ScoredItem> items) => By(items, i => [i.StateId]);
    public static Dictionary<string, RollUp> ByDirection(IEnumerable<ScoredItem> items)
        => By(items, i => i.DirectionId is null ? [] : [i.DirectionId]);
    public static Dictionary<string, RollUp> ByBody(IEnumerable<ScoredItem> items) => By(items, i => i.BodyIds);

    /// <summary>
    /// The freshness light. Periods are numbered in order; <paramref name="lastAssessed"/> is the last period
    /// with an assessment (null: never), <paramref name="activeFrom"/> the first period the commitment was
    /// active in, <paramref name="currentPastDue"/> whether the current period's reporting date has passed.
    /// </summary>
    public static Freshness FreshnessOf(int? lastAssessed, int activeFrom, int current, bool currentPastDue)
        => FreshnessOf(lastAssessed, activeFrom, current, currentPastDue, overdueMilestones: 0);

    /// <summary>
    /// The freshness light with the commitment's milestones: a milestone past its due date and not achieved
    /// (<paramref name="overdueMilestones"/> &gt; 0) turns an up-to-date or due light to overdue, as a late report
    /// would — the commitment is behind even if its score is current. Inactive (already the worst) stays inactive;
    /// a commitment not yet in effect has nothing due.
    /// </summary>
    public static Freshness FreshnessOf(int? lastAssessed, int activeFrom, int current, bool currentPastDue,
        int overdueMilestones)
    {
        var light = AssessmentFreshness(lastAssessed, activeFrom, current, currentPastDue);
        return overdueMilestones > 0 && light is Freshness.Updated or Freshness.Due ? Freshness.Overdue : light;
    }

    private static Freshness AssessmentFreshness(int? lastAssessed, int activeFrom, int current, bool currentPastDue)
    {
        if (lastAssessed == current) return Freshness.Updated;
        if (activeFrom > current) return Freshness.NotYetActive;
        // Periods without an assessment since it was last brought up to date (or since it became active).
        var missed = current - (lastAssessed ?? (activeFrom - 1));
        if (missed >= 2) return Freshness.Inactive;
        return currentPastDue ? Freshness.Overdue : Freshness.Due;
    }
}
