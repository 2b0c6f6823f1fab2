using Caravan.Data;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Partnerships;

/// <summary>
/// Partnerships as records people edit: the business of the two states the id names, so a coordinator of
/// either proposes (and the other confirms) and the secretariat writes directly.
/// </summary>
internal sealed class PartnershipRecords : RecordKind<Partnership>
{
    public static readonly MessageCode UnknownDocument = new("partnership.unknown-document");
    public static readonly MessageCode SourceRequired = new("partnership.source-required");
    public static readonly MessageCode Duplicate = new("partnership.duplicate");

    // PostgreSQL gives back numeric(20,6) with trailing zeros: written without them, so an unchanged value reads as
    // unchanged.
    private const string Coordinate = "0.######";

    private static readonly RecordField<Partnership, PartnershipKind> Kind =
        Field.Choice("kind", p => p.Kind, (p, k) => p.Kind = k);
    private static readonly RecordField<Partnership, PartnershipStatus> Status =
        Field.Choice("status", p => p.Status, (p, s) => p.Status = s);
    private static readonly LocalizedField<Partnership> PlaceB =
        Field.Localized("place-b", p => p.PlaceB, (p, place) => p.PlaceB = place, maxLength: 200);
    private static readonly LocalizedField<Partnership> Institution =
        Field.Localized("institution", p => p.Institution, (p, i) => p.Institution = i, maxLength: 300);
    private static readonly RecordField<Partnership, string?> Document =
        Field.Text("document", p => p.DocumentId, (p, d) => p.DocumentId = d, maxLength: 100);
    /// <summary>The address it was first read at, kept beside the sources: not a fact itself.</summary>
    private static readonly RecordField<Partnership, string?> SourceUrl =
        Field.WebAddress("source-url", p => p.SourceUrl, (p, url) => p.SourceUrl = url, fact: false);

    public override string Name => "partnerships";
    public override int ListOrder => 8;
    public override string CitedAs => Sources.SubjectTypes.Partnership;
    public override bool CanCreate => true;
    protected override IReadOnlyList<RecordField<Partnership>> Declared { get; } =
    [
        Kind, Status,
        Field.Localized("name", p => p.Name, (p, n) => p.Name = n, maxLength: 300),
        Field.Localized("place-a", p => p.PlaceA, (p, place) => p.PlaceA = place, maxLength: 200),
        Field.Number("latitude-a", p => p.LatitudeA, (p, x) => p.LatitudeA = x, format: Coordinate),
        Field.Number("longitude-a", p => p.LongitudeA, (p, x) => p.LongitudeA = x, format: Coordinate),
        PlaceB,
        Field.Number("latitude-b", p => p.LatitudeB, (p, x) => p.LatitudeB = x, format: Coordinate),
        Field.Number("longitude-b", p => p.LongitudeB, (p, x) => p.LongitudeB = x, format: Coordinate),
        Institution,
        Field.Localized(
            "partner-institution", p => p.PartnerInstitution, (p, i) => p.PartnerInstitution = i, maxLength: 300),
        Field.Localized("terms", p => p.Terms, (p, t) => p.Terms = t, maxLength: 1000),
        Field.Localized("agreement", p => p.Agreement, (p, a) => p.Agreement = a, maxLength: 500),
        Document,
        Field.Date("agreed-on", p => p.AgreedOn, (p, on) => p.AgreedOn = on),
        Field.Date("started-on", p => p.StartedOn, (p, on) => p.StartedOn = on),
        Field.Date("ended-on", p => p.EndedOn, (p, on) => p.EndedOn = on),
        SourceUrl,
        Field.Note(p => p.Note, (p, n) => p.Note = n),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var p = await db.Partnerships.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return p is null ? null : ToRecord(p);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
    [
        .. (await db.Partnerships.AsNoTracking().ToListAsync(ct)).OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(ToRecord),
    ];

    private EditableRecord ToRecord(
        Partnership p) => Describe(p.Id, p.StateA, p.StateB, PartnershipRules.TitleOf(p), p.Version, ValuesOf(p));

    private EditableRecord Describe(
        string id, string a, string b, LocalizedText title, int version, Dictionary<string, string?> values) =>
        new(Name, id, title, new Accounts.RecordScope([.. new[] { a, b }.Order(StringComparer.Ordinal)], []), version,
            values,
            $"/partnerships/{id}", "partnership");

    public override async Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct)
    {
        var (a, b, error) = PartnershipRules.StatesOf(id);
        if (error is { } code) return (null, code);
        if (await db.Partnerships.AnyAsync(p => p.Id == id, ct)) return (null, RecordMessages.Exists);
        var title = new LocalizedText { En = id, Ru = id, Zh = id };
        // A new pair is a sister-city pair, recorded as signed, unless the proposer says otherwise.
        var defaults = Defaults(Kind.With(PartnershipKind.SisterCities), Status.With(PartnershipStatus.Signed));
        return (Describe(id, a, b, title, 0, defaults), null);
    }

    public override async Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct)
    {
        var (a, b, _) = PartnershipRules.StatesOf(id);
        // One mapping for checking and for writing, so both see the same thing.
        var candidate = new Partnership { Id = id, StateA = a, StateB = b };
        Write(candidate, values);
        var errors = PartnershipRules.Problems(candidate, today);
        if (candidate.DocumentId is { } document && !await db.Documents.AnyAsync(d => d.Id == document, ct))
            errors.Add(new FieldError(Document.Name, UnknownDocument, document));
        // Every fact has a source: a dataset record has its citations; anything else needs the address it was read at.
        if (candidate.SourceUrl is null
            && !await db.Citations.AnyAsync(
                c => c.SubjectType == Sources.SubjectTypes.Partnership && c.SubjectId == id, ct))
            errors.Add(new FieldError(SourceUrl.Name, SourceRequired));
        var others = await db.Partnerships.AsNoTracking()
            .Where(p => p.Kind == candidate.Kind && p.Id != id
                && (p.StateA == a || p.StateA == b) && (p.StateB == a || p.StateB == b))
            .ToListAsync(ct);
        if (PartnershipRules.DuplicateOf(candidate, others) is { } duplicate)
        {
            var field = candidate.IsPair ? PlaceB.First
                : candidate.Kind == PartnershipKind.VisaArrangement ? Kind.Name
                : Institution.First;
            errors.Add(new FieldError(field, Duplicate, duplicate.Id));
        }
        return errors;
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var p = await db.Partnerships.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null)
        {
            var (a, b, _) = PartnershipRules.StatesOf(id);
            p = new Partnership { Id = id, StateA = a, StateB = b };
            db.Partnerships.Add(p);
        }
        Write(p, values);
    }
}
