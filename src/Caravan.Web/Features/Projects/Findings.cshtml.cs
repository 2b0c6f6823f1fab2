using Caravan.Features.Projects;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// The rule findings of the published projects per publisher (reporting organisation), as the IATI Dashboard shows a
/// publisher's data quality: each rule, how often, in how many projects, and examples linked to their projects.
/// </summary>
// Cached until projects change.
[Caravan.Web.Infrastructure.DependsOn(typeof(Project))]
public sealed class FindingsModel(ProjectQueries projects) : PageModel
{
    public string? Publisher { get; private set; }
    public IReadOnlyList<PublisherFindings> Publishers { get; private set; } = [];

    public async Task OnGetAsync(string? publisher, CancellationToken ct)
    {
        Publisher = publisher is { Length: > 0 } ? publisher : null;
        // No reference is that long: such a publisher has no projects, said as for any other (not every publisher's).
        Publishers = Publisher is { Length: > 200 } ? [] : await projects.FindingsByPublisherAsync(Publisher, ct);
    }
}
