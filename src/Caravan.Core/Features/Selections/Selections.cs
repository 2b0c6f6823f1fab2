using System.Globalization;
using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Selections;

/// <summary>A criterion as entered: its weight is text until checked, so that "abc" is named, not dropped.</summary>
public sealed record CriterionInput(string? Id, LocalizedText Name, string? Weight);

public sealed record CallInput(string? Id, LocalizedText Title, LocalizedText Description, string? NominationsFrom,
    string? NominationsTo, string? ScoringDeadline, IReadOnlyList<CriterionInput> Criteria);

public sealed record NominationInput(string? StateId, LocalizedText City, LocalizedText Statement, string? EvidenceUrl);

public sealed record ScoreInput(string? CriterionId, string? Value, string? Comment);

public sealed record DecisionInput(string? NominationId, string? DecidedOn, LocalizedText Rationale);

/// <summary>What a caller may do on a call now; the portal shows exactly these forms.</summary>
public sealed record SelectionRights(bool Nominate, bool AppointJurors, SelectionPhase? NextPhase, bool Score,
    bool DeclareConflict, bool Decide, bool Publish, bool Withdraw = false)
{
    public bool Any => Nominate || Withdraw || AppointJurors || NextPhase is not null || Score || DeclareConflict
        || Decide || Publish;
}

/// <summary>A juror's own seat: their conflicts, their scores and the nominations they may score.</summary>
public sealed record JurorSeat(SelectionJuror Juror, IReadOnlyList<SelectionConflict> Conflicts,
    IReadOnlyList<SelectionScore> Scores, IReadOnlySet<string> Eligible);

/// <summary>How far a juror has got: scores given and expected (counts only, never values).</summary>
public sealed record JurorProgress(SelectionJuror Juror, IReadOnlyList<SelectionConflict> Conflicts, int Given,
    int Expected);

/// <summary>A call as one caller may see it: scores and ranking only where <see cref="Access"/> allows.</summary>
public sealed record SelectionView(
    SelectionCall Call,
    IReadOnlyList<SelectionNomination> Nominations,
    int JurorCount,
    JurorSeat? Seat,
    IReadOnlyList<JurorProgress>? Progress,
    IReadOnlyList<RankedNomination>? Ranking,
    IReadOnlyList<SelectionScore>? AllScores,
    SelectionDecision? Decision,
    SelectionRights Rights,
    DateOnly Today);

public sealed record SelectionSummary(SelectionCall Call, int Nominations, SelectionDecision? PublishedDecision,
    SelectionNomination? Chosen);

/// <summary>
/// The culture and tourism capital selection's use cases, called alike by the API and the portal. Each checks
/// every input and the caller's rights (through <see cref="Access"/>) before storing anything, and checks and saves
/// as one audited step under the writers' lock (one nomination per state holds when two arrive at once); a refusal
/// for lack of rights is itself audited.
/// </summary>
public sealed partial class Selections(CaravanDbContext db, TimeProvider clock)
{
    public const int MaxTitle = 300, MaxText = 4000, MaxName = 200, MaxReason = 1000, MaxComment = 2000, MaxUrl = 2000;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    // ---- Reads -------------------------------------------------------------------------------------

    /// <summary>The calls this caller may see (drafts are the secretariat's), the latest first.</summary>
    public async Task<List<SelectionSummary>> ListAsync(Caller? caller, CancellationToken ct = default)
    {
        var drafts = Access.CanSeeDraftSelections(caller);
        var calls = await db.SelectionCalls.AsNoTracking()
            .Where(c => c.Phase != SelectionPhase.Draft || drafts)
            .OrderByDescending(c => c.NominationsFrom).ThenBy(c => c.Id).ToListAsync(ct);
        var ids = calls.Select(c => c.Id).ToList();
        var counts = await db.SelectionNominations.Where(n => ids.Contains(n.CallId)).GroupBy(n => n.CallId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var decisions = await db.SelectionDecisions.AsNoTracking()
            .Where(d => ids.Contains(d.CallId) && d.PublishedAt != null).ToListAsync(ct);
        var chosenIds = decisions.Select(d => d.NominationId).ToList();
        var chosen = await db.SelectionNominations.AsNoTracking().Where(n => chosenIds.Contains(n.Id))
            .ToDictionaryAsync(n => n.Id, ct);
        return [.. calls.Select(c =>
        {
            var d = decisions.FirstOrDefault(x => x.CallId == c.Id);
            return new SelectionSummary(c, counts.GetValueOrDefault(c.Id), d,
                d is null ? null : chosen.GetValueOrDefault(d.NominationId));
        })];
    }

    /// <summary>One call as this caller may see it, or null if it does not exist for them.</summary>
    public async Task<SelectionView?> ViewAsync(Caller? caller, string id, CancellationToken ct = default)
    {
        var call = await db.SelectionCalls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (call is null || (call.Phase == SelectionPhase.Draft && !Access.CanSeeDraftSelections(caller))) return null;
        var nominations = (await db.SelectionNominations.AsNoTracking().Where(n => n.CallId == id).ToListAsync(ct))
            .OrderBy(n => n.StateId, StringComparer.Ordinal).ToList();
        var jurors = (await db.SelectionJurors.AsNoTracking().Where(j => j.CallId == id).ToListAsync(ct))
            .OrderBy(j => j.Name, StringComparer.Ordinal).ToList();
        var jurorIds = jurors.Select(j => j.Id).ToList();
        var conflicts = await db.SelectionConflicts.AsNoTracking().Where(c => jurorIds.Contains(c.JurorId))
            .ToListAsync(ct);
        var decision = await db.SelectionDecisions.AsNoTracking().FirstOrDefaultAsync(d => d.CallId == id, ct);
        var published = decision?.PublishedAt is not null;
        var today = Today;

        // Values leave the database only for whom they may be shown: a juror's own, or all once Access allows.
        var seatJuror = caller is null ? null : jurors.FirstOrDefault(j => j.UserId == caller.UserId);
        JurorSeat? seat = null;
        if (seatJuror is not null)
        {
            var own = await db.SelectionScores.AsNoTracking().Where(s => s.JurorId == seatJuror.Id).ToListAsync(ct);
            var rule = RuleJuror(seatJuror, conflicts);
            seat = new JurorSeat(seatJuror, [.. conflicts.Where(c => c.JurorId == seatJuror.Id)], own,
                nominations.Where(n => SelectionRules.CheckEligibility(rule, RuleNomination(n)) is null)
                    .Select(n => n.Id).ToHashSet());
        }
        List<JurorProgress>? progress = null;
        if (Access.CanSeeScoringProgress(caller))
        {
            var given = await db.SelectionScores.Where(s => jurorIds.Contains(s.JurorId)).GroupBy(s => s.JurorId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            progress = [.. jurors.Select(j =>
            {
                var rule = RuleJuror(j, conflicts);
                var eligible = nominations.Count(n => SelectionRules.CheckEligibility(rule, RuleNomination(n)) is null);
                return new JurorProgress(j, [.. conflicts.Where(c => c.JurorId == j.Id)], given.GetValueOrDefault(j.Id),
                    eligible * call.Criteria.Count);
            })];
        }
        List<SelectionScore>? all = null;
        List<RankedNomination>? ranking = null;
        if (Access.CanSeeRanking(caller, call.Phase, published))
        {
            var scores = await db.SelectionScores.AsNoTracking().Where(s => jurorIds.Contains(s.JurorId))
                .ToListAsync(ct);
            ranking = SelectionRules.Rank(call.RuleCriteria, nominations.Select(RuleNomination),
                scores.Select(s => new JuryScore(s.JurorId, s.NominationId, s.CriterionId, s.Value)));
            if (Access.CanSeeAllScores(caller, call.Phase)) all = scores;
        }
        var rights = RightsOf(caller, call, nominations, seat, decision, today);
        return new SelectionView(call, nominations, jurors.Count, seat, progress, ranking, all,
            published || Access.CanRunSelections(caller) || Access.CanSeeDraftSelections(caller)
                ? decision
                : null, rights, today);
    }

    /// <summary>The appointed jurors with their names: the secretariat's list (the public sees how many).</summary>
    public async Task<List<SelectionJuror>> JurorsAsync(string callId, CancellationToken ct = default) =>
        (await db.SelectionJurors.AsNoTracking().Where(j => j.CallId == callId).ToListAsync(ct))
            .OrderBy(j => j.Name, StringComparer.Ordinal).ToList();

    /// <summary>Accounts the secretariat may appoint to a jury: every enabled one.</summary>
    public async Task<List<CaravanUser>> AppointableAsync(CancellationToken ct = default) =>
        (await db.Users.AsNoTracking().Where(u => !u.Disabled).ToListAsync(ct))
            .OrderBy(u => u.Email, StringComparer.Ordinal).ToList();

    private static SelectionRights RightsOf(Caller? caller, SelectionCall call, List<SelectionNomination> nominations,
        JurorSeat? seat, SelectionDecision? decision, DateOnly today)
    {
        var runs = Access.CanRunSelections(caller);
        var open = caller?.StateId is { } state && Access.CanNominateFor(caller, state)
            && SelectionRules.CheckNominationWindow(call.Phase, call.NominationsFrom, call.NominationsTo,
                today) is null;
        var nominate = open && nominations.All(n => n.StateId != caller!.StateId);
        var withdraw = open && nominations.Any(n => n.StateId == caller!.StateId);
        var juror = seat is not null && Access.ActsAsJuror(caller, seat.Juror.UserId);
        return new SelectionRights(
            Nominate: nominate,
            AppointJurors: runs && call.Phase <= SelectionPhase.Scoring,
            NextPhase: runs && call.Phase < SelectionPhase.Closed ? call.Phase + 1 : null,
            Score: juror && call.Phase == SelectionPhase.Scoring && today <= call.ScoringDeadline,
            DeclareConflict: juror && call.Phase < SelectionPhase.Closed,
            Decide: runs && call.Phase == SelectionPhase.Closed && decision?.PublishedAt is null,
            Publish: runs && call.Phase == SelectionPhase.Closed && decision is { PublishedAt: null },
            Withdraw: withdraw);
    }

    private static Juror RuleJuror(SelectionJuror j, IEnumerable<SelectionConflict> conflicts) =>
        new(j.Id, j.StateId, conflicts.Where(c => c.JurorId == j.Id).Select(c => c.StateId).ToHashSet());

    private static Nomination RuleNomination(SelectionNomination n) => new(n.Id, n.StateId);

    // ---- The secretariat -------------------------------------------------------------------------

    public Task<WriteOutcome<string>> CreateCallAsync(Caller? caller, CallInput input,
        CancellationToken ct = default) =>
        db.WriteAsync(() => CreateCallUnderLockAsync(caller, input, ct), ct);

    private async Task<WriteOutcome<string>> CreateCallUnderLockAsync(Caller? caller, CallInput input,
        CancellationToken ct)
    {
        if (!Access.CanRunSelections(caller))
            return await RefuseAsync(caller, "selection-call", input.Id ?? "", "create a call",
                SelectionMessages.SecretariatOnly, ct);
        var problems = new List<FieldError>();
        if (input.Title.IsEmpty) problems.Add(new("title", SelectionMessages.TitleRequired));
        CheckTexts(problems, "title", input.Title, MaxTitle);
        CheckTexts(problems, "description", input.Description, MaxText);
        if (input.Id is { Length: > 0 } givenId && !Slug().IsMatch(givenId))
            problems.Add(new("id", SelectionMessages.BadId, givenId));
        var from = ParseDate(problems, "nominationsFrom", input.NominationsFrom);
        var to = ParseDate(problems, "nominationsTo", input.NominationsTo);
        var deadline = ParseDate(problems, "scoringDeadline", input.ScoringDeadline);
        problems.AddRange(
            SelectionRules.CheckDates(from, to, deadline).Select(p => new FieldError(p.Field, p.Problem.Message)));

        var criteria = new List<SelectionCriterion>();
        for (var i = 0; i < input.Criteria.Count; i++)
        {
            var c = input.Criteria[i];
            var field = $"criteria[{i}]";
            var id = string.IsNullOrWhiteSpace(c.Id) ? $"c{i + 1}" : c.Id.Trim();
            if (!Slug().IsMatch(id)) problems.Add(new($"{field}.id", SelectionMessages.BadId, id));
            if (c.Name.IsEmpty) problems.Add(new($"{field}.name", SelectionMessages.CriterionNameRequired));
            CheckTexts(problems, $"{field}.name", c.Name, MaxName);
            decimal weight = 0;
            if (string.IsNullOrWhiteSpace(c.Weight))
                problems.Add(new($"{field}.weight", SelectionMessages.WeightRequired));
            else if (!decimal.TryParse(c.Weight.Trim().Replace(',', '.'),
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                out weight))
                problems.Add(new($"{field}.weight", SelectionMessages.WeightNotNumber, c.Weight));
            criteria.Add(new SelectionCriterion(id, Trimmed(c.Name), weight));
        }
        foreach (var (index, problem) in SelectionRules.CheckCriteria(
            [.. criteria.Select(c => new Criterion(c.Id, c.Weight))]))
        {
            var field = index < 0
                ? "criteria"
                : $"criteria[{index}].{(problem.Code == SelectionMessages.DuplicateCriterion ? "id" : "weight")}";
            // A weight that is not a number is already named; "must be positive" would only repeat it.
            if (problems.All(p => p.Field != field)) problems.Add(new(field, problem.Message));
        }
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);

        var callId = input.Id is { Length: > 0 } given ? given : await FreeIdAsync(input.Title, ct);
        if (await db.SelectionCalls.AnyAsync(c => c.Id == callId, ct))
            return WriteOutcome<string>.Conflict("id", SelectionMessages.IdTaken, callId);
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "created a selection call");
        db.SelectionCalls.Add(new SelectionCall
        {
            Id = callId, Title = Trimmed(input.Title), Description = Trimmed(input.Description),
            Phase = SelectionPhase.Draft,
            NominationsFrom = from!.Value, NominationsTo = to!.Value, ScoringDeadline = deadline!.Value,
            Criteria = criteria, CreatedBy = caller.Name, CreatedAt = clock.GetUtcNow(),
        });
        return await SaveAsync(callId, "id", SelectionMessages.IdTaken, ct);
    }

    public Task<WriteOutcome<string>> AppointJurorAsync(Caller? caller, string callId, string? user,
        string? stateId, CancellationToken ct = default) =>
        db.WriteAsync(() => AppointJurorUnderLockAsync(caller, callId, user, stateId, ct), ct);

    private async Task<WriteOutcome<string>> AppointJurorUnderLockAsync(Caller? caller, string callId,
        string? user,
        string? stateId, CancellationToken ct)
    {
        if (!Access.CanRunSelections(caller))
            return await RefuseAsync(caller, "selection-call", callId, "appoint a juror",
                SelectionMessages.SecretariatOnly, ct);
        var call = await db.SelectionCalls.FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return WriteOutcome<string>.NotFound();
        var problems = new List<FieldError>();
        var key = user?.Trim() ?? "";
        var account = key.Length == 0
            ? null
            : await db.Users.AsNoTracking()
                .FirstOrDefaultAsync(u => u.Id == key || u.NormalizedEmail == key.ToUpperInvariant(), ct);
        if (key.Length == 0) problems.Add(new("user", FieldMessages.Required));
        else if (account is null || account.Disabled) problems.Add(new("user", SelectionMessages.UnknownUser, key));
        var state = string.IsNullOrWhiteSpace(stateId) ? account?.StateId : stateId.Trim().ToUpperInvariant();
        if (state is not null && !await db.MemberStates.AnyAsync(s => s.Id == state, ct))
            problems.Add(new("state", SelectionMessages.UnknownState, state));
        else if (account?.StateId is { } own && state != own)
            problems.Add(new("state", SelectionMessages.JurorStateMismatch, own));
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);
        if (call.Phase > SelectionPhase.Scoring)
            return WriteOutcome<string>.Conflict("phase", SelectionMessages.Closed);
        if (await db.SelectionJurors.AnyAsync(j => j.CallId == callId && j.UserId == account!.Id, ct))
            return WriteOutcome<string>.Conflict("user", SelectionMessages.AlreadyJuror, account!.Email ?? "");
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "appointed a juror");
        var id = NewId();
        db.SelectionJurors.Add(new SelectionJuror
        {
            Id = id, CallId = callId, UserId = account!.Id, Name = $"{account.DisplayName} <{account.Email}>",
            StateId = state, AppointedBy = caller.Name, AppointedAt = clock.GetUtcNow(),
        });
        return await SaveAsync(id, "user", SelectionMessages.AlreadyJuror, ct);
    }

    public Task<WriteOutcome<string>> MovePhaseAsync(Caller? caller, string callId, string? phase,
        CancellationToken ct = default) =>
        db.WriteAsync(() => MovePhaseUnderLockAsync(caller, callId, phase, ct), ct);

    private async Task<WriteOutcome<string>> MovePhaseUnderLockAsync(Caller? caller, string callId, string? phase,
        CancellationToken ct)
    {
        if (!Access.CanRunSelections(caller))
            return await RefuseAsync(caller, "selection-call", callId, "move the phase",
                SelectionMessages.SecretariatOnly, ct);
        var call = await db.SelectionCalls.FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return WriteOutcome<string>.NotFound();
        if (!Caravan.Features.Seed.SeedEnums.TryParse<SelectionPhase>(phase, out var target))
            return WriteOutcome<string>.Invalid([new("phase", SelectionMessages.UnknownPhase, phase ?? "")]);
        var nominations = await db.SelectionNominations.CountAsync(n => n.CallId == callId, ct);
        var jurors = await db.SelectionJurors.CountAsync(j => j.CallId == callId, ct);
        if (SelectionRules.CheckPhaseMove(call.Phase, target, nominations, jurors) is { } refused)
            return WriteOutcome<string>.Refused(ChangeOutcome.Conflict, new("phase", refused.Message));
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole,
            $"moved the call to {Caravan.Features.Seed.SeedEnums.ToKebab(target)}");
        call.Phase = target;
        return await SaveAsync(callId, "phase", SelectionMessages.ChangedSince, ct);
    }

    public Task<WriteOutcome<string>> DecideAsync(Caller? caller, string callId, DecisionInput input,
        CancellationToken ct = default) =>
        db.WriteAsync(() => DecideUnderLockAsync(caller, callId, input, ct), ct);

    private async Task<WriteOutcome<string>> DecideUnderLockAsync(Caller? caller, string callId,
        DecisionInput input,
        CancellationToken ct)
    {
        if (!Access.CanRunSelections(caller))
            return await RefuseAsync(caller, "selection-call", callId, "record the decision",
                SelectionMessages.SecretariatOnly, ct);
        var call = await db.SelectionCalls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return WriteOutcome<string>.NotFound();
        var problems = new List<FieldError>();
        var nominationId = input.NominationId?.Trim() ?? "";
        if (nominationId.Length == 0) problems.Add(new("nomination", FieldMessages.Required));
        else if (!await db.SelectionNominations.AnyAsync(n => n.CallId == callId && n.Id == nominationId, ct))
            problems.Add(new("nomination", SelectionMessages.UnknownNomination, nominationId));
        var on = ParseDate(problems, "decidedOn", input.DecidedOn);
        if (input.Rationale.IsEmpty) problems.Add(new("rationale", SelectionMessages.RationaleRequired));
        CheckTexts(problems, "rationale", input.Rationale, MaxText);
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);
        if (call.Phase != SelectionPhase.Closed)
            return WriteOutcome<string>.Conflict("phase",
                call.Phase == SelectionPhase.Decided
                    ? SelectionMessages.AlreadyPublished
                    : SelectionMessages.NotClosed);
        var decision = await db.SelectionDecisions.FirstOrDefaultAsync(d => d.CallId == callId, ct);
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "recorded the decision");
        if (decision is null)
            db.SelectionDecisions.Add(new SelectionDecision
            {
                CallId = callId, NominationId = nominationId, DecidedOn = on!.Value,
                Rationale = Trimmed(input.Rationale), DecidedBy = caller.Name, RecordedAt = clock.GetUtcNow(),
            });
        else
        {
            // Until it is published the secretariat may correct the record of the decision (audited).
            decision.NominationId = nominationId;
            decision.DecidedOn = on!.Value;
            decision.Rationale = Trimmed(input.Rationale);
            decision.DecidedBy = caller.Name;
            decision.RecordedAt = clock.GetUtcNow();
        }
        return await SaveAsync(callId, "nomination", SelectionMessages.ChangedSince, ct);
    }

    public Task<WriteOutcome<string>> PublishAsync(Caller? caller, string callId, CancellationToken ct = default) =>
        db.WriteAsync(() => PublishUnderLockAsync(caller, callId, ct), ct);

    private async Task<WriteOutcome<string>> PublishUnderLockAsync(Caller? caller, string callId,
        CancellationToken ct)
    {
        if (!Access.CanRunSelections(caller))
            return await RefuseAsync(caller, "selection-call", callId, "publish the decision",
                SelectionMessages.SecretariatOnly, ct);
        var call = await db.SelectionCalls.FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return WriteOutcome<string>.NotFound();
        if (call.Phase == SelectionPhase.Decided)
            return WriteOutcome<string>.Conflict("phase", SelectionMessages.AlreadyPublished);
        var decision = await db.SelectionDecisions.FirstOrDefaultAsync(d => d.CallId == callId, ct);
        if (call.Phase != SelectionPhase.Closed || decision is null)
            return WriteOutcome<string>.Conflict("decision", SelectionMessages.NoDecision);
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "published the decision");
        decision.PublishedAt = clock.GetUtcNow();
        call.Phase = SelectionPhase.Decided;
        return await SaveAsync(callId, "decision", SelectionMessages.ChangedSince, ct);
    }

    // ---- The states --------------------------------------------------------------------------------

    public Task<WriteOutcome<string>> NominateAsync(Caller? caller, string callId, NominationInput input,
        CancellationToken ct = default) =>
        db.WriteAsync(() => NominateUnderLockAsync(caller, callId, input, ct), ct);

    private async Task<WriteOutcome<string>> NominateUnderLockAsync(Caller? caller, string callId,
        NominationInput input,
        CancellationToken ct)
    {
        var call = await db.SelectionCalls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null || (call.Phase == SelectionPhase.Draft && !Access.CanSeeDraftSelections(caller)))
            return WriteOutcome<string>.NotFound();
        var state = string.IsNullOrWhiteSpace(input.StateId)
            ? caller?.StateId
            : input.StateId.Trim().ToUpperInvariant();
        if (state is null || !Access.CanNominateFor(caller, state))
            return await RefuseAsync(caller, "selection-call", callId, "nominate",
                caller is { Role: CaravanRole.NationalCoordinator }
                    ? SelectionMessages.OwnStateOnly
                    : SelectionMessages.CoordinatorsOnly, ct, caller?.StateId);
        var problems = new List<FieldError>();
        if (input.City.IsEmpty) problems.Add(new("city", SelectionMessages.CityRequired));
        CheckTexts(problems, "city", input.City, MaxName);
        CheckTexts(problems, "statement", input.Statement, MaxText);
        var url = CheckUrl(problems, "evidenceUrl", input.EvidenceUrl);
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);
        if (SelectionRules.CheckNominationWindow(call.Phase, call.NominationsFrom, call.NominationsTo,
            Today) is { } closed)
            return WriteOutcome<string>.Refused(ChangeOutcome.Conflict, new("phase", closed.Message));
        var existing = await db.SelectionNominations.Where(n => n.CallId == callId)
            .Select(n => new Nomination(n.Id, n.StateId)).ToListAsync(ct);
        var states = (await db.MemberStates.Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        if (SelectionRules.CheckNomination(existing, state, states).FirstOrDefault() is { } refused)
            return refused.Code == SelectionMessages.AlreadyNominated
                ? WriteOutcome<string>.Refused(ChangeOutcome.Conflict, new("state", refused.Message))
                : WriteOutcome<string>.Invalid([new("state", refused.Message)]);
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "nominated a city");
        var id = $"{callId}-{state.ToLowerInvariant()}";
        db.SelectionNominations.Add(new SelectionNomination
        {
            Id = id, CallId = callId, StateId = state, City = Trimmed(input.City), Statement = Trimmed(input.Statement),
            EvidenceUrl = url, SubmittedById = caller.UserId, SubmittedBy = caller.Name,
            SubmittedAt = clock.GetUtcNow(),
        });
        // Two coordinators' saves cannot both pass: (call, state) is unique in the database too.
        return await SaveAsync(id, "state", SelectionMessages.AlreadyNominated, ct, state);
    }

    /// <summary>
    /// A coordinator takes back their state's nomination — to nominate another city, or none — while nominations
    /// are open; once scoring starts the jury's work depends on it, so it stays. Nothing scored it yet.
    /// </summary>
    public Task<WriteOutcome<string>> WithdrawNominationAsync(Caller? caller, string callId, string? stateId,
        CancellationToken ct = default) =>
        db.WriteAsync(() => WithdrawNominationUnderLockAsync(caller, callId, stateId, ct), ct);

    private async Task<WriteOutcome<string>> WithdrawNominationUnderLockAsync(Caller? caller, string callId,
        string? stateId,
        CancellationToken ct)
    {
        var call = await db.SelectionCalls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null || (call.Phase == SelectionPhase.Draft && !Access.CanSeeDraftSelections(caller)))
            return WriteOutcome<string>.NotFound();
        var state = string.IsNullOrWhiteSpace(stateId) ? caller?.StateId : stateId.Trim().ToUpperInvariant();
        if (state is null || !Access.CanNominateFor(caller, state))
            return await RefuseAsync(caller, "selection-call", callId, "withdraw a nomination",
                caller is { Role: CaravanRole.NationalCoordinator }
                    ? SelectionMessages.OwnStateOnly
                    : SelectionMessages.CoordinatorsOnly, ct, caller?.StateId);
        if (SelectionRules.CheckNominationWindow(call.Phase, call.NominationsFrom, call.NominationsTo,
            Today) is { } closed)
            return WriteOutcome<string>.Refused(ChangeOutcome.Conflict, new("phase", closed.Message));
        var nomination = await db.SelectionNominations.FirstOrDefaultAsync(n => n.CallId == callId
            && n.StateId == state, ct);
        if (nomination is null) return WriteOutcome<string>.Conflict("state", SelectionMessages.NoNomination, state);
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "withdrew the state's nomination");
        db.SelectionNominations.Remove(nomination);
        return await SaveAsync(callId, "state", SelectionMessages.ChangedSince, ct, state);
    }

    // ---- The jury ----------------------------------------------------------------------------------

    public Task<WriteOutcome<string>> DeclareConflictAsync(Caller? caller, string callId, string? stateId,
        string? reason, CancellationToken ct = default) =>
        db.WriteAsync(() => DeclareConflictUnderLockAsync(caller, callId, stateId, reason, ct), ct);

    private async Task<WriteOutcome<string>> DeclareConflictUnderLockAsync(Caller? caller, string callId,
        string? stateId,
        string? reason, CancellationToken ct)
    {
        var call = await db.SelectionCalls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null || (call.Phase == SelectionPhase.Draft && !Access.CanSeeDraftSelections(caller)))
            return WriteOutcome<string>.NotFound();
        var juror = caller is null
            ? null
            : await db.SelectionJurors.AsNoTracking()
                .FirstOrDefaultAsync(j => j.CallId == callId && j.UserId == caller.UserId, ct);
        if (juror is null || !Access.ActsAsJuror(caller, juror.UserId))
            return await RefuseAsync(caller, "selection-call", callId, "declare a conflict",
                SelectionMessages.NotAJuror, ct);
        var problems = new List<FieldError>();
        var state = stateId?.Trim().ToUpperInvariant() ?? "";
        if (state.Length == 0) problems.Add(new("state", FieldMessages.Required));
        else if (!await db.MemberStates.AnyAsync(s => s.Id == state, ct))
            problems.Add(new("state", SelectionMessages.UnknownState, state));
        if (string.IsNullOrWhiteSpace(reason)) problems.Add(new("reason", SelectionMessages.ReasonRequired));
        else if (reason.Trim().Length > MaxReason)
            problems.Add(new("reason", SelectionMessages.TooLong, MaxReason.ToString(CultureInfo.InvariantCulture)));
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);
        if (call.Phase >= SelectionPhase.Closed)
            return WriteOutcome<string>.Conflict("phase", SelectionMessages.Closed);
        if (await db.SelectionConflicts.AnyAsync(c => c.JurorId == juror.Id && c.StateId == state, ct))
            return WriteOutcome<string>.Conflict("state", SelectionMessages.ConflictExists, state);
        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "declared a conflict of interest");
        var id = NewId();
        db.SelectionConflicts.Add(
            new SelectionConflict { Id = id, JurorId = juror.Id, StateId = state, Reason = reason!.Trim(),
                DeclaredAt = clock.GetUtcNow() });
        // A conflict found after scoring: those scores must not count, so they go (their deletion is audited).
        var nomination = await db.SelectionNominations.AsNoTracking()
            .FirstOrDefaultAsync(n => n.CallId == callId && n.StateId == state, ct);
        if (nomination is not null)
            db.SelectionScores.RemoveRange(
                await db.SelectionScores.Where(s => s.JurorId == juror.Id && s.NominationId == nomination.Id)
                    .ToListAsync(ct));
        return await SaveAsync(id, "state", SelectionMessages.ConflictExists, ct, state);
    }

    /// <summary>
    /// A juror scores one nomination on some or all criteria; a score given again replaces the earlier one until the
    /// call closes.
    /// </summary>
    public Task<WriteOutcome<string>> ScoreAsync(Caller? caller, string callId, string? nominationId,
        IReadOnlyList<ScoreInput> scores, CancellationToken ct = default) =>
        db.WriteAsync(() => ScoreUnderLockAsync(caller, callId, nominationId, scores, ct), ct);

    private async Task<WriteOutcome<string>> ScoreUnderLockAsync(Caller? caller, string callId, string? nominationId,
        IReadOnlyList<ScoreInput> scores, CancellationToken ct)
    {
        var call = await db.SelectionCalls.AsNoTracking().FirstOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null || (call.Phase == SelectionPhase.Draft && !Access.CanSeeDraftSelections(caller)))
            return WriteOutcome<string>.NotFound();
        var juror = caller is null
            ? null
            : await db.SelectionJurors.AsNoTracking()
                .FirstOrDefaultAsync(j => j.CallId == callId && j.UserId == caller.UserId, ct);
        if (juror is null || !Access.ActsAsJuror(caller, juror.UserId))
            return await RefuseAsync(caller, "selection-call", callId, "score", SelectionMessages.NotAJuror, ct);

        var problems = new List<FieldError>();
        var nomination = string.IsNullOrWhiteSpace(nominationId) ? null
            : await db.SelectionNominations.AsNoTracking()
                .FirstOrDefaultAsync(n => n.CallId == callId && n.Id == nominationId.Trim(), ct);
        if (string.IsNullOrWhiteSpace(nominationId)) problems.Add(new("nomination", FieldMessages.Required));
        else if (nomination is null) problems.Add(new("nomination", SelectionMessages.UnknownNomination, nominationId));
        if (nomination is not null)
        {
            var conflicts = await db.SelectionConflicts.AsNoTracking().Where(c => c.JurorId == juror.Id)
                .ToListAsync(ct);
            if (SelectionRules.CheckEligibility(RuleJuror(juror, conflicts), RuleNomination(nomination)) is { } refused)
                return await RefuseAsync(caller, "selection-nomination", nomination.Id, "score", refused.Message, ct);
        }
        if (scores.Count == 0) problems.Add(new("scores", SelectionMessages.NoScores));
        var parsed = new List<(string Criterion, decimal Value, string? Comment)>();
        for (var i = 0; i < scores.Count; i++)
        {
            var s = scores[i];
            var field = $"scores[{i}]";
            var criterion = s.CriterionId?.Trim() ?? "";
            if (criterion.Length == 0) problems.Add(new($"{field}.criterion", FieldMessages.Required));
            else if (call.Criteria.All(c => c.Id != criterion))
                problems.Add(new($"{field}.criterion", SelectionMessages.UnknownCriterion, criterion));
            else if (parsed.Any(p => p.Criterion == criterion))
                problems.Add(new($"{field}.criterion", SelectionMessages.DuplicateCriterion, criterion));
            var value = SelectionRules.ParseScore(s.Value);
            if (string.IsNullOrWhiteSpace(s.Value))
                problems.Add(new($"{field}.value", SelectionMessages.ScoreRequired));
            else if (value is null) problems.Add(new($"{field}.value", SelectionMessages.ScoreNotNumber, s.Value));
            else if (SelectionRules.CheckScoreValue(value.Value) is { } bad)
                problems.Add(new($"{field}.value", bad.Message));
            var comment = string.IsNullOrWhiteSpace(s.Comment) ? null : s.Comment.Trim();
            if (comment?.Length > MaxComment)
                problems.Add(
                    new($"{field}.comment", SelectionMessages.TooLong,
                        MaxComment.ToString(CultureInfo.InvariantCulture)));
            if (value is not null) parsed.Add((criterion, value.Value, comment));
        }
        if (problems.Count > 0) return WriteOutcome<string>.Invalid(problems);
        if (call.Phase != SelectionPhase.Scoring)
            return WriteOutcome<string>.Conflict("phase",
                call.Phase > SelectionPhase.Scoring ? SelectionMessages.Closed : SelectionMessages.NotScoring);
        if (Today > call.ScoringDeadline)
            return WriteOutcome<string>.Conflict("phase", SelectionMessages.DeadlinePassed,
                call.ScoringDeadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        db.Actor = new AuditActor(caller!.Name, caller.AuditRole, "scored a nomination");
        var existing = await db.SelectionScores.Where(s => s.JurorId == juror.Id && s.NominationId == nomination!.Id)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var (criterion, value, comment) in parsed)
        {
            if (existing.FirstOrDefault(e => e.CriterionId == criterion) is { } score)
            {
                score.Value = value;
                score.Comment = comment;
                score.GivenAt = now;
            }
            else db.SelectionScores.Add(
                new SelectionScore { Id = NewId(), JurorId = juror.Id, NominationId = nomination!.Id,
                    CriterionId = criterion, Value = value, Comment = comment, GivenAt = now });
        }
        return await SaveAsync(nomination!.Id, "scores", SelectionMessages.ChangedSince, ct);
    }

    // ---- Helpers ---------------------------------------------------------------------------------

    /// <summary>
    /// Saves; a unique key or version that another save took meanwhile is a conflict, and nothing of this one is kept.
    /// </summary>
    private async Task<WriteOutcome<string>> SaveAsync(string id, string conflictField, MessageCode conflictCode,
        CancellationToken ct, string? detail = null)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return WriteOutcome<string>.Done(id);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return WriteOutcome<string>.Conflict(conflictField, conflictCode, detail ?? id);
        }
    }

    private Task<WriteOutcome<string>> RefuseAsync(Caller? caller, string subjectType, string subjectId,
        string attempted, MessageCode code, CancellationToken ct, string? detail = null) =>
        RefuseAsync(caller, subjectType, subjectId, attempted,
            detail is null ? new Message(code) : new Message(code, detail), ct);

    private async Task<WriteOutcome<string>> RefuseAsync(Caller? caller, string subjectType, string subjectId,
        string attempted, Message reason, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await AuditRecorder.AppendRefusalAsync(db,
            caller is null
                ? AuditActor.Anonymous
                : new AuditActor(caller.Name, caller.AuditRole, null), subjectType, subjectId, attempted,
                clock.GetUtcNow(), ct);
        var why = caller is { SecondFactor: false } ? new Message(AccessMessages.SecondFactorRequired)
            : caller is { ReadOnly: true } ? new Message(AccessMessages.ReadOnlyRefused) : reason;
        return WriteOutcome<string>.Refused(ChangeOutcome.Forbidden, new FieldError("request", why));
    }

    private async Task<string> FreeIdAsync(LocalizedText title, CancellationToken ct)
    {
        var words = NotSlug().Replace((title.En ?? "").ToLowerInvariant(), "-").Trim('-');
        var stem = words.Length == 0 ? "call" : words[..Math.Min(words.Length, 60)].Trim('-');
        var taken = await db.SelectionCalls.Where(c => c.Id.StartsWith(stem)).Select(c => c.Id).ToListAsync(ct);
        var id = stem;
        for (var n = 2; taken.Contains(id); n++) id = $"{stem}-{n}";
        return id;
    }

    private static DateOnly? ParseDate(List<FieldError> problems, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) { problems.Add(new(field, FieldMessages.Required)); return null; }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
            out var d)) return d;
        problems.Add(new(field, SelectionMessages.BadDate, text));
        return null;
    }

    private static void CheckTexts(List<FieldError> problems, string field, LocalizedText text, int max)
    {
        foreach (var language in LocalizedText.Languages)
            if (text[language]?.Trim().Length > max)
                problems.Add(
                    new($"{field}.{language}", SelectionMessages.TooLong, max.ToString(CultureInfo.InvariantCulture)));
    }

    private static string? CheckUrl(List<FieldError> problems, string field, string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var t = url.Trim();
        if (t.Length > MaxUrl || !Uri.TryCreate(t, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            problems.Add(new(field, SelectionMessages.BadUrl, t.Length > 100 ? t[..100] + "…" : t));
            return null;
        }
        return t;
    }

    private static LocalizedText Trimmed(LocalizedText t) => new()
    {
        En = string.IsNullOrWhiteSpace(t.En) ? null : t.En.Trim(),
        Ru = string.IsNullOrWhiteSpace(t.Ru) ? null : t.Ru.Trim(),
        Zh = string.IsNullOrWhiteSpace(t.Zh) ? null : t.Zh.Trim(),
    };

    private static string NewId() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,79}$")]
    private static partial Regex Slug();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
