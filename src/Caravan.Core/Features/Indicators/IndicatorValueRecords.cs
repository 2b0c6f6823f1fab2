using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Indicators;

/// <summary>
/// A year's figure of an indicator for one state (the state's coordinator proposes it) or for the
/// mechanism as a whole (the secretariat's).
/// </summary>
internal sealed class IndicatorValueRecords : RecordKind<IndicatorValue>
{
    // Why a new figure's id ("indicator:year:state", state "all" for the mechanism's) is refused.
    public static readonly MessageCode BadId = new("record.bad-indicator-value-id");
    public static readonly MessageCode UnknownIndicator = new("record.unknown-indicator");

    private static readonly RecordField<IndicatorValue, Qualifier> Precision =
        Field.Choice("qualifier", v => v.Qualifier, (v, q) => v.Qualifier = q, choiceNames: "precision");

    public override string Name => "indicator-values";
    public override int ListOrder => 1;
    public override string CitedAs => Sources.SubjectTypes.IndicatorValue;
    public override bool CanCreate => true;
    protected override IReadOnlyList<RecordField<IndicatorValue>> Declared { get; } =
    [
        Field.Number("value", v => v.Value, (v, x) => v.Value = x.GetValueOrDefault(), required: true),
        Precision,
        Field.Note(v => v.Note, (v, n) => v.Note = n),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var value = await db.IndicatorValues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (value is null) return null;
        var name = await db.Indicators.AsNoTracking().Where(i => i.Id == value.IndicatorId).Select(i => i.Name)
            .FirstAsync(ct);
        return ToRecord(value, name, await TitleNames.LoadAsync(db, ct));
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var names = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var values = await db.IndicatorValues.AsNoTracking().ToListAsync(ct);
        var titles = await TitleNames.LoadAsync(db, ct);
        return
        [
            .. values.OrderBy(v => v.IndicatorId, StringComparer.Ordinal).ThenBy(v => v.Year)
                .ThenBy(v => v.StateId, StringComparer.Ordinal).Select(v => ToRecord(v, names[v.IndicatorId], titles)),
        ];
    }

    private EditableRecord ToRecord(IndicatorValue value, LocalizedText indicator, TitleNames titles) =>
        Describe(value.IndicatorId, indicator, value.Year, value.StateId, value.Version, ValuesOf(value), titles);

    public override async Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var year)
            || year is < 1991 or > 2100)
            return (null, BadId);
        var state = parts[2] == "all" ? null : parts[2];
        if (state is not null && !await db.MemberStates.AnyAsync(s => s.Id == state, ct))
            return (null, RecordMessages.UnknownState);
        if (await db.IndicatorValues.AnyAsync(v => v.Id == id, ct)) return (null, RecordMessages.Exists);
        var indicator = await db.Indicators.AsNoTracking().Where(i => i.Id == parts[0]).Select(i => i.Name)
            .FirstOrDefaultAsync(ct);
        if (indicator is null) return (null, UnknownIndicator);
        // A new figure is exact unless the proposer says otherwise.
        var defaults = Defaults(Precision.With(Qualifier.Exact));
        return (Describe(parts[0], indicator, year, state, 0, defaults, await TitleNames.LoadAsync(db, ct)), null);
    }

    private EditableRecord Describe(
        string indicatorId, LocalizedText indicator, int year, string? stateId, int version,
        Dictionary<string, string?> values, TitleNames titles)
    {
        var yearText = TitleNames.Same(year.ToString(CultureInfo.InvariantCulture));
        var title = stateId is null
            ? TitleNames.Join(indicator, yearText)
            : TitleNames.Join(indicator, yearText, titles.State(stateId));
        var scope = stateId is null ? RecordScope.Mechanism : RecordScope.OfState(stateId);
        return new EditableRecord(
            Name, IndicatorValue.KeyOf(indicatorId, year, stateId), title, scope, version, values,
            $"/indicators/{indicatorId}", "indicator-value");
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var value = await db.IndicatorValues.FirstOrDefaultAsync(v => v.Id == id, ct);
        if (value is null)
        {
            var parts = id.Split(':');
            value = new IndicatorValue
            {
                Id = id, IndicatorId = parts[0], Year = int.Parse(parts[1], CultureInfo.InvariantCulture),
                StateId = parts[2] == "all" ? null : parts[2],
            };
            db.IndicatorValues.Add(value);
        }
        Write(value, values);
    }
}
