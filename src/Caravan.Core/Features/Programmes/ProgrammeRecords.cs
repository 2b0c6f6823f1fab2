using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Mechanism;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Programmes;

/// <summary>
/// Which platform or centre runs a programme — the sources rarely say, so the secretariat sets it when it
/// learns it; from then on that body's officers record the programme's entries. The pledge itself is the
/// seed's, with its sources, and is not edited here.
/// </summary>
internal sealed class ProgrammeRecords : RecordKind<Programme>
{
    public static readonly MessageCode NotAPlatformOrCentre = new("programme.not-a-platform-or-centre");

    private static readonly RecordField<Programme, string?> Body =
        Field.Text("body", p => p.BodyId, (p, body) => p.BodyId = body, maxLength: 100);

    public override string Name => "programmes";
    public override int ListOrder => 7;
    public override string CitedAs => Sources.SubjectTypes.Programme;
    protected override IReadOnlyList<RecordField<Programme>> Declared { get; } = [Body];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var programme = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return programme is null ? null : ToRecord(programme);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
    [
        .. (await db.Programmes.AsNoTracking().ToListAsync(ct)).OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(ToRecord),
    ];

    private EditableRecord ToRecord(Programme p) =>
        new(Name, p.Id, p.Name, RecordScope.Mechanism, p.Version, ValuesOf(p), $"/programmes/{p.Id}", "programme");

    public override async Task<List<FieldError>> CheckAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, DateOnly today,
        CancellationToken ct)
    {
        if (Body.Get(values) is not { } body) return [];
        var kind = await db.Bodies.AsNoTracking().Where(b => b.Id == body).Select(b => (BodyKind?)b.Kind)
            .FirstOrDefaultAsync(ct);
        return kind is BodyKind.MinisterialPlatform or BodyKind.CooperationCentre
            ? []
            : [new FieldError(Body.Name, NotAPlatformOrCentre, body)];
    }

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct) =>
        Write(await db.Programmes.FirstAsync(p => p.Id == id, ct), values);
}
