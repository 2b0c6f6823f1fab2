using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Actor).HasMaxLength(200);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.Action).HasMaxLength(16);
        e.Property(x => x.SubjectType).HasMaxLength(64);
        e.Property(x => x.SubjectId).HasMaxLength(300);
        e.Property(x => x.PreviousHash).HasMaxLength(64);
        e.Property(x => x.Hash).HasMaxLength(64);
        e.Property(x => x.KeyId).HasMaxLength(32);
        e.HasIndex(x => new { x.SubjectType, x.SubjectId });
    }
}

internal sealed class AuditAnchorConfiguration : IEntityTypeConfiguration<AuditAnchor>
{
    public void Configure(EntityTypeBuilder<AuditAnchor> e)
    {
        e.ToTable("AuditAnchors");
        e.Property(x => x.Seal).HasMaxLength(64);
        e.Property(x => x.Source).HasMaxLength(32);
    }
}
