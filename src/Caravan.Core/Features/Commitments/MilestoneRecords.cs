using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Commitments;

/// <summary>
/// A commitment's milestones as records: a party's coordinator proposes the milestones about their own state, an
/// officer of a body that leads or supports the commitment proposes any of its milestones (the state's coordinator
/// confirms one about their state), the secretariat validates and publishes — or writes directly. The id says
/// which commitment and which party (<c>all</c>: every party), so whose record it is is known before any value.
/// </summary>
internal sealed partial class MilestoneRecords : RecordKind<Milestone>
{
    // Why a new milestone's id ("commitment:state-or-all:suffix") is refused.
    public static readonly MessageCode BadId = new("milestone.bad-id");
    public static readonly MessageCode DateRequired = new("milestone.date-required");
    public static readonly MessageCode AchievedInFuture = new("milestone.achieved-in-future");
    public static readonly MessageCode EvidenceRequired = new("milestone.evidence-required");
    public static readonly MessageCode NotBound = new("milestone.not-bound");

    // What the step is, when it is due, whether it was reached or dropped and the evidence are facts; the
    // evidence address and the note are not.
    private static readonly LocalizedField<Milestone> Title =
        Field.Localized("title", m => m.Title, (m, t) => m.Title = t!, maxLength: 300);
    private static readonly RecordField<Milestone, PartialDate?> Due = Field.Date("due", m => m.Due, (m, d) => m.Due = d);
    private static readonly RecordField<Milestone, PartialDate?> AchievedOn =
        Field.Date("achieved-on", m => m.AchievedOn, (m, d) => m.AchievedOn = d);
    private static readonly RecordField<Milestone, bool> Cancelled =
        Field.YesNo("cancelled", m => m.Cancelled, (m, c) => m.Cancelled = c, choiceNames: "milestone-cancelled");
    private static readonly LocalizedField<Milestone> Evidence =
        Field.Localized("evidence", m => m.Evidence, (m, e) => m.Evidence = e);

    public override string Name => "milestones";
    public override int ListOrder => 9;
    public override string CitedAs => Sources.SubjectTypes.Milestone;
    public override bool CanCreate => true;
    protected override IReadOnlyList<RecordField<Milestone>> Declared { get; } =
    [
        Title, Due, AchievedOn, Cancelled, Evidence,
        Field.WebAddress("evidence-url", m => m.EvidenceUrl, (m, url) => m.EvidenceUrl = url, fact: false),
        Field.Note(m => m.Note, (m, n) => m.Note = n),
    ];

    [GeneratedRegex("^[a-z0-9-]{1,60}$")]
    private static partial Regex Suffix();

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var m = await db.Milestones.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return null;
        var commitment = await db.Commitments.AsNoTracking().FirstAsync(c => c.Id == m.CommitmentId, ct);
        return Describe(m.Id, commitment, m.StateId, m.Version, ValuesOf(m), await TitleNames.LoadAsync(db, ct));
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var commitments = await db.Commitments.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        var names = await TitleNames.LoadAsync(db, ct);
        return
        [
            .. (await db.Milestones.AsNoTracking().ToListAsync(ct)).OrderBy(m => m.Id, StringComparer.Ordinal)
                .Select(m => Describe(m.Id, commitments[m.CommitmentId], m.StateId, m.Version, ValuesOf(m), names)),
        ];
    }

    public override async Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !Suffix().IsMatch(parts[2])) return (null, BadId);
        var commitment = await db.Commitments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parts[0], ct);
        if (commitment is null) return (null, AssessmentRecords.UnknownCommitment);
        var state = parts[1] == Milestone.AllParties ? null : parts[1];
        if (state is not null && !commitment.Parties.Contains(state)) return (null, NotBound);
        if (await db.Milestones.AnyAsync(m => m.Id == id, ct)) return (null, RecordMessages.Exists);
        return (Describe(id, commitment, state, 0, Defaults(Cancelled.With(false)), await TitleNames.LoadAsync(db, ct)),
            null);
    }

    private EditableRecord Describe(string id, Commitment c, string? state, int version,
        Dictionary<string, string?> values, TitleNames names)
    {
        var title = Title.Get(values) ?? TitleNames.Same(id.Split(':')[^1]);
        var full = state is null ? TitleNames.Join(c.Text, title) : TitleNames.Join(c.Text, names.State(state), title);
        return new EditableRecord(Name, id, full, MilestoneRules.ScopeOf(c, state), version, values, $"/commitments/{c.Id}",
            "milestone");
    }

    public override Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct) => Task.FromResult(Check(values, today));

    /// <summary>
    /// A milestone is named; it has a due date or the date it was achieved (a step nobody dated is not a milestone);
    /// it is not achieved in the future; and an achievement says what shows it.
    /// </summary>
    public static List<FieldError> Check(IReadOnlyDictionary<string, string?> values, DateOnly today)
    {
        var errors = new List<FieldError>();
        if (Title.Get(values) is null) errors.Add(new FieldError(Title.First, FieldMessages.Required));
        var achieved = AchievedOn.Get(values);
        if (Due.Get(values) is null && achieved is null) errors.Add(new FieldError(Due.Name, DateRequired));
        if (achieved is { } a && a.Earliest > today) errors.Add(new FieldError(AchievedOn.Name, AchievedInFuture));
        if (achieved is not null && Evidence.Get(values) is null)
            errors.Add(new FieldError(Evidence.First, EvidenceRequired));
        return errors;
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var m = await db.Milestones.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null)
        {
            var parts = id.Split(':');
            m = new Milestone
            {
                Id = id, CommitmentId = parts[0], StateId = parts[1] == Milestone.AllParties ? null : parts[1],
                Title = Title.Get(values)!,
            };
            db.Milestones.Add(m);
        }
        Write(m, values);
    }
}
