using Caravan.Data;
using Caravan.Features.Documents;
using Caravan.Features.Indicators;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed;

public enum SeedOutcome
{
    /// <summary>The dataset was written (first load, or a newer version).</summary>
    Loaded,
    /// <summary>The database already holds this version with this content.</summary>
    Unchanged,
    /// <summary>The database holds a newer version; the older file was not applied.</summary>
    OlderThanDatabase,
    /// <summary>The file changed but its version did not: not applied, so that a version always means one content.</summary>
    ChangedWithoutNewVersion,
}

/// <param name="Retracted">Records deleted because the dataset retracts them (a commitment's scores count with it).</param>
/// <param name="Held">Retracted records kept because they were changed through the workflow after seeding (<c>kind:id</c>).</param>
public sealed record SeedResult(SeedOutcome Outcome, int StoredVersion, int FileVersion, int Added, int Updated, int Retracted = 0, IReadOnlyList<string>? Held = null)
{
    /// <summary>Rows the dataset lists that were left as they are: changed outside the seed since it last wrote them.</summary>
    public IReadOnlyList<KeptRow> Kept { get; init; } = [];
}

/// <summary>
/// Writes a validated seed dataset into the database: an upsert by id in one transaction, so that loading
/// twice changes nothing and a newer version updates only the rows that differ. Rows that a newer
/// version no longer lists are kept (nothing is lost silently), unless it retracts them in its
/// <c>retractions</c> section: those are deleted, each in its own audited save with its reason, except a
/// row changed through the workflow after seeding, which is held for the secretariat (ADR 0007).
/// </summary>
public sealed class SeedImporter(CaravanDbContext db)
{
    /// <summary>Which rows this load must leave as they are (read from the audit trail when the load starts).</summary>
    private SeedOwnership _owned = null!;

    public async Task<SeedResult> ImportAsync(LoadedSeed seed, CancellationToken ct = default)
    {
        var d = seed.Dataset;
        var stored = await db.DatasetVersions.FirstOrDefaultAsync(x => x.Id == d.Dataset, ct);
        if (stored is not null)
        {
            if (stored.Version > d.Version) return new(SeedOutcome.OlderThanDatabase, stored.Version, d.Version, 0, 0);
            if (stored.Version == d.Version)
                return new(stored.Sha256 == seed.Sha256 ? SeedOutcome.Unchanged : SeedOutcome.ChangedWithoutNewVersion, stored.Version, d.Version, 0, 0);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        _owned = await SeedOwnership.LoadAsync(db, ct);
        await UpsertSources(d);
        await Upsert(db.MemberStates, d.MemberStates, r => r.Id, r => new MemberState { Id = r.Id, Name = r.Name, ShortName = r.ShortName, Currency = r.Currency }, (r, e) =>
        {
            e.Order = r.Order;
            e.Name = r.Name;
            e.ShortName = r.ShortName;
            e.NativeNames = r.NativeNames.Select(n => new NativeName(n.Language, n.Name.Trim())).ToList();
            e.Capital = r.Capital;
            e.Currency = r.Currency;
            e.Languages = r.Languages.Select(l => new StateLanguage(l.Code, l.Status)).ToList();
            e.HeadOfStateName = r.HeadOfState?.Name;
            e.HeadOfStateTitle = r.HeadOfState?.Title;
            e.HeadOfStateTermStart = Date(r.HeadOfState?.TermStart);
            e.HeadOfStateAsOf = Date(r.HeadOfState?.AsOf);
            e.Translated = r.Translated;
        }, ct);
        await Upsert(db.Bodies, d.Bodies, r => r.Id, r => new Body { Id = r.Id, Name = r.Name }, (r, e) =>
        {
            e.Kind = SeedEnums.Parse<BodyKind>(r.Kind);
            e.Name = r.Name;
            e.HostStateId = r.Host;
            e.Seat = r.Seat;
            e.Status = SeedEnums.Parse<BodyStatus>(r.Status);
            e.ProposedOn = Date(r.ProposedOn);
            e.AgreedOn = Date(r.AgreedOn);
            e.EstablishedOn = Date(r.EstablishedOn);
            e.OperationalOn = Date(r.OperationalOn);
            e.Note = r.Note;
            e.Translated = r.Translated;
        }, ct);
        await Upsert(db.Meetings, d.Meetings, r => r.Id, r => new Meeting { Id = r.Id, BodyId = r.Body, Name = r.Name }, (r, e) =>
        {
            e.BodyId = r.Body;
            e.Number = r.Number;
            e.Name = r.Name;
            e.Date = Date(r.Date);
            e.StartDate = Date(r.StartDate);
            e.EndDate = Date(r.EndDate);
            e.Place = r.Place;
            e.HostStateId = r.Host;
            e.Status = SeedEnums.Parse<MeetingStatus>(r.Status);
            e.Note = r.Note;
            e.Translated = r.Translated;
        }, ct);
        await Upsert(db.PriorityDirections, d.PriorityDirections, r => r.Id, r => new PriorityDirection { Id = r.Id, Name = r.Name }, (r, e) =>
        {
            e.Order = r.Order;
            e.Name = r.Name;
            e.Translated = r.Translated;
        }, ct);
        await Upsert(db.Documents.Include(x => x.Parties), d.Documents, r => r.Id, r => new OutcomeDocument { Id = r.Id, Title = r.Title }, (r, e) =>
        {
            e.Kind = SeedEnums.Parse<DocumentKind>(r.Kind);
            e.Scope = SeedEnums.Parse<DocumentScope>(r.Scope);
            e.MeetingId = r.Meeting;
            e.SignedOn = Date(r.SignedOn);
            e.SignedAt = r.SignedAt;
            e.Title = r.Title;
            e.Translated = r.Translated;
            e.Summary = r.Summary;
            e.Note = r.Note;
            e.EntryIntoForce = r.EntryIntoForce is null ? Treaties.EntryIntoForceKind.Unknown : SeedEnums.Parse<Treaties.EntryIntoForceKind>(r.EntryIntoForce.Rule);
            e.EntryIntoForceDays = r.EntryIntoForce?.Days ?? 0;
            e.EntryIntoForceInstruments = r.EntryIntoForce?.Instruments ?? 0;
            e.Parties.RemoveAll(p => !r.Parties.Contains(p.StateId));
            foreach (var party in r.Parties.Where(p => e.Parties.All(x => x.StateId != p)))
                e.Parties.Add(new DocumentParty { DocumentId = r.Id, StateId = party });
        }, ct);
        var steps = d.Documents.SelectMany(doc => doc.Ratification.Select(step => (Document: doc.Id, Step: step))).ToList();
        static string StepKey((string Document, SeedRatificationStep Step) r) => Treaties.RatificationStep.KeyOf(r.Document, r.Step.State, SeedEnums.Parse<Treaties.RatificationStepKind>(r.Step.Step));
        await Upsert(db.RatificationSteps, steps, StepKey, r => new Treaties.RatificationStep { Id = StepKey(r), DocumentId = r.Document, StateId = r.Step.State }, (r, e) =>
        {
            e.Kind = SeedEnums.Parse<Treaties.RatificationStepKind>(r.Step.Step);
            e.On = Date(r.Step.On);
            e.Note = r.Step.Note;
            e.EvidenceUrl = r.Step.Evidence;
        }, ct);
        // Texts are versioned: a text whose content the database does not yet hold becomes a new version.
        foreach (var doc in d.Documents)
            foreach (var t in doc.Texts)
            {
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
                    string.Join("\n", t.Provisions.Select(p => $"{p.Number}\t{p.Label}\t{p.Text}")))));
                var existing = await db.DocumentTexts.Where(x => x.DocumentId == doc.Id && x.Language == t.Language).Select(x => new { x.Version, x.Sha256 }).ToListAsync(ct);
                if (existing.Any(x => x.Sha256 == sha)) continue;
                var version = existing.Count == 0 ? 1 : existing.Max(x => x.Version) + 1;
                var id = $"{doc.Id}:{t.Language}:{version}";
                db.DocumentTexts.Add(new Documents.DocumentText
                {
                    Id = id, DocumentId = doc.Id, Language = t.Language, Version = version, Authentic = t.Authentic, Partial = t.Partial, SourceId = t.Source,
                    ImportedAt = DateTimeOffset.UtcNow, ImportedBy = "system:seed", Sha256 = sha,
                    Provisions = [.. t.Provisions.Select((p, i) => new Documents.Provision { Id = $"{id}:{p.Number}", TextId = id, Number = p.Number, Label = p.Label ?? p.Number, Text = p.Text, Order = i })],
                });
            }
        await Upsert(db.Measures, d.Measures, r => r.Id, r => new PledgedMeasure { Id = r.Id, PledgedById = r.PledgedBy, Description = r.Description }, (r, e) =>
        {
            e.PledgedById = r.PledgedBy;
            e.MeetingId = r.Meeting;
            e.AnnouncedOn = Date(r.AnnouncedOn);
            e.Description = r.Description;
            e.Amount = r.Amount;
            e.Unit = r.Unit;
            e.PeriodFrom = Date(r.Period?.From);
            e.PeriodTo = Date(r.Period?.To);
            e.DirectionId = r.Direction;
            e.Note = r.Note;
            e.Translated = r.Translated;
        }, ct);
        await Upsert(db.Indicators, d.Indicators, r => r.Id, r => new Indicator { Id = r.Id, Name = r.Name, Unit = r.Unit }, (r, e) =>
        {
            e.Name = r.Name;
            e.Unit = r.Unit;
            e.Description = r.Description;
            e.Translated = r.Translated;
            e.Checks = [.. r.Checks.Select(c => new FigureCheck(c.Figure, c.FromYear, c.ToYear, c.Basis))];
            // EF orders the inserts by this self-reference, so an indicator may name one listed after it.
            e.SameMeasureAs = r.SameMeasureAs;
        }, ct);
        var values = d.Indicators.SelectMany(i => i.Values.Select(v => (Indicator: i.Id, Value: v))).ToList();
        await Upsert(db.IndicatorValues, values, r => IndicatorValue.KeyOf(r.Indicator, r.Value.Year, r.Value.State),
            r => new IndicatorValue { Id = IndicatorValue.KeyOf(r.Indicator, r.Value.Year, r.Value.State), IndicatorId = r.Indicator }, (r, e) =>
            {
                e.Year = r.Value.Year;
                e.StateId = r.Value.State;
                e.Value = r.Value.Value;
                e.Qualifier = SeedEnums.Parse<Qualifier>(r.Value.Qualifier);
                e.Note = r.Value.Note;
            }, ct);
        await Upsert(db.ReportingPeriods, d.ReportingPeriods, r => r.Id, r => new Commitments.ReportingPeriod { Id = r.Id, Name = r.Name }, (r, e) =>
        {
            e.Order = r.Order;
            e.Name = r.Name;
            e.From = PartialDate.Parse(r.From);
            e.To = Date(r.To);
            e.ClosesAtMeetingId = r.ClosesAt;
            e.DueOn = Date(r.DueOn);
            e.Closed = r.Closed;
        }, ct);
        await Upsert(db.Commitments, d.Commitments, r => r.Id, r => new Commitments.Commitment { Id = r.Id, Text = r.Text, FirstPeriodId = r.FirstPeriod }, (r, e) =>
        {
            e.Text = r.Text;
            e.TextIsSummary = r.Summary;
            e.Translated = r.Translated;
            e.DocumentId = r.Document;
            e.ProvisionRef = r.Provision;
            e.MeetingId = r.Meeting;
            e.MeasureId = r.Measure;
            e.Parties = r.Parties;
            e.LeadBodies = r.Lead;
            e.SupportingBodies = r.Supporting;
            e.DirectionId = r.Direction;
            e.Kind = SeedEnums.Parse<Commitments.CommitmentKind>(r.Kind);
            e.Target = r.Target;
            e.IndicatorId = r.Indicator;
            e.Deadline = Date(r.Deadline);
            e.ActiveOnceInForceId = r.ActiveOnceInForce;
            e.FirstPeriodId = r.FirstPeriod;
            e.CarriedOverFromId = r.CarriedOverFrom;
            e.Cancelled = r.Cancelled;
            e.Combine = SeedEnums.Parse<Commitments.CombineRule>(r.Combine);
            e.RubricMinus = r.Rubric?.Minus;
            e.RubricZero = r.Rubric?.Zero;
            e.RubricPlus = r.Rubric?.Plus;
            e.Note = r.Note;
        }, ct);
        var assessments = d.Commitments.SelectMany(c => c.Assessments.Select(a => (Commitment: c.Id, Assessment: a))).ToList();
        static string AssessmentKey((string Commitment, SeedAssessment Assessment) r) => Commitments.ComplianceAssessment.KeyOf(r.Commitment, r.Assessment.State, r.Assessment.Period);
        await Upsert(db.Assessments, assessments, AssessmentKey, r => new Commitments.ComplianceAssessment
        {
            Id = AssessmentKey(r), CommitmentId = r.Commitment, StateId = r.Assessment.State, PeriodId = r.Assessment.Period, Evidence = r.Assessment.Evidence,
        }, (r, e) =>
        {
            e.Score = r.Assessment.Score;
            e.Evidence = r.Assessment.Evidence;
            e.EvidenceUrl = r.Assessment.EvidenceUrl;
            e.AssessedOn = Date(r.Assessment.AssessedOn);
        }, ct);
        await Upsert(db.ReportedFigures, d.ReportedFigures, r => r.Id, r => new ReportedFigure { Id = r.Id, Name = r.Name, Unit = r.Unit }, (r, e) =>
        {
            e.Name = r.Name;
            e.Value = r.Value;
            e.Unit = r.Unit;
            e.Qualifier = SeedEnums.Parse<Qualifier>(r.Qualifier);
            e.RegistryCount = r.RegistryCount;
            e.Note = r.Note;
            e.Translated = r.Translated;
        }, ct);
        await Upsert(db.Partnerships, d.Partnerships, r => r.Id, r =>
        {
            var (a, b, _) = Partnerships.PartnershipRules.StatesOf(r.Id);
            return new Partnerships.Partnership { Id = r.Id, StateA = a, StateB = b };
        }, (r, e) =>
        {
            e.Kind = SeedEnums.Parse<Partnerships.PartnershipKind>(r.Kind);
            e.Status = SeedEnums.Parse<Partnerships.PartnershipStatus>(r.Status);
            e.Name = r.Name;
            e.PlaceA = r.PlaceA;
            e.LatitudeA = r.LatitudeA;
            e.LongitudeA = r.LongitudeA;
            e.PlaceB = r.PlaceB;
            e.LatitudeB = r.LatitudeB;
            e.LongitudeB = r.LongitudeB;
            e.Institution = r.Institution;
            e.PartnerInstitution = r.PartnerInstitution;
            e.Terms = r.Terms;
            e.Agreement = r.Agreement;
            e.DocumentId = r.Document;
            e.AgreedOn = Date(r.AgreedOn);
            e.StartedOn = Date(r.StartedOn);
            e.EndedOn = Date(r.EndedOn);
            e.Note = r.Note;
            e.Translated = r.Translated;
        }, ct);

        await Upsert(db.Programmes, d.Programmes, r => r.Id, r => new Programmes.Programme { Id = r.Id, Name = r.Name!, Unit = r.Unit!, PledgedById = r.PledgedBy }, (r, e) =>
        {
            var measure = d.Measures.FirstOrDefault(m => m.Id == r.Measure);
            e.Name = r.Name ?? measure!.Description;
            e.Translated = r.Name is null ? measure!.Translated : r.Translated;
            e.Unit = r.Unit!;
            e.Kind = Programmes.Programme.KindOf(r.Unit!);
            e.Pledged = r.Pledged;
            e.PledgedById = r.PledgedBy;
            e.MeetingId = r.Meeting;
            e.AnnouncedOn = Date(r.AnnouncedOn);
            e.PeriodFrom = r.Period?.From is { } from ? DateOnly.ParseExact(from, "yyyy-MM-dd") : null;
            e.PeriodTo = r.Period?.To is { } to ? DateOnly.ParseExact(to, "yyyy-MM-dd") : null;
            e.PeriodNote = r.PeriodNote;
            // The body the secretariat set (record kind "programmes") is kept unless the dataset names one.
            if (r.Body is not null) e.BodyId = r.Body;
            e.MeasureId = r.Measure;
        }, ct);

        var cited = d.MemberStates.Select(r => (SubjectTypes.MemberState, r.Id, (ICitedSeedRow)r))
            .Concat(d.Bodies.Select(r => (SubjectTypes.Body, r.Id, (ICitedSeedRow)r)))
            .Concat(d.Meetings.Select(r => (SubjectTypes.Meeting, r.Id, (ICitedSeedRow)r)))
            .Concat(d.Documents.Select(r => (SubjectTypes.Document, r.Id, (ICitedSeedRow)r)))
            .Concat(d.PriorityDirections.Select(r => (SubjectTypes.Direction, r.Id, (ICitedSeedRow)r)))
            .Concat(d.Measures.Select(r => (SubjectTypes.Measure, r.Id, (ICitedSeedRow)r)))
            .Concat(values.Select(r => (SubjectTypes.IndicatorValue, IndicatorValue.KeyOf(r.Indicator, r.Value.Year, r.Value.State), (ICitedSeedRow)r.Value)))
            .Concat(d.ReportedFigures.Select(r => (SubjectTypes.ReportedFigure, r.Id, (ICitedSeedRow)r)))
            .Concat(steps.Select(r => (SubjectTypes.RatificationStep, StepKey(r), (ICitedSeedRow)r.Step)))
            .Concat(d.Commitments.Select(r => (SubjectTypes.Commitment, r.Id, (ICitedSeedRow)r)))
            .Concat(assessments.Select(r => (SubjectTypes.Assessment, AssessmentKey(r), (ICitedSeedRow)r.Assessment)))
            .Concat(d.Programmes.Select(r => (SubjectTypes.Programme, r.Id, (ICitedSeedRow)r)))
            .Concat(d.Partnerships.Select(r => (SubjectTypes.Partnership, r.Id, (ICitedSeedRow)r)));

        await Upsert(db.SeedRetractions, d.Retractions, r => SeedRetraction.KeyOf(r.Kind, r.Id),
            r => new SeedRetraction { Id = SeedRetraction.KeyOf(r.Kind, r.Id), Kind = r.Kind, RecordId = r.Id, Reason = r.Reason }, (r, e) =>
            {
                e.Version = r.Version;
                e.Reason = r.Reason;
                e.Translated = r.Translated;
            }, ct);
        cited = cited.Concat(d.Retractions.Select(r => (SubjectTypes.Retraction, SeedRetraction.KeyOf(r.Kind, r.Id), (ICitedSeedRow)r)));
        await UpsertCitations(cited, ct);

        var added = db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added && e.Entity is not Citation);
        var updated = db.ChangeTracker.Entries().Count(e => e.State == EntityState.Modified && e.Entity is not Citation);
        if (stored is null)
            db.DatasetVersions.Add(new DatasetVersion { Id = d.Dataset, Version = d.Version, Sha256 = seed.Sha256, LoadedAt = DateTimeOffset.UtcNow });
        else
        {
            stored.Version = d.Version;
            stored.Sha256 = seed.Sha256;
            stored.LoadedAt = DateTimeOffset.UtcNow;
        }
        db.Actor = new Audit.AuditActor(SeedOwnership.SeedActor, "system", $"seed dataset {d.Dataset} version {d.Version} (sha256 {seed.Sha256[..Math.Min(12, seed.Sha256.Length)]})"
            + (_owned.Describe() is { } kept ? $"; {kept}" : ""));
        await _owned.EnsureNoneChangedSinceAsync(db, ct);
        await db.SaveChangesAsync(ct);
        var (retracted, held) = await RetractAsync(d, ct);
        await transaction.CommitAsync(ct);
        // A period the dataset marks closed is frozen as the dataset states it.
        await new Commitments.Snapshots(db, TimeProvider.System).EnsureForClosedPeriodsAsync(ct);
        return new(SeedOutcome.Loaded, stored?.Version ?? 0, d.Version, added, updated, retracted, held) { Kept = _owned.Kept };
    }

    /// <summary>
    /// Deletes the retracted records the database still holds, one audited save each so that every audit
    /// entry carries its own reason; their citations go with them. A record that anyone but the seed changed
    /// (its audit trail shows another actor, or a project was linked to the commitment) is kept and marked
    /// held: a seed file cannot overrule a decision taken through the workflow.
    /// </summary>
    private async Task<(int Retracted, List<string> Held)> RetractAsync(SeedDataset d, CancellationToken ct)
    {
        var count = 0;
        var held = new List<string>();
        foreach (var r in d.Retractions)
        {
            var rows = new List<object>();
            var subjects = new List<(string AuditType, string CitationType, string Id)>();
            switch (r.Kind)
            {
                case SeedRetractions.Commitment when await db.Commitments.FirstOrDefaultAsync(c => c.Id == r.Id, ct) is { } c:
                    var scores = await db.Assessments.Where(a => a.CommitmentId == r.Id).ToListAsync(ct);
                    rows.AddRange(scores);
                    rows.Add(c);
                    subjects.Add(("commitment", SubjectTypes.Commitment, c.Id));
                    subjects.AddRange(scores.Select(a => ("compliance-assessment", SubjectTypes.Assessment, a.Id)));
                    if (await db.ProjectCommitments.AnyAsync(l => l.CommitmentId == r.Id, ct)) subjects.Add(("project-commitment", "", r.Id));
                    break;
                case SeedRetractions.Assessment when await db.Assessments.FirstOrDefaultAsync(a => a.Id == r.Id, ct) is { } a:
                    rows.Add(a);
                    subjects.Add(("compliance-assessment", SubjectTypes.Assessment, a.Id));
                    break;
                case SeedRetractions.Partnership when await db.Partnerships.FirstOrDefaultAsync(p => p.Id == r.Id, ct) is { } p:
                    rows.Add(p);
                    subjects.Add(("partnership", SubjectTypes.Partnership, p.Id));
                    break;
                default:
                    // Never loaded, or already gone (the secretariat removed a held record): nothing is held any more.
                    if (await db.SeedRetractions.FirstOrDefaultAsync(x => x.Id == SeedRetraction.KeyOf(r.Kind, r.Id), ct) is { Held: true } gone)
                    {
                        gone.Held = false;
                        db.Actor = new Audit.AuditActor(SeedOwnership.SeedActor, "system", $"retraction no longer held: {r.Kind} {r.Id} is gone");
                        await db.SaveChangesAsync(ct);
                    }
                    continue;
            }
            var key = SeedRetraction.KeyOf(r.Kind, r.Id);
            var retraction = await db.SeedRetractions.FirstAsync(x => x.Id == key, ct);
            // The same rule as for updates (SeedOwnership): a row and its citations are one record, and a refused
            // attempt changed nothing.
            var auditKeys = subjects.Select(s => s.AuditType + "\n" + s.Id)
                .Concat(subjects.Where(s => s.CitationType.Length > 0).Select(s => SeedOwnership.CitationType + "\n" + s.CitationType + "/" + s.Id)).ToHashSet();
            var auditTypes = auditKeys.Select(k => k.Split('\n')[0]).Distinct().ToList();
            var auditIds = auditKeys.Select(k => k.Split('\n')[1]).Distinct().ToList();
            var ids = subjects.Select(s => s.Id).ToList();
            var changedElsewhere = subjects.Any(s => s.AuditType == "project-commitment")
                || (await db.AuditEntries.AsNoTracking()
                    .Where(e => auditTypes.Contains(e.SubjectType) && auditIds.Contains(e.SubjectId) && e.Actor != SeedOwnership.SeedActor && e.Action != "refused")
                    .Select(e => new { e.SubjectType, e.SubjectId }).Distinct().ToListAsync(ct))
                    .Any(e => auditKeys.Contains(e.SubjectType + "\n" + e.SubjectId));
            if (changedElsewhere)
            {
                retraction.Held = true;
                held.Add(key);
            }
            else
            {
                retraction.Held = false;
                var citationIds = subjects.Where(s => s.CitationType.Length > 0).Select(s => s.CitationType + "\n" + s.Id).ToHashSet();
                db.Citations.RemoveRange((await db.Citations.Where(x => ids.Contains(x.SubjectId)).ToListAsync(ct))
                    .Where(x => citationIds.Contains(x.SubjectType + "\n" + x.SubjectId)));
                foreach (var row in rows) db.Remove(row);
                count++;
            }
            db.Actor = new Audit.AuditActor(SeedOwnership.SeedActor, "system",
                $"{(changedElsewhere ? "retraction held (changed through the workflow after seeding)" : "retracted")} by seed dataset {d.Dataset} version {r.Version}: {r.Reason.En}");
            await db.SaveChangesAsync(ct);
        }
        return (count, held);
    }

    private async Task UpsertSources(SeedDataset d)
    {
        var existing = await db.Sources.ToDictionaryAsync(s => s.Id);
        foreach (var (id, s) in d.Sources)
        {
            if (!existing.TryGetValue(id, out var source))
            {
                source = new Source { Id = id, Title = s.Title, Language = s.Language };
                db.Sources.Add(source);
            }
            source.Url = s.Url;
            source.Title = s.Title;
            source.Language = s.Language;
        }
    }

    /// <summary>Updates the stored row of each seed row, or adds it; EF then writes only the fields that changed.</summary>
    private async Task Upsert<TRow, TEntity>(IQueryable<TEntity> set, IEnumerable<TRow> rows, Func<TRow, string> idOf,
        Func<TRow, TEntity> create, Action<TRow, TEntity> apply, CancellationToken ct) where TEntity : class
    {
        var existing = await set.ToListAsync(ct);
        var byId = existing.ToDictionary(e => (string)db.Entry(e).Property("Id").CurrentValue!);
        foreach (var row in rows)
        {
            // A record changed outside the seed since the seed last wrote it stays as published (ADR 0008).
            if (_owned.Keeps(typeof(TEntity), idOf(row))) continue;
            if (!byId.TryGetValue(idOf(row), out var entity))
            {
                entity = create(row);
                db.Add(entity);
            }
            apply(row, entity);
        }
    }

    private async Task UpsertCitations(IEnumerable<(string Type, string Id, ICitedSeedRow Row)> subjects, CancellationToken ct)
    {
        var existing = (await db.Citations.ToListAsync(ct)).ToLookup(c => (c.SubjectType, c.SubjectId));
        foreach (var (type, id, row) in subjects)
        {
            if (_owned.KeepsCitationsOf(type, id)) continue;
            var current = existing[(type, id)].ToDictionary(c => c.SourceId);
            foreach (var c in row.Citations)
            {
                var confidence = SeedEnums.Parse<Confidence>(c.Confidence);
                if (current.Remove(c.Source, out var citation)) citation.Confidence = confidence;
                else db.Citations.Add(new Citation { SubjectType = type, SubjectId = id, SourceId = c.Source, Confidence = confidence });
            }
            db.Citations.RemoveRange(current.Values);
        }
    }

    private static PartialDate? Date(string? text) => text is null ? null : PartialDate.Parse(text);
}
