using Caravan.Data;
using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Partnerships;

// Partnerships: filtered by kind, state and status; both states are the record's scope.
internal sealed class PartnershipConfiguration : IEntityTypeConfiguration<Partnership>
{
    public void Configure(EntityTypeBuilder<Partnership> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.StateA).HasMaxLength(2);
        e.Property(x => x.StateB).HasMaxLength(2);
        e.Property(x => x.DocumentId).HasMaxLength(100);
        e.Property(x => x.SourceUrl).HasMaxLength(2000);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateA).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateB).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.Kind, x.Status });
    }
}
