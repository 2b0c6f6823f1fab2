using Caravan.Features.Audit;
using Caravan.Shared;

namespace Caravan.Features.Projects;

/// <summary>
/// Where a project stands, in AidData's words: a pledge is announced, a commitment is signed (money is
/// committed), then implementation and completion; or it is suspended or cancelled. IATI's activity status
/// does not tell a pledge from a commitment; a commitment transaction does.
/// </summary>
public enum ProjectStage { Pledge, Commitment, Implementation, Completion, Suspended, Cancelled }

/// <summary>
/// A project delivering the mechanism's outcomes (a railway, a Luban workshop, a grant), kept as its IATI
/// activity. The activity record is stored whole (<see cref="Activity"/>, JSON); the columns beside it are
/// what lists, filters and totals query. Transactions and recipient countries are also projected into
/// their own tables for the totals (<see cref="ProjectTransaction"/>, <see cref="ProjectCountry"/>).
/// </summary>
public sealed class Project : IVersioned
{
    public long Id { get; set; }
    public required string IatiIdentifier { get; set; }
    public string? ReportingOrgRef { get; set; }
    /// <summary>
    /// The title's narratives (JSON), for lists in the reader's language without reading the whole record.
    /// </summary>
    public required string Titles { get; set; }
    /// <summary>
    /// The identifier and every title narrative, lower-cased in .NET (<see cref="ProjectRules.SearchTextOf"/>): what
    /// the list's text search matches, alike on both providers (SQLite's lower() folds ASCII only, and the titles' JSON
    /// escapes non-ASCII letters).
    /// </summary>
    public string SearchText { get; set; } = "";
    public string? Status { get; set; }
    /// <summary>
    /// Derived from the activity at import (<see cref="ProjectRules.StageOf"/>) unless <see cref="StageOverride"/> is
    /// set.
    /// </summary>
    public ProjectStage Stage { get; set; }
    public ProjectStage? StageOverride { get; set; }
    public DateOnly? PlannedStart { get; set; }
    public DateOnly? ActualStart { get; set; }
    public DateOnly? PlannedEnd { get; set; }
    public DateOnly? ActualEnd { get; set; }
    /// <summary>
    /// AidData's flags: the dates, or the amounts, are the recorder's estimate, not a source's statement.
    /// </summary>
    public bool DatesEstimated { get; set; }
    public bool AmountsEstimated { get; set; }
    public string? DefaultCurrency { get; set; }
    /// <summary>
    /// The priority direction of the Astana summit (2025–2026) the project serves, set by the secretariat.
    /// </summary>
    public string? DirectionId { get; set; }
    /// <summary>
    /// The activity's parent (related-activity type 1), and whether it is an umbrella of stored children.
    /// </summary>
    public string? ParentIdentifier { get; set; }
    /// <summary>
    /// An umbrella's money is its children's: it is never counted in totals when its children are stored.
    /// </summary>
    public bool IsUmbrella { get; set; }
    public bool Published { get; set; }
    public int TransactionCount { get; set; }
    /// <summary>The IATI activity (JSON, <see cref="IatiActivity.ToJson"/>); the audit trail keeps its hash.</summary>
    [RedactedInAudit]
    public required string Activity { get; set; }
    /// <summary>SHA-256 of <see cref="Activity"/>: a re-import of the same activity changes nothing.</summary>
    public required string ContentHash { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public int Version { get; set; }
    /// <summary>
    /// Written by an IATI import that has not completed: no read shows it (it is also unpublished, which every
    /// public read requires). The run's completion clears it for every row of the run in one transaction; a failed
    /// or killed run's staged rows are deleted (<see cref="ImportRunLog"/>).
    /// </summary>
    public bool Staged { get; set; }
    /// <summary>
    /// A staged new version of a stored project: that project's id (0 for every other row). On completion its
    /// columns and projections move onto that project, which stays as it was until then.
    /// </summary>
    public long Replaces { get; set; }
    /// <summary>
    /// The activity's rule findings (warnings: codes not in the codelists, percentages, date order…) as its import
    /// found them (JSON, <see cref="ProjectFindings"/>); null when none. Schema errors keep an activity out instead.
    /// Replaced with the activity by every import.
    /// </summary>
    [RedactedInAudit]
    public string? Findings { get; set; }
    /// <summary>How many findings <see cref="Findings"/> holds: totals may leave out projects with findings.</summary>
    public int FindingCount { get; set; }
}

/// <summary>One transaction of a project, in its original currency, as the totals query it.</summary>
public sealed class ProjectTransaction
{
    public long ProjectId { get; set; }
    public int Seq { get; set; }
    /// <summary>
    /// IATI TransactionType: 1 incoming funds, 2 outgoing commitment, 3 disbursement, 4 expenditure, …
    /// </summary>
    public required string Type { get; set; }
    public DateOnly Date { get; set; }
    public int Year { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public DateOnly ValueDate { get; set; }
}

/// <summary>
/// A recipient country of a project with its share (100 when the activity names one country without a percentage).
/// </summary>
public sealed class ProjectCountry
{
    public long ProjectId { get; set; }
    public required string CountryCode { get; set; }
    public decimal Percentage { get; set; }
}

/// <summary>
/// A commitment a project delivers. Either side may exist first; the link is made by the secretariat.
/// </summary>
public sealed class ProjectCommitment
{
    public long ProjectId { get; set; }
    public required string CommitmentId { get; set; }
}

/// <summary>Where an import run stands.</summary>
public static class ImportRunStatus
{
    /// <summary>Recorded when an IATI import starts; what it stores is staged, seen by no read.</summary>
    public const string Running = "running";
    public const string Completed = "completed";
    /// <summary>Stopped by a broken file, an error, or a killed process: nothing of it is visible (unless kept).</summary>
    public const string Failed = "failed";
}

/// <summary>One import of a file (IATI, CSV, XLSX or rates): what it did, kept and audited.</summary>
public sealed class ImportRun
{
    public required string Id { get; set; }
    /// <summary>iati, projects-csv, projects-xlsx, rates.</summary>
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public long Bytes { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public required string By { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Skipped { get; set; }
    public bool AcceptedWarnings { get; set; }
    /// <summary>Why the run failed or the file stopped before its end (a message key and detail), when it did.</summary>
    public string? Stopped { get; set; }
    /// <summary><see cref="ImportRunStatus"/>: running, completed or failed.</summary>
    public string Status { get; set; } = ImportRunStatus.Completed;
    /// <summary>
    /// The process running it (host/pid/start ticks): a run left "running" by a process that is gone is failed by
    /// the next import or start-up.
    /// </summary>
    public string? Owner { get; set; }
    /// <summary>Raised with every batch stored: a run from another host silent for long is taken as abandoned.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>The batches were made visible as they were stored (<c>--keep-partial</c>), not all at the end.</summary>
    public bool KeptPartial { get; set; }
    /// <summary>
    /// The report (JSON): problems per activity and what changed in updated ones; the first 2,000 lines.
    /// </summary>
    public required string Report { get; set; }
}
