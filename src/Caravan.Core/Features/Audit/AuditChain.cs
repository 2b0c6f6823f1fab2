using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Caravan.Features.Audit;

public enum AuditBreak
{
    /// <summary>The entry's content no longer matches its hash.</summary>
    Altered,
    /// <summary>The entry's hash is consistent but it does not follow the entry before it.</summary>
    Inserted,
    /// <summary>An entry is missing: the chain skips a position.</summary>
    Deleted,
    /// <summary>The chain does not reach, or does not match, an anchor kept out of band.</summary>
    AnchorMismatch,
}

/// <summary>The result of walking the chain: intact, or the first place where it breaks.</summary>
public sealed record AuditVerification(long Entries, long? LastId, string LastHash, long? BrokenAt, AuditBreak? Break)
{
    public bool Intact => BrokenAt is null;

    public string Describe() => Break switch
    {
        null => $"Audit trail intact: {Entries} entries; "
            + $"last #{LastId?.ToString(CultureInfo.InvariantCulture) ?? "-"} {LastHash}",
        AuditBreak.Altered
            => $"Audit trail broken at entry #{BrokenAt}: altered (its content does not match its hash).",
        AuditBreak.Inserted
            => $"Audit trail broken at entry #{BrokenAt}: inserted (it does not follow the entry before it).",
        AuditBreak.Deleted => $"Audit trail broken at entry #{BrokenAt}: deleted (the entry is missing).",
        _ => $"Audit trail broken at entry #{BrokenAt}: it does not match the anchor kept out of band.",
    };
}

/// <summary>The hash chain's rules: how an entry is hashed and how a chain is checked. No database.</summary>
public static class AuditChain
{
    /// <summary>The hash before the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// SHA-256 over every field but the hash itself, each length-prefixed so that no two different
    /// entries share an encoding.
    /// </summary>
    public static string ComputeHash(AuditEntry e)
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
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
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
    /// Makes the next entry of a chain whose last entry is (<paramref name="lastId"/>, <paramref name="lastHash"/>).
    /// </summary>
    public static AuditEntry Append(long lastId, string lastHash, DateTimeOffset at, AuditActor actor, string action,
        string subjectType, string subjectId, string? before, string? after)
    {
        var entry = new AuditEntry
        {
            Id = lastId + 1, At = Normalise(at), Actor = actor.Actor, Role = actor.Role, Action = action,
            SubjectType = subjectType, SubjectId = subjectId, Before = before, After = after, Reason = actor.Reason,
            PreviousHash = lastHash, Hash = "",
        };
        entry.Hash = ComputeHash(entry);
        return entry;
    }

    /// <summary>
    /// Walks the entries in order and names the first that breaks the chain. An optional anchor
    /// (an entry's position and hash kept out of band) also catches a rewritten or truncated tail.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entriesInOrder,
        (long Id, string Hash)? anchor = null)
    {
        long count = 0;
        long expected = 1;
        var previous = Genesis;
        long? lastId = null;
        var anchorSeen = false;
        foreach (var e in entriesInOrder)
        {
            count++;
            if (e.Id > expected) return new(count, lastId, previous, expected, AuditBreak.Deleted);
            if (e.Id < expected) return new(count, lastId, previous, e.Id, AuditBreak.Inserted);
            var contentOk = ComputeHash(e) == e.Hash;
            if (!contentOk) return new(count, lastId, previous, e.Id, AuditBreak.Altered);
            if (e.PreviousHash != previous) return new(count, lastId, previous, e.Id, AuditBreak.Inserted);
            if (anchor is { } a && a.Id == e.Id)
            {
                if (a.Hash != e.Hash) return new(count, lastId, previous, e.Id, AuditBreak.AnchorMismatch);
                anchorSeen = true;
            }
            previous = e.Hash;
            lastId = e.Id;
            expected++;
        }
        if (anchor is { } missing
            && !anchorSeen) return new(count, lastId, previous, missing.Id, AuditBreak.AnchorMismatch);
        return new(count, lastId, previous, null, null);
    }
}
