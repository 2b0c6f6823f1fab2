using Caravan.Shared;

namespace Caravan.Features.Mechanism;

/// <summary>A dated session of a body, where documents are signed.</summary>
public sealed class Meeting
{
    public required string Id { get; set; }
    public required string BodyId { get; set; }
    public Body? Body { get; set; }
    /// <summary>Ordinal of the session ("2nd summit"); null where the sources give none.</summary>
    public int? Number { get; set; }
    public required LocalizedText Name { get; set; }
    /// <summary>The main session's date.</summary>
    public PartialDate? Date { get; set; }
    public PartialDate? StartDate { get; set; }
    public PartialDate? EndDate { get; set; }
    public LocalizedText? Place { get; set; }
    public string? HostStateId { get; set; }
    public MeetingStatus Status { get; set; }
    public LocalizedText? Note { get; set; }
    public List<string> Translated { get; set; } = [];
}

public enum MeetingStatus
{
    Planned,
    Held,
}
