using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Treaties;

internal sealed class RatificationStepConfiguration : IEntityTypeConfiguration<RatificationStep>
{
    public void Configure(EntityTypeBuilder<RatificationStep> e)
    {
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
        e.HasIndex(x => new { x.DocumentId, x.StateId, x.Kind }).IsUnique();
        e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}
