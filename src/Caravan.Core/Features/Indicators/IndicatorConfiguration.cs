using Caravan.Data;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Indicators;

internal sealed class IndicatorConfiguration : IEntityTypeConfiguration<Indicator>
{
    public void Configure(EntityTypeBuilder<Indicator> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.Unit).HasMaxLength(64);
        e.HasMany(x => x.Values).WithOne().HasForeignKey(x => x.IndicatorId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.SameMeasureAs).HasMaxLength(100);
        e.HasOne<Indicator>().WithMany().HasForeignKey(x => x.SameMeasureAs).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IndicatorValueConfiguration : IEntityTypeConfiguration<IndicatorValue>
{
    public void Configure(EntityTypeBuilder<IndicatorValue> e)
    {
        e.Property(x => x.Id).HasMaxLength(200);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.IndicatorId, x.Year, x.StateId });
    }
}

internal sealed class ReportedFigureConfiguration : IEntityTypeConfiguration<ReportedFigure>
{
    public void Configure(EntityTypeBuilder<ReportedFigure> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.Unit).HasMaxLength(32);
        e.Property(x => x.RegistryCount).HasMaxLength(200);
    }
}
