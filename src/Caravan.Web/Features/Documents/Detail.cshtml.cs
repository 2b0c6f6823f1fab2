using Caravan.Features.Documents;
using Caravan.Features.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Documents;

// Cached until documents, states or meetings, commitments or sources change.
[Caravan.Web.Infrastructure.DependsOn(typeof(Caravan.Features.Documents.OutcomeDocument),
    typeof(Caravan.Features.Mechanism.MemberState), typeof(Caravan.Features.Commitments.Commitment),
    typeof(Caravan.Features.Sources.Source))]
public sealed class DetailModel(DocumentQueries documents, CitationQueries citations, DocumentTexts texts,
    Caravan.Data.CaravanDbContext db) : PageModel
{
    public OutcomeDocument Document { get; private set; } = null!;
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    public List<DocumentText> Texts { get; private set; } = [];
    public List<(string Id, string FileName, long Size, string Sha256,
        string? Language)> Files { get; private set; } = [];
    /// <summary>
    /// The two languages shown side by side (<c>?left=zh&amp;right=ru</c>); by default the reader's and another.
    /// </summary>
    [BindProperty(SupportsGet = true)] public string? Left { get; set; }
    [BindProperty(SupportsGet = true)] public string? Right { get; set; }
    public DocumentText? LeftText => Texts.FirstOrDefault(t => t.Language == Left);
    public DocumentText? RightText => Texts.FirstOrDefault(t => t.Language == Right);
    /// <summary>Provision numbers in reading order, across both languages.</summary>
    public List<string> Numbers { get; private set; } = [];
    public ILookup<string, Caravan.Features.Commitments.Commitment> CommitmentsByProvision { get; private set; } =
        Enumerable.Empty<Caravan.Features.Commitments.Commitment>().ToLookup(c => "");

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var document = await documents.GetAsync(id, ct);
        if (document is null) return NotFound();
        Document = document;
        Sources = await citations.ForAsync(SubjectTypes.Document, document.Id, ct);
        Texts = await texts.LatestAsync(id, ct);
        Files = [.. (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Attachments.Where(a => a.DocumentId == id).OrderBy(a => a.FileName)
            .Select(a => new { a.Id, a.FileName, a.Size, a.Sha256, a.Language }), ct))
                .Select(a => (a.Id, a.FileName, a.Size, a.Sha256, a.Language))];
        var languages = Texts.Select(t => t.Language).ToList();
        if (Left is null || !languages.Contains(Left)) Left = languages.Contains(Shared.Display.Language)
            ? Shared.Display.Language
            : languages.FirstOrDefault();
        if (Right is null || !languages.Contains(Right) || Right == Left) Right = languages.FirstOrDefault(l =>
            l != Left);
        Numbers = [.. new[] { LeftText, RightText }.Where(t => t is not null)
            .SelectMany(t => t!.Provisions.OrderBy(p => p.Order).Select(p => p.Number)).Distinct()];
        CommitmentsByProvision = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Commitments.Where(c => c.DocumentId == id), ct))
            // A commitment may rest on several provisions: "3, 12.2".
            .SelectMany(c => (c.ProvisionRef ?? "")
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => (n, c)))
            .ToLookup(x => x.n, x => x.c);
        return Page();
    }
}
