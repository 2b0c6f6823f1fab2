using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Commitments;
using Caravan.Features.Documents;
using Caravan.Features.Indicators;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Money;
using Caravan.Features.Notifications;
using Caravan.Features.OpenData;
using Caravan.Features.Partnerships;
using Caravan.Features.Programmes;
using Caravan.Features.Projects;
using Caravan.Features.Rounds;
using Caravan.Features.Seed;
using Caravan.Features.Selections;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Data;

/// <summary>
/// The one DbContext: its tables, its saves (versioned, content-addressed, audited) and the conventions every
/// entity shares (<see cref="ModelConventions"/>). Each entity is configured beside it, in its feature's folder.
/// It holds the Identity user store too (users, their TOTP keys and recovery codes), so that an account change
/// is audited like any other.
/// </summary>
public sealed class CaravanDbContext(DbContextOptions<CaravanDbContext> options)
    : IdentityUserContext<CaravanUser>(options), IDataProtectionKeyContext
{
    /// <summary>The data-protection key ring, shared by every node (Accounts feature).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    /// <summary>Sign-in attempts per client address and minute, shared by every node (Accounts feature).</summary>
    public DbSet<Caravan.Features.Accounts.SignInWindow> SignInWindows => Set<Caravan.Features.Accounts.SignInWindow>();
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
    public DbSet<RatificationStep> RatificationSteps => Set<RatificationStep>();
    public DbSet<ReportingPeriod> ReportingPeriods => Set<ReportingPeriod>();
    public DbSet<Commitment> Commitments => Set<Commitment>();
    public DbSet<ComplianceAssessment> Assessments => Set<ComplianceAssessment>();
    public DbSet<Milestone> Milestones => Set<Milestone>();
    public DbSet<Snapshot> Snapshots => Set<Snapshot>();
    public DbSet<Features.Reports.FrozenReportFacts> ReportFacts => Set<Features.Reports.FrozenReportFacts>();
    public DbSet<SeedRetraction> SeedRetractions => Set<SeedRetraction>();
    public DbSet<DocumentText> DocumentTexts => Set<DocumentText>();
    public DbSet<Provision> Provisions => Set<Provision>();
    public DbSet<DocumentAttachment> Attachments => Set<DocumentAttachment>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<SubmissionEvent> SubmissionEvents => Set<SubmissionEvent>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectTransaction> ProjectTransactions => Set<ProjectTransaction>();
    public DbSet<ProjectCountry> ProjectCountries => Set<ProjectCountry>();
    public DbSet<ProjectCommitment> ProjectCommitments => Set<ProjectCommitment>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ExchangeRate> ExchangeRates => Set<ExchangeRate>();
    public DbSet<Programme> Programmes => Set<Programme>();
    public DbSet<ProgrammeEntry> ProgrammeEntries => Set<ProgrammeEntry>();
    public DbSet<SelectionCall> SelectionCalls => Set<SelectionCall>();
    public DbSet<SelectionNomination> SelectionNominations => Set<SelectionNomination>();
    public DbSet<SelectionJuror> SelectionJurors => Set<SelectionJuror>();
    public DbSet<SelectionConflict> SelectionConflicts => Set<SelectionConflict>();
    public DbSet<SelectionScore> SelectionScores => Set<SelectionScore>();
    public DbSet<SelectionDecision> SelectionDecisions => Set<SelectionDecision>();
    public DbSet<Partnership> Partnerships => Set<Partnership>();
    public DbSet<Round> Rounds => Set<Round>();
    public DbSet<CacheVersion> CacheVersions => Set<CacheVersion>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<ScheduledRun> ScheduledRuns => Set<ScheduledRun>();
    public DbSet<OpenDataRelease> OpenDataReleases => Set<OpenDataRelease>();
    public DbSet<OpenDataChunk> OpenDataChunks => Set<OpenDataChunk>();

    /// <summary>
    /// Writes are taken one at a time in this process (so that they queue here rather than in the database), and
    /// one at a time across processes by a lock in the database (<see cref="LockWritersAsync"/>).
    /// </summary>
    internal static readonly AsyncLock WriteLock = new();

    /// <summary>True inside <see cref="WriteAsync{T}"/>: this context holds both locks and a transaction.</summary>
    private bool _writing;

    /// <summary>
    /// Set when this context first writes: from then on it connects to the primary only, so a request reads its own
    /// writes and a write never reaches a read-only standby (ADR 0030). Reads before it may be made on a standby.
    /// </summary>
    public bool PrimaryOnly { get; private set; }

    /// <summary>Who the changes saved by this context are attributed to in the audit trail.</summary>
    public AuditActor Actor { get; set; } = AuditActor.System;

    /// <summary>
    /// Runs a check and the write it guards as one step: inside one transaction that holds the writers' lock in the
    /// database, so no other request — in this process or another — can write between what the check read and what
    /// the write saves (a pledge's balance, a record's version, one nomination per state). Nested calls join the
    /// outer one. The transaction commits when <paramref name="work"/> returns, and rolls back if it throws.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (_writing) return await work();
        if (Database.CurrentTransaction is not null)
            throw new InvalidOperationException("A write step cannot start inside a transaction begun elsewhere.");
        PrimaryOnly = true;
        await using var _ = await WriteLock.AcquireAsync(ct);
        _writing = true;
        try
        {
            await using var transaction = await Database.BeginTransactionAsync(ct);
            await LockWritersAsync(ct);
            var result = await work();
            await transaction.CommitAsync(ct);
            return result;
        }
        finally { _writing = false; }
    }

    /// <summary>
    /// Runs a read of many queries as one read (a report's facts, an open-data release): in one transaction at
    /// REPEATABLE READ on PostgreSQL (every statement sees the state of the first), a deferred transaction on SQLite (in
    /// WAL mode its first read fixes what every later one sees, and it takes no write lock, so writers do not wait).
    /// An import committing meanwhile is seen whole or not at all. Inside a transaction begun elsewhere, that one serves.
    /// </summary>
    public async Task<T> ReadAsOneAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (Database.CurrentTransaction is not null) return await work();
        if (Database.IsNpgsql())
        {
            await using var tx = await Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            var result = await work();
            await tx.CommitAsync(ct);
            return result;
        }
        await Database.OpenConnectionAsync(ct);
        try
        {
            // EF's own BeginTransaction on SQLite is IMMEDIATE (it takes the write lock): a deferred one is begun here.
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)Database.GetDbConnection();
            await using var tx = connection.BeginTransaction(deferred: true);
            await Database.UseTransactionAsync(tx, ct);
            try
            {
                var result = await work();
                await tx.CommitAsync(ct);
                return result;
            }
            finally { await Database.UseTransactionAsync(null, ct); }
        }
        finally { await Database.CloseConnectionAsync(); }
    }

    /// <summary>
    /// Takes the writers' lock for the current transaction. SQLite's is the database's own: the transaction began with
    /// BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), which holds the write lock from the first statement on.
    /// PostgreSQL's is an advisory lock held until the transaction ends; at READ COMMITTED, each statement after it
    /// sees every write committed before it.
    /// </summary>
    private Task LockWritersAsync(CancellationToken ct) =>
        LockWritersAsync(Database.GetDbConnection(),
            Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(
                Database.CurrentTransaction!), ct);

    /// <summary>
    /// The same lock, for a transaction a bulk writer began on the connection itself (<see cref="ProjectStore"/>): on
    /// PostgreSQL the advisory lock; on SQLite nothing more, as the transaction's BEGIN IMMEDIATE holds the file's.
    /// </summary>
    public static async Task LockWritersAsync(System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction, CancellationToken ct)
    {
        if (connection is not Npgsql.NpgsqlConnection) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({WritersLockKey})";
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The advisory lock's key: "Caravan" in ASCII, so a DBA who sees it in pg_locks knows whose.</summary>
    public const long WritersLockKey = 0x43617261_76616E;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Every save appends its changes to the audit trail in the same transaction, under the writers' lock: the chain's
    /// next position depends on its last, so two processes appending at once would otherwise collide.
    /// </summary>
    public override async Task<int> SaveChangesAsync(
        bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        foreach (var edited in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
            edited.Entity.Version++;
        if (_writing) return await SaveUnderLockAsync(acceptAllChangesOnSuccess, cancellationToken);
        PrimaryOnly = true;
        if (Database.CurrentTransaction is not null)
        {
            // A transaction begun around EF (a seed import): the database's lock is taken in it, but not this
            // process's, which may already be queued behind this very transaction's lock in SQLite.
            await LockWritersAsync(cancellationToken);
            return await SaveUnderLockAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        var count = await WriteAsync(() => SaveUnderLockAsync(false, cancellationToken), cancellationToken);
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return count;
    }

    private async Task<int> SaveUnderLockAsync(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        // Checked under the lock: another request may have stored the same file or source since this one looked.
        foreach (var added in ChangeTracker.Entries<IContentAddressed>()
                     .Where(e => e.State == EntityState.Added).ToList())
            if (await added.Entity.IsStoredAsync(this, ct)) added.State = EntityState.Detached;
        var tags = CacheTags.Touched(ChangeTracker.Entries());
        var hooks = new List<(ISaveHook Hook, object State)>();
        foreach (var hook in SaveHooks.All)
            if (await hook.BeforeSaveAsync(this, ct) is { } state) hooks.Add((hook, state));
        await AuditRecorder.AppendAsync(this, Actor, ct);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        // Derived data moves in the same transaction as the rows it is derived from.
        foreach (var (hook, state) in hooks) await hook.AfterSaveAsync(this, state, ct);
        // The tags' versions move in the same transaction as the data: no process can see one without the other.
        if (tags.Count > 0) await BumpCacheVersionsAsync(tags, ct);
        return saved;
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

    /// <summary>Only for appending audit entries themselves (a refused attempt), in a write step.</summary>
    internal Task<int> SaveChangesWithoutAuditAsync(CancellationToken ct) => _writing
        ? base.SaveChangesAsync(true, ct)
        : throw new InvalidOperationException("An audit entry is appended under the writers' lock.");

    protected override void ConfigureConventions(ModelConfigurationBuilder builder) =>
        ModelConventions.Apply(builder, ModelConventions.EntityTypes(this));

    /// <summary>Each entity's <see cref="IEntityTypeConfiguration{TEntity}"/> is beside it, in its feature.</summary>
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.ApplyConfigurationsFromAssembly(typeof(CaravanDbContext).Assembly);
        // Every editable record: its Version is checked by the database on update.
        foreach (var type in b.Model.GetEntityTypes().Where(t => t.ClrType.IsAssignableTo(typeof(IVersioned))))
            b.Entity(type.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
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
