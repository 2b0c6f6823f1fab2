using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Selections;

// The culture and tourism capital selection: one nomination per state, one seat per person, one score per cell.
internal sealed class SelectionCallConfiguration : IEntityTypeConfiguration<SelectionCall>
{
    public void Configure(EntityTypeBuilder<SelectionCall> e)
    {
        e.Property(x => x.Id).HaveSlugLength();
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Ignore(x => x.RuleCriteria);
    }
}

internal sealed class SelectionNominationConfiguration : IEntityTypeConfiguration<SelectionNomination>
{
    public void Configure(EntityTypeBuilder<SelectionNomination> e)
    {
        e.Property(x => x.Id).HasMaxLength(110);
        e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
        e.Property(x => x.SubmittedById).HasMaxLength(450);
        e.Property(x => x.SubmittedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.CallId, x.StateId }).IsUnique();
        e.HasOne<SelectionCall>().WithMany().HasForeignKey(x => x.CallId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SelectionJurorConfiguration : IEntityTypeConfiguration<SelectionJuror>
{
    public void Configure(EntityTypeBuilder<SelectionJuror> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.Name).HasMaxLength(500);
        e.Property(x => x.StateId).HasMaxLength(2);
        e.Property(x => x.AppointedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.CallId, x.UserId }).IsUnique();
        e.HasOne<SelectionCall>().WithMany().HasForeignKey(x => x.CallId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<CaravanUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SelectionConflictConfiguration : IEntityTypeConfiguration<SelectionConflict>
{
    public void Configure(EntityTypeBuilder<SelectionConflict> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.StateId).HasMaxLength(2);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.HasIndex(x => new { x.JurorId, x.StateId }).IsUnique();
        e.HasOne<SelectionJuror>().WithMany().HasForeignKey(x => x.JurorId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SelectionScoreConfiguration : IEntityTypeConfiguration<SelectionScore>
{
    public void Configure(EntityTypeBuilder<SelectionScore> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.CriterionId).HasMaxLength(80);
        e.Property(x => x.Comment).HasMaxLength(2000);
        e.Property(x => x.Value).HasPrecision(5, 2);
        e.HasIndex(x => new { x.JurorId, x.NominationId, x.CriterionId }).IsUnique();
        e.HasIndex(x => x.NominationId);
        e.HasOne<SelectionJuror>().WithMany().HasForeignKey(x => x.JurorId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<SelectionNomination>().WithMany().HasForeignKey(x => x.NominationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SelectionDecisionConfiguration : IEntityTypeConfiguration<SelectionDecision>
{
    public void Configure(EntityTypeBuilder<SelectionDecision> e)
    {
        e.HasKey(x => x.CallId);
        e.Property(x => x.DecidedBy).HasMaxLength(256);
        e.HasOne<SelectionCall>().WithMany().HasForeignKey(x => x.CallId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<SelectionNomination>().WithMany().HasForeignKey(x => x.NominationId).OnDelete(DeleteBehavior.Restrict);
    }
}
