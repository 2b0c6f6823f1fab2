using Caravan.Shared;

namespace Caravan.Features.Seed;

/// <summary>
/// A record that an earlier version of the seed dataset listed and a later one withdrew as false, with why
/// (docs/decisions/0007-seed-retractions.md). Kept for good: the audit trail has the deletion, and a frozen
/// snapshot that still holds the retracted score says so with this reason.
/// </summary>
public sealed class SeedRetraction
{
    /// <summary><c>{kind}:{record id}</c>.</summary>
    public required string Id { get; set; }
    /// <summary>
    /// <c>commitment</c>, <c>assessment</c> or <c>partnership</c>: a kind a section declares retractable
    /// (<see cref="SeedSection.Retractables"/>).
    /// </summary>
    public required string Kind { get; set; }
    /// <summary>The retracted record's id (an assessment's is <c>{commitment}:{state}:{period}</c>).</summary>
    public required string RecordId { get; set; }
    /// <summary>The dataset version that first retracted it.</summary>
    public int Version { get; set; }
    public required LocalizedText Reason { get; set; }
    public List<string> Translated { get; set; } = [];
    /// <summary>
    /// The record was changed through the workflow after it was seeded, so the seed did not delete it: the
    /// secretariat decides (the load's log and result say so).
    /// </summary>
    public bool Held { get; set; }

    public static string KeyOf(string kind, string recordId) => $"{kind}:{recordId}";
}

public static class SeedRetractions
{
    public const string Commitment = "commitment";
    public const string Assessment = "assessment";
    public const string Partnership = "partnership";

    /// <summary>
    /// What a frozen snapshot holds that the dataset later retracted: a retracted commitment (State null), or
    /// a party's score in the snapshot's period. The snapshot itself is never rewritten; readers see these beside it.
    /// </summary>
    public static List<RetractedInSnapshot> In(Commitments.Snapshot snapshot, IEnumerable<SeedRetraction> retractions)
    {
        var byKey = retractions.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var found = new List<RetractedInSnapshot>();
        foreach (var item in snapshot.Items)
        {
            if (byKey.TryGetValue(SeedRetraction.KeyOf(Commitment, item.CommitmentId), out var own))
            {
                found.Add(new(item.CommitmentId, null, null, own));
                continue;
            }
            foreach (var (state, score) in item.Scores.OrderBy(s => s.Key, StringComparer.Ordinal))
                if (byKey.TryGetValue(SeedRetraction.KeyOf(Assessment,
                    Commitments.ComplianceAssessment.KeyOf(item.CommitmentId, state, snapshot.PeriodId)), out var r))
                    found.Add(new(item.CommitmentId, state, score, r));
        }
        return found;
    }
}

/// <summary>
/// A commitment (State null) or one party's score in a snapshot that a later dataset version retracted.
/// </summary>
public sealed record RetractedInSnapshot(string CommitmentId, string? StateId, int? Score, SeedRetraction Retraction);
