using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Submissions;

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.RecordKind).HasMaxLength(32);
        e.Property(x => x.RecordId).HasMaxLength(200);
        e.Property(x => x.StatesKey).HasMaxLength(64);
        e.Property(x => x.BodiesKey).HasMaxLength(1000);
        e.Property(x => x.AuthorId).HasMaxLength(450);
        e.Property(x => x.AuthorName).HasMaxLength(256);
        e.Property(x => x.AuthorRole).HasMaxLength(64);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Ignore(x => x.Scope);
        e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.Status, x.UpdatedAt });
        e.HasIndex(x => new { x.RecordKind, x.RecordId });
    }
}

internal sealed class SubmissionEventConfiguration : IEntityTypeConfiguration<SubmissionEvent>
{
    public void Configure(EntityTypeBuilder<SubmissionEvent> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.UserName).HasMaxLength(256);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.StateId).HasMaxLength(2);
        e.Property(x => x.Comment).HasMaxLength(4000);
    }
}
