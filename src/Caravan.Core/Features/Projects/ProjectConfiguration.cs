using Caravan.Data;
using Caravan.Features.Commitments;
using Caravan.Features.Mechanism;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Projects;

// Projects: the activity whole in one column, and what lists, filters and totals query beside it.
// The import writes these tables through the providers' bulk paths (ProjectStore), not through EF.
internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> e)
    {
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.IatiIdentifier).HasMaxLength(200);
        // One project per identifier; a staged new version of one (Replaces = its id) may stand beside it until its
        // import completes.
        e.HasIndex(x => new { x.IatiIdentifier, x.Replaces }).IsUnique();
        // Only the staged rows, which an import's completion or clean-up finds without reading the wide rows. The
        // queries over them say exactly "Staged" (SQLite uses a partial index only for a query naming its condition).
        e.HasIndex(x => x.Replaces).HasFilter("\"Staged\"").HasDatabaseName("IX_Projects_Staged");
        e.Property(x => x.ReportingOrgRef).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(8);
        e.Property(x => x.DefaultCurrency).HasMaxLength(3);
        e.Property(x => x.DirectionId).HasMaxLength(100);
        e.Property(x => x.ParentIdentifier).HasMaxLength(200);
        e.Property(x => x.ContentHash).HasMaxLength(64);
        e.Property(x => x.UpdatedBy).HasMaxLength(256);
        e.HasOne<PriorityDirection>().WithMany().HasForeignKey(x => x.DirectionId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(x => new { x.Published, x.Id });
        // Lists, filters and totals read projects through this index alone: table rows are wide (the activity
        // JSON), so at 100,000 projects a scan of the table costs ~10× a scan of this. Identifier order first.
        e.HasIndex(x => new
            {
                x.Published, x.IatiIdentifier, x.IsUmbrella, x.DirectionId, x.Status, x.Stage, x.StageOverride,
                x.ActualStart, x.PlannedStart, x.Id,
            })
            .HasDatabaseName("IX_Projects_Listing");
        e.HasIndex(x => x.DirectionId);
        e.HasIndex(x => x.ParentIdentifier);
    }
}

internal sealed class ProjectTransactionConfiguration : IEntityTypeConfiguration<ProjectTransaction>
{
    public void Configure(EntityTypeBuilder<ProjectTransaction> e)
    {
        e.HasKey(x => new { x.ProjectId, x.Seq });
        e.Property(x => x.Type).HasMaxLength(4);
        e.Property(x => x.Currency).HasMaxLength(3);
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // Covers the totals: type, then what they group by, then the amount.
        e.HasIndex(x => new { x.Type, x.Year, x.Currency, x.ValueDate, x.ProjectId, x.Amount });
    }
}

internal sealed class ProjectCountryConfiguration : IEntityTypeConfiguration<ProjectCountry>
{
    public void Configure(EntityTypeBuilder<ProjectCountry> e)
    {
        e.HasKey(x => new { x.ProjectId, x.CountryCode });
        e.Property(x => x.CountryCode).HasMaxLength(2);
        e.HasIndex(x => new { x.CountryCode, x.ProjectId });
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectCommitmentConfiguration : IEntityTypeConfiguration<ProjectCommitment>
{
    public void Configure(EntityTypeBuilder<ProjectCommitment> e)
    {
        e.HasKey(x => new { x.ProjectId, x.CommitmentId });
        e.Property(x => x.CommitmentId).HaveSlugLength();
        e.HasIndex(x => x.CommitmentId);
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Commitment>().WithMany().HasForeignKey(x => x.CommitmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.FileName).HasMaxLength(255);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.By).HasMaxLength(256);
        e.Property(x => x.Stopped).HasMaxLength(2000);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.Owner).HasMaxLength(300);
        // At most one IATI import runs at a time: the staged rows and the ids it gives are its own until it ends.
        e.HasIndex(x => x.Kind).IsUnique().HasFilter("\"Status\" = 'running'").HasDatabaseName("IX_ImportRuns_Running");
    }
}
