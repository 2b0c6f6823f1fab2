using Microsoft.EntityFrameworkCore;
namespace Caravan.Features.Sources;

/// <summary>A page or document a fact comes from.</summary>
public sealed class Source : Shared.IContentAddressed
{
    public required string Id { get; set; }
    public string? Url { get; set; }
    public required string Title { get; set; }
    /// <summary>ISO 639-1 code of the page's language.</summary>
    public required string Language { get; set; }
    /// <summary>The date the page or document bears, to the precision it gives; null when not recorded.</summary>
    public Shared.PartialDate? PublishedOn { get; set; }

    /// <summary>A proposed web source's id is a hash of its address, title, date and language (<c>p-…</c>).</summary>
    public Task<bool> IsStoredAsync(Data.CaravanDbContext db, CancellationToken ct)
        => db.Sources.AnyAsync(s => s.Id == Id, ct);
}

public enum Confidence
{
    /// <summary>An official text, or several reports that agree.</summary>
    High,
    /// <summary>One secondary or aggregator report.</summary>
    Medium,
    /// <summary>A weak or conflicting source.</summary>
    Low,
}

/// <summary>
/// "This fact comes from that source, with this confidence." One table for every kind of record, so that
/// any page can show the sources of what it shows with one query.
/// </summary>
public sealed class Citation : Audit.IAuditedWith
{
    public int Id { get; set; }
    /// <summary>The kind of record cited for, e.g. <c>document</c>; see <see cref="SubjectTypes"/>.</summary>
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    public required string SourceId { get; set; }
    public Source? Source { get; set; }
    public Confidence Confidence { get; set; }

    /// <summary>
    /// A citation's changes are part of its record's history: the earlier figure keeps its sources there.
    /// </summary>
    public string AuditSubjectId => $"{SubjectType}/{SubjectId}";
}

public static class SubjectTypes
{
    public const string MemberState = "member-state";
    public const string Body = "body";
    public const string Meeting = "meeting";
    public const string Document = "document";
    public const string Direction = "direction";
    public const string Measure = "measure";
    public const string IndicatorValue = "indicator-value";
    public const string ReportedFigure = "reported-figure";
    public const string RatificationStep = "ratification-step";
    public const string Commitment = "commitment";
    public const string Assessment = "assessment";
    public const string Milestone = "milestone";
    public const string Programme = "programme";
    public const string Partnership = "partnership";
    public const string ProgrammeEntry = "programme-entry";
    public const string Retraction = "retraction";
}
