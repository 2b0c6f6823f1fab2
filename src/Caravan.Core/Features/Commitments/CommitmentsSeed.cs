using Caravan.Features.Commitments;
using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedPeriod2> ReportingPeriods { get; init; } = [];
        public List<SeedCommitment> Commitments { get; init; } = [];
    }
}

namespace Caravan.Features.Commitments
{
    /// <summary>A reporting period (named SeedPeriod2 because SeedPeriod is a measure's from–to).</summary>
    public sealed record SeedPeriod2
    {
        public required string Id { get; init; }
        public int Order { get; init; }
        public required LocalizedText Name { get; init; }
        public required string From { get; init; }
        public string? To { get; init; }
        public string? ClosesAt { get; init; }
        public string? DueOn { get; init; }
        public bool Closed { get; init; }
    }

    public sealed record SeedCommitment : ICitedSeedRow
    {
        public required string Id { get; init; }
        public required LocalizedText Text { get; init; }
        /// <summary>The text is Caravan's summary, not the agreed wording.</summary>
        public bool Summary { get; init; }
        public List<string> Translated { get; init; } = [];
        public string? Document { get; init; }
        public string? Provision { get; init; }
        public string? Meeting { get; init; }
        public string? Measure { get; init; }
        public List<string> Parties { get; init; } = [];
        public List<string> Lead { get; init; } = [];
        public List<string> Supporting { get; init; } = [];
        public string? Direction { get; init; }
        public required string Kind { get; init; }
        public LocalizedText? Target { get; init; }
        public string? Indicator { get; init; }
        public string? Deadline { get; init; }
        public string? ActiveOnceInForce { get; init; }
        public required string FirstPeriod { get; init; }
        public string? CarriedOverFrom { get; init; }
        public bool Cancelled { get; init; }
        public string Combine { get; init; } = "average";
        public SeedRubric? Rubric { get; init; }
        public LocalizedText? Note { get; init; }
        public List<SeedAssessment> Assessments { get; init; } = [];
        /// <summary>Only milestones a source gives, each with that source.</summary>
        public List<SeedMilestone> Milestones { get; init; } = [];
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>A milestone of a commitment: <c>id</c> is its short name (the record's id adds the commitment and
    /// the state, or <c>all</c>).</summary>
    public sealed record SeedMilestone : ICitedSeedRow
    {
        public required string Id { get; init; }
        public string? State { get; init; }
        public required LocalizedText Title { get; init; }
        public string? Due { get; init; }
        public string? AchievedOn { get; init; }
        public bool Cancelled { get; init; }
        public LocalizedText? Evidence { get; init; }
        public string? EvidenceUrl { get; init; }
        public LocalizedText? Note { get; init; }
        public List<SeedCitation> Citations { get; init; } = [];
    }

    public sealed record SeedRubric(LocalizedText? Minus, LocalizedText? Zero, LocalizedText? Plus);

    public sealed record SeedAssessment : ICitedSeedRow
    {
        public required string State { get; init; }
        public required string Period { get; init; }
        public int Score { get; init; }
        public required LocalizedText Evidence { get; init; }
        public string? EvidenceUrl { get; init; }
        public string? AssessedOn { get; init; }
        public List<SeedCitation> Citations { get; init; } = [];
    }

    /// <summary>The <c>reportingPeriods</c> section: the periods commitments are assessed in.</summary>
    public sealed class ReportingPeriodsSeedSection : SeedSection
    {
        public override string Property => "reportingPeriods";
        public override int Order => 800;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(ReportingPeriod), null)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.ReportingPeriods;
            v.Ids(Property, rows, x => x.Id);
            var meetings = v.IdsOf<MeetingsSeedSection>();
            for (var i = 0; i < rows.Count; i++)
            {
                var x = rows[i]; var at = $"$.reportingPeriods[{i}]";
                v.Text($"{at}.name", x.Name, required: true);
                v.Date($"{at}.from", x.From);
                v.Date($"{at}.to", x.To);
                v.Date($"{at}.dueOn", x.DueOn);
                v.Ref($"{at}.closesAt", x.ClosesAt, meetings, "meeting");
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct) =>
            await import.UpsertAsync(import.Db.ReportingPeriods, import.Dataset.ReportingPeriods, r => r.Id,
                r => new ReportingPeriod { Id = r.Id, Name = r.Name }, (r, e) =>
                {
                    e.Order = r.Order;
                    e.Name = r.Name;
                    e.From = PartialDate.Parse(r.From);
                    e.To = SeedImport.Date(r.To);
                    e.ClosesAtMeetingId = r.ClosesAt;
                    e.DueOn = SeedImport.Date(r.DueOn);
                    e.Closed = r.Closed;
                }, ct);
    }

    /// <summary>
    /// The <c>commitments</c> section: commitments with their parties' scores; both may be retracted.
    /// </summary>
    public sealed class CommitmentsSeedSection : SeedSection
    {
        public override string Property => "commitments";
        public override int Order => 900;
        public override IEnumerable<SeededEntity> Entities =>
        [
            new(typeof(Commitment), SubjectTypes.Commitment),
            new(typeof(ComplianceAssessment), SubjectTypes.Assessment),
            new(typeof(Milestone), SubjectTypes.Milestone),
        ];

        public override IEnumerable<SeedRetractable> Retractables =>
        [
            new(SeedRetractions.Commitment, d => d.Commitments.Select(c => c.Id), async (db, id, ct) =>
            {
                if (await db.Commitments.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } c) return null;
                var scores = await db.Assessments.Where(a => a.CommitmentId == id).ToListAsync(ct);
                var milestones = await db.Milestones.Where(m => m.CommitmentId == id).ToListAsync(ct);
                // A project linked to it through the workflow holds it.
                return new RetractedRecord([.. scores, .. milestones, c],
                    Linked: await db.ProjectCommitments.AnyAsync(l => l.CommitmentId == id, ct));
            }),
            new(SeedRetractions.Assessment,
                d => d.Commitments.SelectMany(c =>
                    c.Assessments.Select(a => ComplianceAssessment.KeyOf(c.Id, a.State, a.Period))),
                async (db, id, ct) => await db.Assessments.FirstOrDefaultAsync(a => a.Id == id, ct) is { } a
                    ? new RetractedRecord([a]) : null),
            new(Milestone.RetractionKind,
                d => d.Commitments.SelectMany(c => c.Milestones.Select(m => Milestone.KeyOf(c.Id, m.State, m.Id))),
                async (db, id, ct) => await db.Milestones.FirstOrDefaultAsync(m => m.Id == id, ct) is { } m
                    ? new RetractedRecord([m]) : null),
        ];

        public override void Validate(SeedValidation v)
        {
            var d = v.Dataset;
            var commitmentIds = v.Ids(Property, d.Commitments, x => x.Id);
            var (states, bodies) = (v.IdsOf<MemberStatesSeedSection>(), v.IdsOf<BodiesSeedSection>());
            var (meetings, documents) = (v.IdsOf<MeetingsSeedSection>(), v.IdsOf<DocumentsSeedSection>());
            var periods = v.IdsOf<ReportingPeriodsSeedSection>();
            for (var i = 0; i < d.Commitments.Count; i++)
            {
                var x = d.Commitments[i]; var at = $"$.commitments[{i}]";
                v.Text($"{at}.text", x.Text, required: true);
                v.Ref($"{at}.document", x.Document, documents, "document");
                v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
                if (x.Document is null && x.Meeting is null)
                    v.Fail($"{at}", "a commitment comes from a document or, failing that, a meeting");
                v.Ref($"{at}.activeOnceInForce", x.ActiveOnceInForce, documents, "document");
                v.Ref($"{at}.firstPeriod", x.FirstPeriod, periods, "reporting period", required: true);
                v.Ref($"{at}.carriedOverFrom", x.CarriedOverFrom, commitmentIds, "commitment");
                v.Enum<CommitmentKind>($"{at}.kind", x.Kind);
                v.Enum<CombineRule>($"{at}.combine", x.Combine);
                v.Date($"{at}.deadline", x.Deadline);
                // Parties no source names stay unknown (an empty list), and the note says why.
                if (x.Parties.Count == 0 && x.Note is null)
                    v.Fail($"{at}.parties", "a commitment binds at least one member state "
                        + "(none only when the note says the parties are not known)");
                // A commitment is an outcome of the mechanism: its document cannot predate the period it is first
                // assessed in.
                if (d.Documents.FirstOrDefault(o => o.Id == x.Document) is { SignedOn: { } signedOn }
                    && d.ReportingPeriods.FirstOrDefault(p => p.Id == x.FirstPeriod) is { } first
                    && PartialDate.TryParse(signedOn, out var signedDate)
                    && PartialDate.TryParse(first.From, out var periodFrom)
                    && signedDate.Latest < periodFrom.Earliest)
                    v.Fail($"{at}.firstPeriod",
                        $"the document was signed on {signedOn}, before the period '{first.Id}' begins ({first.From})");
                for (var j = 0; j < x.Parties.Count; j++)
                    v.Ref($"{at}.parties[{j}]", x.Parties[j], states, "member state");
                for (var j = 0; j < x.Lead.Count; j++) v.Ref($"{at}.lead[{j}]", x.Lead[j], bodies, "body");
                for (var j = 0; j < x.Supporting.Count; j++)
                    v.Ref($"{at}.supporting[{j}]", x.Supporting[j], bodies, "body");
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
                for (var j = 0; j < x.Assessments.Count; j++)
                {
                    var a = x.Assessments[j]; var aat = $"{at}.assessments[{j}]";
                    if (!x.Parties.Contains(a.State))
                        v.Fail($"{aat}.state", $"'{a.State}' is not bound by this commitment");
                    v.Ref($"{aat}.period", a.Period, periods, "reporting period", required: true);
                    if (!ComplianceRules.IsValidScore(a.Score)) v.Fail($"{aat}.score", "a score is -1, 0 or 1");
                    v.Text($"{aat}.evidence", a.Evidence, required: true);
                    v.Date($"{aat}.assessedOn", a.AssessedOn);
                    if (x.Assessments.Take(j).Any(o => o.State == a.State && o.Period == a.Period))
                        v.Fail(aat, "this state and period are scored twice");
                    if (a.Citations.Count == 0) v.Fail($"{aat}.citations", "a score needs its evidence's source");
                    v.Cited(aat, a);
                }
                for (var j = 0; j < x.Milestones.Count; j++)
                {
                    var m = x.Milestones[j]; var mat = $"{at}.milestones[{j}]";
                    if (!System.Text.RegularExpressions.Regex.IsMatch(m.Id, "^[a-z0-9-]{1,60}$"))
                        v.Fail($"{mat}.id", "a milestone's short name is 1 to 60 of a-z, 0-9 and hyphens");
                    if (m.State is not null && !x.Parties.Contains(m.State))
                        v.Fail($"{mat}.state", $"'{m.State}' is not bound by this commitment");
                    v.Text($"{mat}.title", m.Title, required: true);
                    v.Date($"{mat}.due", m.Due);
                    v.Date($"{mat}.achievedOn", m.AchievedOn);
                    if (m.Due is null && m.AchievedOn is null)
                        v.Fail(mat, "a milestone has a due date or the date it was achieved");
                    if (m.AchievedOn is not null && m.Evidence is null)
                        v.Fail($"{mat}.evidence", "an achieved milestone says what shows it");
                    if (x.Milestones.Take(j).Any(o => o.Id == m.Id && o.State == m.State))
                        v.Fail(mat, "this milestone is listed twice");
                    if (m.Citations.Count == 0) v.Fail($"{mat}.citations", "a milestone needs its source");
                    v.Cited(mat, m);
                }
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var (db, rows) = (import.Db, import.Dataset.Commitments);
            await import.UpsertAsync(db.Commitments, rows, r => r.Id,
                r => new Commitment { Id = r.Id, Text = r.Text, FirstPeriodId = r.FirstPeriod }, (r, e) =>
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
                    e.Kind = SeedEnums.Parse<CommitmentKind>(r.Kind);
                    e.Target = r.Target;
                    e.IndicatorId = r.Indicator;
                    e.Deadline = SeedImport.Date(r.Deadline);
                    e.ActiveOnceInForceId = r.ActiveOnceInForce;
                    e.FirstPeriodId = r.FirstPeriod;
                    e.CarriedOverFromId = r.CarriedOverFrom;
                    e.Cancelled = r.Cancelled;
                    e.Combine = SeedEnums.Parse<CombineRule>(r.Combine);
                    e.RubricMinus = r.Rubric?.Minus;
                    e.RubricZero = r.Rubric?.Zero;
                    e.RubricPlus = r.Rubric?.Plus;
                    e.Note = r.Note;
                }, ct);
            var assessments = rows.SelectMany(c => c.Assessments.Select(a => (Commitment: c.Id, Assessment: a)))
                .ToList();
            static string Key((string Commitment, SeedAssessment Assessment) r) =>
                ComplianceAssessment.KeyOf(r.Commitment, r.Assessment.State, r.Assessment.Period);
            await import.UpsertAsync(db.Assessments, assessments, Key, r => new ComplianceAssessment
            {
                Id = Key(r), CommitmentId = r.Commitment, StateId = r.Assessment.State, PeriodId = r.Assessment.Period,
                Evidence = r.Assessment.Evidence,
            }, (r, e) =>
            {
                e.Score = r.Assessment.Score;
                e.Evidence = r.Assessment.Evidence;
                e.EvidenceUrl = r.Assessment.EvidenceUrl;
                e.AssessedOn = SeedImport.Date(r.Assessment.AssessedOn);
            }, ct);
            var milestones = rows.SelectMany(c => c.Milestones.Select(m => (Commitment: c.Id, Milestone: m))).ToList();
            static string MilestoneKey((string Commitment, SeedMilestone Milestone) r) =>
                Milestone.KeyOf(r.Commitment, r.Milestone.State, r.Milestone.Id);
            await import.UpsertAsync(db.Milestones, milestones, MilestoneKey, r => new Milestone
            {
                Id = MilestoneKey(r), CommitmentId = r.Commitment, StateId = r.Milestone.State, Title = r.Milestone.Title,
            }, (r, e) =>
            {
                e.Title = r.Milestone.Title;
                e.Due = SeedImport.Date(r.Milestone.Due);
                e.AchievedOn = SeedImport.Date(r.Milestone.AchievedOn);
                e.Cancelled = r.Milestone.Cancelled;
                e.Evidence = r.Milestone.Evidence;
                e.EvidenceUrl = r.Milestone.EvidenceUrl;
                e.Note = r.Milestone.Note;
            }, ct);
            import.Cite(SubjectTypes.Commitment, rows, r => r.Id);
            import.Cite(SubjectTypes.Assessment, assessments, Key, r => r.Assessment);
            import.Cite(SubjectTypes.Milestone, milestones, MilestoneKey, r => r.Milestone);
        }
    }
}
