using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Caravan.Features.Audit;

public enum AuditBreak
{
    /// <summary>The entry's content no longer matches its seal.</summary>
    Altered,
    /// <summary>The entry's seal is consistent but it does not follow the entry before it.</summary>
    Inserted,
    /// <summary>An entry is missing: the chain skips a position.</summary>
    Deleted,
    /// <summary>The chain does not match an anchor (an entry's seal recorded earlier): a rewritten entry.</summary>
    AnchorMismatch,
    /// <summary>The chain ends before an anchor's entry: its tail was removed.</summary>
    Truncated,
    /// <summary>
    /// The entry's seal is a plain SHA-256 of its content, which anyone can compute, where an HMAC with the key
    /// is required: it was written without the key (appended, inserted or recomputed).
    /// </summary>
    Forged,
    /// <summary>The entry has no key id but follows keyed entries: only the legacy prefix may be unkeyed.</summary>
    Unsealed,
    /// <summary>The entry names a key this installation does not have.</summary>
    UnknownKey,
}

/// <summary>
/// An entry's position and seal recorded elsewhere (a snapshot, an anchor, a file, the command line), and where
/// it was found, to name it in a report.
/// </summary>
public sealed record AuditHead(long Id, string Seal, string Source);

/// <summary>The result of walking the chain: intact, or the first place where it breaks.</summary>
public sealed record AuditVerification(long Entries, long? LastId, string LastHash, long? BrokenAt, AuditBreak? Break)
{
    public bool Intact => BrokenAt is null;
    /// <summary>Entries of the legacy prefix (plain SHA-256, written before entries were keyed).</summary>
    public long Legacy { get; init; }
    /// <summary>The key ids that sealed the rest.</summary>
    public IReadOnlyList<string> KeysUsed { get; init; } = [];
    /// <summary>How many anchors the chain was checked against.</summary>
    public int Anchors { get; init; }
    /// <summary>The anchor that caught the break, or the unknown key id.</summary>
    public string? Detail { get; init; }
    /// <summary>For <see cref="AuditBreak.Truncated"/>: the anchor's entry, beyond the end of the trail.</summary>
    public long? Expected { get; init; }

    public string Describe()
    {
        var at = $"Audit trail broken at entry #{BrokenAt}";
        return Break switch
        {
            null => $"Audit trail intact: {Entries} entries ({Legacy} legacy unkeyed, {Entries - Legacy} sealed"
                + (KeysUsed.Count > 0 ? $" with key {string.Join(", ", KeysUsed)}" : "")
                + $"); last #{LastId?.ToString(CultureInfo.InvariantCulture) ?? "-"} {LastHash}; "
                + $"checked against {Anchors} anchor(s).",
            AuditBreak.Altered => $"{at}: altered (its content does not match its seal).",
            AuditBreak.Inserted => $"{at}: inserted (it does not follow the entry before it).",
            AuditBreak.Deleted => $"{at}: deleted (the entry is missing).",
            AuditBreak.Forged => $"{at}: forged (its seal is a plain SHA-256 that anyone can compute, not the HMAC "
                + "of its key: written without the key, as an appended, inserted or recomputed entry).",
            AuditBreak.Unsealed => $"{at}: unsealed (it has no key id but follows sealed entries: written without "
                + "the key, as an appended, inserted or recomputed entry).",
            AuditBreak.UnknownKey => $"{at}: sealed with key '{Detail}', which is not among this installation's "
                + "keys (Caravan:Audit:Keys or the key file): restore that key, or the entry is forged.",
            AuditBreak.Truncated => $"Audit trail cut after entry #{LastId?.ToString(CultureInfo.InvariantCulture)
                ?? "0"}: {Detail} recorded entry #{Expected}, so the tail from #{BrokenAt} was removed.",
            _ => $"{at}: it does not match the anchor kept out of band ({Detail}): the entry was rewritten.",
        };
    }
}

/// <summary>The sealed chain's rules: how an entry is sealed and how a chain is checked. No database.</summary>
public static class AuditChain
{
    /// <summary>The seal before the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// The legacy seal: SHA-256 over every field but the seal and key id, each length-prefixed so that no two
    /// different entries share an encoding. Entries written before entries were keyed carry it.
    /// </summary>
    public static string ComputeHash(AuditEntry e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text(e, keyed: false))));

    /// <summary>The seal: HMAC-SHA256 with <paramref name="key"/> over the same fields and the key id.</summary>
    public static string Seal(AuditEntry e, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Text(e, keyed: true))));

    /// <summary>
    /// What someone without the key could put in the seal column: a plain SHA-256 of the content, with or
    /// without the key id. A seal equal to one of these was not made with the key.
    /// </summary>
    private static bool IsPlainHash(AuditEntry e) => e.Hash == ComputeHash(e)
        || e.Hash == Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text(e, keyed: true))));

    private static string Text(AuditEntry e, bool keyed)
    {
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value is null ? "-1:" : $"{value.Length}:{value}").Append('\n');
        Field(e.Id.ToString(CultureInfo.InvariantCulture));
        Field(Timestamp(e.At));
        Field(e.Actor);
        Field(e.Role);
        Field(e.Action);
        Field(e.SubjectType);
        Field(e.SubjectId);
        Field(e.Before);
        Field(e.After);
        Field(e.Reason);
        Field(e.PreviousHash);
        if (keyed) Field(e.KeyId);
        return text.ToString();
    }

    /// <summary>Truncated to the millisecond in UTC: the precision both databases keep exactly.</summary>
    public static DateTimeOffset Normalise(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    private static string Timestamp(DateTimeOffset at)
        => Normalise(at).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// Makes the next entry of a chain whose last entry is (<paramref name="lastId"/>, <paramref name="lastHash"/>),
    /// sealed with the ring's current key.
    /// </summary>
    public static AuditEntry Append(long lastId, string lastHash, DateTimeOffset at, AuditActor actor, string action,
        string subjectType, string subjectId, string? before, string? after, AuditKeyRing keys)
    {
        var entry = new AuditEntry
        {
            Id = lastId + 1, At = Normalise(at), Actor = actor.Actor, Role = actor.Role, Action = action,
            SubjectType = subjectType, SubjectId = subjectId, Before = before, After = after, Reason = actor.Reason,
            PreviousHash = lastHash, Hash = "", KeyId = keys.CurrentKeyId,
        };
        keys.TryGetKey(keys.CurrentKeyId, out var key);
        entry.Hash = Seal(entry, key);
        return entry;
    }

    /// <summary>
    /// Walks the entries in order and names the first that breaks the chain: a gap, an entry out of place, a
    /// content that does not match its seal, a seal made without the key, or an unkeyed entry after a keyed one.
    /// Every anchor (an entry's position and seal recorded earlier) must match its entry, and the chain must
    /// reach the furthest one: that catches a tail rewritten by someone with the key, or removed.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entriesInOrder, AuditKeyRing? keys,
        IEnumerable<AuditHead>? anchors = null)
    {
        var byEntry = (anchors ?? []).GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.ToList());
        long count = 0, legacy = 0, expected = 1;
        var previous = Genesis;
        long? lastId = null;
        var keyed = false;
        var used = new SortedSet<string>(StringComparer.Ordinal);
        AuditVerification Broken(long at, AuditBreak why, string? detail = null) =>
            new(count, lastId, previous, at, why) { Legacy = legacy, KeysUsed = [.. used], Detail = detail,
                Anchors = byEntry.Values.Sum(l => l.Count) };
        foreach (var e in entriesInOrder)
        {
            count++;
            if (e.Id > expected) return Broken(expected, AuditBreak.Deleted);
            if (e.Id < expected) return Broken(e.Id, AuditBreak.Inserted);
            if (e.KeyId is null)
            {
                if (keyed) return Broken(e.Id, AuditBreak.Unsealed);
                if (ComputeHash(e) != e.Hash) return Broken(e.Id, AuditBreak.Altered);
                legacy++;
            }
            else
            {
                keyed = true;
                if (keys is null || !keys.TryGetKey(e.KeyId, out var key))
                    return Broken(e.Id, AuditBreak.UnknownKey, e.KeyId);
                if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Seal(e, key)),
                        Encoding.ASCII.GetBytes(e.Hash)))
                    return Broken(e.Id, IsPlainHash(e) ? AuditBreak.Forged : AuditBreak.Altered);
                used.Add(e.KeyId);
            }
            if (e.PreviousHash != previous) return Broken(e.Id, AuditBreak.Inserted);
            if (byEntry.TryGetValue(e.Id, out var here) && here.FirstOrDefault(a => a.Seal != e.Hash) is { } differs)
                return Broken(e.Id, AuditBreak.AnchorMismatch, differs.Source);
            previous = e.Hash;
            lastId = e.Id;
            expected++;
        }
        var furthest = byEntry.Values.SelectMany(l => l).Where(a => a.Id >= expected).MaxBy(a => a.Id);
        if (furthest is not null)
            return Broken(expected, AuditBreak.Truncated, furthest.Source) with { Expected = furthest.Id };
        return new(count, lastId, previous, null, null)
            { Legacy = legacy, KeysUsed = [.. used], Anchors = byEntry.Values.Sum(l => l.Count) };
    }
}
