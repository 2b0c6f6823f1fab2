using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using static Caravan.Web.Features.Shared.ApiDates;

namespace Caravan.Web.Features.Documents;

public sealed record DocumentDto(string Id, DocumentKind Kind, DocumentScope Scope, IReadOnlyList<string> Parties,
    string? Meeting, string? SignedOn, LocalizedText? SignedAt, LocalizedText Title, IReadOnlyList<string> Translated,
    LocalizedText? Summary, LocalizedText? Note, IReadOnlyList<SourceDto> Sources);

/// <summary>/api/v1/documents: outcome documents with their parties and sources.</summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        // Cached until documents, states or meetings, commitments or sources change.
        var api = app.MapGroup("/api/v1/documents").WithTags("Documents").WithMetadata(new DependsOnAttribute(
            typeof(OutcomeDocument), typeof(MemberState), typeof(Caravan.Features.Commitments.Commitment),
            typeof(Source)));

        api.MapGet("/", (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request, ["meeting", "kind", "scope", "party", "year"],
                ["signedOn", "id", "kind"], "-signedOn");
            var filter = new DocumentFilter(query.Text("meeting"), query.Enum<DocumentKind>("kind"),
                query.Enum<DocumentScope>("scope"), query.OneOf("party", MemberState.Codes),
                query.OptionalInteger("year", 1900, 2100));
            if (!query.IsValid) return Task.FromResult(query.Problem());
            return Api.CachedJson<DocumentQueries>(http, async (q, c) =>
            {
                var documents = await q.ListAsync(filter, ct);
                var sources = await c.ForAsync(SubjectTypes.Document, documents.Select(d => d.Id));
                var sorted = MechanismApi.Sort(documents, query, d => query.SortField switch
                {
                    "id" => d.Id,
                    "kind" => $"{(int)d.Kind:D2}{d.Id}",
                    _ => (d.SignedOn?.ToIso() ?? "0000") + d.Id,
                });
                return query.Paginate(sorted.Select(d => ToDto(d, sources)).ToList());
            });
        }).WithName("ListDocuments")
            .WithSummary("Outcome documents; filter by meeting, kind, scope, party (ISO code) or year")
          .Produces<Page<DocumentDto>>().ProducesValidationProblem();

        api.MapGet("/{id}", (string id, HttpContext http, CancellationToken ct) =>
            Api.CachedJsonById<DocumentQueries>(http, async (q, c) =>
        {
            var document = await q.GetAsync(id, ct);
            return document is null ? null : ToDto(document, await c.ForAsync(SubjectTypes.Document, [document.Id]));
        })).WithName("GetDocument").WithSummary("An outcome document by its id (e.g. astana-declaration-2025)")
            .Produces<DocumentDto>().ProducesProblem(404);
    }

    private static DocumentDto ToDto(OutcomeDocument d,
        IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> sources) =>
        new(d.Id, d.Kind, d.Scope, d.Parties.Select(p => p.StateId).ToList(), d.MeetingId, Iso(d.SignedOn),
            d.SignedAt, d.Title, d.Translated, d.Summary, d.Note, SourceDto.From(sources, d.Id));
}
