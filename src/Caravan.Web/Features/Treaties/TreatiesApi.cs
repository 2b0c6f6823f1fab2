using Caravan.Features.Sources;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Treaties;

public sealed record EntryIntoForceRuleDto(EntryIntoForceKind Kind, int Days, int Instruments);
public sealed record RatificationStepDto(string Id, RatificationStepKind Step, string? On, LocalizedText? Note,
    string? Evidence, IReadOnlyList<SourceDto> Sources);
public sealed record ParticipantDto(string State, string? Signature, string? Instrument, string? InForceOn,
    IReadOnlyList<RatificationStepDto> Steps);
public sealed record TreatyDto(string Id, LocalizedText Title, string? SignedOn, EntryIntoForceRuleDto Rule,
    TreatyStatus Status, string? EntryIntoForce, int? InstrumentsStillRequired, IReadOnlyList<string> AwaitingFrom,
    string? Reason, IReadOnlyList<ParticipantDto> Participants);

/// <summary>
/// /api/v1/treaties: each treaty's participants, their steps, and the status and date computed from them.
/// </summary>
public static class TreatiesApi
{
    public static void MapTreatiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/treaties").WithTags("Treaties");
        // Not cached: the status depends on today's date as well as on the data.
        api.MapGet("/", async (TreatyQueries treaties, CitationQueries citations, TimeProvider clock,
            CancellationToken ct) =>
        {
            var list = await treaties.ListAsync(Today(clock), ct);
            var sources = await citations.ForAsync(SubjectTypes.RatificationStep,
                list.SelectMany(t => t.Participants.SelectMany(p => p.Steps.Select(s => s.Id))), ct);
            return Results.Ok(list.Select(t => ToDto(t, sources)).ToList());
        }).WithName("ListTreaties")
            .WithSummary("Treaties, each with its participant table and computed entry into force")
            .Produces<List<TreatyDto>>();

        api.MapGet("/{id}", async (string id, HttpContext http, TreatyQueries treaties, CitationQueries citations,
            TimeProvider clock, CancellationToken ct) =>
        {
            if (await treaties.GetAsync(id, Today(clock), ct) is not { } t) return Api.NotFound(http);
            var sources = await citations.ForAsync(SubjectTypes.RatificationStep,
                t.Participants.SelectMany(p => p.Steps.Select(s => s.Id)), ct);
            return Results.Ok(ToDto(t, sources));
        }).WithName("GetTreaty")
            .WithSummary("A treaty by id (e.g. good-neighbourliness-treaty-2025): participants, steps with evidence, " +
                "status, date, instruments still required")
          .Produces<TreatyDto>().ProducesProblem(404);
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static TreatyDto ToDto(TreatyView t, IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources)
    {
        var d = t.Document;
        var e = t.Evaluation;
        return new(d.Id, d.Title, Iso(d.SignedOn), new(d.EntryIntoForce, d.EntryIntoForceDays,
            d.EntryIntoForceInstruments), e.Status, Iso(e.EntryIntoForce),
            e.InstrumentsStillRequired, e.AwaitingFrom, e.Reason,
            [.. t.Participants.Select(p => new ParticipantDto(p.StateId, Iso(p.SignedOn), Iso(p.InstrumentOn),
                Iso(p.InForceOn),
                [.. p.Steps.Select(s => new RatificationStepDto(s.Id, s.Kind, Iso(s.On), s.Note, s.EvidenceUrl,
                    SourceDto.From(sources, s.Id)))]))]);
    }
}
