using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Features.Mechanism;
using Caravan.Features.Partnerships;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Reports;

/// <summary>
/// Reads a snapshot's <see cref="ReportFacts"/> from the published tables through the features' own queries (the
/// report's figures are the portal's figures). The caller holds one read transaction around it
/// (<see cref="ReportFactsStore"/>), so a running import cannot be half-seen.
/// </summary>
public sealed class ReportFactsReader(CaravanDbContext db)
{
    /// <summary>The facts of a snapshot as the data stands, or null for an unknown snapshot.</summary>
    public async Task<ReportFacts?> ReadAsync(string snapshotId, DateOnly factsOn, CancellationToken ct)
    {
        var snapshot = await db.Snapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == snapshotId, ct);
        if (snapshot is null) return null;
        return await ReadAsync(snapshot.Id, snapshot.PeriodId, snapshot.MeetingId, snapshot.Items,
            DateOnly.FromDateTime(snapshot.TakenAt.UtcDateTime), factsOn, null,
            new Dictionary<string, LocalizedText>(), ct);
    }

    /// <summary>
    /// A state's draft: the open period as it stands (published scores), with that state's own proposals still in the
    /// workflow (draft, submitted, returned, validated) in place of its published scores, each marked as a draft.
    /// Other states' proposals never enter. Null when no period is open. Not frozen: a draft changes as work goes on.
    /// </summary>
    public async Task<ReportFacts?> ReadDraftAsync(string stateId, DateOnly today, CancellationToken ct)
    {
        var periods = await db.ReportingPeriods.AsNoTracking().OrderBy(p => p.Order).ToListAsync(ct);
        var period = periods.Where(p => !p.Closed).OrderBy(p => p.Order).FirstOrDefault();
        if (period is null) return null;
        var suffix = $":{stateId}:{period.Id}";
        var proposals = (await db.Submissions.AsNoTracking()
                .Where(s => s.RecordKind == "assessments" && s.RecordId.EndsWith(suffix)
                    && (s.Status == Submissions.SubmissionStatus.Draft || s.Status == Submissions.SubmissionStatus.Submitted
                        || s.Status == Submissions.SubmissionStatus.Returned
                        || s.Status == Submissions.SubmissionStatus.Validated))
                .ToListAsync(ct))
            .Where(s => s.Proposed.TryGetValue("score", out var v) && int.TryParse(v, out _))
            .GroupBy(s => s.RecordId).Select(g => g.OrderByDescending(s => s.UpdatedAt).First())
            .ToDictionary(s => s.RecordId[..^suffix.Length], StringComparer.Ordinal);
        var commitments = await db.Commitments.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        var items = (await new Snapshots(db, TimeProvider.System).ItemsOfAsync(period.Id, ct)).Select(i =>
        {
            if (!proposals.TryGetValue(i.CommitmentId, out var draft) || !commitments.TryGetValue(i.CommitmentId, out var c))
                return i;
            var scores = new Dictionary<string, int>(i.Scores, StringComparer.Ordinal)
                { [stateId] = int.Parse(draft.Proposed["score"]!, System.Globalization.CultureInfo.InvariantCulture) };
            var collective = ComplianceRules.CollectiveOf(c.Combine, c.Parties, scores).Value;
            return new SnapshotItem(i.CommitmentId, ComplianceRules.StatusOf(collective, c.Counts), collective, scores);
        }).ToList();
        var drafts = proposals.ToDictionary(p => p.Key, p => new LocalizedText
        {
            En = p.Value.Proposed.GetValueOrDefault("evidence.en"), Zh = p.Value.Proposed.GetValueOrDefault("evidence.zh"),
            Ru = p.Value.Proposed.GetValueOrDefault("evidence.ru"),
        }, StringComparer.Ordinal);
        return await ReadAsync(period.Id, period.Id, period.ClosesAtMeetingId, items, today, today, stateId, drafts, ct);
    }

    private async Task<ReportFacts> ReadAsync(string snapshotId, string periodId, string? meetingId,
        IReadOnlyList<SnapshotItem> snapshotItems, DateOnly snapshotOn, DateOnly factsOn, string? draftOf,
        IReadOnlyDictionary<string, LocalizedText> drafts, CancellationToken ct)
    {
        var periods = await db.ReportingPeriods.AsNoTracking().OrderBy(p => p.Order).ToListAsync(ct);
        var period = periods.First(p => p.Id == periodId);
        var mechanism = new MechanismQueries(db);
        var citations = new CitationQueries(db);
        var sources = new Dictionary<string, FactSource>(StringComparer.Ordinal);
        IReadOnlyList<string> Cited(IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> all, string id)
        {
            var list = all.GetValueOrDefault(id) ?? [];
            foreach (var s in list) sources.TryAdd(s.Id, new FactSource(s.Id, s.Title, s.Url, s.Date));
            return [.. list.Select(s => s.Id)];
        }

        var meeting = meetingId is { } mid ? await mechanism.MeetingAsync(mid, ct) : null;
        var states = (await mechanism.StatesAsync(ct)).Select(s => new FactName(s.Id, s.Name)).ToList();
        var directions = (await mechanism.DirectionsAsync(ct)).Select(d => new FactName(d.Id, d.Name)).ToList();

        // The previous snapshot: the closed period just before this one.
        var closed = await db.Snapshots.AsNoTracking().Select(s => s.Id).ToListAsync(ct);
        var previousPeriod = periods.Where(p => p.Order < period.Order && closed.Contains(p.Id))
            .OrderByDescending(p => p.Order).FirstOrDefault();
        List<FactChange> changes = [];
        if (previousPeriod is not null)
        {
            var before = (await db.Snapshots.AsNoTracking().FirstAsync(s => s.Id == previousPeriod.Id, ct)).Items;
            changes = [.. SnapshotComparison.Compare(before, snapshotItems).Where(d => d.Change != SnapshotChange.Unchanged)
                .Select(d => new FactChange(d.CommitmentId, d.Change, d.Before?.Status, d.After?.Status))];
        }

        // Commitments: status and scores as frozen; evidence from the period's published assessments.
        var items = snapshotItems.ToDictionary(i => i.CommitmentId, StringComparer.Ordinal);
        var commitments = await db.Commitments.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var assessments = await db.Assessments.AsNoTracking().Where(a => a.PeriodId == periodId)
            .ToListAsync(ct);
        var commitmentSources = await citations.ForAsync(SubjectTypes.Commitment, commitments.Select(c => c.Id), ct);
        var assessmentSources = await citations.ForAsync(SubjectTypes.Assessment, assessments.Select(a => a.Id), ct);
        var byCommitment = assessments.ToLookup(a => a.CommitmentId);
        var factCommitments = commitments.Where(c => items.ContainsKey(c.Id)).Select(c =>
        {
            var item = items[c.Id];
            var own = byCommitment[c.Id].Where(a => item.Scores.ContainsKey(a.StateId)
                    && !(a.StateId == draftOf && drafts.ContainsKey(c.Id)))
                .Select(a => new FactAssessment(a.StateId, item.Scores[a.StateId], a.Evidence, a.EvidenceUrl,
                    a.AssessedOn?.ToIso(), Cited(assessmentSources, a.Id)))
                .ToList();
            // The state's own proposal, marked: not published, its sources not yet the record's.
            if (draftOf is not null && drafts.TryGetValue(c.Id, out var evidence) && item.Scores.ContainsKey(draftOf))
                own.Add(new FactAssessment(draftOf, item.Scores[draftOf], evidence, null, null, [], Draft: true));
            own = [.. own.OrderBy(a => a.StateId, StringComparer.Ordinal)];
            return new FactCommitment(c.Id, c.Text, c.TextIsSummary, c.DirectionId, [.. c.Parties],
                c.Deadline?.ToIso(), c.Counts, item.Status, item.Collective, own, Cited(commitmentSources, c.Id));
        }).ToList();

        var milestones = await db.Milestones.AsNoTracking().OrderBy(m => m.Id).ToListAsync(ct);
        var milestoneSources = await citations.ForAsync(SubjectTypes.Milestone, milestones.Select(m => m.Id), ct);
        var factMilestones = milestones.Where(m => items.ContainsKey(m.CommitmentId)).Select(m =>
            new FactMilestone(m.Id, m.CommitmentId, m.StateId, m.Title, m.Due?.ToIso(), m.AchievedOn?.ToIso(),
                MilestoneRules.StatusOf(m, snapshotOn), Cited(milestoneSources, m.Id))).ToList();

        // Treaties as they stand on the day the facts are taken.
        var treaties = await new TreatyQueries(db).ListAsync(factsOn, ct);
        var treatySources = await citations.ForAsync(SubjectTypes.Document, treaties.Select(t => t.Document.Id), ct);
        var stepSources = await citations.ForAsync(SubjectTypes.RatificationStep,
            treaties.SelectMany(t => t.Participants.SelectMany(p => p.Steps.Select(s => s.Id))), ct);
        var factTreaties = treaties.Select(t => new FactTreaty(t.Document.Id, t.Document.Title,
            t.Document.SignedOn?.ToIso(), t.Evaluation.Status, t.Evaluation.EntryIntoForce?.ToIso(),
            [.. t.Participants.Select(p =>
            {
                var last = p.Steps.Where(s => s.On is not null).OrderBy(s => s.On!.Value.ToIso(), StringComparer.Ordinal)
                    .ThenBy(s => s.Kind).LastOrDefault();
                return new FactTreatyParty(p.StateId, p.SignedOn?.ToIso(), last?.Kind, last?.On?.ToIso(),
                    p.InstrumentOn?.ToIso(), p.InForceOn?.ToIso());
            })],
            [.. Cited(treatySources, t.Document.Id)
                .Concat(t.Participants.SelectMany(p => p.Steps).SelectMany(s => Cited(stepSources, s.Id)))
                .Distinct().Order(StringComparer.Ordinal)])).ToList();

        var programmes = await new ProgrammeQueries(db).ListAsync(ct);
        var programmeSources = await citations.ForAsync(SubjectTypes.Programme, programmes.Select(p => p.Programme.Id),
            ct);
        var factProgrammes = programmes.Select(p => new FactProgramme(p.Programme.Id, p.Programme.Name,
            p.Programme.Unit, p.Programme.PledgedById, p.Programme.Pledged, p.Balance.Allocated, [.. p.Stages],
            [.. p.Balance.Stages], [.. p.States.Select(s => new FactProgrammeState(s.StateId, s.Allocated, [.. s.Stages]))],
            Cited(programmeSources, p.Programme.Id))).ToList();

        var pairs = await new PartnershipQueries(db).CountsAsync(factsOn, ct);
        var reportedSources = await citations.ForAsync(SubjectTypes.IndicatorValue, pairs.Reported.Select(v => v.Id), ct);
        var targetSources = pairs.Target is { } target
            ? await citations.ForAsync(SubjectTypes.Measure, [target.Id], ct)
            : new Dictionary<string, IReadOnlyList<CitedSource>>();
        var partnerships = new FactPartnerships(
            [.. pairs.Rows.Select(r => new FactPairYear(r.Year, r.Reported, r.Recorded, r.Target,
                pairs.Reported.FirstOrDefault(v => v.Year == r.Year) is { } v ? Cited(reportedSources, v.Id) : []))],
            pairs.RecordedNow, pairs.Target?.Amount, pairs.Target?.AnnouncedOn?.ToIso(),
            [.. pairs.Reported.SelectMany(v => Cited(reportedSources, v.Id)).Distinct().Order(StringComparer.Ordinal)],
            pairs.Target is { } m ? Cited(targetSources, m.Id) : []);

        var projects = new ProjectQueries(db);
        var money = new List<FactProjects>();
        foreach (var currency in await projects.CurrenciesAsync(ct))
        {
            var t = await projects.TotalsAsync(new ProjectFilter(), ProjectQueries.DefaultTransactionType, currency, ct);
            money.Add(new FactProjects(currency, t.Total.Amount, t.Total.Transactions,
                [.. t.ByState.Select(l => new FactMoneyLine(l.Key, l.Amount, l.Transactions))],
                [.. t.ByDirection.Select(l => new FactMoneyLine(l.Key, l.Amount, l.Transactions))],
                [.. t.Total.Unconverted.Select(u => new FactMoneyLine(u.Currency, u.Amount, 0))],
                [.. t.Rates.Select(r => new FactRate(r.Source, r.From, r.To, r.FirstOn, r.LastOn, r.Rates))],
                t.UmbrellasExcluded));
        }

        var round = await db.Rounds.AsNoTracking().Where(r => r.SnapshotId == snapshotId).OrderBy(r => r.Id)
            .FirstOrDefaultAsync(ct);
        var factRound = round is null ? null : new FactRound(round.Id, round.Name, round.DueOn.ToString("yyyy-MM-dd"),
            [.. round.ProgressAtClose.Where(p => p.StateId is not null).OrderBy(p => p.StateId, StringComparer.Ordinal)
                .Select(p => new FactRoundState(p.StateId!, p.Requested, p.Overdue, p.Submitted, p.Validated))]);

        return new ReportFacts
        {
            SnapshotId = snapshotId,
            DraftOf = draftOf,
            PeriodName = period.Name,
            Meeting = meeting is null ? null : new FactMeeting(meeting.Id, meeting.Name, meeting.Date?.ToIso()),
            SnapshotOn = snapshotOn,
            FactsOn = factsOn,
            Previous = previousPeriod is null ? null : new FactPeriod(previousPeriod.Id, previousPeriod.Name),
            States = states,
            Directions = directions,
            Commitments = factCommitments,
            Milestones = factMilestones,
            Changes = changes,
            Treaties = factTreaties,
            Programmes = factProgrammes,
            Partnerships = partnerships,
            Projects = money,
            Round = factRound,
            Sources = [.. sources.Values.OrderBy(s => s.Id, StringComparer.Ordinal)],
        };
    }
}
