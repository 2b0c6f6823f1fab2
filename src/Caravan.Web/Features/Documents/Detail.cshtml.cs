using Caravan.Features.Documents;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Documents;

public sealed class DetailModel(DocumentQueries documents, CitationQueries citations) : PageModel
{
    public OutcomeDocument Document { get; private set; } = null!;
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var document = await documents.GetAsync(id, ct);
        if (document is null) return NotFound();
        Document = document;
        Sources = await citations.ForAsync(SubjectTypes.Document, document.Id, ct);
        return Page();
    }
}
