using System.Text.RegularExpressions;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Sources;
using Caravan.Web.Features.Treaties;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Commitments;

/// <summary>
/// A commitment: what it binds whom to, its rubric, every party's score per period with its evidence, its milestones
/// and its timeline.
/// </summary>
public sealed partial class DetailModel(CommitmentQueries commitments, CitationQueries citations, CaravanDbContext db,
    TimeProvider clock) : PageModel
{
    public CommitmentView? View { get; private set; }
    public List<ReportingPeriod> Periods { get; private set; } = [];
    public IReadOnlyList<CitedSource> Sources { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> AssessmentSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public List<(string Identifier, Caravan.Features.Projects.ProjectStage Stage,
        string Titles)> Projects { get; private set; } = [];
    public List<MilestoneView> Milestones { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> MilestoneSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public List<TimelineItem> Timeline { get; private set; } = [];
    /// <summary>The parties (null: all parties) the reader may propose a milestone about.</summary>
    public List<string?> MilestoneScopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var today = TreatiesApi.Today(clock);
        View = await commitments.GetAsync(id, today, ct);
        if (View is null) return NotFound();
        Periods = await commitments.PeriodsAsync(ct);
        Sources = await citations.ForAsync(SubjectTypes.Commitment, id, ct);
        AssessmentSources = await citations.ForAsync(SubjectTypes.Assessment, View.Assessments.Select(a => a.Id), ct);
        Projects = await commitments.DeliveringProjectsAsync(id, ct);
        Milestones = await MilestoneQueries.OfCommitmentAsync(db, id, today, ct);
        MilestoneSources = await citations.ForAsync(SubjectTypes.Milestone, Milestones.Select(m => m.Milestone.Id), ct);
        Timeline = await CommitmentTimeline.BuildAsync(db, id, today, ct) ?? [];
        var me = HttpContext.GetCaller();
        MilestoneScopes = [.. new string?[] { null }.Concat(View.Commitment.Parties)
            .Where(s => Access.WriteRightOn(me, MilestoneRules.ScopeOf(View.Commitment, s)) != WriteRight.None)];
        return Page();
    }

    /// <summary>
    /// "Propose a milestone": the id is made of the commitment, the party (or <c>all</c>) and a short name, which the
    /// record form then takes (and checks, with the reader's rights).
    /// </summary>
    public IActionResult OnGetNewMilestone(string id, string? state, string? name)
    {
        var suffix = NotSlug().Replace((name ?? "").Trim().ToLowerInvariant(), "-").Trim('-');
        if (suffix.Length == 0) suffix = "m-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        if (suffix.Length > 60) suffix = suffix[..60].Trim('-');
        var key = Milestone.KeyOf(id, string.IsNullOrEmpty(state) || state == Milestone.AllParties ? null : state, suffix);
        return Redirect($"/work/milestones/new?id={Uri.EscapeDataString(key)}");
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
