namespace Caravan.Features.Seed;

/// <summary>Which version of a seed dataset the database holds, and the file's hash when it was loaded.</summary>
public sealed class DatasetVersion
{
    public required string Id { get; set; }
    public int Version { get; set; }
    public required string Sha256 { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
}
