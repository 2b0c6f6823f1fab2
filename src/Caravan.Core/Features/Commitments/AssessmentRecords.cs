using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Commitments;

/// <summary>
/// One party's score on one commitment in one period, with its evidence: the party's coordinator (or the
/// lead body's officer) proposes it, the secretariat validates it. A score needs evidence, and changing a
/// score needs new evidence.
/// </summary>
internal sealed class AssessmentRecords : RecordKind<ComplianceAssessment>
{
    public static readonly MessageCode PeriodClosed = new("assessment.period-closed");
    public static readonly MessageCode EvidenceRequired = new("assessment.evidence-required");
    public static readonly MessageCode EvidenceUnchanged = new("assessment.evidence-unchanged");
    // Why a new assessment's id ("commitment:state:period") is refused.
    public static readonly MessageCode BadId = new("record.bad-assessment-id");
    public static readonly MessageCode UnknownCommitment = new("record.unknown-commitment");
    public static readonly MessageCode NotBound = new("assessment.not-bound");

    // The score and the evidence that states why are facts; when it was assessed and the evidence address are not.
    private static readonly RecordField<ComplianceAssessment, int> Score =
        Field.Choice("score", [-1, 0, 1], a => a.Score, (a, s) => a.Score = s, choiceNames: "score");
    private static readonly LocalizedField<ComplianceAssessment> Evidence =
        Field.Localized("evidence", a => a.Evidence, (a, e) => a.Evidence = e!);
    private static readonly RecordField<ComplianceAssessment, string?> EvidenceUrl =
        Field.WebAddress("evidence-url", a => a.EvidenceUrl, (a, url) => a.EvidenceUrl = url, fact: false);

    public override string Name => "assessments";
    public override int ListOrder => 5;
    public override string CitedAs => Sources.SubjectTypes.Assessment;
    public override bool CanCreate => true;
    protected override IReadOnlyList<RecordField<ComplianceAssessment>> Declared { get; } =
    [
        Score, Evidence, EvidenceUrl,
        Field.Date("assessed-on", a => a.AssessedOn, (a, on) => a.AssessedOn = on, fact: false),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var a = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return null;
        var commitment = await db.Commitments.AsNoTracking().FirstAsync(c => c.Id == a.CommitmentId, ct);
        return ToRecord(a, commitment, await TitleNames.LoadAsync(db, ct));
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var commitments = await db.Commitments.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        var names = await TitleNames.LoadAsync(db, ct);
        return
        [
            .. (await db.Assessments.AsNoTracking().ToListAsync(ct)).OrderBy(a => a.Id, StringComparer.Ordinal)
                .Select(a => ToRecord(a, commitments[a.CommitmentId], names)),
        ];
    }

    private EditableRecord ToRecord(ComplianceAssessment a, Commitment c, TitleNames names) =>
        Describe(a.Id, c, a.StateId, a.PeriodId, a.Version, ValuesOf(a), names);

    private EditableRecord Describe(
        string id, Commitment c, string state, string period, int version, Dictionary<string, string?> values,
        TitleNames names)
    {
        var title = TitleNames.Join(c.Text, names.State(state), names.Period(period));
        return new EditableRecord(
            Name, id, title, new RecordScope([state], c.LeadBodies), version, values, $"/commitments/{c.Id}",
            "compliance-assessment");
    }

    public override async Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3) return (null, BadId);
        var commitment = await db.Commitments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parts[0], ct);
        if (commitment is null) return (null, UnknownCommitment);
        if (!commitment.Parties.Contains(parts[1])) return (null, NotBound);
        if (!await db.ReportingPeriods.AnyAsync(p => p.Id == parts[2], ct)) return (null, RecordMessages.UnknownPeriod);
        if (await db.Assessments.AnyAsync(a => a.Id == id, ct)) return (null, RecordMessages.Exists);
        return (Describe(id, commitment, parts[1], parts[2], 0, [], await TitleNames.LoadAsync(db, ct)), null);
    }

    public override async Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var parts = id.Split(':');
        var period = await db.ReportingPeriods.AsNoTracking().FirstAsync(p => p.Id == parts[2], ct);
        if (period.Closed) errors.Add(new FieldError(Score.Name, PeriodClosed, period.Id));
        var evidence = Evidence.Get(values);
        if (evidence is null) errors.Add(new FieldError(Evidence.First, EvidenceRequired));
        // A score cannot change without evidence: a new score needs new evidence, not the old one re-used.
        var stored = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (stored is not null && Score.Format(stored.Score) != values.GetValueOrDefault(Score.Name)
            && Equals(stored.Evidence, evidence) && stored.EvidenceUrl == EvidenceUrl.Get(values))
            errors.Add(new FieldError(Evidence.First, EvidenceUnchanged));
        return errors;
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var a = await db.Assessments.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            var parts = id.Split(':');
            a = new ComplianceAssessment
            {
                Id = id, CommitmentId = parts[0], StateId = parts[1], PeriodId = parts[2],
                Evidence = Evidence.Get(values)!,
            };
            db.Assessments.Add(a);
        }
        Write(a, values);
    }

    /// <summary>
    /// The assessment a publication writes: the one proposed, unless its period closed while it was in the workflow (a
    /// round closed, a late submission); then the same commitment and state in the next open period, so the frozen
    /// period is never changed after its close (a proposal for a closed period is refused when made, by
    /// <see cref="CheckAsync"/>). With no later open period yet, it stays where it was proposed: the snapshot is frozen
    /// either way.
    /// </summary>
    public override async Task<string> PublishedIdAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        var period = await db.ReportingPeriods.AsNoTracking().FirstOrDefaultAsync(p => p.Id == parts[2], ct);
        if (period is not { Closed: true }) return id;
        var next = await db.ReportingPeriods.AsNoTracking().Where(p => p.Order > period.Order && !p.Closed)
            .OrderBy(p => p.Order).Select(p => p.Id).FirstOrDefaultAsync(ct);
        return next is null ? id : ComplianceAssessment.KeyOf(parts[0], parts[1], next);
    }
}
