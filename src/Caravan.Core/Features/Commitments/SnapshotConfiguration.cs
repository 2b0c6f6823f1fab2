using Caravan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Commitments;

internal sealed class SnapshotConfiguration : IEntityTypeConfiguration<Snapshot>
{
    public void Configure(EntityTypeBuilder<Snapshot> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.TakenBy).HasMaxLength(256);
        e.Property(x => x.AuditHeadSeal).HasMaxLength(64);
        e.HasOne<ReportingPeriod>().WithMany().HasForeignKey(x => x.PeriodId).OnDelete(DeleteBehavior.Restrict);
    }
}
