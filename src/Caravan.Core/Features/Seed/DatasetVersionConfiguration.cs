using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Seed;

internal sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.Sha256).HasMaxLength(64);
    }
}
