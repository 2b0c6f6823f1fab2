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
    /// <summary>Whether a new record of this kind may be proposed (its id says what it is about).</summary>
    public virtual bool CanCreate => false;

    public abstract Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct);

    /// <summary>Every record of the kind (hundreds, not millions: the mechanism's own registry).</summary>
    public abstract Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct);

    /// <summary>For a new record: whose it would be and its title, or an error code when the id is not acceptable.</summary>
    public virtual Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct) =>
        Task.FromResult<(EditableRecord?, string?)>((null, "record.cannot-create"));

    /// <summary>Writes validated values to the record (creating it when new). The caller saves.</summary>
    public abstract Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct);

    public static readonly IReadOnlyList<RecordKind> All = [new IndicatorValueRecords(), new BodyRecords(), new DocumentRecords()];

    public static RecordKind? Named(string name) => All.FirstOrDefault(k => k.Name == name);
}

/// <summary>
/// A year's figure of an indicator for one state (the state's coordinator proposes it) or for the
/// mechanism as a whole (the secretariat's).
/// </summary>
internal sealed class IndicatorValueRecords : RecordKind
{
    public override string Name => "indicator-values";
    public override bool CanCreate => true;
    public override IReadOnlyList<EditableField> Fields { get; } =
        [new("value", FieldKind.Number, Required: true), EditableField.ChoiceOf<Qualifier>("qualifier"), .. EditableField.Localized("note")];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var value = await db.IndicatorValues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (value is null) return null;
        var name = await db.Indicators.AsNoTracking().Where(i => i.Id == value.IndicatorId).Select(i => i.Name).FirstAsync(ct);
        return ToRecord(value, name);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var names = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var values = await db.IndicatorValues.AsNoTracking().ToListAsync(ct);
        return [.. values.OrderBy(v => v.IndicatorId, StringComparer.Ordinal).ThenBy(v => v.Year).ThenBy(v => v.StateId, StringComparer.Ordinal).Select(v => ToRecord(v, names[v.IndicatorId]))];
    }

    private EditableRecord ToRecord(IndicatorValue value, LocalizedText indicator)
    {
        var values = new Dictionary<string, string?>
        {
            ["value"] = value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["qualifier"] = SeedEnums.ToKebab(value.Qualifier),
        };
        PutLocalized(values, "note", value.Note);
        return Describe(value.IndicatorId, indicator, value.Year, value.StateId, value.Version, values);
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
        return (Describe(parts[0], indicator, year, state, 0, new Dictionary<string, string?> { ["qualifier"] = SeedEnums.ToKebab(Qualifier.Exact) }), null);
    }

    private EditableRecord Describe(string indicatorId, LocalizedText indicator, int year, string? stateId, int version, Dictionary<string, string?> values)
    {
        var suffix = $" · {year}" + (stateId is null ? "" : $" · {stateId}");
        var title = new LocalizedText { En = indicator.En + suffix, Ru = indicator.Ru + suffix, Zh = indicator.Zh + suffix };
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
    public override IReadOnlyList<EditableField> Fields { get; } =
        [new("signed-on", FieldKind.Date), .. EditableField.Localized("signed-at", 300), .. EditableField.Localized("summary", 4000), .. EditableField.Localized("note")];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var doc = await db.Documents.AsNoTracking().Include(d => d.Parties).FirstOrDefaultAsync(d => d.Id == id, ct);
        return doc is null ? null : ToRecord(doc);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
        [.. (await db.Documents.AsNoTracking().Include(d => d.Parties).ToListAsync(ct)).OrderBy(d => d.SignedOn?.ToIso()).ThenBy(d => d.Id, StringComparer.Ordinal).Select(ToRecord)];

    private EditableRecord ToRecord(OutcomeDocument doc)
    {
        var values = new Dictionary<string, string?> { ["signed-on"] = doc.SignedOn?.ToIso() };
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
    }
}
