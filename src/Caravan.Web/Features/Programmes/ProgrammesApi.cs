using System.Globalization;
using System.Text.Json;
using Caravan.Features.Mechanism;
using Caravan.Features.Programmes;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Shared;
using Caravan.Web.Features.Submissions;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Localization;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Programmes;

public sealed record ProgrammePeriodDto(string? From, string? To, LocalizedText? Note);
/// <summary>
/// Quantities of one row: allocated, each stage by name (committed, disbursed; or offered, filled, completed), and what
/// is left.
/// </summary>
public sealed record BalanceDto(decimal Allocated, IReadOnlyDictionary<string, decimal> Stages, decimal Unused);
public sealed record ProgrammeSummaryDto(string Id, LocalizedText Name, ProgrammeKind Kind, string Unit,
    decimal Pledged, string PledgedBy, string? Meeting, string? AnnouncedOn, ProgrammePeriodDto Period, string? Body,
    string? Measure, decimal Allocated, decimal Unallocated, IReadOnlyDictionary<string, decimal> Stages,
    decimal Used, int Entries, IReadOnlyList<SourceDto> Sources);
public sealed record AllocationDto(string State, int Year, BalanceDto Balance);
public sealed record StateBalanceDto(string State, BalanceDto Balance);
public sealed record EntryDto(string Id, LedgerEntryKind Kind, string State, int Year, string On, decimal Quantity,
    LocalizedText? Note, string? Evidence, bool Override, string? OverrideReason, string RecordedBy,
    IReadOnlyList<SourceDto>? Sources = null);
public sealed record BurnUpDto(string On, decimal Allocated, IReadOnlyDictionary<string, decimal> Stages);
public sealed record ProgrammeDto(ProgrammeSummaryDto Programme, IReadOnlyList<StateBalanceDto> States,
    IReadOnlyList<AllocationDto> Allocations, IReadOnlyList<EntryDto> Entries, IReadOnlyList<BurnUpDto> BurnUp);
/// <summary>A new ledger entry: the state, and the entry's fields as in /api/v1/records/programme-entries.</summary>
public sealed record EntryRequest(string? State, Dictionary<string, JsonElement>? Values, string? Reason, bool? Submit,
    List<Caravan.Features.Submissions.SourceInput>? Sources = null);

/// <summary>
/// /api/v1/programmes: pledges kept as ledgers, with every balance derived from the published entries; and
/// POST …/entries, which records an entry through the same rules and workflow as /api/v1/records.
/// </summary>
public static class ProgrammesApi
{
    public static void MapProgrammesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/programmes").WithTags("Programmes");

        api.MapGet("/", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, [], ["announcedOn", "id"], "-announcedOn");
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<ProgrammeQueries>(http, async (q, c) =>
            {
                var list = await q.ListAsync(ct);
                var sources = await c.ForAsync(SubjectTypes.Programme, list.Select(p => p.Programme.Id), ct);
                var sorted = MechanismApi.Sort(list, query, v => query.SortField == "id" ? v.Programme.Id
                    : (v.Programme.AnnouncedOn?.ToIso() ?? "0000") + v.Programme.Id);
                return query.Paginate(sorted.Select(v => Summary(v, sources)).ToList());
            });
        }).WithName("ListProgrammes")
            .WithSummary("Pledges kept as ledgers (grants, training places, scholarships): pledged, allocated, used " +
                "and unallocated, derived from the published entries")
          .Produces<Page<ProgrammeSummaryDto>>().ProducesValidationProblem();

        api.MapGet("/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<ProgrammeQueries>(http, async (q, c) =>
        {
            if (await q.GetAsync(id, ct) is not { } v) return null;
            var sources = await c.ForAsync(SubjectTypes.Programme, [id], ct);
            var entrySources = await c.ForAsync(SubjectTypes.ProgrammeEntry, v.Entries.Select(e => e.Id), ct);
            var stages = v.Stages;
            return new ProgrammeDto(Summary(v, sources),
                [.. v.States.Select(s => new StateBalanceDto(s.StateId, Balance(stages, s.Allocated, s.Stages)))],
                [.. v.Balance.Allocations.Select(a =>
                    new AllocationDto(a.StateId, a.Year, Balance(stages, a.Allocated, a.Stages)))],
                [.. v.Entries.Select(e => new EntryDto(e.Id, e.Kind, e.StateId, e.Year,
                    e.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Quantity, e.Note,
                    e.EvidenceUrl, e.Override, e.OverrideReason, e.RecordedRole, SourceDto.From(entrySources, e.Id)))],
                [.. v.BurnUp.Select(p => new BurnUpDto(p.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    p.Allocated, Stages(stages, p.Stages)))]);
        })).WithName("GetProgramme")
            .WithSummary("A programme by id (e.g. grant-2025): the pledge with its sources, balances per state and " +
                "per state and year, the published entries and the burn-up")
          .Produces<ProgrammeDto>().ProducesProblem(404);

        api.MapPost("/{id}/entries", async (string id, EntryRequest body, HttpContext http, RecordEditor editor,
            ProgrammeQueries programmes, MechanismQueries mechanism, IStringLocalizer<SharedResource> l,
            CancellationToken ct) =>
        {
            if (await programmes.GetAsync(id, ct) is not { } v) return Api.NotFound(http);
            var (values, errors) = SubmissionDtos.Flatten(body.Values);
            if (StateProblem(v.Programme, body.State, (await mechanism.StatesAsync(ct))
                .Select(s => s.Id)) is { } problem) errors.Add(problem);
            if (errors.Count > 0) return WriteAnswers.Invalid(errors, l);
            var entryId = NewEntryId(id, body.State!);
            var result = await editor.ChangeAsync(http.GetCaller(), ProgrammeEntry.RecordKind, entryId, values,
                body.Reason, null, body.Submit ?? true, create: true, ct, body.Sources);
            return await RecordsApi.AnswerAsync(result, http, l);
        }).RequireAuthorization(AccountSetup.ApiCaller).WithName("RecordProgrammeEntry")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
                Caravan.Features.Sources.SourceFile.MaxRequestBytes))
          .WithSummary("Record a ledger entry (values: kind, year, on, quantity, note.en|ru|zh, evidence-url, " +
              "override, override-reason; and sources, at least one): applied for the secretariat (201), a " +
              "submission for the body's officer or the state's coordinator (202); an overspend, a date outside the " +
              "period or a bad number is a 400 naming the field with the figures")
          .Produces<RecordDto>(201).Produces<SubmissionDto>(202).ProducesValidationProblem().ProducesProblem(401)
              .ProducesProblem(403).ProducesProblem(404);
    }

    /// <summary>The state an entry is for must be a member state other than the one that pledged.</summary>
    public static FieldError? StateProblem(Programme programme, string? state, IEnumerable<string> states) =>
        string.IsNullOrWhiteSpace(state) ? new FieldError("state", FieldMessages.Required)
        : !states.Contains(state) ? new FieldError("state", RecordMessages.UnknownState)
        : state == programme.PledgedById ? new FieldError("state", ProgrammeMessages.PledgingState)
        : null;

    /// <summary>A new entry's id: time-ordered, so entries of the same day keep the order they were made in.</summary>
    public static string NewEntryId(string programme, string state) =>
        ProgrammeEntry.KeyOf(programme, state, Guid.CreateVersion7().ToString("N"));

    private static ProgrammeSummaryDto Summary(ProgrammeView v,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources)
    {
        var p = v.Programme;
        return new(p.Id, p.Name, p.Kind, p.Unit, p.Pledged, p.PledgedById, p.MeetingId, Iso(p.AnnouncedOn),
            new ProgrammePeriodDto(p.PeriodFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                p.PeriodTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.PeriodNote),
            p.BodyId, p.MeasureId, v.Balance.Allocated, v.Balance.Unallocated, Stages(v.Stages, v.Balance.Stages),
            v.Used, v.Entries.Count, SourceDto.From(sources, p.Id));
    }

    private static BalanceDto Balance(IReadOnlyList<LedgerEntryKind> stages, decimal allocated,
        IReadOnlyList<decimal> sums) =>
        new(allocated, Stages(stages, sums), allocated - (sums.Count > 0 ? sums[0] : 0));

    /// <summary>
    /// Sums per stage, keyed by the stage's name (committed, disbursed; or offered, filled, completed).
    /// </summary>
    internal static Dictionary<string, decimal> Stages(IReadOnlyList<LedgerEntryKind> stages,
        IReadOnlyList<decimal> sums) =>
        stages.Select((s, i) => (SeedEnums.ToKebab(s), sums[i])).ToDictionary(x => x.Item1, x => x.Item2);
}
