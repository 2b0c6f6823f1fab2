using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Commitments;

public enum TimelineItemKind
{
    /// <summary>A milestone, placed at the day it was achieved, else the day it is due.</summary>
    Milestone,
    /// <summary>The parties' scores in one reporting period.</summary>
    Scores,
    /// <summary>A published change of the commitment or of one of its milestones, from the audit trail.</summary>
    Change,
}

/// <summary>One party's score in a period, with the sources it rests on.</summary>
public sealed record TimelineScore(ComplianceAssessment Assessment, IReadOnlyList<CitedSource> Sources);

/// <summary>
/// A published change as the public may see it: which record (the commitment, or a milestone and its title), what
/// happened (<c>create</c>, <c>update</c>, <c>delete</c>, or <c>sources</c> when only its sources changed), the
/// writer's role and when. Who wrote it and why stay in the secretariat's audit log.
/// </summary>
public sealed record TimelineChange(string SubjectType, string SubjectId, LocalizedText? MilestoneTitle, string Action,
    string Role, DateTimeOffset At);

/// <summary>
/// One line of a commitment's timeline: its day (for ordering, newest first), and a milestone, a period's scores or a
/// change, with the sources that stood behind it.
/// </summary>
public sealed record TimelineItem(TimelineItemKind Kind, DateOnly Day, PartialDate? Date, DateTimeOffset? At,
    MilestoneView? Milestone, ReportingPeriod? Period, IReadOnlyList<TimelineScore> Scores, TimelineChange? Change,
    IReadOnlyList<CitedSource> Sources);

/// <summary>
/// A commitment's timeline: its milestones, its scores per reporting period and every published change of it and
/// its milestones, newest first (a future due date first, then back in time). A change carries the sources its record
/// stood on once the change was made, replayed from the citations' own audit entries (a citation's entries are filed
/// under the record it cites for).
/// </summary>
public static class CommitmentTimeline
{
    public static async Task<List<TimelineItem>?> BuildAsync(CaravanDbContext db, string commitmentId, DateOnly today,
        CancellationToken ct = default)
    {
        if (!await db.Commitments.AnyAsync(c => c.Id == commitmentId, ct)) return null;
        var citations = new CitationQueries(db);
        var items = new List<TimelineItem>();

        var milestones = await MilestoneQueries.OfCommitmentAsync(db, commitmentId, today, ct);
        var milestoneSources = await citations.ForAsync(SubjectTypes.Milestone,
            milestones.Select(m => m.Milestone.Id), ct);
        foreach (var m in milestones)
        {
            var date = MilestoneRules.DateOf(m.Milestone);
            items.Add(new TimelineItem(TimelineItemKind.Milestone, date?.Latest ?? today, date, null, m, null, [], null,
                milestoneSources.GetValueOrDefault(m.Milestone.Id) ?? []));
        }

        var periods = await db.ReportingPeriods.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var scores = await db.Assessments.AsNoTracking().Where(a => a.CommitmentId == commitmentId).ToListAsync(ct);
        var scoreSources = await citations.ForAsync(SubjectTypes.Assessment, scores.Select(a => a.Id), ct);
        foreach (var group in scores.GroupBy(a => a.PeriodId))
        {
            var period = periods[group.Key];
            // A period's scores are placed at the last day they were assessed on, else at the period's end.
            var assessed = group.Where(a => a.AssessedOn is not null).Select(a => a.AssessedOn!.Value)
                .OrderBy(d => d.Latest).LastOrDefault();
            var date = group.Any(a => a.AssessedOn is not null) ? assessed : period.To ?? period.DueOn ?? period.From;
            items.Add(new TimelineItem(TimelineItemKind.Scores, date.Latest, date, null, null, period,
                [.. group.OrderBy(a => a.StateId, StringComparer.Ordinal)
                    .Select(a => new TimelineScore(a, scoreSources.GetValueOrDefault(a.Id) ?? []))], null, []));
        }

        var titles = milestones.ToDictionary(m => m.Milestone.Id, m => m.Milestone.Title);
        items.AddRange(await ChangesAsync(db, commitmentId, titles, ct));

        return
        [
            .. items.OrderByDescending(i => i.Day).ThenBy(i => i.Kind).ThenByDescending(i => i.At)
                .ThenBy(i => i.Milestone?.Milestone.Id ?? i.Period?.Id ?? i.Change?.SubjectId, StringComparer.Ordinal),
        ];
    }

    private static async Task<List<TimelineItem>> ChangesAsync(CaravanDbContext db, string commitmentId,
        IReadOnlyDictionary<string, LocalizedText> milestoneTitles, CancellationToken ct)
    {
        const string milestoneType = "milestone", commitmentType = "commitment";
        var ids = milestoneTitles.Keys.ToList();
        // Exact keys only, so that the (subject type, subject id) index answers: a milestone deleted since (a retracted
        // seed row) leaves the timeline with its record; its history stays in the audit log.
        var cited = ids.Select(id => $"{SubjectTypes.Milestone}/{id}").Append($"{SubjectTypes.Commitment}/{commitmentId}")
            .ToList();
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => (e.SubjectType == commitmentType && e.SubjectId == commitmentId)
                || (e.SubjectType == milestoneType && ids.Contains(e.SubjectId))
                || (e.SubjectType == "citation" && cited.Contains(e.SubjectId)))
            .Where(e => e.Action != "refused")
            .OrderBy(e => e.Id).ToListAsync(ct);

        var standing = new Dictionary<string, Dictionary<string, Confidence>>(StringComparer.Ordinal);
        var changes = new List<(string Type, string Id, string Action, string Role, DateTimeOffset At,
            List<(string Id, Confidence Confidence)> Sources)>();
        foreach (var group in Consecutive(entries))
        {
            var touched = new List<(string Type, string Id, string Action, string Role)>();
            foreach (var e in group)
            {
                if (e.SubjectType == "citation")
                {
                    var slash = e.SubjectId.IndexOf('/');
                    if (slash < 0) continue;
                    var (type, id) = (e.SubjectId[..slash], e.SubjectId[(slash + 1)..]);
                    if (!standing.TryGetValue(e.SubjectId, out var set))
                        standing[e.SubjectId] = set = new(StringComparer.Ordinal);
                    if (e.Action == "delete") { if (SourceOf(e.Before) is { } gone) set.Remove(gone.Id); }
                    else if (SourceOf(e.After) is { } added)
                        set[added.Id] = added.Confidence ?? set.GetValueOrDefault(added.Id);
                    if (!touched.Any(t => t.Type == type && t.Id == id)) touched.Add((type, id, "sources", e.Role));
                }
                else
                {
                    touched.RemoveAll(t => t.Type == e.SubjectType && t.Id == e.SubjectId && t.Action == "sources");
                    touched.Add((e.SubjectType, e.SubjectId, e.Action, e.Role));
                }
            }
            // Each change keeps the sources its record stood on right after it.
            foreach (var t in touched)
                changes.Add((t.Type, t.Id, t.Action, t.Role, group[0].At,
                    [.. (standing.GetValueOrDefault($"{t.Type}/{t.Id}") ?? []).Select(kv => (kv.Key, kv.Value))]));
        }

        var sourceIds = changes.SelectMany(c => c.Sources.Select(x => x.Id)).Distinct().ToList();
        var sources = await db.Sources.AsNoTracking().Where(s => sourceIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, ct);
        return
        [
            .. changes.Select(c => new TimelineItem(TimelineItemKind.Change, DateOnly.FromDateTime(c.At.UtcDateTime),
                null, c.At, null, null, [],
                new TimelineChange(c.Type, c.Id, milestoneTitles.GetValueOrDefault(c.Id), c.Action, c.Role, c.At),
                [.. c.Sources.Where(x => sources.ContainsKey(x.Id))
                    .OrderBy(x => x.Confidence).ThenBy(x => x.Id, StringComparer.Ordinal)
                    .Select(x => sources[x.Id] is var s
                        ? new CitedSource(s.Id, s.Url, s.Title, s.Language, x.Confidence, s.PublishedOn?.ToIso())
                        : null)
                    .OfType<CitedSource>()])),
        ];
    }

    /// <summary>The entries of one save share their time: a record's change and its citations' changes.</summary>
    private static IEnumerable<List<AuditEntry>> Consecutive(List<AuditEntry> entries)
    {
        var group = new List<AuditEntry>();
        foreach (var e in entries)
        {
            if (group.Count > 0 && group[0].At != e.At)
            {
                yield return group;
                group = [];
            }
            group.Add(e);
        }
        if (group.Count > 0) yield return group;
    }

    /// <summary>The source a citation's audited row names, and its confidence when the row says it.</summary>
    private static (string Id, Confidence? Confidence)? SourceOf(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty(nameof(Citation.SourceId), out var id) || id.GetString() is not { } sourceId)
            return null;
        Confidence? confidence = null;
        if (root.TryGetProperty(nameof(Citation.Confidence), out var c))
        {
            if (c.ValueKind == JsonValueKind.Number) confidence = (Confidence)c.GetInt32();
            else if (c.ValueKind == JsonValueKind.String && SeedEnums.TryParse<Confidence>(c.GetString(), out var v))
                confidence = v;
        }
        return (sourceId, confidence);
    }
}
