using System.Globalization;
using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Programmes;

/// <summary>
/// A programme's ledger entry for one state: the officers of the body that runs the programme (or the
/// state's coordinator) propose it, the state's coordinator confirms an officer's figures, the secretariat
/// validates and publishes it — or writes it directly. Every entry is checked by <see cref="Ledger.Check"/>
/// against the published ledger, when proposed and again when published. A published entry is never edited:
/// a correction is a new, negative entry with its reason.
/// </summary>
internal sealed partial class ProgrammeEntryRecords : RecordKind<ProgrammeEntry>
{
    public static readonly MessageCode OverrideSecretariatOnly = new("programme.override-secretariat-only");
    public static readonly MessageCode EntryPublished = new("programme.entry-published");
    public static readonly MessageCode DayRequired = new("programme.day-required");
    public static readonly MessageCode CorrectionReason = new("programme.correction-reason");
    public static readonly MessageCode OverrideReasonRequired = new("programme.override-reason");
    // Why a new entry's id ("programme:state:suffix") is refused.
    public static readonly MessageCode BadEntryId = new("programme.bad-entry-id");
    public static readonly MessageCode UnknownProgramme = new("programme.unknown");

    // What, when and how much are facts; the evidence address, the note and the secretariat's override are not.
    private static readonly RecordField<ProgrammeEntry, LedgerEntryKind> Kind =
        Field.Choice("kind", e => e.Kind, (e, k) => e.Kind = k);
    private static readonly RecordField<ProgrammeEntry, int?> Year =
        Field.Whole("year", e => e.Year, (e, y) => e.Year = y.GetValueOrDefault(), required: true);
    private static readonly RecordField<ProgrammeEntry, PartialDate?> On = Field.Date(
        "on", e => PartialDate.OfDay(e.On.Year, e.On.Month, e.On.Day), (e, on)
            => e.On = on.GetValueOrDefault().Earliest,
        required: true);
    private static readonly RecordField<ProgrammeEntry, decimal?> Quantity =
        Field.Number("quantity", e => e.Quantity, (e, q) => e.Quantity = q.GetValueOrDefault(), required: true);
    private static readonly LocalizedField<ProgrammeEntry> Note = Field.Note(e => e.Note, (e, n) => e.Note = n);
    private static readonly RecordField<ProgrammeEntry, bool> Override =
        Field.YesNo("override", e => e.Override, (e, o) => e.Override = o, choiceNames: "override", fact: false);
    private static readonly RecordField<ProgrammeEntry, string?> OverrideReason =
        Field.Text("override-reason", e => e.OverrideReason, (e, r) => e.OverrideReason = r, maxLength: 1000,
            fact: false);

    public override string Name => ProgrammeEntry.RecordKind;
    public override int ListOrder => 6;
    public override string CitedAs => Sources.SubjectTypes.ProgrammeEntry;
    public override bool CanCreate => true;
    public override bool RecheckOnPublish => true;
    protected override IReadOnlyList<RecordField<ProgrammeEntry>> Declared { get; } =
    [
        Kind, Year, On, Quantity, Note,
        Field.WebAddress("evidence-url", e => e.EvidenceUrl, (e, url) => e.EvidenceUrl = url, fact: false),
        Override, OverrideReason,
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var entry = await db.ProgrammeEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null) return null;
        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == entry.ProgrammeId, ct);
        var names = await TitleNames.LoadAsync(db, ct);
        return Describe(entry.Id, programme, entry.StateId, entry.Version, ValuesOf(entry), names);
    }

    /// <summary>None to offer for editing: published entries are not changed (a correction is a new entry).</summary>
    public override Task<List<EditableRecord>> ListAsync(
        CaravanDbContext db, CancellationToken ct) => Task.FromResult(new List<EditableRecord>());

    public override async Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !Suffix().IsMatch(parts[2])) return (null, BadEntryId);
        var programme = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == parts[0], ct);
        if (programme is null) return (null, UnknownProgramme);
        if (!await db.MemberStates.AnyAsync(s => s.Id == parts[1], ct)) return (null, RecordMessages.UnknownState);
        // A pledge is shared among the other states: the pledging state allocates, it is not allocated to.
        if (parts[1] == programme.PledgedById) return (null, ProgrammeMessages.PledgingState);
        if (await db.ProgrammeEntries.AnyAsync(e => e.Id == id, ct)) return (null, RecordMessages.Exists);
        var defaults = Defaults(Kind.With(LedgerEntryKind.Allocation), Override.With(false));
        return (Describe(id, programme, parts[1], 0, defaults, await TitleNames.LoadAsync(db, ct)), null);
    }

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex Suffix();

    private EditableRecord Describe(
        string id, Programme programme, string stateId, int version, Dictionary<string, string?> values,
        TitleNames names)
    {
        var title = TitleNames.Join(programme.Name, names.State(stateId));
        var scope = new RecordScope([stateId], programme.BodyId is null ? [] : [programme.BodyId]);
        return new EditableRecord(
            Name, id, title, scope, version, values, $"/programmes/{programme.Id}", "programme-entry");
    }

    /// <summary>An override is the secretariat's decision, not something a proposer can ask the ledger for.</summary>
    public override List<FieldError> CheckWriter(
        Caller caller, WriteRight right, IReadOnlyDictionary<string, string?> values) =>
        Override.Get(values) && right != WriteRight.Direct
            ? [new FieldError(Override.Name, OverrideSecretariatOnly)]
            : [];

    public override async Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct)
    {
        if (await db.ProgrammeEntries.AnyAsync(e => e.Id == id, ct)) return [
            new FieldError(Quantity.Name, EntryPublished)];
        var parts = id.Split(':');
        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == parts[0], ct);
        var errors = new List<FieldError>();
        var on = On.Get(values);
        if (on is { Day: null }) errors.Add(new FieldError(On.Name, DayRequired));
        var quantity = Quantity.Get(values);
        if (quantity < 0 && Note.Get(values) is null) errors.Add(new FieldError(Note.First, CorrectionReason));
        if (Override.Get(values) && string.IsNullOrWhiteSpace(OverrideReason.Get(values)))
            errors.Add(new FieldError(OverrideReason.Name, OverrideReasonRequired));
        if (errors.Count > 0 || on is null || quantity is null || Year.Get(values) is not { } year) return errors;

        // The balances the check weighs are sums per (kind, state, year): the database adds them up, so a write under
        // the writers' lock reads a few rows however many entries the ledger holds (the soak benchmark's 12,000 entries
        // made each check read them all, and writes queued behind it for seconds).
        var sums = await db.ProgrammeEntries.AsNoTracking().Where(e => e.ProgrammeId == programme.Id)
            .GroupBy(e => new { e.Kind, e.StateId, e.Year })
            .Select(g => new { g.Key.Kind, g.Key.StateId, g.Key.Year, Quantity = g.Sum(e => e.Quantity) })
            .ToListAsync(ct);
        var published = sums.Select(s => new LedgerEntry(s.Kind, s.StateId, s.Year, programme.EntryWindow.From,
            s.Quantity, false)).ToList();
        var proposed = new LedgerEntry(
            Kind.Get(values), parts[1], year, on.Value.Earliest, quantity.Value, Override.Get(values));
        var (from, to) = programme.EntryWindow;
        return [.. Ledger.Check(programme.Kind, programme.Pledged, from, to, published, proposed)
            .Select(p => new FieldError(p.Field, p.ToMessage(programme.Unit)))];
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var parts = id.Split(':');
        // Who recorded it: the author of the submission being published, or whoever writes it directly.
        var author = await db.Submissions.AsNoTracking()
            .Where(s => s.RecordKind == Name && s.RecordId == id && s.Status == SubmissionStatus.Validated)
            .Select(s => new { s.AuthorName, s.AuthorRole }).FirstOrDefaultAsync(ct);
        var entry = new ProgrammeEntry
        {
            Id = id,
            ProgrammeId = parts[0],
            StateId = parts[1],
            RecordedBy = author?.AuthorName ?? db.Actor.Actor,
            RecordedRole = author?.AuthorRole ?? db.Actor.Role,
        };
        Write(entry, values);
        // A reason is kept only for an override: without one, it would explain nothing.
        if (!entry.Override) entry.OverrideReason = null;
        db.ProgrammeEntries.Add(entry);
    }
}
