using Caravan.Data;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Documents;

internal sealed class OutcomeDocumentConfiguration : IEntityTypeConfiguration<OutcomeDocument>
{
    public void Configure(EntityTypeBuilder<OutcomeDocument> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.HasOne(x => x.Meeting).WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Parties).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.SignedOn);
    }
}

internal sealed class DocumentPartyConfiguration : IEntityTypeConfiguration<DocumentParty>
{
    public void Configure(EntityTypeBuilder<DocumentParty> e)
    {
        e.HasKey(x => new { x.DocumentId, x.StateId });
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}
