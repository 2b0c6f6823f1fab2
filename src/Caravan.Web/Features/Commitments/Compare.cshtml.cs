using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Features.Treaties;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Commitments;

/// <summary>
/// Two snapshots side by side (or a snapshot and the current period): what improved, worsened or changed.
/// </summary>
public sealed class CompareModel(CaravanDbContext db, Snapshots snapshots, CommitmentQueries commitments,
    Caravan.Features.Sources.CitationQueries citations, TimeProvider clock, IStringLocalizer<SharedResource> l)
    : PageModel
{
    [FromQuery] public string? From { get; set; }
    [FromQuery] public string? To { get; set; }
    public List<(string Id, string Label)> Choices { get; } = [];
    public List<SnapshotDifference>? Differences { get; private set; }
    public Dictionary<string, LocalizedText> Titles { get; private set; } = [];
    /// <summary>
    /// Per snapshot shown (not the live period): what it holds that the dataset later retracted, and why.
    /// </summary>
    public List<(string Label, List<Caravan.Features.Seed.RetractedInSnapshot> Items)> Retracted { get; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<Caravan.Features.Sources.CitedSource>> RetractionSources
    { get; private set; } = new Dictionary<string, IReadOnlyList<Caravan.Features.Sources.CitedSource>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var periods = await commitments.PeriodsAsync(ct);
        var all = await db.Snapshots.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        foreach (var s in all) Choices.Add((s.Id,
            Display.Plain(periods.FirstOrDefault(p => p.Id == s.PeriodId)?.Name) is { Length: > 0 } name
            ? name : s.Id));
        Choices.Add((SnapshotsApi.Current, l["compare.current"]));
        From ??= all.FirstOrDefault()?.Id;
        To ??= SnapshotsApi.Current;
        var before = await ItemsAsync(From, all, periods, ct);
        var after = await ItemsAsync(To, all, periods, ct);
        if (before is null || after is null) return;
        Differences = SnapshotComparison.Compare(before, after);
        Titles = await db.Commitments.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Text, ct);
        var retractions = await db.SeedRetractions.AsNoTracking().ToListAsync(ct);
        foreach (var s in all.Where(s => s.Id == From || s.Id == To))
            if (Caravan.Features.Seed.SeedRetractions.In(s, retractions) is { Count: > 0 } found)
                Retracted.Add((Choices.First(c => c.Id == s.Id).Label, found));
        RetractionSources = await citations.ForAsync(Caravan.Features.Sources.SubjectTypes.Retraction,
            Retracted.SelectMany(r => r.Items).Select(i => i.Retraction.Id).Distinct(), ct);
    }

    private async Task<List<SnapshotItem>?> ItemsAsync(string? id, List<Snapshot> all, List<ReportingPeriod> periods,
        CancellationToken ct)
    {
        if (id == SnapshotsApi.Current)
            return CommitmentQueries.Current(periods, TreatiesApi.Today(clock)) is { } p
                ? await snapshots.ItemsOfAsync(p.Id, ct)
                : [];
        return all.FirstOrDefault(s => s.Id == id)?.Items;
    }
}
