using Caravan.Shared;

namespace Caravan.Features.Seed;

// The shape of seed/cca-mechanism.json (documented in docs/seed-format.md). Plain records: the sections validate
// them and map them to entities. Each feature declares its own sections' properties in its folder (a partial of
// this record beside its SeedSection); here are the dataset's own fields and the shapes the sections share.

public sealed partial record SeedDataset
{
    public required string Dataset { get; init; }
    public required int Version { get; init; }
    public string? AsOf { get; init; }
    /// <summary>
    /// Records an earlier version listed that are withdrawn as false: the importer deletes them, audited with the
    /// reason (<see cref="RetractionsSeedSection"/>).
    /// </summary>
    public List<SeedRetractionRow> Retractions { get; init; } = [];
}

/// <summary>
/// A retracted record: its kind and id, the version that retracted it, why, and the sources that show it.
/// </summary>
public sealed record SeedRetractionRow : ICitedSeedRow
{
    public required string Kind { get; init; }
    public required string Id { get; init; }
    public int Version { get; init; }
    public required LocalizedText Reason { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedCitation(string Source, string Confidence);

public interface ICitedSeedRow
{
    List<SeedCitation> Citations { get; }
}

/// <summary>A from–to of a measure or a programme.</summary>
public sealed record SeedPeriod(string? From, string? To);
