using System.Globalization;
using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using static Caravan.Features.Submissions.RecordFields;

namespace Caravan.Features.Programmes;

/// <summary>
/// A programme's ledger entry for one state: the officers of the body that runs the programme (or the
/// state's coordinator) propose it, the state's coordinator confirms an officer's figures, the secretariat
/// validates and publishes it — or writes it directly. Every entry is checked by <see cref="Ledger.Check"/>
/// against the published ledger, when proposed and again when published. A published entry is never edited:
/// a correction is a new, negative entry with its reason.
/// </summary>
internal sealed partial class ProgrammeEntryRecords : RecordKind
{
    public override string Name => ProgrammeEntry.RecordKind;
    public override string CitedAs => Sources.SubjectTypes.ProgrammeEntry;
    public override bool CanCreate => true;
    /// <summary>What, when and how much are facts; the evidence address, the note and the secretariat's override are not.</summary>
    public override bool IsFact(EditableField field) => field.Name is "kind" or "year" or "on" or "quantity";
    public override bool RecheckOnPublish => true;
    public override IReadOnlyList<EditableField> Fields { get; } =
    [
        EditableField.ChoiceOf<LedgerEntryKind>("kind"), new("year", FieldKind.Whole, Required: true), new("on", FieldKind.Date, Required: true),
        new("quantity", FieldKind.Number, Required: true), .. EditableField.Localized("note"), new("evidence-url", FieldKind.WebAddress),
        new("override", FieldKind.Choice, Required: true, Choices: ["false", "true"], ChoiceNames: "override"), new("override-reason", FieldKind.Text, MaxLength: 1000),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var entry = await db.ProgrammeEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null) return null;
        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == entry.ProgrammeId, ct);
        var values = new Dictionary<string, string?>
        {
            ["kind"] = SeedEnums.ToKebab(entry.Kind),
            ["year"] = entry.Year.ToString(CultureInfo.InvariantCulture),
            ["on"] = entry.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["quantity"] = entry.Quantity.ToString(CultureInfo.InvariantCulture),
            ["evidence-url"] = entry.EvidenceUrl,
            ["override"] = entry.Override ? "true" : "false",
            ["override-reason"] = entry.OverrideReason,
        };
        PutLocalized(values, "note", entry.Note);
        return Describe(entry.Id, programme, entry.StateId, entry.Version, values, await Submissions.TitleNames.LoadAsync(db, ct));
    }

    /// <summary>None to offer for editing: published entries are not changed (a correction is a new entry).</summary>
    public override Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) => Task.FromResult(new List<EditableRecord>());

    public override async Task<(EditableRecord? Record, string? Error)> DescribeNewAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !Suffix().IsMatch(parts[2])) return (null, "programme.bad-entry-id");
        var programme = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == parts[0], ct);
        if (programme is null) return (null, "programme.unknown");
        if (!await db.MemberStates.AnyAsync(s => s.Id == parts[1], ct)) return (null, "record.unknown-state");
        // A pledge is shared among the other states: the pledging state allocates, it is not allocated to.
        if (parts[1] == programme.PledgedById) return (null, "programme.pledging-state");
        if (await db.ProgrammeEntries.AnyAsync(e => e.Id == id, ct)) return (null, "record.exists");
        return (Describe(id, programme, parts[1], 0, new Dictionary<string, string?> { ["kind"] = "allocation", ["override"] = "false" }, await Submissions.TitleNames.LoadAsync(db, ct)), null);
    }

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex Suffix();

    private EditableRecord Describe(string id, Programme programme, string stateId, int version, Dictionary<string, string?> values, Submissions.TitleNames names)
    {
        var title = Submissions.TitleNames.Join(programme.Name, names.State(stateId));
        var scope = new RecordScope([stateId], programme.BodyId is null ? [] : [programme.BodyId]);
        return new EditableRecord(Name, id, title, scope, version, values, $"/programmes/{programme.Id}", "programme-entry");
    }

    /// <summary>An override is the secretariat's decision, not something a proposer can ask the ledger for.</summary>
    public override List<FieldError> CheckWriter(Caller caller, WriteRight right, IReadOnlyDictionary<string, string?> values) =>
        values.GetValueOrDefault("override") == "true" && right != WriteRight.Direct ? [new FieldError("override", "programme.override-secretariat-only")] : [];

    public override async Task<List<FieldError>> CheckAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today, CancellationToken ct)
    {
        if (await db.ProgrammeEntries.AnyAsync(e => e.Id == id, ct)) return [new FieldError("quantity", "programme.entry-published")];
        var parts = id.Split(':');
        var programme = await db.Programmes.AsNoTracking().FirstAsync(p => p.Id == parts[0], ct);
        var errors = new List<FieldError>();
        var on = GetDate(values, "on");
        if (on is { Day: null }) errors.Add(new FieldError("on", "programme.day-required"));
        var quantity = values.GetValueOrDefault("quantity") is { } q ? decimal.Parse(q, CultureInfo.InvariantCulture) : (decimal?)null;
        if (quantity < 0 && GetLocalized(values, "note") is null) errors.Add(new FieldError("note.en", "programme.correction-reason"));
        if (values.GetValueOrDefault("override") == "true" && string.IsNullOrWhiteSpace(values.GetValueOrDefault("override-reason")))
            errors.Add(new FieldError("override-reason", "programme.override-reason"));
        if (errors.Count > 0 || on is null || quantity is null || values.GetValueOrDefault("year") is not { } year) return errors;

        var published = await db.ProgrammeEntries.AsNoTracking().Where(e => e.ProgrammeId == programme.Id).ToListAsync(ct);
        var proposed = new LedgerEntry(GetChoice<LedgerEntryKind>(values, "kind"), parts[1], int.Parse(year, CultureInfo.InvariantCulture),
            on.Value.Earliest, quantity.Value, values.GetValueOrDefault("override") == "true");
        var (from, to) = programme.EntryWindow;
        return [.. Ledger.Check(programme.Kind, programme.Pledged, from, to, [.. published.Select(e => e.ToLedger())], proposed)
            .Select(p => new FieldError(p.Field, p.ToMessage(programme.Unit)))];
    }

    public override async Task ApplyAsync(CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var parts = id.Split(':');
        // Who recorded it: the author of the submission being published, or whoever writes it directly.
        var author = await db.Submissions.AsNoTracking().Where(s => s.RecordKind == Name && s.RecordId == id && s.Status == SubmissionStatus.Validated)
            .Select(s => new { s.AuthorName, s.AuthorRole }).FirstOrDefaultAsync(ct);
        var @override = values.GetValueOrDefault("override") == "true";
        db.ProgrammeEntries.Add(new ProgrammeEntry
        {
            Id = id,
            ProgrammeId = parts[0],
            StateId = parts[1],
            Kind = GetChoice<LedgerEntryKind>(values, "kind"),
            Year = int.Parse(values["year"]!, CultureInfo.InvariantCulture),
            On = PartialDate.Parse(values["on"]!).Earliest,
            Quantity = decimal.Parse(values["quantity"]!, CultureInfo.InvariantCulture),
            Note = GetLocalized(values, "note"),
            EvidenceUrl = values.GetValueOrDefault("evidence-url"),
            Override = @override,
            OverrideReason = @override ? values.GetValueOrDefault("override-reason") : null,
            RecordedBy = author?.AuthorName ?? db.Actor.Actor,
            RecordedRole = author?.AuthorRole ?? db.Actor.Role,
        });
    }
}
