using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Documents;
using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using static Caravan.Features.Submissions.RecordFields;

namespace Caravan.Features.Submissions;

/// <summary>A record as it is published, with what the editing rules need to know about it.</summary>
public sealed record EditableRecord(
    string Kind, string Id, LocalizedText Title, RecordScope Scope, int Version,
    IReadOnlyDictionary<string, string?> Values, string PortalPath, string AuditSubjectType);

/// <summary>
/// A kind of record that people edit through Caravan: its fields, whose business it is, and how a
/// validated change is written. Adding a kind here gives it the API, the edit form, the submission
/// workflow, the diff and the history, all under the same rules.
/// </summary>
public abstract class RecordKind
{
    /// <summary>As in URLs: <c>/api/v1/records/{kind}/{id}</c>.</summary>
    public abstract string Name { get; }
    public abstract IReadOnlyList<EditableField> Fields { get; }
    /// <summary>The record's type in the citations table: its sources are the citations of this type and its id.</summary>
    public abstract string CitedAs { get; }

    /// <summary>
    /// Whether a field states a fact, which a new or changed value must bring its own sources for. Notes are
    /// the writer's comment, not a fact; kinds say which of their other fields are not facts either.
    /// </summary>
    public virtual bool IsFact(EditableField field) => field.Group != "note";

    /// <summary>Whether a new record of this kind may be proposed (its id says what it is about).</summary>
    public virtual bool CanCreate => false;

    public abstract Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct);

    /// <summary>Every record of the kind (hundreds, not millions: the mechanism's own registry).</summary>
    public abstract Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct);

    /// <summary>For a new record: whose it would be and its title, or an error code when the id is not acceptable.</summary>
    public virtual Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct) =>
        Task.FromResult<(EditableRecord?, string?)>((null, "record.cannot-create"));

    /// <summary>Checks that need other records (a date against a signature…): errors, or none.</summary>
    public virtual Task<List<FieldError>> CheckAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today, CancellationToken ct) =>
        Task.FromResult(new List<FieldError>());

    /// <summary>Checks that depend on who writes (what only the secretariat may set…): errors, or none.</summary>
    public virtual List<FieldError> CheckWriter(Caller caller, WriteRight right, IReadOnlyDictionary<string, string?> values) => [];

    /// <summary>
    /// Whether <see cref="CheckAsync"/> runs again when a submission is published: for records checked
    /// against others published meanwhile (a ledger entry that became an overspend).
    /// </summary>
    public virtual bool RecheckOnPublish => false;

    /// <summary>Writes validated values to the record (creating it when new). The caller saves.</summary>
    public abstract Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct);

    public static readonly IReadOnlyList<RecordKind> All = [new IndicatorValueRecords(), new BodyRecords(), new DocumentRecords(), new RatificationStepRecords(), new AssessmentRecords(), new Programmes.ProgrammeEntryRecords(), new Programmes.ProgrammeRecords(), new Partnerships.PartnershipRecords()];

    public static RecordKind? Named(string name) => All.FirstOrDefault(k => k.Name == name);
}

/// <summary>
/// A year's figure of an indicator for one state (the state's coordinator proposes it) or for the
/// mechanism as a whole (the secretariat's).
/// </summary>
internal sealed class IndicatorValueRecords : RecordKind
{
    public override string Name => "indicator-values";
    public override string CitedAs => Sources.SubjectTypes.IndicatorValue;
    public override bool CanCreate => true;
    public override IReadOnlyList<EditableField> Fields { get; } =
        [new("value", FieldKind.Number, Required: true), EditableField.ChoiceOf<Qualifier>("qualifier", choiceNames: "precision"), .. EditableField.Localized("note")];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var value = await db.IndicatorValues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (value is null) return null;
        var name = await db.Indicators.AsNoTracking().Where(i => i.Id == value.IndicatorId).Select(i => i.Name).FirstAsync(ct);
        return ToRecord(value, name, await TitleNames.LoadAsync(db, ct));
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var names = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var values = await db.IndicatorValues.AsNoTracking().ToListAsync(ct);
        var titles = await TitleNames.LoadAsync(db, ct);
        return [.. values.OrderBy(v => v.IndicatorId, StringComparer.Ordinal).ThenBy(v => v.Year).ThenBy(v => v.StateId, StringComparer.Ordinal).Select(v => ToRecord(v, names[v.IndicatorId], titles))];
    }

    private EditableRecord ToRecord(IndicatorValue value, LocalizedText indicator, TitleNames titles)
    {
        var values = new Dictionary<string, string?>
        {
            ["value"] = value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["qualifier"] = SeedEnums.ToKebab(value.Qualifier),
        };
        PutLocalized(values, "note", value.Note);
        return Describe(value.IndicatorId, indicator, value.Year, value.StateId, value.Version, values, titles);
    }

    public override async Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var year) || year is < 1991 or > 2100)
            return (null, "record.bad-indicator-value-id");
        var state = parts[2] == "all" ? null : parts[2];
        if (state is not null && !await db.MemberStates.AnyAsync(s => s.Id == state, ct)) return (null, "record.unknown-state");
        if (await db.IndicatorValues.AnyAsync(v => v.Id == id, ct)) return (null, "record.exists");
        var indicator = await db.Indicators.AsNoTracking().Where(i => i.Id == parts[0]).Select(i => i.Name).FirstOrDefaultAsync(ct);
        if (indicator is null) return (null, "record.unknown-indicator");
        // A new figure is exact unless the proposer says otherwise.
        return (Describe(parts[0], indicator, year, state, 0, new Dictionary<string, string?> { ["qualifier"] = SeedEnums.ToKebab(Qualifier.Exact) }, await TitleNames.LoadAsync(db, ct)), null);
    }

    private EditableRecord Describe(string indicatorId, LocalizedText indicator, int year, string? stateId, int version, Dictionary<string, string?> values, TitleNames titles)
    {
        var yearText = TitleNames.Same(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var title = stateId is null ? TitleNames.Join(indicator, yearText) : TitleNames.Join(indicator, yearText, titles.State(stateId));
        var scope = stateId is null ? RecordScope.Mechanism : RecordScope.OfState(stateId);
        return new EditableRecord(Name, IndicatorValue.KeyOf(indicatorId, year, stateId), title, scope, version, values, $"/indicators/{indicatorId}", "indicator-value");
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var value = await db.IndicatorValues.FirstOrDefaultAsync(v => v.Id == id, ct);
        if (value is null)
        {
            var parts = id.Split(':');
            value = new IndicatorValue { Id = id, IndicatorId = parts[0], Year = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), StateId = parts[2] == "all" ? null : parts[2] };
            db.IndicatorValues.Add(value);
        }
        value.Value = decimal.Parse(values["value"]!, System.Globalization.CultureInfo.InvariantCulture);
        value.Qualifier = GetChoice<Qualifier>(values, "qualifier");
        value.Note = GetLocalized(values, "note");
    }
}

/// <summary>A platform's or centre's own record (its seat, stage and dates), kept by its officers.</summary>
internal sealed class BodyRecords : RecordKind
{
    public override string Name => "bodies";
    public override string CitedAs => Sources.SubjectTypes.Body;
    public override IReadOnlyList<EditableField> Fields { get; } =
    [
        EditableField.ChoiceOf<BodyStatus>("status"), .. EditableField.Localized("seat", 500),
        new("established-on", FieldKind.Date), new("operational-on", FieldKind.Date), .. EditableField.Localized("note"),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var body = await db.Bodies.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        return body is null ? null : ToRecord(body);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
        [.. (await db.Bodies.AsNoTracking().ToListAsync(ct)).OrderBy(b => b.Id, StringComparer.Ordinal).Select(ToRecord)];

    private EditableRecord ToRecord(Body body)
    {
        var values = new Dictionary<string, string?>
        {
            ["status"] = SeedEnums.ToKebab(body.Status),
            ["established-on"] = body.EstablishedOn?.ToIso(),
            ["operational-on"] = body.OperationalOn?.ToIso(),
        };
        PutLocalized(values, "seat", body.Seat);
        PutLocalized(values, "note", body.Note);
        return new EditableRecord(Name, body.Id, body.Name, RecordScope.OfBody(body.Id), body.Version, values, $"/bodies/{body.Id}", "body");
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var body = await db.Bodies.FirstAsync(b => b.Id == id, ct);
        body.Status = GetChoice<BodyStatus>(values, "status");
        body.Seat = GetLocalized(values, "seat");
        body.EstablishedOn = GetDate(values, "established-on");
        body.OperationalOn = GetDate(values, "operational-on");
        body.Note = GetLocalized(values, "note");
    }
}

/// <summary>
/// An outcome document's signing facts and summary. A bilateral document is the business of its two
/// states (both confirm a change); any other document is the mechanism's, kept by the secretariat.
/// </summary>
internal sealed class DocumentRecords : RecordKind
{
    public override string Name => "documents";
    public override string CitedAs => Sources.SubjectTypes.Document;
    /// <summary>The summary is Caravan's description of the text (whose sources the document has); the signing and entry-into-force facts are facts.</summary>
    public override bool IsFact(EditableField field) => field.Group is not ("note" or "summary");
    public override IReadOnlyList<EditableField> Fields { get; } =
    [
        new("signed-on", FieldKind.Date), .. EditableField.Localized("signed-at", 300), .. EditableField.Localized("summary", 4000), .. EditableField.Localized("note"),
        // A treaty's entry-into-force clause; "unknown" for any other document.
        EditableField.ChoiceOf<Treaties.EntryIntoForceKind>("entry-into-force", choiceNames: "entry-into-force-rule"), new("entry-into-force-days", FieldKind.Whole), new("entry-into-force-instruments", FieldKind.Whole),
    ];

    public override async Task<List<FieldError>> CheckAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today, CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Parties).FirstAsync(d => d.Id == id, ct);
        var rule = new Treaties.EntryIntoForceRule(GetChoice<Treaties.EntryIntoForceKind>(values, "entry-into-force"),
            int.Parse(values.GetValueOrDefault("entry-into-force-days") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("entry-into-force-instruments") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        if (rule.Kind != Treaties.EntryIntoForceKind.Unknown && doc.Kind != DocumentKind.Treaty) return [new("entry-into-force", "treaty.rule.not-a-treaty")];
        return rule.Problem(doc.Parties.Count) is { } problem
            ? [new(problem == "treaty.rule.days" ? "entry-into-force-days" : "entry-into-force-instruments", problem, doc.Parties.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))]
            : [];
    }

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Parties).FirstOrDefaultAsync(d => d.Id == id, ct);
        return doc is null ? null : ToRecord(doc);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
        [.. (await db.Documents.AsNoTracking().Include(d => d.Parties).ToListAsync(ct)).OrderBy(d => d.SignedOn?.ToIso()).ThenBy(d => d.Id, StringComparer.Ordinal).Select(ToRecord)];

    private EditableRecord ToRecord(OutcomeDocument doc)
    {
        var values = new Dictionary<string, string?>
        {
            ["signed-on"] = doc.SignedOn?.ToIso(),
            ["entry-into-force"] = SeedEnums.ToKebab(doc.EntryIntoForce),
            ["entry-into-force-days"] = doc.EntryIntoForceDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["entry-into-force-instruments"] = doc.EntryIntoForceInstruments.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        PutLocalized(values, "signed-at", doc.SignedAt);
        PutLocalized(values, "summary", doc.Summary);
        PutLocalized(values, "note", doc.Note);
        var scope = doc.Scope == DocumentScope.Bilateral && doc.Parties.Count == 2
            ? new RecordScope([.. doc.Parties.Select(p => p.StateId).Order(StringComparer.Ordinal)], [])
            : RecordScope.Mechanism;
        return new EditableRecord(Name, doc.Id, doc.Title, scope, doc.Version, values, $"/documents/{doc.Id}", "outcome-document");
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var doc = await db.Documents.FirstAsync(d => d.Id == id, ct);
        doc.SignedOn = GetDate(values, "signed-on");
        doc.SignedAt = GetLocalized(values, "signed-at");
        doc.Summary = GetLocalized(values, "summary");
        doc.Note = GetLocalized(values, "note");
        doc.EntryIntoForce = GetChoice<Treaties.EntryIntoForceKind>(values, "entry-into-force");
        doc.EntryIntoForceDays = int.Parse(values.GetValueOrDefault("entry-into-force-days") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        doc.EntryIntoForceInstruments = int.Parse(values.GetValueOrDefault("entry-into-force-instruments") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A party's step towards being bound by a treaty (signature, approvals, instrument): its coordinator
/// records it with its date and evidence; the treaty's status is computed from these steps.
/// </summary>
internal sealed class RatificationStepRecords : RecordKind
{
    public override string Name => "ratification-steps";
    public override string CitedAs => Sources.SubjectTypes.RatificationStep;

    /// <summary>The steps' names for record titles (the portal's own strings RatificationStepKind.* say the same).</summary>
    private static readonly Dictionary<Treaties.RatificationStepKind, LocalizedText> StepNames = new()
    {
        [Treaties.RatificationStepKind.Signature] = new() { En = "signature", Ru = "подписание", Zh = "签署" },
        [Treaties.RatificationStepKind.GovernmentApproval] = new() { En = "government approval", Ru = "одобрение правительством", Zh = "政府批准" },
        [Treaties.RatificationStepKind.ParliamentApproval] = new() { En = "parliament", Ru = "парламент", Zh = "议会" },
        [Treaties.RatificationStepKind.HeadOfStateApproval] = new() { En = "head of state", Ru = "глава государства", Zh = "国家元首" },
        [Treaties.RatificationStepKind.Instrument] = new() { En = "instrument", Ru = "документ о ратификации", Zh = "批准文书" },
    };
    public override bool CanCreate => true;
    /// <summary>The date is the fact; the evidence address is a pointer kept beside the sources.</summary>
    public override bool IsFact(EditableField field) => field.Name == "on";
    public override IReadOnlyList<EditableField> Fields { get; } =
        [new("on", FieldKind.Date), new("evidence-url", FieldKind.WebAddress), .. EditableField.Localized("note")];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var step = await db.RatificationSteps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (step is null) return null;
        var title = await db.Documents.AsNoTracking().Where(d => d.Id == step.DocumentId).Select(d => d.Title).FirstAsync(ct);
        return ToRecord(step, title, await TitleNames.LoadAsync(db, ct));
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var titles = await db.Documents.AsNoTracking().Where(d => d.Kind == DocumentKind.Treaty).ToDictionaryAsync(d => d.Id, d => d.Title, ct);
        var names = await TitleNames.LoadAsync(db, ct);
        return [.. (await db.RatificationSteps.AsNoTracking().ToListAsync(ct)).OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => ToRecord(s, titles[s.DocumentId], names))];
    }

    private EditableRecord ToRecord(Treaties.RatificationStep step, LocalizedText treaty, TitleNames names)
    {
        var values = new Dictionary<string, string?> { ["on"] = step.On?.ToIso(), ["evidence-url"] = step.EvidenceUrl };
        PutLocalized(values, "note", step.Note);
        return Describe(step.Id, step.DocumentId, step.StateId, step.Kind, treaty, step.Version, values, names);
    }

    private EditableRecord Describe(string id, string documentId, string stateId, Treaties.RatificationStepKind kind, LocalizedText treaty, int version, Dictionary<string, string?> values, TitleNames names)
    {
        var title = TitleNames.Join(treaty, names.State(stateId), StepNames.GetValueOrDefault(kind) ?? TitleNames.Same(SeedEnums.ToKebab(kind)));
        return new EditableRecord(Name, id, title, RecordScope.OfState(stateId), version, values, $"/treaties/{documentId}", "ratification-step");
    }

    public override async Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !SeedEnums.TryParse<Treaties.RatificationStepKind>(parts[2], out var kind)) return (null, "record.bad-ratification-step-id");
        var treaty = await db.Documents.AsNoTracking().Include(d => d.Parties).FirstOrDefaultAsync(d => d.Id == parts[0] && d.Kind == DocumentKind.Treaty, ct);
        if (treaty is null) return (null, "record.unknown-treaty");
        if (treaty.Parties.All(p => p.StateId != parts[1])) return (null, "record.not-a-party");
        var key = Treaties.RatificationStep.KeyOf(parts[0], parts[1], kind);
        if (await db.RatificationSteps.AnyAsync(s => s.Id == key, ct)) return (null, "record.exists");
        return (Describe(key, parts[0], parts[1], kind, treaty.Title, 0, [], await TitleNames.LoadAsync(db, ct)), null);
    }

    public override async Task<List<FieldError>> CheckAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var parts = id.Split(':');
        var kind = SeedEnums.Parse<Treaties.RatificationStepKind>(parts[2]);
        var signedOn = await db.Documents.AsNoTracking().Where(d => d.Id == parts[0]).Select(d => d.SignedOn).FirstOrDefaultAsync(ct);
        var partySteps = await db.RatificationSteps.AsNoTracking().Where(s => s.DocumentId == parts[0] && s.StateId == parts[1]).ToListAsync(ct);
        var signature = Treaties.RatificationRules.SignatureOf(signedOn, partySteps);
        if (Treaties.RatificationRules.Problem(kind, GetDate(values, "on"), signature, today) is { } problem)
            errors.Add(new FieldError("on", problem, signature?.ToIso()));
        return errors;
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var step = await db.RatificationSteps.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (step is null)
        {
            var parts = id.Split(':');
            step = new Treaties.RatificationStep { Id = id, DocumentId = parts[0], StateId = parts[1], Kind = SeedEnums.Parse<Treaties.RatificationStepKind>(parts[2]) };
            db.RatificationSteps.Add(step);
        }
        step.On = GetDate(values, "on");
        step.EvidenceUrl = values.GetValueOrDefault("evidence-url");
        step.Note = GetLocalized(values, "note");
    }
}

/// <summary>
/// One party's score on one commitment in one period, with its evidence: the party's coordinator (or the
/// lead body's officer) proposes it, the secretariat validates it. A score needs evidence, and changing a
/// score needs new evidence.
/// </summary>
internal sealed class AssessmentRecords : RecordKind
{
    public override string Name => "assessments";
    public override string CitedAs => Sources.SubjectTypes.Assessment;
    public override bool CanCreate => true;
    /// <summary>The score and the evidence that states why are facts; when it was assessed and the evidence address are not.</summary>
    public override bool IsFact(EditableField field) => field.Group is "score" or "evidence";
    public override IReadOnlyList<EditableField> Fields { get; } =
    [
        new("score", FieldKind.Choice, Required: true, Choices: ["-1", "0", "1"], ChoiceNames: "score"),
        .. EditableField.Localized("evidence"), new("evidence-url", FieldKind.WebAddress), new("assessed-on", FieldKind.Date),
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
        return [.. (await db.Assessments.AsNoTracking().ToListAsync(ct)).OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => ToRecord(a, commitments[a.CommitmentId], names))];
    }

    private EditableRecord ToRecord(Commitments.ComplianceAssessment a, Commitments.Commitment c, TitleNames names)
    {
        var values = new Dictionary<string, string?>
        {
            ["score"] = a.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["evidence-url"] = a.EvidenceUrl,
            ["assessed-on"] = a.AssessedOn?.ToIso(),
        };
        PutLocalized(values, "evidence", a.Evidence);
        return Describe(a.Id, c, a.StateId, a.PeriodId, a.Version, values, names);
    }

    private EditableRecord Describe(string id, Commitments.Commitment c, string state, string period, int version, Dictionary<string, string?> values, TitleNames names)
    {
        var title = TitleNames.Join(c.Text, names.State(state), names.Period(period));
        return new EditableRecord(Name, id, title, new RecordScope([state], c.LeadBodies), version, values, $"/commitments/{c.Id}", "compliance-assessment");
    }

    public override async Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3) return (null, "record.bad-assessment-id");
        var commitment = await db.Commitments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parts[0], ct);
        if (commitment is null) return (null, "record.unknown-commitment");
        if (!commitment.Parties.Contains(parts[1])) return (null, "assessment.not-bound");
        if (!await db.ReportingPeriods.AnyAsync(p => p.Id == parts[2], ct)) return (null, "record.unknown-period");
        if (await db.Assessments.AnyAsync(a => a.Id == id, ct)) return (null, "record.exists");
        return (Describe(id, commitment, parts[1], parts[2], 0, [], await TitleNames.LoadAsync(db, ct)), null);
    }

    public override async Task<List<FieldError>> CheckAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var parts = id.Split(':');
        var period = await db.ReportingPeriods.AsNoTracking().FirstAsync(p => p.Id == parts[2], ct);
        if (period.Closed) errors.Add(new FieldError("score", "assessment.period-closed", period.Id));
        var evidence = GetLocalized(values, "evidence");
        if (evidence is null) errors.Add(new FieldError("evidence.en", "assessment.evidence-required"));
        // A score cannot change without evidence: a new score needs new evidence, not the old one re-used.
        var stored = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (stored is not null && stored.Score.ToString(System.Globalization.CultureInfo.InvariantCulture) != values.GetValueOrDefault("score")
            && Equals(stored.Evidence, evidence) && stored.EvidenceUrl == values.GetValueOrDefault("evidence-url"))
            errors.Add(new FieldError("evidence.en", "assessment.evidence-unchanged"));
        return errors;
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var a = await db.Assessments.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            var parts = id.Split(':');
            a = new Commitments.ComplianceAssessment { Id = id, CommitmentId = parts[0], StateId = parts[1], PeriodId = parts[2], Evidence = GetLocalized(values, "evidence")! };
            db.Assessments.Add(a);
        }
        a.Score = int.Parse(values["score"]!, System.Globalization.CultureInfo.InvariantCulture);
        a.Evidence = GetLocalized(values, "evidence")!;
        a.EvidenceUrl = values.GetValueOrDefault("evidence-url");
        a.AssessedOn = GetDate(values, "assessed-on");
    }
}

/// <summary>
/// The names a record's title is made of (member states, reporting periods) in every language, so that a
/// title reads "… · Kazakhstan · Xi'an → Astana", never "… · KZ · xian-to-astana".
/// </summary>
public sealed record TitleNames(IReadOnlyDictionary<string, LocalizedText> States, IReadOnlyDictionary<string, LocalizedText> Periods)
{
    public static async Task<TitleNames> LoadAsync(CaravanDbContext db, CancellationToken ct) => new(
        await db.MemberStates.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.ShortName, ct),
        await db.ReportingPeriods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct));

    public LocalizedText State(string id) => States.TryGetValue(id, out var n) ? n : Same(id);
    public LocalizedText Period(string id) => Periods.TryGetValue(id, out var n) ? n : Same(id);
    public static LocalizedText Same(string text) => new() { En = text, Ru = text, Zh = text };

    /// <summary>The head in each language it has, each part in that language (or its fallback), joined by " · ".</summary>
    public static LocalizedText Join(LocalizedText head, params LocalizedText[] parts)
    {
        string? In(string? text, string language) => text is null ? null : string.Concat(parts.Select(p => " · " + p.Pick(language).Text)).Insert(0, text);
        return new() { En = In(head.En, "en"), Ru = In(head.Ru, "ru"), Zh = In(head.Zh, "zh") };
    }
}
