using Caravan.Shared;

namespace Caravan.Features.Partnerships;

/// <summary>
/// A tie between two member states below the summit level: a sister-city or sister-province pair, a Luban
/// Workshop (a Chinese vocational college's workshop at a host institution), a cultural centre, or a visa
/// arrangement. Each has a lifecycle (planned → signed → in force / operating → suspended or ended) with its
/// dates, and sources (citations from the dataset, or the address a coordinator gave).
/// </summary>
public sealed class Partnership : IVersioned
{
    /// <summary>
    /// <c>{a}-{b}-{name}</c>: the two states' ISO codes in lower case, then a slug, e.g.
    /// <c>tj-cn-luban-workshop-dushanbe</c>. The states are part of the id because they decide whose business the
    /// record is, from its first proposal on.
    /// </summary>
    public required string Id { get; set; }
    public PartnershipKind Kind { get; set; }
    /// <summary>The first side's state: where <see cref="PlaceA"/> is (the host of a workshop or centre).</summary>
    public required string StateA { get; set; }
    /// <summary>
    /// The second side's state: where <see cref="PlaceB"/> is (the partner college's, for a workshop).
    /// </summary>
    public required string StateB { get; set; }
    /// <summary>What the portal calls it when a place pair does not say it ("Luban Workshop in Dushanbe").</summary>
    public LocalizedText? Name { get; set; }
    public LocalizedText? PlaceA { get; set; }
    public decimal? LatitudeA { get; set; }
    public decimal? LongitudeA { get; set; }
    public LocalizedText? PlaceB { get; set; }
    public decimal? LatitudeB { get; set; }
    public decimal? LongitudeB { get; set; }
    /// <summary>The host institution (a workshop's university, a centre's host).</summary>
    public LocalizedText? Institution { get; set; }
    /// <summary>The partner institution: for a Luban Workshop, the Chinese vocational college.</summary>
    public LocalizedText? PartnerInstitution { get; set; }
    /// <summary>For a visa arrangement: who may stay how long ("30 days per entry, 90 days per 180 days").</summary>
    public LocalizedText? Terms { get; set; }
    /// <summary>The agreement as titled, when it is not (or not only) an outcome document in the registry.</summary>
    public LocalizedText? Agreement { get; set; }
    /// <summary>The agreement in the registry of outcome documents, if it is there.</summary>
    public string? DocumentId { get; set; }
    public PartnershipStatus Status { get; set; }
    /// <summary>When the agreement was signed.</summary>
    public PartialDate? AgreedOn { get; set; }
    /// <summary>In force from (an agreement), operating or opened from (a workshop, a centre).</summary>
    public PartialDate? StartedOn { get; set; }
    /// <summary>Suspended or ended on.</summary>
    public PartialDate? EndedOn { get; set; }
    /// <summary>Where the proposer read it (a coordinator's record); dataset facts carry citations instead.</summary>
    public string? SourceUrl { get; set; }
    public LocalizedText? Note { get; set; }
    public List<string> Translated { get; set; } = [];
    public int Version { get; set; }

    public bool IsPair => Kind is PartnershipKind.SisterCities or PartnershipKind.SisterProvinces;
}

public enum PartnershipKind
{
    SisterCities,
    SisterProvinces,
    LubanWorkshop,
    CulturalCentre,
    VisaArrangement,
}

/// <summary>The lifecycle. "In force" is an agreement's word, "operating" a workshop's or centre's.</summary>
public enum PartnershipStatus
{
    Planned,
    Signed,
    InForce,
    Operating,
    Suspended,
    Ended,
}
