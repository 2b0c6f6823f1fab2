using System.Globalization;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

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
    /// <summary>
    /// The record's type in the citations table: its sources are the citations of this type and its id.
    /// </summary>
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

    /// <summary>
    /// For a new record: whose it would be and its title, or why the id is not acceptable (<see
    /// cref="RecordMessages.Exists"/> when the record is there already).
    /// </summary>
    public virtual Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct) =>
        Task.FromResult<(EditableRecord?, MessageCode?)>((null, RecordMessages.CannotCreate));

    /// <summary>Checks that need other records (a date against a signature…): errors, or none.</summary>
    public virtual Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct) =>
        Task.FromResult(new List<FieldError>());

    /// <summary>Checks that depend on who writes (what only the secretariat may set…): errors, or none.</summary>
    public virtual List<FieldError> CheckWriter(
        Caller caller, WriteRight right, IReadOnlyDictionary<string, string?> values) => [];

    /// <summary>
    /// Whether <see cref="CheckAsync"/> runs again when a submission is published: for records checked
    /// against others published meanwhile (a ledger entry that became an overspend).
    /// </summary>
    public virtual bool RecheckOnPublish => false;

    /// <summary>
    /// The record a publication writes: the one proposed, unless the kind moves it (an assessment whose period closed
    /// while it was in the workflow goes to the next open period). Its values and sources go there.
    /// </summary>
    public virtual Task<string> PublishedIdAsync(CaravanDbContext db, string id, CancellationToken ct) =>
        Task.FromResult(id);

    /// <summary>Writes validated values to the record (creating it when new). The caller saves.</summary>
    public abstract Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct);

    /// <summary>
    /// Where the kind comes in lists (the work page, the API's kinds): indicator values first, then bodies,
    /// documents, ratification steps, assessments, programme entries, programmes and partnerships.
    /// </summary>
    public abstract int ListOrder { get; }

    /// <summary>
    /// Every kind, found in the features that declare them: a feature adds a kind by adding its class, and edits
    /// no list elsewhere.
    /// </summary>
    public static readonly IReadOnlyList<RecordKind> All =
    [
        .. typeof(RecordKind).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(RecordKind)))
            .Select(t => (RecordKind)Activator.CreateInstance(t, nonPublic: true)!)
            .OrderBy(k => k.ListOrder).ThenBy(k => k.Name, StringComparer.Ordinal),
    ];

    public static RecordKind? Named(string name) => All.FirstOrDefault(k => k.Name == name);
}

/// <summary>
/// A record kind whose fields are declared once, each with the property it reads and writes: the field list, the
/// facts, a record's values and the write of validated values all come from <see cref="Declared"/>.
/// </summary>
public abstract class RecordKind<TEntity> : RecordKind
{
    private IReadOnlyList<EditableField>? fields;

    /// <summary>The kind's fields, in the order the form shows them.</summary>
    protected abstract IReadOnlyList<RecordField<TEntity>> Declared { get; }

    public sealed override IReadOnlyList<EditableField> Fields => fields ??= [.. Declared.SelectMany(f => f.Editable)];

    public sealed override bool IsFact(EditableField field) => Declared.First(f => f.Name == field.Group).IsFact;

    /// <summary>A stored record's field strings.</summary>
    protected Dictionary<string, string?> ValuesOf(TEntity entity)
    {
        var values = new Dictionary<string, string?>();
        foreach (var f in Declared) f.Read(entity, values);
        return values;
    }

    /// <summary>A new record's field strings: the defaults its kind proposes.</summary>
    protected static Dictionary<string, string?> Defaults(params KeyValuePair<string, string?>[] values) => new(values);

    /// <summary>Writes validated field strings to a record, every declared field that is written.</summary>
    protected void Write(TEntity entity, IReadOnlyDictionary<string, string?> values)
    {
        foreach (var f in Declared) f.Write(entity, values);
    }

    /// <summary>
    /// The factories of fields, one per <see cref="FieldKind"/>: each knows how its values are written as strings, so
    /// that a kind names a field once and gives the property it reads and writes. A setter may be null for a field
    /// the kind writes itself.
    /// </summary>
    protected static class Field
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        /// <summary>
        /// A number; <paramref name="format"/> drops what the database adds (PostgreSQL's trailing zeros).
        /// </summary>
        public static RecordField<TEntity, decimal?> Number(
            string name, Func<TEntity, decimal?> get, Action<TEntity, decimal?>? set, bool required = false,
            bool fact = true, string? format = null) =>
            new(new(name, FieldKind.Number, required), fact, get, set, v => v?.ToString(format, Invariant),
                s => s is null ? null : decimal.Parse(s, Invariant));

        public static RecordField<TEntity, int?> Whole(
            string name, Func<TEntity, int?> get, Action<TEntity, int?>? set, bool required = false,
            bool fact = true) =>
            new(new(name, FieldKind.Whole, required), fact, get, set, v => v?.ToString(Invariant),
                s => s is null ? null : int.Parse(s, Invariant));

        public static RecordField<TEntity, PartialDate?> Date(
            string name, Func<TEntity, PartialDate?> get, Action<TEntity, PartialDate?>? set, bool required = false,
            bool fact = true) =>
            new(new(name, FieldKind.Date, required), fact, get, set, v => v?.ToIso(),
                s => s is null ? null : PartialDate.Parse(s));

        public static RecordField<TEntity, string?> Text(
            string name, Func<TEntity, string?> get, Action<TEntity, string?>? set, int maxLength = 2000,
            bool fact = true) =>
            new(new(name, FieldKind.Text, MaxLength: maxLength), fact, get, set, v => v, s => s);

        /// <summary>An absolute http(s) address.</summary>
        public static RecordField<TEntity, string?> WebAddress(
            string name, Func<TEntity, string?> get, Action<TEntity, string?>? set, bool fact = true) =>
            new(new(name, FieldKind.WebAddress), fact, get, set, v => v, s => s);

        public static RecordField<TEntity, string?> EmailAddress(
            string name, Func<TEntity, string?> get, Action<TEntity, string?>? set, bool fact = true) =>
            new(new(name, FieldKind.EmailAddress, MaxLength: 254), fact, get, set, v => v, s => s);

        /// <summary>
        /// A required choice among an enum's values (written in kebab-case), named in the portal by
        /// <c>{choiceNames ?? TEnum}.{value}</c>; an empty field reads as the enum's default.
        /// </summary>
        public static RecordField<TEntity, TEnum> Choice<TEnum>(
            string name, Func<TEntity, TEnum> get, Action<TEntity, TEnum>? set, string? choiceNames = null,
            bool fact = true)
            where TEnum : struct, Enum =>
            new(EditableField.ChoiceOf<TEnum>(name, choiceNames: choiceNames), fact, get, set,
                v => SeedEnums.ToKebab(v),
                s => SeedEnums.TryParse<TEnum>(s, out var v) ? v : default);

        /// <summary>A required choice among whole numbers written as they are (a score of -1, 0 or +1).</summary>
        public static RecordField<TEntity, int> Choice(
            string name, IReadOnlyList<int> choices, Func<TEntity, int> get, Action<TEntity, int>? set,
            string choiceNames,
            bool fact = true) =>
            new(
                new(name, FieldKind.Choice, true, [.. choices.Select(c => c.ToString(Invariant))],
                    ChoiceNames: choiceNames),
                fact, get, set, v => v.ToString(Invariant), s => s is null ? 0 : int.Parse(s, Invariant));

        /// <summary>A yes or no: a required choice between <c>false</c> and <c>true</c>.</summary>
        public static RecordField<TEntity, bool> YesNo(
            string name, Func<TEntity, bool> get, Action<TEntity, bool>? set, string choiceNames, bool fact = true) =>
            new(new(name, FieldKind.Choice, true, ["false", "true"], ChoiceNames: choiceNames), fact, get, set,
                v => v ? "true" : "false", s => s == "true");

        /// <summary>A text in every language: three fields, one value.</summary>
        public static LocalizedField<TEntity> Localized(
            string name, Func<TEntity, LocalizedText?> get, Action<TEntity, LocalizedText?>? set, int maxLength = 2000,
            bool fact = true) =>
            new(name, maxLength, fact, get, set);

        /// <summary>The writer's comment on the record, in every language: never a fact.</summary>
        public static LocalizedField<TEntity> Note(
            Func<TEntity, LocalizedText?> get, Action<TEntity, LocalizedText?> set) =>
            new("note", 2000, false, get, set);
    }
}

/// <summary>
/// The names a record's title is made of (member states, reporting periods) in every language, so that a
/// title reads "… · Kazakhstan · Xi'an → Astana", never "… · KZ · xian-to-astana".
/// </summary>
public sealed record TitleNames(
    IReadOnlyDictionary<string, LocalizedText> States, IReadOnlyDictionary<string, LocalizedText> Periods)
{
    public static async Task<TitleNames> LoadAsync(CaravanDbContext db, CancellationToken ct) => new(
        await db.MemberStates.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.ShortName, ct),
        await db.ReportingPeriods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct));

    public LocalizedText State(string id) => States.TryGetValue(id, out var n) ? n : Same(id);
    public LocalizedText Period(string id) => Periods.TryGetValue(id, out var n) ? n : Same(id);
    public static LocalizedText Same(string text) => new() { En = text, Ru = text, Zh = text };

    /// <summary>
    /// The head in each language it has, each part in that language (or its fallback), joined by " · ".
    /// </summary>
    public static LocalizedText Join(LocalizedText head, params LocalizedText[] parts)
    {
        string? In(string? text, string language) =>
            text is null ? null : string.Concat(parts.Select(p => " · " + p.Pick(language).Text)).Insert(0, text);
        return new() { En = In(head.En, "en"), Ru = In(head.Ru, "ru"), Zh = In(head.Zh, "zh") };
    }
}
