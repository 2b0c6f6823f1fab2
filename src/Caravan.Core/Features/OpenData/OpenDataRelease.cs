using Caravan.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.OpenData;

/// <summary>
/// The stored release of a closed snapshot: built once, then served byte for byte ever after, from the database so
/// that every web node serves the same file. Its bytes are in <see cref="OpenDataChunk"/>s. A release is derived
/// from audited data and records no one's act, so it is not appended to the audit trail (and storing one does not
/// move the "current" release's date, which is the trail's head).
/// </summary>
public sealed class OpenDataRelease : IUnaudited
{
    /// <summary>The snapshot's id (one release per snapshot: the primary key holds it across processes).</summary>
    public required string Id { get; set; }
    /// <summary>When the data was taken: the snapshot's time.</summary>
    public DateTimeOffset TakenAt { get; set; }
    /// <summary>When this release was built and stored.</summary>
    public DateTimeOffset BuiltAt { get; set; }
    /// <summary>SHA-256 of the zip, lower-case hex: the ETag and the manifest's reference.</summary>
    public required string Sha256 { get; set; }
    public long Bytes { get; set; }
    public int ChunkCount { get; set; }
    /// <summary>Rows per table and the changes from the release before (JSON, <see cref="ReleaseSummary"/>).</summary>
    public required string Summary { get; set; }
}

/// <summary>One piece of a stored release, at most <see cref="OpenDataReleases.ChunkSize"/> bytes.</summary>
public sealed class OpenDataChunk : IUnaudited
{
    public required string ReleaseId { get; set; }
    public int Index { get; set; }
    public required byte[] Data { get; set; }
}

internal sealed class OpenDataReleaseConfiguration : IEntityTypeConfiguration<OpenDataRelease>
{
    public void Configure(EntityTypeBuilder<OpenDataRelease> e)
    {
        e.Property(x => x.Id).HasMaxLength(100);
        e.Property(x => x.Sha256).HasMaxLength(64);
    }
}

internal sealed class OpenDataChunkConfiguration : IEntityTypeConfiguration<OpenDataChunk>
{
    public void Configure(EntityTypeBuilder<OpenDataChunk> e)
    {
        e.HasKey(x => new { x.ReleaseId, x.Index });
        e.Property(x => x.ReleaseId).HasMaxLength(100);
        e.HasOne<OpenDataRelease>().WithMany().HasForeignKey(x => x.ReleaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
