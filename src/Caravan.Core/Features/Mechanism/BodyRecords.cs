using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Mechanism;

/// <summary>A platform's or centre's own record (its seat, stage and dates), kept by its officers.</summary>
internal sealed class BodyRecords : RecordKind<Body>
{
    public override string Name => "bodies";
    public override int ListOrder => 2;
    public override string CitedAs => Sources.SubjectTypes.Body;
    protected override IReadOnlyList<RecordField<Body>> Declared { get; } =
    [
        Field.Choice("status", b => b.Status, (b, s) => b.Status = s),
        Field.Localized("seat", b => b.Seat, (b, s) => b.Seat = s, maxLength: 500),
        Field.Date("established-on", b => b.EstablishedOn, (b, d) => b.EstablishedOn = d),
        Field.Date("operational-on", b => b.OperationalOn, (b, d) => b.OperationalOn = d),
        Field.WebAddress("website", b => b.Website, (b, url) => b.Website = url),
        Field.EmailAddress("contact-address", b => b.ContactAddress, (b, address) => b.ContactAddress = address),
        Field.Note(b => b.Note, (b, n) => b.Note = n),
    ];

    public override async Task<EditableRecord?> FindAsync(CaravanDbContext db, string id, CancellationToken ct)
    {
        var body = await db.Bodies.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        return body is null ? null : ToRecord(body);
    }

    public override async Task<List<EditableRecord>> ListAsync(CaravanDbContext db, CancellationToken ct) =>
    [
        .. (await db.Bodies.AsNoTracking().ToListAsync(ct)).OrderBy(b => b.Id, StringComparer.Ordinal).Select(ToRecord),
    ];

    private EditableRecord ToRecord(Body body) =>
        new(Name, body.Id, body.Name, RecordScope.OfBody(body.Id), body.Version, ValuesOf(body), $"/bodies/{body.Id}",
            "body");

    public override async Task ApplyAsync(
        CaravanDbContext db, string id, IReadOnlyDictionary<string, string?> values, CancellationToken ct) =>
        Write(await db.Bodies.FirstAsync(b => b.Id == id, ct), values);
}
