using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Mechanism;

internal sealed class MemberStateConfiguration : IEntityTypeConfiguration<MemberState>
{
    public void Configure(EntityTypeBuilder<MemberState> e)
    {
        e.Property(x => x.Id).HasMaxLength(2);
        e.Property(x => x.Currency).HasMaxLength(3);
    }
}
