using Caravan.Shared;

namespace Caravan.Features.Mechanism;

/// <summary>One of the six priority directions of the 2025–2026 Years of High-Quality Development.</summary>
public sealed class PriorityDirection
{
    public required string Id { get; set; }
    public int Order { get; set; }
    public required LocalizedText Name { get; set; }
    public List<string> Translated { get; set; } = [];
}
