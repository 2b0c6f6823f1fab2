using System.Globalization;
using Caravan.Shared;

namespace Caravan.Features.Selections;

/// <summary>A criterion of a call, with its weight (weights need not sum to 1: they are normalised).</summary>
public sealed record Criterion(string Id, decimal Weight);

public sealed record Nomination(string Id, string StateId);

/// <summary>
/// A juror, the state they come from (if any) and the states whose nominations they declared a conflict of interest on.
/// </summary>
public sealed record Juror(string Id, string? StateId, IReadOnlySet<string> DeclaredConflicts);

public sealed record JuryScore(string JurorId, string NominationId, string CriterionId, decimal Value);

/// <summary>
/// A nomination's place: its weighted score (per criterion, the mean of the jurors who scored it) and rank (ties share
/// one).
/// </summary>
public sealed record RankedNomination(string NominationId, string StateId, int Rank, decimal Score,
    IReadOnlyDictionary<string, decimal> ByCriterion, int Jurors);

public sealed record SelectionProblem(Message Message)
{
    public SelectionProblem(MessageCode code, params MessageArg[] args) : this(new Message(code, args)) { }
    public MessageCode Code => Message.Code;
}

/// <summary>
/// The phases of a call, in order: prepared by the secretariat, open for the states' nominations, scored by
/// the jury, closed (scores final, the ranking visible to the secretariat), decided (the decision published).
/// </summary>
public enum SelectionPhase
{
    Draft,
    Nominating,
    Scoring,
    Closed,
    Decided,
}

/// <summary>
/// The culture-and-tourism-capital selection as plain functions: who may nominate and score, and the ranking
/// computed from the scores. Exact decimal arithmetic in a fixed order, so the ranking does not depend on
/// the order in which scores were given.
/// </summary>
public static class SelectionRules
{
    public const decimal MinScore = 0;
    public const decimal MaxScore = 10;
    /// <summary>
    /// Scores are given to at most two decimals (7.25): finer is noise, and both databases store it exactly.
    /// </summary>
    public const int ScoreDecimals = 2;
    /// <summary>
    /// Totals are compared at this many decimals, so that exact ties are ties whatever decimal rounding did in the 28th
    /// digit.
    /// </summary>
    public const int RankDecimals = 9;

    /// <summary>One nomination per state per call.</summary>
    public static List<SelectionProblem> CheckNomination(IEnumerable<Nomination> existing, string stateId,
        IReadOnlySet<string> memberStates)
    {
        var problems = new List<SelectionProblem>();
        if (!memberStates.Contains(stateId)) problems.Add(new(SelectionMessages.UnknownState, stateId));
        else if (existing.Any(n => n.StateId == stateId))
            problems.Add(new(SelectionMessages.AlreadyNominated, stateId));
        return problems;
    }

    /// <summary>
    /// Nominations are taken while the call is open for them and within its nomination period (both days included).
    /// </summary>
    public static SelectionProblem? CheckNominationWindow(SelectionPhase phase, DateOnly from, DateOnly to,
        DateOnly today)
    {
        if (phase != SelectionPhase.Nominating) return new(SelectionMessages.NotNominating);
        if (today < from || today > to)
            return new(SelectionMessages.OutsidePeriod, $"{from:yyyy-MM-dd} – {to:yyyy-MM-dd}");
        return null;
    }

    /// <summary>
    /// Whether a juror may score this nomination at all: not their own state's, not a state they declared a conflict
    /// on.
    /// </summary>
    public static SelectionProblem? CheckEligibility(Juror juror, Nomination nomination)
    {
        if (juror.StateId is { } state && state == nomination.StateId) return new(SelectionMessages.OwnState, state);
        if (juror.DeclaredConflicts.Contains(nomination.StateId))
            return new(SelectionMessages.Conflict, nomination.StateId);
        return null;
    }

    /// <summary>
    /// A juror scores a nomination on a criterion: within the scale, not their own state's, not one they declared a
    /// conflict on.
    /// </summary>
    public static List<SelectionProblem> CheckScore(Juror juror, Nomination nomination, string criterionId,
        IReadOnlyCollection<Criterion> criteria, decimal value)
    {
        var problems = new List<SelectionProblem>();
        if (CheckEligibility(juror, nomination) is { } refused) problems.Add(refused);
        if (criteria.All(c => c.Id != criterionId)) problems.Add(new(SelectionMessages.UnknownCriterion, criterionId));
        if (CheckScoreValue(value) is { } bad) problems.Add(bad);
        return problems;
    }

    public static SelectionProblem? CheckScoreValue(decimal value)
    {
        if (value < MinScore || value > MaxScore) return new(SelectionMessages.ScoreRange, $"{MinScore}–{MaxScore}");
        if (decimal.Round(value, ScoreDecimals) != value)
            return new(SelectionMessages.ScoreDecimals, ScoreDecimals.ToString(CultureInfo.InvariantCulture));
        return null;
    }

    /// <summary>
    /// A score as typed: digits with a point or a comma (Russian writes 7,5), nothing else. Null when it is not a
    /// number; the range is <see cref="CheckScoreValue"/>'s.
    /// </summary>
    public static decimal? ParseScore(string? text)
    {
        var t = text?.Trim().Replace(',', '.');
        if (string.IsNullOrEmpty(t)) return null;
        return decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>A call's criteria: at least one, ids unique, every weight a positive number.</summary>
    public static List<(int Index, SelectionProblem Problem)> CheckCriteria(IReadOnlyList<Criterion> criteria)
    {
        var problems = new List<(int, SelectionProblem)>();
        if (criteria.Count == 0) problems.Add((-1, new(SelectionMessages.NoCriteria)));
        for (var i = 0; i < criteria.Count; i++)
        {
            if (criteria[i].Weight <= 0)
                problems.Add(
                    (i, new(SelectionMessages.WeightPositive,
                        criteria[i].Weight.ToString(CultureInfo.InvariantCulture))));
            if (criteria.Take(i).Any(c => c.Id == criteria[i].Id))
                problems.Add((i, new(SelectionMessages.DuplicateCriterion, criteria[i].Id)));
        }
        return problems;
    }

    /// <summary>
    /// The dates of a call: nominations open before they close, and scoring ends on or after they close.
    /// </summary>
    /// <remarks>Each pair is checked when both are known, so that one bad date does not hide another problem.</remarks>
    public static List<(string Field, SelectionProblem Problem)> CheckDates(DateOnly? from, DateOnly? to,
        DateOnly? scoringDeadline)
    {
        var problems = new List<(string, SelectionProblem)>();
        if (to < from) problems.Add(("nominationsTo", new(SelectionMessages.PeriodOrder)));
        if (scoringDeadline < to) problems.Add(("scoringDeadline", new(SelectionMessages.DeadlineOrder)));
        return problems;
    }

    /// <summary>
    /// The secretariat moves a call one phase on at a time; "decided" comes only with the published decision.
    /// Scoring needs nominations and a jury to score them.
    /// </summary>
    public static SelectionProblem? CheckPhaseMove(SelectionPhase current, SelectionPhase target, int nominations,
        int jurors)
    {
        if (target == SelectionPhase.Decided) return new(SelectionMessages.DecidedByPublishing);
        if (target != current + 1) return new(SelectionMessages.PhaseOrder, target.ToString());
        if (target == SelectionPhase.Scoring && nominations == 0) return new(SelectionMessages.NoNominations);
        if (target == SelectionPhase.Scoring && jurors == 0) return new(SelectionMessages.NoJurors);
        return null;
    }

    /// <summary>
    /// The ranking: per nomination and criterion the mean of the jurors' scores, weighted by the criteria's
    /// normalised weights. A criterion nobody scored counts 0. Equal scores (to <see cref="RankDecimals"/>
    /// decimals) share a rank (1, 2, 2, 4), listed by id.
    /// </summary>
    public static List<RankedNomination> Rank(IReadOnlyCollection<Criterion> criteria,
        IEnumerable<Nomination> nominations, IEnumerable<JuryScore> scores)
    {
        var all = scores.ToList();
        // One canonical order for every sum, so that neither the scores' nor the criteria's order changes a digit.
        var ordered = criteria.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var totalWeight = ordered.Sum(c => c.Weight);
        // Sums and counts are order-independent; so is everything computed from them.
        var cells = all.GroupBy(s => (s.NominationId, s.CriterionId))
            .ToDictionary(g => g.Key, g => (Sum: g.Sum(s => s.Value), Count: g.Count()));
        var jurors = all.GroupBy(s => s.NominationId)
            .ToDictionary(g => g.Key, g => g.Select(s => s.JurorId).Distinct().Count());
        var scored = nominations.Select(n =>
        {
            var byCriterion = ordered.ToDictionary(c => c.Id,
                c => cells.TryGetValue((n.Id, c.Id), out var cell) ? cell.Sum / cell.Count : 0m);
            var total = totalWeight == 0 ? 0 : ordered.Sum(c => byCriterion[c.Id] * c.Weight) / totalWeight;
            return (Nomination: n, Score: decimal.Round(total, RankDecimals), ByCriterion: byCriterion);
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

/// <summary>The selection's messages: why a call, a nomination, a score or a decision is refused.</summary>
public static class SelectionMessages
{
    public static readonly MessageCode AlreadyJuror = new("selection.already-juror");
    public static readonly MessageCode AlreadyNominated = new("selection.already-nominated");
    public static readonly MessageCode AlreadyPublished = new("selection.already-published");
    public static readonly MessageCode BadDate = new("selection.bad-date");
    public static readonly MessageCode BadId = new("selection.bad-id");
    public static readonly MessageCode BadUrl = new("selection.bad-url");
    public static readonly MessageCode ChangedSince = new("selection.changed-since");
    public static readonly MessageCode CityRequired = new("selection.city-required");
    public static readonly MessageCode Closed = new("selection.closed");
    public static readonly MessageCode Conflict = new("selection.conflict");
    public static readonly MessageCode ConflictExists = new("selection.conflict-exists");
    public static readonly MessageCode CoordinatorsOnly = new("selection.coordinators-only");
    public static readonly MessageCode CriterionNameRequired = new("selection.criterion-name-required");
    public static readonly MessageCode DeadlineOrder = new("selection.deadline-order");
    public static readonly MessageCode DeadlinePassed = new("selection.deadline-passed");
    public static readonly MessageCode DecidedByPublishing = new("selection.decided-by-publishing");
    public static readonly MessageCode DuplicateCriterion = new("selection.duplicate-criterion");
    public static readonly MessageCode IdTaken = new("selection.id-taken");
    public static readonly MessageCode JurorStateMismatch = new("selection.juror-state-mismatch");
    public static readonly MessageCode NoCriteria = new("selection.no-criteria");
    public static readonly MessageCode NoDecision = new("selection.no-decision");
    public static readonly MessageCode NoJurors = new("selection.no-jurors");
    public static readonly MessageCode NoNomination = new("selection.no-nomination");
    public static readonly MessageCode NoNominations = new("selection.no-nominations");
    public static readonly MessageCode NoScores = new("selection.no-scores");
    public static readonly MessageCode NotAJuror = new("selection.not-a-juror");
    public static readonly MessageCode NotClosed = new("selection.not-closed");
    public static readonly MessageCode NotNominating = new("selection.not-nominating");
    public static readonly MessageCode NotScoring = new("selection.not-scoring");
    public static readonly MessageCode OutsidePeriod = new("selection.outside-period");
    public static readonly MessageCode OwnState = new("selection.own-state");
    public static readonly MessageCode OwnStateOnly = new("selection.own-state-only");
    public static readonly MessageCode PeriodOrder = new("selection.period-order");
    public static readonly MessageCode PhaseOrder = new("selection.phase-order");
    public static readonly MessageCode RationaleRequired = new("selection.rationale-required");
    public static readonly MessageCode ReasonRequired = new("selection.reason-required");
    public static readonly MessageCode ScoreDecimals = new("selection.score-decimals");
    public static readonly MessageCode ScoreNotNumber = new("selection.score-not-number");
    public static readonly MessageCode ScoreRange = new("selection.score-range");
    public static readonly MessageCode ScoreRequired = new("selection.score-required");
    public static readonly MessageCode SecretariatOnly = new("selection.secretariat-only");
    public static readonly MessageCode TitleRequired = new("selection.title-required");
    public static readonly MessageCode TooLong = new("selection.too-long");
    public static readonly MessageCode UnknownCriterion = new("selection.unknown-criterion");
    public static readonly MessageCode UnknownNomination = new("selection.unknown-nomination");
    public static readonly MessageCode UnknownPhase = new("selection.unknown-phase");
    public static readonly MessageCode UnknownState = new("selection.unknown-state");
    public static readonly MessageCode UnknownUser = new("selection.unknown-user");
    public static readonly MessageCode WeightNotNumber = new("selection.weight-not-number");
    public static readonly MessageCode WeightPositive = new("selection.weight-positive");
    public static readonly MessageCode WeightRequired = new("selection.weight-required");
}
