using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Features.Dashboards;
using Caravan.Features.Sources;
using Caravan.Web.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Dashboards;

/// <summary>
/// /dashboard: a tile per priority direction, the key indicators with their sources, and the states on a map.
/// </summary>
public sealed class OverviewModel(DashboardQueries dashboards, CitationQueries citations, CaravanDbContext db,
    TimeProvider clock) : PageModel
{
    /// <summary>
    /// Xi Jinping's image, as the Xinhua feature of 19 June 2025 quotes it (its paragraph on the two years since
    /// Xi'an).
    /// </summary>
    public const string PomegranateQuote = "我们一起栽下的6棵石榴树，已经花满枝头，象征着六国合作欣欣向荣。";
    public const string PomegranateSourceId = "xinhua-feature-2025-06-19";

    public DashboardOverview Overview { get; private set; } = null!;
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> Sources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public IReadOnlyList<CitedSource> QuoteSources { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Overview = await dashboards.OverviewAsync(TreatiesApi.Today(clock), ct);
        Sources = await citations.ForAsync(SubjectTypes.IndicatorValue,
            Overview.KeyIndicators.SelectMany(a => a.ValueIds).Concat(Overview.States.Select(s => s.TradeWithChina?.Id)
                .OfType<string>()).Distinct(), ct);
        // The quote is verbatim in that article (seed's sources): cited as such, never as a source's own figure.
        QuoteSources = [.. (await db.Sources.AsNoTracking().Where(s => s.Id == PomegranateSourceId).ToListAsync(ct))
            .Select(s => new CitedSource(s.Id, s.Url, s.Title, s.Language, Caravan.Features.Sources.Confidence.High))];
    }

    /// <summary>
    /// The commitments' statuses, in the order a reader follows progress: not assessed first, complied last.
    /// </summary>
    public static readonly CommitmentStatus[] Statuses = [CommitmentStatus.NotAssessed, CommitmentStatus.NotComplied,
        CommitmentStatus.Partly, CommitmentStatus.Complied, CommitmentStatus.Cancelled];
}
