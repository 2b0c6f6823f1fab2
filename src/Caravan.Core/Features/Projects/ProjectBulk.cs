using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Audit;
using Caravan.Features.Mechanism;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Projects;

/// <summary>What a row did: added, updated (with the columns that changed) or unchanged.</summary>
public sealed record SheetChange(int Row, string Identifier, string Action, IReadOnlyList<string> Changed);

/// <summary>What a bulk upload did, or in a dry run would do. With problems, nothing was stored.</summary>
public sealed class SheetReport
{
    public bool DryRun { get; init; }
    /// <summary>The recorded <see cref="ImportRun"/>; null when nothing was stored (a dry run, or problems).</summary>
    public string? RunId { get; set; }
    public int Rows { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public List<SheetProblem> Problems { get; } = [];
    public List<SheetChange> Changes { get; } = [];
    public string Sha256 { get; init; } = "";
    public long Bytes { get; init; }
    /// <summary>
    /// The problems concern the file as a whole (unreadable, broken quoting, wrong header), not what its rows say.
    /// </summary>
    public bool FileProblem => Problems.Any(p => p.Row <= 1 || p.Column == "file");
}

public sealed record SheetOptions
{
    /// <summary><c>csv</c> or <c>xlsx</c>.</summary>
    public required string Format { get; init; }
    public string FileName { get; init; } = "";
    /// <summary>Check and report, store nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>The secretariat's IATI organisation identifier (Caravan:Projects:OrganisationPrefix).</summary>
    public required string Prefix { get; init; }
    public required AuditActor Actor { get; init; }
    /// <summary>What an XLSX may hold once unpacked (Caravan:Uploads).</summary>
    public Caravan.Features.Uploads.UploadLimits Limits { get; init; } = new();
}

/// <summary>
/// Bulk upsert of projects from a sheet, and the sheet of all projects. An upload is all or nothing: every
/// row is checked (<see cref="ProjectSheet"/>) before anything is written, and the changes are saved through
/// EF in one SaveChanges — audited row by row, with the <see cref="ImportRun"/> recording the file — so a
/// single bad row, or a concurrent change to one of the projects, stores nothing.
/// </summary>
public static class ProjectBulk
{
    private const int Chunk = 500;

    public static async Task<SheetReport> RunAsync(CaravanDbContext db, byte[] file, SheetOptions options,
        CancellationToken ct = default)
    {
        var started = DateTimeOffset.UtcNow;
        var report = new SheetReport { DryRun = options.DryRun,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(file)), Bytes = file.LongLength };
        var (table, unreadable) = options.Format == "xlsx" ? SheetFiles.ReadXlsx(file, options.Limits,
            options.FileName) : SheetFiles.ReadCsv(file);
        if (unreadable is not null) return Refused(report, [unreadable]);
        var (rows, problems) = ProjectSheet.Parse(table!, options.Prefix);
        report.Rows = table!.Lines.Count(l => l.Cells.Any(c => c.Trim().Length > 0));
        if (problems.Count > 0) return Refused(report, problems);

        // The projects the file names, read without tracking: most rows of an exported sheet change nothing.
        var stored = new Dictionary<string, StoredProject>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Identifier).Chunk(Chunk))
        {
            // A running IATI import's staged rows are nobody's yet (a new one named here meets its unique index).
            var page = await db.Projects.AsNoTracking().Where(p => chunk.Contains(p.IatiIdentifier) && !p.Staged)
                .Select(p => new { p.Id, p.IatiIdentifier, p.Version, p.Activity, p.DirectionId, p.StageOverride,
                    p.DatesEstimated, p.AmountsEstimated, p.Published })
                .ToListAsync(ct);
            var ids = page.Select(p => p.Id).ToList();
            var linksOf = (
                await db.ProjectCommitments.AsNoTracking().Where(l => ids.Contains(l.ProjectId)).ToListAsync(ct))
                    .ToLookup(l => l.ProjectId, l => l.CommitmentId);
            foreach (var p in page)
                stored[p.IatiIdentifier] = new StoredProject(p.Id, p.Version, p.Activity, p.DirectionId,
                    p.StageOverride, p.DatesEstimated, p.AmountsEstimated, p.Published, [.. linksOf[p.Id]]);
        }
        var named = rows.SelectMany(r => r.Commitments?.Value ?? []).Distinct(StringComparer.Ordinal).ToList();
        var commitments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in named.Chunk(Chunk)) commitments.UnionWith(
            await db.Commitments.Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct));
        var directions = (await db.PriorityDirections.Select(d => d.Id).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        var context = new SheetContext(options.Prefix, await SecretariatAsync(db, options.Prefix, ct), directions,
            commitments, now);

        var (planned, planProblems) = ProjectSheet.Plan(rows, stored, context);
        if (planProblems.Count > 0) return Refused(report, planProblems);
        foreach (var p in planned)
        {
            var action = p.IsNew ? "added" : p.Changed.Count > 0 ? "updated" : "unchanged";
            report.Changes.Add(new SheetChange(p.Row, p.Identifier, action, p.Changed));
            if (p.IsNew) report.Added++;
            else if (p.Changed.Count > 0) report.Updated++;
            else report.Unchanged++;
        }
        if (options.DryRun) return report;

        if (!await ApplyAsync(db, planned, options.Actor.Actor, now, ct)) return Conflict(db, report);
        var run = new ImportRun
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Kind = "projects-" + options.Format,
            FileName = options.FileName.Length > 255 ? options.FileName[..255] : options.FileName,
            Sha256 = report.Sha256,
            Bytes = report.Bytes,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            By = options.Actor.Actor,
            Added = report.Added,
            Updated = report.Updated,
            Unchanged = report.Unchanged,
            Report = JsonSerializer.Serialize(
                new { changes = report.Changes.Where(c => c.Action != "unchanged").Take(IatiImport.ReportLimit),
                    problems = Array.Empty<object>() }, JsonSerializerOptions.Web),
        };
        db.ImportRuns.Add(run);
        db.Actor = options.Actor;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another import or edit changed one of these projects (or took a new one's id) since they were read.
            return Conflict(db, report);
        }
        db.ChangeTracker.Clear();
        report.RunId = run.Id;
        return report;
    }

    private static SheetReport Conflict(CaravanDbContext db, SheetReport report)
    {
        db.ChangeTracker.Clear();
        report.Added = report.Updated = report.Unchanged = 0;
        report.Changes.Clear();
        return Refused(report, [new SheetProblem(0, "file", SheetMessages.Conflict)]);
    }

    private static SheetReport Refused(SheetReport report, IEnumerable<SheetProblem> problems)
    {
        report.Problems.AddRange(problems.OrderBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal));
        return report;
    }

    /// <summary>
    /// New projects and their projections added; changed ones read again (tracked) and updated in place, their
    /// countries and links brought in line. False when one of them changed since it was planned on.
    /// </summary>
    private static async Task<bool> ApplyAsync(CaravanDbContext db, List<PlannedProject> planned, string by,
        DateTimeOffset now, CancellationToken ct)
    {
        var changing = planned.Where(p => p.IsNew || p.Changed.Count > 0).ToList();
        var projects = new Dictionary<long, Project>();
        var countries = new List<ProjectCountry>();
        var links = new List<ProjectCommitment>();
        foreach (var chunk in changing.Where(p => !p.IsNew).Select(p => p.Stored!.Id).Chunk(Chunk))
        {
            foreach (var p in await db.Projects.Where(p => chunk.Contains(p.Id)).ToListAsync(ct)) projects[p.Id] = p;
            countries.AddRange(await db.ProjectCountries.Where(c => chunk.Contains(c.ProjectId)).ToListAsync(ct));
            links.AddRange(await db.ProjectCommitments.Where(l => chunk.Contains(l.ProjectId)).ToListAsync(ct));
        }
        // The rows were checked against these versions and records; they must still be the stored ones (an IATI
        // re-import writes around EF and does not bump the version, so the record's hash is compared too).
        // From here EF's concurrency token guards the version.
        if (changing.Any(p => !p.IsNew
            && (!projects.TryGetValue(p.Stored!.Id, out var current) || current.Version != p.Stored.Version
            || current.ContentHash != ProjectRules.Hash(p.Stored.Activity)))) return false;
        var countriesOf = countries.ToLookup(c => c.ProjectId);
        var linksOf = links.ToLookup(l => l.ProjectId);
        var nextId = await new ProjectStore(db).NextIdAsync(ct);

        foreach (var p in changing)
        {
            var id = p.Stored?.Id ?? nextId++;
            var (rows, _, shares) = ProjectRules.ToRows(p.Activity, id, p.Activity.ToJson(), now, by);
            // The record the sheet makes is checked by the same rules as an imported one, and keeps its findings.
            var findings = ProjectFindings.Of(p.Activity);
            rows.Findings = ProjectFindings.ToJson(findings, 0);
            rows.FindingCount = findings.Count;
            Project project;
            if (p.IsNew)
            {
                project = rows;
                db.Projects.Add(project);
                db.ProjectCountries.AddRange(shares);
            }
            else
            {
                project = projects[id];
                if (p.ActivityChanged)
                {
                    // The projections follow the record, exactly as an IATI import would have written them.
                    project.ReportingOrgRef = rows.ReportingOrgRef;
                    project.Titles = rows.Titles;
                    project.Status = rows.Status;
                    project.Stage = rows.Stage;
                    project.PlannedStart = rows.PlannedStart;
                    project.ActualStart = rows.ActualStart;
                    project.PlannedEnd = rows.PlannedEnd;
                    project.ActualEnd = rows.ActualEnd;
                    project.Activity = rows.Activity;
                    project.ContentHash = rows.ContentHash;
                    project.Findings = rows.Findings;
                    project.FindingCount = rows.FindingCount;
                }
                if (p.CountriesChanged) SyncCountries(db, [.. countriesOf[id]], shares);
            }
            project.DirectionId = p.DirectionId;
            project.StageOverride = p.StageOverride;
            project.DatesEstimated = p.DatesEstimated;
            project.AmountsEstimated = p.AmountsEstimated;
            project.Published = p.Published;
            project.UpdatedAt = now;
            project.UpdatedBy = by;
            if (p.CommitmentsChanged)
            {
                var current = linksOf[id].ToList();
                db.ProjectCommitments.RemoveRange(current.Where(l => !p.Commitments.Contains(l.CommitmentId)));
                db.ProjectCommitments.AddRange(p.Commitments.Where(c => current.All(l => l.CommitmentId != c))
                    .Select(c => new ProjectCommitment { ProjectId = id, CommitmentId = c }));
            }
        }
        return true;
    }

    /// <summary>
    /// Updates shares in place, removes countries no longer named and adds new ones (a row's key is its country).
    /// </summary>
    private static void SyncCountries(CaravanDbContext db, List<ProjectCountry> current, List<ProjectCountry> next)
    {
        foreach (var old in current)
        {
            if (next.FirstOrDefault(
                n => n.CountryCode == old.CountryCode) is { } kept) old.Percentage = kept.Percentage;
            else db.ProjectCountries.Remove(old);
        }
        db.ProjectCountries.AddRange(next.Where(n => current.All(c => c.CountryCode != n.CountryCode)));
    }

    /// <summary>
    /// The secretariat as an IATI organisation: its identifier is the prefix, its names those of the
    /// mechanism's secretariat body in every language the seed gives; type 40 (multilateral).
    /// </summary>
    public static async Task<IatiOrg> SecretariatAsync(CaravanDbContext db, string prefix, CancellationToken ct)
    {
        var body = await db.Bodies.AsNoTracking().Where(b => b.Kind == BodyKind.Secretariat).OrderBy(b => b.Id)
            .FirstOrDefaultAsync(ct);
        var names = body is null
            ? []
            : ProjectSheet.Languages.Where(l => !string.IsNullOrWhiteSpace(body.Name[l]))
                .Select(l => new IatiNarrative(l, body.Name[l]!)).ToList();
        return new IatiOrg(prefix, "40", null,
            names.Count > 0 ? names : [new IatiNarrative(ProjectSheet.Languages[0], prefix)]);
    }

    /// <summary>
    /// Every project's row (published ones only, unless <paramref name="includeDrafts"/>), read a page at a
    /// time by id, so that the sheet of 100,000 projects is written without holding them.
    /// </summary>
    public static async IAsyncEnumerable<string[]> ExportAsync(CaravanDbContext db, bool includeDrafts, string prefix,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        long last = 0;
        while (true)
        {
            // Drafts, never a running import's staged rows.
            var query = db.Projects.AsNoTracking().Where(p => p.Id > last && !p.Staged);
            if (!includeDrafts) query = query.Where(p => p.Published);
            var page = await query.OrderBy(p => p.Id).Take(Chunk)
                .Select(p => new { p.Id, p.IatiIdentifier, p.Version, p.Activity, p.DirectionId, p.StageOverride,
                    p.DatesEstimated, p.AmountsEstimated, p.Published, p.UpdatedAt })
                .ToListAsync(ct);
            if (page.Count == 0) yield break;
            var ids = page.Select(p => p.Id).ToList();
            var links = (
                await db.ProjectCommitments.AsNoTracking().Where(l => ids.Contains(l.ProjectId)).ToListAsync(ct))
                    .ToLookup(l => l.ProjectId, l => l.CommitmentId);
            foreach (var p in page)
                yield return ProjectSheet.ToCells(
                    new ProjectSheet.Exported(p.IatiIdentifier, p.Version, IatiActivity.FromJson(p.Activity),
                        p.DirectionId, p.StageOverride,
                    p.DatesEstimated, p.AmountsEstimated, p.Published, p.UpdatedAt, [.. links[p.Id]]), prefix);
            last = page[^1].Id;
        }
    }
}
