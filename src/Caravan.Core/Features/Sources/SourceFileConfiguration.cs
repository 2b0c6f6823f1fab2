using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Sources;

internal sealed class SourceFileConfiguration : IEntityTypeConfiguration<SourceFile>
{
    public void Configure(EntityTypeBuilder<SourceFile> e)
    {
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.MediaType).HasMaxLength(100);
    }
}
