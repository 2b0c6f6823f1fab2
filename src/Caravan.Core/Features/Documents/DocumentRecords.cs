using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Documents;

/// <summary>
/// An outcome document's signing facts and summary. A bilateral document is the business of its two
/// states (both confirm a change); any other document is the mechanism's, kept by the secretariat.
/// </summary>
internal sealed class DocumentRecords : RecordKind<OutcomeDocument>
{
    public static readonly MessageCode NotATreaty = new("treaty.rule.not-a-treaty");

    // A treaty's entry-into-force clause; "unknown" for any other document.
    private static readonly RecordField<OutcomeDocument, EntryIntoForceKind> Rule = Field.Choice(
        "entry-into-force", d => d.EntryIntoForce, (d, k)
            => d.EntryIntoForce = k, choiceNames: "entry-into-force-rule");
    private static readonly RecordField<OutcomeDocument, int?> Days = Field.Whole(
        "entry-into-force-days", d => d.EntryIntoForceDays, (d, n) => d.EntryIntoForceDays = n ?? 0);
    private static readonly RecordField<OutcomeDocument, int?> Instruments = Field.Whole(
        "entry-into-force-instruments", d => d.EntryIntoForceInstruments, (d, n) => d.EntryIntoForceInstruments = n
            ?? 0);

    public override string Name => "documents";
    public override int ListOrder => 3;
    public override string CitedAs => Sources.SubjectTypes.Document;
    /// <summary>
    /// The summary is Caravan's description of the text (whose sources the document has) and the note a comment;
    /// the signing and entry-into-force facts are facts.
    /// </summary>
    protected override IReadOnlyList<RecordField<OutcomeDocument>> Declared { get; } =
    [
        Field.Date("signed-on", d => d.SignedOn, (d, on) => d.SignedOn = on),
        Field.Localized("signed-at", d => d.SignedAt, (d, at) => d.SignedAt = at, maxLength: 300),
        Field.Localized("summary", d => d.Summary, (d, s) => d.Summary = s, maxLength: 4000, fact: false),
        Field.Note(d => d.Note, (d, n) => d.Note = n),
        Rule, Days, Instruments,
    ];

    public override async Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Parties).FirstAsync(d => d.Id == id, ct);
        var rule = new EntryIntoForceRule(Rule.Get(values), Days.Get(values) ?? 0, Instruments.Get(values) ?? 0);
        if (rule.Kind != EntryIntoForceKind.Unknown
            && doc.Kind != DocumentKind.Treaty) return [new(Rule.Name, NotATreaty)];
        if (rule.Problem(doc.Parties.Count) is not { } problem) return [];
        // Each code of the rule is about one field: the days, or the instruments counted.
        return [new(problem == TreatyMessages.RuleDays ? Days.Name : Instruments.Name, problem, doc.Parties.Count)];
    }

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Parties).FirstOrDefaultAsync(d => d.Id == id, ct);
        return doc is null ? null : ToRecord(doc);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
    [
        .. (await db.Documents.AsNoTracking().Include(d => d.Parties).ToListAsync(ct))
            .OrderBy(d => d.SignedOn?.ToIso()).ThenBy(d => d.Id, StringComparer.Ordinal).Select(ToRecord),
    ];

    private EditableRecord ToRecord(OutcomeDocument doc)
    {
        var scope = doc.Scope == DocumentScope.Bilateral && doc.Parties.Count == 2
            ? new RecordScope([.. doc.Parties.Select(p => p.StateId).Order(StringComparer.Ordinal)], [])
            : RecordScope.Mechanism;
        return new EditableRecord(
            Name, doc.Id, doc.Title, scope, doc.Version, ValuesOf(doc), $"/documents/{doc.Id}", "outcome-document");
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct) =>
        Write(await db.Documents.FirstAsync(d => d.Id == id, ct), values);
}
