using Caravan.Shared;

namespace Caravan.Features.Mechanism;

/// <summary>A body of the mechanism: the summit, a ministerial platform, the secretariat, a centre…</summary>
public sealed class Body : IVersioned
{
    /// <summary>Optimistic concurrency: see <see cref="IVersioned"/>.</summary>
    public int Version { get; set; }
    public required string Id { get; set; }
    public BodyKind Kind { get; set; }
    public required LocalizedText Name { get; set; }
    public string? HostStateId { get; set; }
    public LocalizedText? Seat { get; set; }
    /// <summary>The body's own website, where readers find its news and documents.</summary>
    public string? Website { get; set; }
    /// <summary>
    /// The e-mail address the body answers the public at: one address in every language, where a postal address
    /// would repeat the <see cref="Seat"/> in three translations and is not how readers write to a secretariat.
    /// </summary>
    public string? ContactAddress { get; set; }
    public BodyStatus Status { get; set; }
    public PartialDate? ProposedOn { get; set; }
    public PartialDate? AgreedOn { get; set; }
    public PartialDate? EstablishedOn { get; set; }
    public PartialDate? OperationalOn { get; set; }
    public LocalizedText? Note { get; set; }
    public List<string> Translated { get; set; } = [];

    /// <summary>The date of each lifecycle stage, in order; null where no source gives it.</summary>
    public IReadOnlyList<(BodyStatus Stage, PartialDate? On)> Lifecycle =>
    [
        (BodyStatus.Proposed, ProposedOn),
        (BodyStatus.Agreed, AgreedOn),
        (BodyStatus.Established, EstablishedOn),
        (BodyStatus.Operational, OperationalOn),
    ];
}

public enum BodyKind
{
    Summit,
    MinisterialPlatform,
    Secretariat,
    CooperationCentre,
    BusinessCouncil,
    WorkingGroup,
    /// <summary>A dialogue not led by a government ministry (the political parties dialogue).</summary>
    Dialogue,
}

/// <summary>Lifecycle of a body: each stage implies the ones before it.</summary>
public enum BodyStatus
{
    Proposed,
    Agreed,
    Established,
    Operational,
}
