using Caravan.Features.Commitments;
using Caravan.Features.Sources;
using Caravan.Web.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Commitments;

/// <summary>
/// A commitment: what it binds whom to, its rubric, and every party's score per period with its evidence.
/// </summary>
public sealed class DetailModel(CommitmentQueries commitments, CitationQueries citations, TimeProvider clock)
    : PageModel
{
    public CommitmentView? View { get; private set; }
    public List<ReportingPeriod> Periods { get; private set; } = [];
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> AssessmentSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public List<(string Identifier, Caravan.Features.Projects.ProjectStage Stage,
        string Titles)> Projects { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        View = await commitments.GetAsync(id, TreatiesApi.Today(clock), ct);
        if (View is null) return NotFound();
        Periods = await commitments.PeriodsAsync(ct);
        Sources = await citations.ForAsync(SubjectTypes.Commitment, id, ct);
        AssessmentSources = await citations.ForAsync(SubjectTypes.Assessment, View.Assessments.Select(a => a.Id), ct);
        Projects = await commitments.DeliveringProjectsAsync(id, ct);
        return Page();
    }
}
