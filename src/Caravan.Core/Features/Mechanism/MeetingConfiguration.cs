using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Mechanism;

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.HasOne(x => x.Body).WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.HostStateId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => x.Date);
    }
}
