using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Documents;
using Caravan.Features.Seed;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Treaties;

/// <summary>
/// A party's step towards being bound by a treaty (signature, approvals, instrument): its coordinator
/// records it with its date and evidence; the treaty's status is computed from these steps.
/// </summary>
internal sealed class RatificationStepRecords : RecordKind<RatificationStep>
{
    // Why a new step's id ("treaty:state:step") is refused.
    public static readonly MessageCode BadId = new("record.bad-ratification-step-id");
    public static readonly MessageCode UnknownTreaty = new("record.unknown-treaty");
    public static readonly MessageCode NotAParty = new("record.not-a-party");

    /// <summary>
    /// The steps' names for record titles (the portal's own strings RatificationStepKind.* say the same).
    /// </summary>
    private static readonly Dictionary<RatificationStepKind, LocalizedText> StepNames = new()
    {
        [RatificationStepKind.Signature] = new() { En = "signature", Ru = "подписание", Zh = "签署" },
        [RatificationStepKind.GovernmentApproval] =
            new() { En = "government approval", Ru = "одобрение правительством", Zh = "政府批准" },
        [RatificationStepKind.ParliamentApproval] = new() { En = "parliament", Ru = "парламент", Zh = "议会" },
        [RatificationStepKind.HeadOfStateApproval] = new() { En = "head of state", Ru = "глава государства",
            Zh = "国家元首" },
        [RatificationStepKind.Instrument] = new() { En = "instrument", Ru = "документ о ратификации", Zh = "批准文书" },
    };

    private static readonly RecordField<RatificationStep, PartialDate?> On =
        Field.Date("on", s => s.On, (s, on) => s.On = on);

    public override string Name => "ratification-steps";
    public override int ListOrder => 4;
    public override string CitedAs => Sources.SubjectTypes.RatificationStep;
    public override bool CanCreate => true;
    /// <summary>The date is the fact; the evidence address is a pointer kept beside the sources.</summary>
    protected override IReadOnlyList<RecordField<RatificationStep>> Declared { get; } =
    [
        On,
        Field.WebAddress("evidence-url", s => s.EvidenceUrl, (s, url) => s.EvidenceUrl = url, fact: false),
        Field.Note(s => s.Note, (s, n) => s.Note = n),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var step = await db.RatificationSteps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (step is null) return null;
        var title = await db.Documents.AsNoTracking().Where(d => d.Id == step.DocumentId).Select(d => d.Title)
            .FirstAsync(ct);
        return ToRecord(step, title, await TitleNames.LoadAsync(db, ct));
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct)
    {
        var titles = await db.Documents.AsNoTracking().Where(d => d.Kind == DocumentKind.Treaty)
            .ToDictionaryAsync(d => d.Id, d => d.Title, ct);
        var names = await TitleNames.LoadAsync(db, ct);
        return
        [
            .. (await db.RatificationSteps.AsNoTracking().ToListAsync(ct)).OrderBy(s => s.Id, StringComparer.Ordinal)
                .Select(s => ToRecord(s, titles[s.DocumentId], names)),
        ];
    }

    private EditableRecord ToRecord(RatificationStep step, LocalizedText treaty, TitleNames names) =>
        Describe(step.Id, step.DocumentId, step.StateId, step.Kind, treaty, step.Version, ValuesOf(step), names);

    private EditableRecord Describe(
        string id, string documentId, string stateId, RatificationStepKind kind, LocalizedText treaty, int version,
        Dictionary<string, string?> values, TitleNames names)
    {
        var step = StepNames.GetValueOrDefault(kind) ?? TitleNames.Same(SeedEnums.ToKebab(kind));
        var title = TitleNames.Join(treaty, names.State(stateId), step);
        return new EditableRecord(
            Name, id, title, RecordScope.OfState(stateId), version, values, $"/treaties/{documentId}",
            "ratification-step");
    }

    public override async Task<(EditableRecord? Record, MessageCode? Error)> DescribeNewAsync(
        CaravanDbContext db, string id, CancellationToken ct)
    {
        var parts = id.Split(':');
        if (parts.Length != 3 || !SeedEnums.TryParse<RatificationStepKind>(parts[2], out var kind))
            return (null, BadId);
        var treaty = await db.Documents.AsNoTracking().Include(d => d.Parties)
            .FirstOrDefaultAsync(d => d.Id == parts[0] && d.Kind == DocumentKind.Treaty, ct);
        if (treaty is null) return (null, UnknownTreaty);
        if (treaty.Parties.All(p => p.StateId != parts[1])) return (null, NotAParty);
        var key = RatificationStep.KeyOf(parts[0], parts[1], kind);
        if (await db.RatificationSteps.AnyAsync(s => s.Id == key, ct)) return (null, RecordMessages.Exists);
        return (Describe(key, parts[0], parts[1], kind, treaty.Title, 0, [], await TitleNames.LoadAsync(db, ct)), null);
    }

    public override async Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct)
    {
        var parts = id.Split(':');
        var kind = SeedEnums.Parse<RatificationStepKind>(parts[2]);
        var signedOn = await db.Documents.AsNoTracking().Where(d => d.Id == parts[0]).Select(d => d.SignedOn)
            .FirstOrDefaultAsync(ct);
        var partySteps = await db.RatificationSteps.AsNoTracking()
            .Where(s => s.DocumentId == parts[0] && s.StateId == parts[1]).ToListAsync(ct);
        var signature = RatificationRules.SignatureOf(signedOn, partySteps);
        if (RatificationRules.Problem(kind, On.Get(values), signature, today) is not { } problem) return [];
        // The signature it would precede, as the sources date it (a partial date, shown as written).
        MessageArg[] args = signature is { } s ? [s.ToIso()] : [];
        return [new(On.Name, problem, args)];
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var step = await db.RatificationSteps.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (step is null)
        {
            var parts = id.Split(':');
            step = new RatificationStep
            {
                Id = id, DocumentId = parts[0], StateId = parts[1],
                Kind = SeedEnums.Parse<RatificationStepKind>(parts[2]),
            };
            db.RatificationSteps.Add(step);
        }
        Write(step, values);
    }
}
