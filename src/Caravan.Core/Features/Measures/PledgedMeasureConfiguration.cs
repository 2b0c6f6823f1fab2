using Caravan.Data;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Measures;

internal sealed class PledgedMeasureConfiguration : IEntityTypeConfiguration<PledgedMeasure>
{
    public void Configure(EntityTypeBuilder<PledgedMeasure> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.Unit).HasMaxLength(32);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.PledgedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<PriorityDirection>().WithMany().HasForeignKey(x => x.DirectionId).OnDelete(DeleteBehavior.Restrict);
    }
}
