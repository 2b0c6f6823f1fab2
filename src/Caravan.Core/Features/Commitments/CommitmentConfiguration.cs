using Caravan.Data;
using Caravan.Features.Documents;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Commitments;

internal sealed class ReportingPeriodConfiguration : IEntityTypeConfiguration<ReportingPeriod>
{
    public void Configure(EntityTypeBuilder<ReportingPeriod> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
    }
}

internal sealed class CommitmentConfiguration : IEntityTypeConfiguration<Commitment>
{
    public void Configure(EntityTypeBuilder<Commitment> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.ProvisionRef).HasMaxLength(100);
        e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ReportingPeriod>().WithMany().HasForeignKey(x => x.FirstPeriodId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => x.DirectionId);
    }
}

internal sealed class ComplianceAssessmentConfiguration : IEntityTypeConfiguration<ComplianceAssessment>
{
    public void Configure(EntityTypeBuilder<ComplianceAssessment> e)
    {
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
        e.HasIndex(x => new { x.CommitmentId, x.StateId, x.PeriodId }).IsUnique();
        // Covers the scorecard's sums: a period's scores are read from the index alone, in commitment order.
        e.HasIndex(x => new { x.PeriodId, x.CommitmentId, x.StateId, x.Score });
        e.HasOne<Commitment>().WithMany().HasForeignKey(x => x.CommitmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ReportingPeriod>().WithMany().HasForeignKey(x => x.PeriodId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MilestoneConfiguration : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> e)
    {
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
        e.HasIndex(x => x.CommitmentId);
        e.HasOne<Commitment>().WithMany().HasForeignKey(x => x.CommitmentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}
