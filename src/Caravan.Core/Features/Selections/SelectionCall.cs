using Caravan.Features.Audit;
using Caravan.Shared;

namespace Caravan.Features.Selections;

/// <summary>A criterion as the call states it: its name in the working languages and its weight.</summary>
public sealed record SelectionCriterion(string Id, LocalizedText Name, decimal Weight);

/// <summary>
/// A call for the China–Central Asia culture and tourism capital: its period, criteria and weights, and the
/// phase it is in. The secretariat creates it and moves it on; states nominate, the jury scores.
/// </summary>
public sealed class SelectionCall : IVersioned
{
    public required string Id { get; set; }
    public required LocalizedText Title { get; set; }
    public LocalizedText Description { get; set; } = new();
    public SelectionPhase Phase { get; set; }
    public DateOnly NominationsFrom { get; set; }
    public DateOnly NominationsTo { get; set; }
    public DateOnly ScoringDeadline { get; set; }
    public List<SelectionCriterion> Criteria { get; set; } = [];
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Version { get; set; }

    public IReadOnlyList<Criterion> RuleCriteria => [.. Criteria.Select(c => new Criterion(c.Id, c.Weight))];
}

/// <summary>A state's nomination of one of its cities: one per state per call.</summary>
public sealed class SelectionNomination
{
    public required string Id { get; set; }
    public required string CallId { get; set; }
    public required string StateId { get; set; }
    /// <summary>The city's names in the working languages.</summary>
    public required LocalizedText City { get; set; }
    public LocalizedText Statement { get; set; } = new();
    public string? EvidenceUrl { get; set; }
    public required string SubmittedById { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>
/// A person's seat on a call's jury (an existing account, appointed for this call only), and the state they come from,
/// if any.
/// </summary>
public sealed class SelectionJuror
{
    public required string Id { get; set; }
    public required string CallId { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public string? StateId { get; set; }
    public required string AppointedBy { get; set; }
    public DateTimeOffset AppointedAt { get; set; }
}

/// <summary>A juror's declared conflict of interest with a state: they do not score its nomination.</summary>
public sealed class SelectionConflict
{
    public required string Id { get; set; }
    public required string JurorId { get; set; }
    public required string StateId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset DeclaredAt { get; set; }
}

/// <summary>One juror's score of one nomination on one criterion (0–10). Secret until the call closes.</summary>
public sealed class SelectionScore : IVersioned
{
    public required string Id { get; set; }
    public required string JurorId { get; set; }
    public required string NominationId { get; set; }
    public required string CriterionId { get; set; }
    // Secret until the call closes, and the secretariat reads the audit trail: it keeps who scored which
    // nomination on which criterion, and when; the values stay in their table.
    [RedactedInAudit]
    public decimal Value { get; set; }
    [RedactedInAudit]
    public string? Comment { get; set; }
    public DateTimeOffset GivenAt { get; set; }
    public int Version { get; set; }
}

/// <summary>The decision on a closed call: the chosen nomination, when and why; public once published.</summary>
public sealed class SelectionDecision : IVersioned
{
    public required string CallId { get; set; }
    public required string NominationId { get; set; }
    public DateOnly DecidedOn { get; set; }
    public required LocalizedText Rationale { get; set; }
    public required string DecidedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Version { get; set; }
}
