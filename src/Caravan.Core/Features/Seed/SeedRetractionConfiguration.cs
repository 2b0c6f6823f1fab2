using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Seed;

internal sealed class SeedRetractionConfiguration : IEntityTypeConfiguration<SeedRetraction>
{
    public void Configure(EntityTypeBuilder<SeedRetraction> e)
    {
        e.Property(x => x.Id).HasMaxLength(400);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.RecordId).HasMaxLength(360);
    }
}
