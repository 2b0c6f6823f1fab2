using Caravan.Shared;

namespace Caravan.Features.Treaties;

/// <summary>
/// One step of one party towards being bound by a treaty: its signature, then its domestic steps, then
/// the instrument (deposit of ratification or notification of completed procedures), each dated and
/// evidenced. A coordinator records their own state's steps; the secretariat validates them.
/// </summary>
public sealed class RatificationStep : IVersioned
{
    /// <summary>
    /// <c>{treaty}:{state}:{step}</c>, e.g. <c>good-neighbourliness-treaty-2025:KG:parliament-approval</c>.
    /// </summary>
    public required string Id { get; set; }
    public required string DocumentId { get; set; }
    public required string StateId { get; set; }
    public RatificationStepKind Kind { get; set; }
    /// <summary>Null: the step is known to have happened, but not when.</summary>
    public PartialDate? On { get; set; }
    public LocalizedText? Note { get; set; }
    /// <summary>Where the evidence is: the law, the decree, the depositary's notification.</summary>
    public string? EvidenceUrl { get; set; }
    public int Version { get; set; }

    public static string KeyOf(string documentId, string stateId, RatificationStepKind kind) =>
        $"{documentId}:{stateId}:{Caravan.Features.Seed.SeedEnums.ToKebab(kind)}";
}

/// <summary>The steps in their usual order; the order is what the participant table shows.</summary>
public enum RatificationStepKind
{
    Signature,
    GovernmentApproval,
    ParliamentApproval,
    HeadOfStateApproval,
    /// <summary>
    /// Deposit of the instrument of ratification, or notification that internal procedures are complete: what entry
    /// into force counts.
    /// </summary>
    Instrument,
}

/// <summary>Checks on a step that need the treaty: its party, and no step before the party's signature.</summary>
public static class RatificationRules
{
    /// <summary>The date a party signed: its own signature step, else the treaty's signing date.</summary>
    public static PartialDate? SignatureOf(PartialDate? treatySignedOn, IEnumerable<RatificationStep> partySteps) =>
        partySteps.FirstOrDefault(s => s.Kind == RatificationStepKind.Signature)?.On ?? treatySignedOn;

    /// <summary>What is wrong, or null. A date known only to the month is compared by what it can mean.</summary>
    public static MessageCode? Problem(
        RatificationStepKind kind, PartialDate? on, PartialDate? signedOn, DateOnly today)
    {
        if (on is not { } date) return null;
        if (date.Earliest > today) return TreatyMessages.StepInFuture;
        if (kind != RatificationStepKind.Signature && signedOn is { } signed && date.Latest < signed.Earliest)
            return TreatyMessages.StepBeforeSignature;
        return null;
    }
}
