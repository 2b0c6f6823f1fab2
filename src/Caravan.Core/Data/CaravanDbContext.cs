using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Documents;
using Caravan.Features.Indicators;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Caravan.Data;

/// <summary>
/// The one DbContext. Feature entities are configured here, next to each other, in one read. It holds
/// the Identity user store too (users, their TOTP keys and recovery codes), so that an account change is
/// audited like any other.
/// </summary>
public sealed class CaravanDbContext(DbContextOptions<CaravanDbContext> options) : IdentityUserContext<CaravanUser>(options)
{
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<Citation> Citations => Set<Citation>();
    public DbSet<SourceFile> SourceFiles => Set<SourceFile>();
    public DbSet<MemberState> MemberStates => Set<MemberState>();
    public DbSet<Body> Bodies => Set<Body>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<OutcomeDocument> Documents => Set<OutcomeDocument>();
    public DbSet<DocumentParty> DocumentParties => Set<DocumentParty>();
    public DbSet<PriorityDirection> PriorityDirections => Set<PriorityDirection>();
    public DbSet<PledgedMeasure> Measures => Set<PledgedMeasure>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<IndicatorValue> IndicatorValues => Set<IndicatorValue>();
    public DbSet<ReportedFigure> ReportedFigures => Set<ReportedFigure>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<Features.Treaties.RatificationStep> RatificationSteps => Set<Features.Treaties.RatificationStep>();
    public DbSet<Features.Commitments.ReportingPeriod> ReportingPeriods => Set<Features.Commitments.ReportingPeriod>();
    public DbSet<Features.Commitments.Commitment> Commitments => Set<Features.Commitments.Commitment>();
    public DbSet<Features.Commitments.ComplianceAssessment> Assessments => Set<Features.Commitments.ComplianceAssessment>();
    public DbSet<Features.Commitments.Snapshot> Snapshots => Set<Features.Commitments.Snapshot>();
    public DbSet<Features.Seed.SeedRetraction> SeedRetractions => Set<Features.Seed.SeedRetraction>();
    public DbSet<DocumentText> DocumentTexts => Set<DocumentText>();
    public DbSet<Provision> Provisions => Set<Provision>();
    public DbSet<DocumentAttachment> Attachments => Set<DocumentAttachment>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<SubmissionEvent> SubmissionEvents => Set<SubmissionEvent>();
    public DbSet<Features.Projects.Project> Projects => Set<Features.Projects.Project>();
    public DbSet<Features.Projects.ProjectTransaction> ProjectTransactions => Set<Features.Projects.ProjectTransaction>();
    public DbSet<Features.Projects.ProjectCountry> ProjectCountries => Set<Features.Projects.ProjectCountry>();
    public DbSet<Features.Projects.ProjectCommitment> ProjectCommitments => Set<Features.Projects.ProjectCommitment>();
    public DbSet<Features.Projects.ImportRun> ImportRuns => Set<Features.Projects.ImportRun>();
    public DbSet<Features.Money.ExchangeRate> ExchangeRates => Set<Features.Money.ExchangeRate>();
    public DbSet<Features.Programmes.Programme> Programmes => Set<Features.Programmes.Programme>();
    public DbSet<Features.Programmes.ProgrammeEntry> ProgrammeEntries => Set<Features.Programmes.ProgrammeEntry>();
    public DbSet<Features.Selections.SelectionCall> SelectionCalls => Set<Features.Selections.SelectionCall>();
    public DbSet<Features.Selections.SelectionNomination> SelectionNominations => Set<Features.Selections.SelectionNomination>();
    public DbSet<Features.Selections.SelectionJuror> SelectionJurors => Set<Features.Selections.SelectionJuror>();
    public DbSet<Features.Selections.SelectionConflict> SelectionConflicts => Set<Features.Selections.SelectionConflict>();
    public DbSet<Features.Selections.SelectionScore> SelectionScores => Set<Features.Selections.SelectionScore>();
    public DbSet<Features.Selections.SelectionDecision> SelectionDecisions => Set<Features.Selections.SelectionDecision>();
    public DbSet<Features.Partnerships.Partnership> Partnerships => Set<Features.Partnerships.Partnership>();
    public DbSet<CacheVersion> CacheVersions => Set<CacheVersion>();

    /// <summary>
    /// Saves are taken one at a time in this process: each appends to the one audit chain, whose next
    /// position depends on the last. (Across processes, the chain's primary key refuses a duplicate.)
    /// </summary>
    internal static readonly AsyncLock WriteLock = new();

    /// <summary>Who the changes saved by this context are attributed to in the audit trail.</summary>
    public AuditActor Actor { get; set; } = AuditActor.System;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>Every save appends its changes to the audit trail in the same transaction.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        foreach (var edited in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
            edited.Entity.Version++;
        await using var _ = await WriteLock.AcquireAsync(cancellationToken);
        // Checked under the lock: another request may have stored the same file or source since this one looked.
        foreach (var added in ChangeTracker.Entries<IContentAddressed>().Where(e => e.State == EntityState.Added).ToList())
            if (await added.Entity.IsStoredAsync(this, cancellationToken)) added.State = EntityState.Detached;
        var tags = CacheTags.Touched(ChangeTracker.Entries());
        await AuditRecorder.AppendAsync(this, Actor, cancellationToken);
        if (tags.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        // The tags' versions move in the same transaction as the data: no process can see one without the other.
        if (Database.CurrentTransaction is not null)
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await BumpCacheVersionsAsync(tags, cancellationToken);
            return saved;
        }
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var count = await base.SaveChangesAsync(false, cancellationToken);
        await BumpCacheVersionsAsync(tags, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return count;
    }

    private readonly Dictionary<string, long> _writtenTags = new(StringComparer.Ordinal);

    /// <summary>
    /// Raises the versions of these cache tags in the current transaction (a write made around EF calls it), and keeps
    /// them for <see cref="TakeWrittenTags"/> once the transaction commits.
    /// </summary>
    public async Task BumpCacheVersionsAsync(IReadOnlyCollection<string> tags, CancellationToken ct)
    {
        foreach (var (tag, version) in await Data.CacheVersions.BumpAsync(this, tags, ct)) _writtenTags[tag] = version;
    }

    /// <summary>
    /// The tags written since the last call, with the versions this context gave them: this process evicts them as soon
    /// as their transaction commits, and knows the versions for its own.
    /// </summary>
    public IReadOnlyDictionary<string, long> TakeWrittenTags()
    {
        var tags = new Dictionary<string, long>(_writtenTags, StringComparer.Ordinal);
        _writtenTags.Clear();
        return tags;
    }

    /// <summary>Only for appending audit entries themselves (a refused attempt).</summary>
    internal Task<int> SaveChangesWithoutAuditAsync(CancellationToken ct) => base.SaveChangesAsync(true, ct);

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Localised texts and small lists are values of their row, never queried inside: one JSON column
        // each keeps both providers on the same simple schema.
        builder.Properties<LocalizedText>().HaveConversion<JsonConverter<LocalizedText>, JsonComparer<LocalizedText>>();
        builder.Properties<List<string>>().HaveConversion<JsonConverter<List<string>>, JsonComparer<List<string>>>();
        builder.Properties<List<NativeName>>().HaveConversion<JsonConverter<List<NativeName>>, JsonComparer<List<NativeName>>>();
        builder.Properties<List<FigureCheck>>().HaveConversion<JsonConverter<List<FigureCheck>>, JsonComparer<List<FigureCheck>>>();
        builder.Properties<List<StateLanguage>>().HaveConversion<JsonConverter<List<StateLanguage>>, JsonComparer<List<StateLanguage>>>();
        builder.Properties<PartialDate>().HaveConversion<PartialDateConverter>().HaveMaxLength(10);
        builder.Properties<decimal>().HavePrecision(20, 6);
        // Enums as readable text: the database stays legible to a secretariat analyst with psql.
        builder.Properties<BodyKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<BodyStatus>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<MeetingStatus>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<DocumentKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<DocumentScope>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<Qualifier>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<Confidence>().HaveConversion<string>().HaveMaxLength(8);
        builder.Properties<CaravanRole>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<Features.Treaties.EntryIntoForceKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<Features.Treaties.RatificationStepKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<Features.Commitments.CommitmentKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<Features.Commitments.CombineRule>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<Features.Projects.ProjectStage>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<Features.Partnerships.PartnershipKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<Features.Partnerships.PartnershipStatus>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<SubmissionStatus>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<Features.Programmes.ProgrammeKind>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<Features.Programmes.LedgerEntryKind>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<Features.Selections.SelectionPhase>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<List<Features.Selections.SelectionCriterion>>().HaveConversion<JsonConverter<List<Features.Selections.SelectionCriterion>>, JsonComparer<List<Features.Selections.SelectionCriterion>>>();
        builder.Properties<SubmissionAction>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<List<Features.Commitments.SnapshotItem>>().HaveConversion<JsonConverter<List<Features.Commitments.SnapshotItem>>, JsonComparer<List<Features.Commitments.SnapshotItem>>>();
        builder.Properties<List<ProposedSource>>().HaveConversion<JsonConverter<List<ProposedSource>>, JsonComparer<List<ProposedSource>>>();
        builder.Properties<SortedDictionary<string, string?>>().HaveConversion<JsonConverter<SortedDictionary<string, string?>>, JsonComparer<SortedDictionary<string, string?>>>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.ApplyConfiguration(new CacheVersionConfiguration());
        // Identity's tables under plain names; the password hash and keys never reach the audit trail.
        b.Entity<CaravanUser>(e =>
        {
            e.ToTable("Users");
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.StateId).HasMaxLength(2);
            e.Property(x => x.InvitedBy).HasMaxLength(450);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<IdentityUserClaim<string>>().ToTable("UserClaims");
        b.Entity<IdentityUserLogin<string>>().ToTable("UserLogins");
        b.Entity<IdentityUserToken<string>>().ToTable("UserTokens");
        b.Entity<Features.Treaties.RatificationStep>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(200);
            e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
            e.HasIndex(x => new { x.DocumentId, x.StateId, x.Kind }).IsUnique();
            e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Commitments.ReportingPeriod>(e => e.Property(x => x.Id).HaveSlugLength());
        // Projects: the activity whole in one column, and what lists, filters and totals query beside it.
        // The import writes these tables through the providers' bulk paths (ProjectStore), not through EF.
        b.Entity<Features.Projects.Project>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.IatiIdentifier).HasMaxLength(200);
            e.HasIndex(x => x.IatiIdentifier).IsUnique();
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
            e.HasIndex(x => new { x.Published, x.IatiIdentifier, x.IsUmbrella, x.DirectionId, x.Status, x.Stage, x.StageOverride, x.ActualStart, x.PlannedStart, x.Id })
                .HasDatabaseName("IX_Projects_Listing");
            e.HasIndex(x => x.DirectionId);
            e.HasIndex(x => x.ParentIdentifier);
        });
        b.Entity<Features.Projects.ProjectTransaction>(e =>
        {
            e.HasKey(x => new { x.ProjectId, x.Seq });
            e.Property(x => x.Type).HasMaxLength(4);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasOne<Features.Projects.Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
            // Covers the totals: type, then what they group by, then the amount.
            e.HasIndex(x => new { x.Type, x.Year, x.Currency, x.ValueDate, x.ProjectId, x.Amount });
        });
        b.Entity<Features.Projects.ProjectCountry>(e =>
        {
            e.HasKey(x => new { x.ProjectId, x.CountryCode });
            e.Property(x => x.CountryCode).HasMaxLength(2);
            e.HasIndex(x => new { x.CountryCode, x.ProjectId });
            e.HasOne<Features.Projects.Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Features.Projects.ProjectCommitment>(e =>
        {
            e.HasKey(x => new { x.ProjectId, x.CommitmentId });
            e.Property(x => x.CommitmentId).HaveSlugLength();
            e.HasIndex(x => x.CommitmentId);
            e.HasOne<Features.Projects.Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Features.Commitments.Commitment>().WithMany().HasForeignKey(x => x.CommitmentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Projects.ImportRun>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.By).HasMaxLength(256);
            e.Property(x => x.Stopped).HasMaxLength(2000);
        });
        b.Entity<Features.Money.ExchangeRate>(e =>
        {
            e.HasKey(x => new { x.From, x.To, x.On });
            e.Property(x => x.From).HasMaxLength(3);
            e.Property(x => x.To).HasMaxLength(3);
            e.Property(x => x.Source).HasMaxLength(500);
            e.Property(x => x.Rate).HasPrecision(28, 12);
        });
        b.Entity<DocumentText>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(150);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.SourceId).HasMaxLength(100);
            e.Property(x => x.ImportedBy).HasMaxLength(256);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.HasIndex(x => new { x.DocumentId, x.Language, x.Version }).IsUnique();
            e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Provisions).WithOne().HasForeignKey(x => x.TextId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<DocumentAttachment>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.FileName).HasMaxLength(255);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.UploadedBy).HasMaxLength(256);
            e.HasIndex(x => x.DocumentId);
            e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Provision>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(200);
            e.Property(x => x.Number).HasMaxLength(40);
            e.Property(x => x.Label).HasMaxLength(100);
        });
        b.Entity<Features.Commitments.Snapshot>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.TakenBy).HasMaxLength(256);
            e.HasOne<Features.Commitments.ReportingPeriod>().WithMany().HasForeignKey(x => x.PeriodId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Seed.SeedRetraction>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(400);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.RecordId).HasMaxLength(360);
        });
        b.Entity<Features.Commitments.Commitment>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.ProvisionRef).HasMaxLength(100);
            e.HasOne<OutcomeDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Features.Commitments.ReportingPeriod>().WithMany().HasForeignKey(x => x.FirstPeriodId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.DirectionId);
        });
        b.Entity<Features.Commitments.ComplianceAssessment>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(200);
            e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
            e.HasIndex(x => new { x.CommitmentId, x.StateId, x.PeriodId }).IsUnique();
            // Covers the scorecard's sums: a period's scores are read from the index alone, in commitment order.
            e.HasIndex(x => new { x.PeriodId, x.CommitmentId, x.StateId, x.Score });
            e.HasOne<Features.Commitments.Commitment>().WithMany().HasForeignKey(x => x.CommitmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Features.Commitments.ReportingPeriod>().WithMany().HasForeignKey(x => x.PeriodId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AccessToken>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Prefix).HasMaxLength(16);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasOne<CaravanUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Submission>(e =>
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
        });
        b.Entity<SubmissionEvent>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.Role).HasMaxLength(64);
            e.Property(x => x.StateId).HasMaxLength(2);
            e.Property(x => x.Comment).HasMaxLength(4000);
        });
        // The culture and tourism capital selection: one nomination per state, one seat per person, one score per cell.
        b.Entity<Features.Selections.SelectionCall>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Ignore(x => x.RuleCriteria);
        });
        b.Entity<Features.Selections.SelectionNomination>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(110);
            e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
            e.Property(x => x.SubmittedById).HasMaxLength(450);
            e.Property(x => x.SubmittedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.CallId, x.StateId }).IsUnique();
            e.HasOne<Features.Selections.SelectionCall>().WithMany().HasForeignKey(x => x.CallId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Selections.SelectionJuror>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.Name).HasMaxLength(500);
            e.Property(x => x.StateId).HasMaxLength(2);
            e.Property(x => x.AppointedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.CallId, x.UserId }).IsUnique();
            e.HasOne<Features.Selections.SelectionCall>().WithMany().HasForeignKey(x => x.CallId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<CaravanUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Selections.SelectionConflict>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.StateId).HasMaxLength(2);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasIndex(x => new { x.JurorId, x.StateId }).IsUnique();
            e.HasOne<Features.Selections.SelectionJuror>().WithMany().HasForeignKey(x => x.JurorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Selections.SelectionScore>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.CriterionId).HasMaxLength(80);
            e.Property(x => x.Comment).HasMaxLength(2000);
            e.Property(x => x.Value).HasPrecision(5, 2);
            e.HasIndex(x => new { x.JurorId, x.NominationId, x.CriterionId }).IsUnique();
            e.HasIndex(x => x.NominationId);
            e.HasOne<Features.Selections.SelectionJuror>().WithMany().HasForeignKey(x => x.JurorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Features.Selections.SelectionNomination>().WithMany().HasForeignKey(x => x.NominationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Selections.SelectionDecision>(e =>
        {
            e.HasKey(x => x.CallId);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.HasOne<Features.Selections.SelectionCall>().WithMany().HasForeignKey(x => x.CallId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Features.Selections.SelectionNomination>().WithMany().HasForeignKey(x => x.NominationId).OnDelete(DeleteBehavior.Restrict);
        });
        // Partnerships: filtered by kind, state and status; both states are the record's scope.
        b.Entity<Features.Partnerships.Partnership>(e =>
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
        });
        // Every editable record: its Version is checked by the database on update.
        foreach (var type in b.Model.GetEntityTypes().Where(t => typeof(IVersioned).IsAssignableFrom(t.ClrType)))
            b.Entity(type.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        b.Entity<Source>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.Url).HasMaxLength(2000);
            e.Property(x => x.Title).HasMaxLength(1000);
            e.Property(x => x.Language).HasMaxLength(8);
        });
        b.Entity<SourceFile>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.MediaType).HasMaxLength(100);
        });
        b.Entity<Citation>(e =>
        {
            e.Property(x => x.SubjectType).HasMaxLength(32);
            e.Property(x => x.SubjectId).HasMaxLength(200);
            e.HasIndex(x => new { x.SubjectType, x.SubjectId, x.SourceId }).IsUnique();
            e.HasOne(x => x.Source).WithMany().HasForeignKey(x => x.SourceId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<MemberState>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(2);
            e.Property(x => x.Currency).HasMaxLength(3);
        });
        b.Entity<Body>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.HostStateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Meeting>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.HasOne(x => x.Body).WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.HostStateId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.Date);
        });
        b.Entity<OutcomeDocument>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.HasOne(x => x.Meeting).WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Parties).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.SignedOn);
        });
        b.Entity<DocumentParty>(e =>
        {
            e.HasKey(x => new { x.DocumentId, x.StateId });
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<PriorityDirection>(e => e.Property(x => x.Id).HaveSlugLength());
        b.Entity<PledgedMeasure>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.Unit).HasMaxLength(32);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.PledgedById).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PriorityDirection>().WithMany().HasForeignKey(x => x.DirectionId).OnDelete(DeleteBehavior.Restrict);
        });
        // Programmes: the pledge (seeded) and its ledger; balances are never stored, only derived from entries.
        b.Entity<Features.Programmes.Programme>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.Unit).HasMaxLength(32);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.PledgedById).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Body>().WithMany().HasForeignKey(x => x.BodyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PledgedMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Features.Programmes.ProgrammeEntry>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(200);
            e.Property(x => x.EvidenceUrl).HasMaxLength(2000);
            e.Property(x => x.OverrideReason).HasMaxLength(1000);
            e.Property(x => x.RecordedBy).HasMaxLength(256);
            e.Property(x => x.RecordedRole).HasMaxLength(64);
            e.HasOne<Features.Programmes.Programme>().WithMany().HasForeignKey(x => x.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.ProgrammeId, x.StateId, x.Year });
        });
        b.Entity<Indicator>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.Unit).HasMaxLength(64);
            e.HasMany(x => x.Values).WithOne().HasForeignKey(x => x.IndicatorId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.SameMeasureAs).HasMaxLength(100);
            e.HasOne<Indicator>().WithMany().HasForeignKey(x => x.SameMeasureAs).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<IndicatorValue>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(200);
            e.HasOne<MemberState>().WithMany().HasForeignKey(x => x.StateId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.IndicatorId, x.Year, x.StateId });
        });
        b.Entity<ReportedFigure>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.Unit).HasMaxLength(32);
            e.Property(x => x.RegistryCount).HasMaxLength(200);
        });
        b.Entity<AuditEntry>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Role).HasMaxLength(64);
            e.Property(x => x.Action).HasMaxLength(16);
            e.Property(x => x.SubjectType).HasMaxLength(64);
            e.Property(x => x.SubjectId).HasMaxLength(300);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.HasIndex(x => new { x.SubjectType, x.SubjectId });
        });
        b.Entity<DatasetVersion>(e =>
        {
            e.Property(x => x.Id).HaveSlugLength();
            e.Property(x => x.Sha256).HasMaxLength(64);
        });
    }
}

/// <summary>A lock awaited without blocking a thread, released by disposing what it returns.</summary>
internal sealed class AsyncLock
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() { semaphore.Release(); return ValueTask.CompletedTask; }
    }
}

internal static class ModelBuilderExtensions
{
    public static PropertyBuilder<string> HaveSlugLength(this PropertyBuilder<string> property) => property.HasMaxLength(100);
}

internal sealed class JsonConverter<T>() : ValueConverter<T, string>(
    v => JsonSerializer.Serialize(v, JsonOptions),
    s => JsonSerializer.Deserialize<T>(s, JsonOptions)!)
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

internal sealed class JsonComparer<T>() : ValueComparer<T>(
    (a, b) => JsonSerializer.Serialize(a, JsonConverter<T>.JsonOptions) == JsonSerializer.Serialize(b, JsonConverter<T>.JsonOptions),
    v => JsonSerializer.Serialize(v, JsonConverter<T>.JsonOptions).GetHashCode(StringComparison.Ordinal),
    v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, JsonConverter<T>.JsonOptions), JsonConverter<T>.JsonOptions)!);

internal sealed class PartialDateConverter() : ValueConverter<PartialDate, string>(
    v => v.ToIso(),
    s => PartialDate.Parse(s));
