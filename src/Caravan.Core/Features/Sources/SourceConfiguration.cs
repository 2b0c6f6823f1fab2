using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Sources;

internal sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.Url).HasMaxLength(2000);
        e.Property(x => x.Title).HasMaxLength(1000);
        e.Property(x => x.Language).HasMaxLength(8);
    }
}

internal sealed class CitationConfiguration : IEntityTypeConfiguration<Citation>
{
    public void Configure(EntityTypeBuilder<Citation> e)
    {
        e.Property(x => x.SubjectType).HasMaxLength(32);
        e.Property(x => x.SubjectId).HasMaxLength(200);
        e.HasIndex(x => new { x.SubjectType, x.SubjectId, x.SourceId }).IsUnique();
        e.HasOne(x => x.Source).WithMany().HasForeignKey(x => x.SourceId).OnDelete(DeleteBehavior.Restrict);
    }
}
