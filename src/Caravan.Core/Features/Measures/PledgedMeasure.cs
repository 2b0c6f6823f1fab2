using Caravan.Shared;

namespace Caravan.Features.Measures;

/// <summary>A concrete measure a state announced: a grant, training places, scholarships, a target.</summary>
public sealed class PledgedMeasure
{
    public required string Id { get; set; }
    public required string PledgedById { get; set; }
    public string? MeetingId { get; set; }
    public PartialDate? AnnouncedOn { get; set; }
    public required LocalizedText Description { get; set; }
    /// <summary>The quantity pledged in <see cref="Unit"/>; null for a measure with no figure.</summary>
    public decimal? Amount { get; set; }
    /// <summary>An ISO 4217 code for money, or a count unit such as <c>training-places</c>.</summary>
    public string? Unit { get; set; }
    public PartialDate? PeriodFrom { get; set; }
    public PartialDate? PeriodTo { get; set; }
    public string? DirectionId { get; set; }
    public LocalizedText? Note { get; set; }
    public List<string> Translated { get; set; } = [];

    public bool IsMoney => Unit is { Length: 3 } u && u.All(char.IsUpper);
}
