using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Mechanism;

internal sealed class BodyConfiguration : IEntityTypeConfiguration<Body>
{
    public void Configure(EntityTypeBuilder<Body> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.HostStateId).OnDelete(DeleteBehavior.Restrict);
    }
}
