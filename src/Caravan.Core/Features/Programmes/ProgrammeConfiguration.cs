using Caravan.Data;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Programmes;

// Programmes: the pledge (seeded) and its ledger; balances are never stored, only derived from entries.
internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<Programme>
{
    public void Configure(EntityTypeBuilder<Programme> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.Unit).HasMaxLength(32);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.PledgedById).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<PledgedMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProgrammeEntryConfiguration : IEntityTypeConfiguration<ProgrammeEntry>
{
    public void Configure(EntityTypeBuilder<ProgrammeEntry> e)
    {
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
        e.Property(x => x.OverrideReason).HasMaxLength(1000);
        e.Property(x => x.RecordedBy).HasMaxLength(256);
        e.Property(x => x.RecordedRole).HasMaxLength(64);
        e.HasOne<Programme>().WithMany().HasForeignKey(x => x.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.ProgrammeId, x.StateId, x.Year });
    }
}
