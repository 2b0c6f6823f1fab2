using Caravan.Data;
using Caravan.Features.Commitments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Rounds;

internal sealed class RoundConfiguration : IEntityTypeConfiguration<Round>
{
    public void Configure(EntityTypeBuilder<Round> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.PeriodId).HaveSlugLength();
        e.Property(x => x.OpenPeriodId).HasMaxLength(100);
        e.Property(x => x.SnapshotId).HasMaxLength(100);
        e.Property(x => x.OpenedBy).HasMaxLength(256);
        e.Property(x => x.ClosedBy).HasMaxLength(256);
        // One open round per period, held by the database too: a closed round's null never collides.
        e.HasIndex(x => x.OpenPeriodId).IsUnique();
        e.HasIndex(x => x.PeriodId);
        e.HasOne<ReportingPeriod>().WithMany().HasForeignKey(x => x.PeriodId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Snapshot>().WithMany().HasForeignKey(x => x.SnapshotId).OnDelete(DeleteBehavior.Restrict);
    }
}
