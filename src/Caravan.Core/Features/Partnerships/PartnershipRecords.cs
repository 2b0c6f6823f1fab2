using System.Globalization;
using Caravan.Data;
using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using static Caravan.Features.Submissions.RecordFields;

namespace Caravan.Features.Partnerships;

/// <summary>
/// Partnerships as records people edit: the business of the two states the id names, so a coordinator of
/// either proposes (and the other confirms) and the secretariat writes directly.
/// </summary>
internal sealed class PartnershipRecords : RecordKind
{
    public override string Name => "partnerships";
    public override string CitedAs => Sources.SubjectTypes.Partnership;
    /// <summary>Everything but the note and the address it was first read at (kept beside the sources).</summary>
    public override bool IsFact(EditableField field) => field.Group is not ("note" or "source-url");
    public override bool CanCreate => true;
    public override IReadOnlyList<EditableField> Fields { get; } =
    [
        EditableField.ChoiceOf<PartnershipKind>("kind"), EditableField.ChoiceOf<PartnershipStatus>("status"),
        .. EditableField.Localized("name", 300),
        .. EditableField.Localized("place-a", 200), new("latitude-a", FieldKind.Number), new("longitude-a", FieldKind.Number),
        .. EditableField.Localized("place-b", 200), new("latitude-b", FieldKind.Number), new("longitude-b", FieldKind.Number),
        .. EditableField.Localized("institution", 300), .. EditableField.Localized("partner-institution", 300),
        .. EditableField.Localized("terms", 1000), .. EditableField.Localized("agreement", 500), new("document", FieldKind.Text, MaxLength: 100),
        new("agreed-on", FieldKind.Date), new("started-on", FieldKind.Date), new("ended-on", FieldKind.Date),
        new("source-url", FieldKind.WebAddress), .. EditableField.Localized("note"),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var p = await db.Partnerships.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return p is null ? null : ToRecord(p);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
        [.. (await db.Partnerships.AsNoTracking().ToListAsync(ct)).OrderBy(p => p.Id, StringComparer.Ordinal).Select(ToRecord)];

    private EditableRecord ToRecord(Partnership p)
    {
        var values = new Dictionary<string, string?>
        {
            ["kind"] = SeedEnums.ToKebab(p.Kind),
            ["status"] = SeedEnums.ToKebab(p.Status),
            ["latitude-a"] = Number(p.LatitudeA), ["longitude-a"] = Number(p.LongitudeA),
            ["latitude-b"] = Number(p.LatitudeB), ["longitude-b"] = Number(p.LongitudeB),
            ["document"] = p.DocumentId,
            ["agreed-on"] = p.AgreedOn?.ToIso(), ["started-on"] = p.StartedOn?.ToIso(), ["ended-on"] = p.EndedOn?.ToIso(),
            ["source-url"] = p.SourceUrl,
        };
        PutLocalized(values, "name", p.Name);
        PutLocalized(values, "place-a", p.PlaceA);
        PutLocalized(values, "place-b", p.PlaceB);
        PutLocalized(values, "institution", p.Institution);
        PutLocalized(values, "partner-institution", p.PartnerInstitution);
        PutLocalized(values, "terms", p.Terms);
        PutLocalized(values, "agreement", p.Agreement);
        PutLocalized(values, "note", p.Note);
        return Describe(p.Id, p.StateA, p.StateB, PartnershipRules.TitleOf(p), p.Version, values);
    }

    private EditableRecord Describe(string id, string a, string b, LocalizedText title, int version, Dictionary<string, string?> values) =>
        new(Name, id, title, new Accounts.RecordScope([.. new[] { a, b }.Order(StringComparer.Ordinal)], []), version, values, $"/partnerships/{id}", "partnership");

    public override async Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var (a, b, error) = PartnershipRules.StatesOf(id);
        if (error is { } code) return (null, code.Key);
        if (await db.Partnerships.AnyAsync(p => p.Id == id, ct)) return (null, "record.exists");
        var title = new LocalizedText { En = id, Ru = id, Zh = id };
        // A new pair is a sister-city pair, recorded as signed, unless the proposer says otherwise.
        return (Describe(id, a, b, title, 0, new Dictionary<string, string?>
        {
            ["kind"] = SeedEnums.ToKebab(PartnershipKind.SisterCities),
            ["status"] = SeedEnums.ToKebab(PartnershipStatus.Signed),
        }), null);
    }

    public override async Task<List<FieldError>> CheckAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today, CancellationToken ct)
    {
        var (a, b, _) = PartnershipRules.StatesOf(id);
        var candidate = new Partnership { Id = id, StateA = a, StateB = b };
        Fill(candidate, values);
        var errors = PartnershipRules.Problems(candidate, today);
        if (candidate.DocumentId is { } document && !await db.Documents.AnyAsync(d => d.Id == document, ct))
            errors.Add(new FieldError("document", "partnership.unknown-document", document));
        // Every fact has a source: a dataset record has its citations; anything else needs the address it was read at.
        if (candidate.SourceUrl is null && !await db.Citations.AnyAsync(c => c.SubjectType == Sources.SubjectTypes.Partnership && c.SubjectId == id, ct))
            errors.Add(new FieldError("source-url", "partnership.source-required"));
        var others = await db.Partnerships.AsNoTracking()
            .Where(p => p.Kind == candidate.Kind && p.Id != id && (p.StateA == a || p.StateA == b) && (p.StateB == a || p.StateB == b)).ToListAsync(ct);
        if (PartnershipRules.DuplicateOf(candidate, others) is { } duplicate)
            errors.Add(new FieldError(candidate.IsPair ? "place-b.en" : candidate.Kind == PartnershipKind.VisaArrangement ? "kind" : "institution.en", "partnership.duplicate", duplicate.Id));
        return errors;
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var p = await db.Partnerships.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null)
        {
            var (a, b, _) = PartnershipRules.StatesOf(id);
            p = new Partnership { Id = id, StateA = a, StateB = b };
            db.Partnerships.Add(p);
        }
        Fill(p, values);
    }

    /// <summary>From field strings to the record: one mapping for checking and for writing, so both see the same thing.</summary>
    private static void Fill(Partnership p, IReadOnlyDictionary<string, string?> values)
    {
        p.Kind = GetChoice<PartnershipKind>(values, "kind");
        p.Status = GetChoice<PartnershipStatus>(values, "status");
        p.Name = GetLocalized(values, "name");
        p.PlaceA = GetLocalized(values, "place-a");
        p.LatitudeA = GetNumber(values, "latitude-a");
        p.LongitudeA = GetNumber(values, "longitude-a");
        p.PlaceB = GetLocalized(values, "place-b");
        p.LatitudeB = GetNumber(values, "latitude-b");
        p.LongitudeB = GetNumber(values, "longitude-b");
        p.Institution = GetLocalized(values, "institution");
        p.PartnerInstitution = GetLocalized(values, "partner-institution");
        p.Terms = GetLocalized(values, "terms");
        p.Agreement = GetLocalized(values, "agreement");
        p.DocumentId = values.GetValueOrDefault("document");
        p.AgreedOn = GetDate(values, "agreed-on");
        p.StartedOn = GetDate(values, "started-on");
        p.EndedOn = GetDate(values, "ended-on");
        p.SourceUrl = values.GetValueOrDefault("source-url");
        p.Note = GetLocalized(values, "note");
    }

    private static decimal? GetNumber(IReadOnlyDictionary<string, string?> values, string name) =>
        values.GetValueOrDefault(name) is { } s ? decimal.Parse(s, CultureInfo.InvariantCulture) : null;

    // PostgreSQL gives back numeric(20,6) with trailing zeros: written without them, so an unchanged value reads as unchanged.
    private static string? Number(decimal? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);
}
