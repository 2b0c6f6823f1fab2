using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Caravan.Features.Audit;

/// <summary>
/// Turns the changes a DbContext is about to save into audit entries, in the same transaction. It runs
/// inside <see cref="CaravanDbContext.SaveChangesAsync(bool, CancellationToken)"/>, so no code path can
/// write data without leaving a trace; and it refuses any update or deletion of an audit entry.
/// </summary>
/// <summary>
/// A row whose audit entries are filed under another record (a citation under the record it cites for),
/// so that the record's history finds them with one query.
/// </summary>
public interface IAuditedWith
{
    string AuditSubjectId { get; }
}

/// <summary>
/// A row of the platform's own working, not of the mechanism's data: a message in the outbox and inbox (raised by a
/// change that is itself audited), a scheduled job's mark that it ran. It is not appended to the audit trail.
/// </summary>
public interface IUnaudited;

internal static class AuditRecorder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string Redacted = "[redacted]";

    /// <summary>Appends a refused attempt (an edit outside the caller's rights) and saves it at once.</summary>
    public static async Task AppendRefusalAsync(CaravanDbContext db, AuditActor actor, string subjectType,
        string subjectId, string attempted, DateTimeOffset now, CancellationToken ct)
    {
        await db.WriteAsync(async () =>
        {
            var last = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id)
                .Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
            var (lastId, lastHash) = last is null ? (0L, AuditChain.Genesis) : (last.Id, last.Hash);
            var after = JsonSerializer.Serialize(
                new SortedDictionary<string, string> { ["attempted"] = attempted }, Json);
            db.AuditEntries.Add(AuditChain.Append(lastId, lastHash, now, actor, "refused", subjectType, subjectId,
                null, after, AuditSealExtension.KeysOf(db)));
            return await db.SaveChangesWithoutAuditAsync(ct);
        }, ct);
        db.ChangeTracker.Clear();
    }

    public static async Task AppendAsync(CaravanDbContext db, AuditActor actor, CancellationToken ct)
    {
        var changes = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        if (changes.Any(e => e.Entity is (AuditEntry or AuditAnchor) && e.State != EntityState.Added))
            throw new InvalidOperationException(
                "The audit trail is append-only: an audit entry or anchor cannot be updated or deleted.");
        // An anchor records the head; auditing it would move the head it records.
        // Nor are the data-protection keys: key material must never reach the trail.
        var audited = changes.Where(e => e.Entity is not (AuditEntry or AuditAnchor or IUnaudited
            or Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey)).ToList();
        if (audited.Count == 0) return;
        var keys = AuditSealExtension.KeysOf(db);

        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id)
            .Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
        var (lastId, lastHash) = last is null ? (0L, AuditChain.Genesis) : (last.Id, last.Hash);
        var now = DateTimeOffset.UtcNow;
        foreach (var change in audited)
        {
            var (action, before, after) = change.State switch
            {
                EntityState.Added => ("create", null, Values(change, modifiedOnly: false, original: false)),
                EntityState.Deleted => ("delete", Values(change, modifiedOnly: false, original: true), null),
                _ => ("update", Values(change, modifiedOnly: true, original: true),
                    Values(change, modifiedOnly: true, original: false)),
            };
            if (action == "update" && before == after) continue; // a change back to the stored value
            var entry = AuditChain.Append(lastId, lastHash, now, actor, action, SubjectType(change), SubjectId(change),
                before, after, keys);
            db.AuditEntries.Add(entry);
            (lastId, lastHash) = (entry.Id, entry.Hash);
        }
    }

    private static string SubjectType(EntityEntry e) => SeedEnums.ToKebab(e.Metadata.ClrType.Name.Split('`')[0]);

    /// <summary>The primary key, or a unique alternate key while the database has not yet assigned one.</summary>
    private static string SubjectId(EntityEntry e)
    {
        if (e.Entity is IAuditedWith with) return with.AuditSubjectId;
        var key = e.Metadata.FindPrimaryKey()!.Properties;
        if (key.Any(p => e.Property(p.Name).IsTemporary))
            key = e.Metadata.GetIndexes().FirstOrDefault(i => i.IsUnique)?.Properties ?? key;
        return string.Join("/", key.Select(p =>
            Convert.ToString(e.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The fields as stored (after value converters), so that the JSON reads like the row.</summary>
    private static string Values(EntityEntry e, bool modifiedOnly, bool original)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.Properties)
        {
            if (p.IsTemporary || (modifiedOnly && !p.IsModified)) continue;
            var value = original ? p.OriginalValue : p.CurrentValue;
            // Secrets never enter the trail: that they changed is recorded, not their value. (An audit log
            // readable by the secretariat must not become a store of password hashes and TOTP keys.)
            if (value is not null && p.Metadata.IsRedactedInAudit())
            {
                values[p.Metadata.Name] = original || !modifiedOnly ? Redacted : Redacted + " changed";
                continue;
            }
            var converter = p.Metadata.GetValueConverter() ?? p.Metadata.GetTypeMapping().Converter;
            values[p.Metadata.Name] = value is null || converter is null ? value : converter.ConvertToProvider(value);
        }
        return JsonSerializer.Serialize(values, Json);
    }
}
