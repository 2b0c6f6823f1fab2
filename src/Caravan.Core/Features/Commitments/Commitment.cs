using Caravan.Shared;

namespace Caravan.Features.Commitments;

/// <summary>
/// One discrete undertaking from a summit's outcomes: who is bound, who leads, what counts as done, by
/// when, and how the parties' scores combine. Assessed per party and reporting period.
/// </summary>
public sealed class Commitment : IVersioned
{
    public required string Id { get; set; }
    /// <summary>
    /// The undertaking, as the source words it or, when <see cref="TextIsSummary"/>, as Caravan summarises it.
    /// </summary>
    public required LocalizedText Text { get; set; }
    public List<string> Translated { get; set; } = [];
    /// <summary>The text is Caravan's summary of what was agreed, not the agreed wording (shown as such).</summary>
    public bool TextIsSummary { get; set; }
    /// <summary>
    /// The outcome document it comes from; null for an undertaking announced at a meeting whose document is not found.
    /// </summary>
    public string? DocumentId { get; set; }
    /// <summary>
    /// The provision numbers it rests on, as the document's texts number them ("2.1", or "3, 12.2" for several).
    /// </summary>
    public string? ProvisionRef { get; set; }
    public string? MeetingId { get; set; }
    /// <summary>The pledged measure it tracks, if any (a grant, training places).</summary>
    public string? MeasureId { get; set; }
    /// <summary>The member states bound: all six, a subset, a pair or one.</summary>
    public List<string> Parties { get; set; } = [];
    public List<string> LeadBodies { get; set; } = [];
    public List<string> SupportingBodies { get; set; } = [];
    public string? DirectionId { get; set; }
    public CommitmentKind Kind { get; set; }
    public LocalizedText? Target { get; set; }
    public string? IndicatorId { get; set; }
    public PartialDate? Deadline { get; set; }
    /// <summary>
    /// A treaty whose entry into force switches the commitment on; null: active from its first period.
    /// </summary>
    public string? ActiveOnceInForceId { get; set; }
    /// <summary>The reporting period the commitment is first assessed in.</summary>
    public required string FirstPeriodId { get; set; }
    /// <summary>Lineage: an item repeated from an earlier summit keeps one history and is counted once.</summary>
    public string? CarriedOverFromId { get; set; }
    public string? SupersededById { get; set; }
    public string? MergedIntoId { get; set; }
    public bool Cancelled { get; set; }
    public CombineRule Combine { get; set; }
    /// <summary>What −1, 0 and +1 mean for this commitment.</summary>
    public LocalizedText? RubricMinus { get; set; }
    public LocalizedText? RubricZero { get; set; }
    public LocalizedText? RubricPlus { get; set; }
    public LocalizedText? Note { get; set; }
    public int Version { get; set; }

    /// <summary>Counted in roll-ups: not cancelled, and not folded into another commitment.</summary>
    public bool Counts => !Cancelled && SupersededById is null && MergedIntoId is null;
}

public enum CommitmentKind
{
    Institutional,
    Financial,
    Programme,
    Policy,
    Infrastructure,
}

/// <summary>
/// A reporting period, from one meeting to the next: assessments are made per period and frozen when it closes.
/// </summary>
public sealed class ReportingPeriod
{
    public required string Id { get; set; }
    public int Order { get; set; }
    public required LocalizedText Name { get; set; }
    public PartialDate From { get; set; }
    public PartialDate? To { get; set; }
    /// <summary>The meeting at which the period's results are reported.</summary>
    public string? ClosesAtMeetingId { get; set; }
    /// <summary>When this period's assessments are due; after it, a missing one is overdue.</summary>
    public PartialDate? DueOn { get; set; }
    public bool Closed { get; set; }
}

/// <summary>One party's score on one commitment in one period, with the evidence it rests on.</summary>
public sealed class ComplianceAssessment : IVersioned
{
    /// <summary><c>{commitment}:{state}:{period}</c>.</summary>
    public required string Id { get; set; }
    public required string CommitmentId { get; set; }
    public required string StateId { get; set; }
    public required string PeriodId { get; set; }
    /// <summary>−1 (not complied, or against), 0 (partly, or in progress), +1 (complied).</summary>
    public int Score { get; set; }
    public required LocalizedText Evidence { get; set; }
    public string? EvidenceUrl { get; set; }
    public PartialDate? AssessedOn { get; set; }
    public int Version { get; set; }

    public static string KeyOf(string commitmentId, string stateId, string periodId)
        => $"{commitmentId}:{stateId}:{periodId}";
}
