using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Documents;

internal sealed class DocumentTextConfiguration : IEntityTypeConfiguration<DocumentText>
{
    public void Configure(EntityTypeBuilder<DocumentText> e)
    {
        e.Property(x => x.Id).HasMaxLength(150);
        e.Property(x => x.Language).HasMaxLength(8);
        e.Property(x => x.SourceId).HasMaxLength(100);
        e.Property(x => x.ImportedBy).HasMaxLength(256);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.HasIndex(x => new { x.DocumentId, x.Language, x.Version }).IsUnique();
        e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Provisions).WithOne().HasForeignKey(x => x.TextId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentAttachmentConfiguration : IEntityTypeConfiguration<DocumentAttachment>
{
    public void Configure(EntityTypeBuilder<DocumentAttachment> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.FileName).HasMaxLength(255);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.Language).HasMaxLength(8);
        e.Property(x => x.UploadedBy).HasMaxLength(256);
        e.HasIndex(x => x.DocumentId);
        e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProvisionConfiguration : IEntityTypeConfiguration<Provision>
{
    public void Configure(EntityTypeBuilder<Provision> e)
    {
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.Number).HasMaxLength(40);
        e.Property(x => x.Label).HasMaxLength(100);
    }
}
