using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;

namespace Caravan.Data;

/// <summary>
/// The version of one cache tag: raised in the same transaction as every write to the data the tag covers, so that
/// every process serving answers from this database (another instance, after a CLI import or a restore) sees the
/// change by reading this small table.
/// </summary>
public sealed class CacheVersion
{
    public required string Tag { get; set; }
    public long Version { get; set; }
}

public sealed class CacheVersionConfiguration : IEntityTypeConfiguration<CacheVersion>
{
    public void Configure(EntityTypeBuilder<CacheVersion> entity)
    {
        entity.HasKey(v => v.Tag);
        entity.Property(v => v.Tag).HasMaxLength(64);
    }
}

/// <summary>
/// What a write touches, named by feature: an entity of <c>Caravan.Features.Projects</c> is tag "projects". Accounts,
/// Identity rows, access tokens and the audit trail are no public answer's data: they have no tag, so a sign-in (even a
/// failed one, which counts the failure on the account) evicts nothing.
/// </summary>
public static class CacheTags
{
    /// <summary>The tag of answers that did not say what they depend on: every public write evicts it.</summary>
    public const string Public = "public";

    private const string FeaturesNamespace = "Caravan.Features.";
    private static readonly HashSet<string> Private = ["accounts", "audit"];

    /// <summary>The feature tag of an entity type, or null for data no public answer shows.</summary>
    public static string? Of(Type entity)
    {
        var ns = entity.Namespace;
        if (ns is null || !ns.StartsWith(FeaturesNamespace, StringComparison.Ordinal)) return null;
        var feature = ns[FeaturesNamespace.Length..].Split('.')[0];
        var tag = Caravan.Features.Seed.SeedEnums.ToKebab(feature);
        return Private.Contains(tag) ? null : tag;
    }

    public static IReadOnlySet<string> Touched(IEnumerable<EntityEntry> entries) => entries
        .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
        .Select(e => Of(e.Metadata.ClrType)).OfType<string>().ToHashSet(StringComparer.Ordinal);
}

public static class CacheVersions
{
    /// <summary>
    /// Raises each tag's version by one (creating its row at 1), on the given connection and transaction: one upsert
    /// that SQLite and PostgreSQL both read, atomic, so two processes writing at once both move the version.
    /// </summary>
    /// <returns>The tags' new versions.</returns>
    public static async Task<IReadOnlyDictionary<string, long>> BumpAsync(DbConnection connection,
        DbTransaction? transaction, IReadOnlyCollection<string> tags, CancellationToken ct)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        if (tags.Count == 0) return versions;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new List<string>();
        foreach (var (tag, i) in tags.Order(StringComparer.Ordinal).Select((t, i) => (t, i)))
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@t{i}";
            p.Value = tag;
            command.Parameters.Add(p);
            values.Add($"(@t{i}, 1)");
        }
        command.CommandText = $"""
            INSERT INTO "CacheVersions" ("Tag", "Version") VALUES {string.Join(", ", values)}
            ON CONFLICT ("Tag") DO UPDATE SET "Version" = "CacheVersions"."Version" + 1
            RETURNING "Tag", "Version"
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) versions[reader.GetString(0)] = reader.GetInt64(1);
        return versions;
    }

    /// <summary>As above, in the context's current transaction.</summary>
    public static Task<IReadOnlyDictionary<string, long>> BumpAsync(
        DbContext db, IReadOnlyCollection<string> tags, CancellationToken ct) =>
        BumpAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), tags, ct);
}
