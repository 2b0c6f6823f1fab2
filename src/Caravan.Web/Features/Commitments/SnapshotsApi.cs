using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Features.Submissions;
using Caravan.Web.Features.Treaties;
using Caravan.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Commitments;

public sealed record SnapshotSummaryDto(string Id, string Period, string? Meeting, DateTimeOffset TakenAt, int Commitments);
public sealed record SnapshotDto(string Id, string Period, string? Meeting, DateTimeOffset TakenAt, IReadOnlyList<SnapshotItem> Items,
    // What the snapshot holds that a later dataset version retracted: the items stay as frozen, these say which figures are withdrawn and why.
    IReadOnlyList<RetractedDto> Retracted,
    // The audit trail's head when it was taken, ID:SEAL: whoever keeps a copy can check later that the trail still
    // holds it (caravan audit verify --anchor); null for a snapshot taken before heads were recorded.
    string? AuditHead = null);
/// <summary>A commitment (state null) or a party's frozen score that the dataset's version retracted, with the reason and its sources; held: kept live for the secretariat.</summary>
public sealed record RetractedDto(string Commitment, string? State, int? Score, string Kind, int Version, LocalizedText Reason, IReadOnlyList<string> Translated, bool Held, IReadOnlyList<SourceDto> Sources);
public sealed record ComparisonDto(string From, string To, IReadOnlyDictionary<SnapshotChange, int> Counts, IReadOnlyList<SnapshotDifference> Differences);
/// <summary>Close a reporting period and freeze its snapshot.</summary>
public sealed record CloseRequest(string? Period);

/// <summary>/api/v1/snapshots: status as at the close of each reporting period, and the comparison of any two.</summary>
public static class SnapshotsApi
{
    public const string Current = "current";

    private static string? Head(Snapshot s) => s.AuditHeadId is { } id ? $"{id}:{s.AuditHeadSeal}" : null;

    public static void MapSnapshotsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/snapshots").WithTags("Snapshots");
        api.MapGet("/", async (CaravanDbContext db, CancellationToken ct) =>
            Results.Ok((await db.Snapshots.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct)).Select(s => new SnapshotSummaryDto(s.Id, s.PeriodId, s.MeetingId, s.TakenAt, s.Items.Count)).ToList()))
            .WithName("ListSnapshots").WithSummary("The frozen snapshots, one per closed reporting period").Produces<List<SnapshotSummaryDto>>();

        api.MapGet("/compare", async (string? from, string? to, HttpContext http, CaravanDbContext db, Snapshots snapshots, CommitmentQueries commitments, TimeProvider clock, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var a = await ItemsAsync(from, "from");
            var b = await ItemsAsync(to, "to");
            if (errors.Count > 0) return Api.BadRequest(errors);
            var differences = SnapshotComparison.Compare(a!, b!);
            return Results.Ok(new ComparisonDto(from!, to!, differences.GroupBy(d => d.Change).ToDictionary(g => g.Key, g => g.Count()), differences));

            async Task<List<SnapshotItem>?> ItemsAsync(string? id, string name)
            {
                if (string.IsNullOrWhiteSpace(id)) { errors[name] = [l["snapshot.compare-required"]]; return null; }
                if (id == Current)
                {
                    var period = CommitmentQueries.Current(await commitments.PeriodsAsync(ct), TreatiesApi.Today(clock));
                    return period is null ? [] : await snapshots.ItemsOfAsync(period.Id, ct);
                }
                var snapshot = await db.Snapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
                if (snapshot is null) { errors[name] = [string.Format(System.Globalization.CultureInfo.CurrentCulture, l["snapshot.unknown"], id)]; return null; }
                return snapshot.Items;
            }
        }).WithName("CompareSnapshots").WithSummary("What changed between two snapshots (from, to: snapshot ids or \"current\"): improved, worsened, newly assessed, added, removed")
          .Produces<ComparisonDto>().ProducesValidationProblem();

        api.MapGet("/{id}", async (string id, HttpContext http, CaravanDbContext db, CitationQueries citations, CancellationToken ct) =>
            await db.Snapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s
                ? Results.Ok(new SnapshotDto(s.Id, s.PeriodId, s.MeetingId, s.TakenAt, s.Items, await RetractedAsync(db, citations, s, ct), Head(s))) : Api.NotFound(http))
            .WithName("GetSnapshot").WithSummary("A snapshot: every commitment's status and scores as frozen").Produces<SnapshotDto>().ProducesProblem(404);

        api.MapPost("", async (CloseRequest body, HttpContext http, Snapshots snapshots, RecordEditor editor, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var caller = http.GetCaller();
            if (!Access.CanValidate(caller))
            {
                await editor.RefuseAsync(caller, "snapshot", body.Period ?? "", "close period", ct);
                return Results.Problem(statusCode: 403, title: l["problem.forbidden"], detail: l["snapshot.secretariat-only"]);
            }
            if (string.IsNullOrWhiteSpace(body.Period)) return Api.BadRequest(new Dictionary<string, string[]> { ["period"] = [l["field.required"]] });
            var (snapshot, error) = await snapshots.CloseAsync(
                body.Period, new AuditActor(caller!.Name, caller.AuditRole, "closed the reporting period"), ct);
            if (error is null) http.RequestServices.GetRequiredService<ClosedSnapshots>().Closed(snapshot!.Id);
            return error switch
            {
                null => Results.Created($"/api/v1/snapshots/{snapshot!.Id}", new SnapshotDto(
                    snapshot.Id, snapshot.PeriodId, snapshot.MeetingId, snapshot.TakenAt, snapshot.Items, [], Head(snapshot))),
                { } closed when closed == SnapshotMessages.Exists =>
                    Results.Problem(statusCode: 409, title: l["problem.conflict"], detail: l[closed.Key]),
                _ => Api.NotFound(http),
            };
        }).RequireAuthorization(AccountSetup.ApiCaller).WithName("CloseReportingPeriod")
          .WithSummary("The secretariat closes a reporting period: its scores are frozen in a snapshot and can no longer change")
          .Produces<SnapshotDto>(201).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    public static async Task<List<RetractedDto>> RetractedAsync(CaravanDbContext db, CitationQueries citations, Snapshot s, CancellationToken ct)
    {
        var found = SeedRetractions.In(s, await db.SeedRetractions.AsNoTracking().ToListAsync(ct));
        var sources = await citations.ForAsync(SubjectTypes.Retraction, found.Select(f => f.Retraction.Id).Distinct(), ct);
        return [.. found.Select(f => new RetractedDto(f.CommitmentId, f.StateId, f.Score, f.Retraction.Kind, f.Retraction.Version, f.Retraction.Reason, f.Retraction.Translated,
            f.Retraction.Held, SourceDto.From(sources, f.Retraction.Id)))];
    }
}
