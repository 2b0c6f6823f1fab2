namespace Caravan.Features.Audit;

/// <summary>
/// One change, appended to the audit trail and never updated or deleted. Entries form a sealed chain:
/// each <see cref="Hash"/> (the seal) covers the entry's content and the previous entry's seal, so that an
/// altered, inserted or deleted entry breaks the chain where it happened; and it is an HMAC with a key kept
/// outside the database (<see cref="KeyId"/>), so that nobody with the database alone can add or rewrite one.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Position in the chain: 1, 2, 3… without gaps (assigned by Caravan, not the database).</summary>
    public long Id { get; set; }
    /// <summary>UTC, to the millisecond (both providers store it exactly).</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>Who: a user id, or <c>system:…</c> for Caravan's own work (the seed loader).</summary>
    public required string Actor { get; set; }
    /// <summary>In which role the actor acted.</summary>
    public required string Role { get; set; }
    /// <summary><c>create</c>, <c>update</c>, <c>delete</c>, or <c>refused</c> for a denied attempt.</summary>
    public required string Action { get; set; }
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    /// <summary>The changed fields before, as JSON; null for a creation.</summary>
    public string? Before { get; set; }
    /// <summary>The changed fields after, as JSON; null for a deletion.</summary>
    public string? After { get; set; }
    /// <summary>Why, in the actor's words or the process's.</summary>
    public string? Reason { get; set; }
    public required string PreviousHash { get; set; }
    /// <summary>
    /// The seal: HMAC-SHA256 with the key <see cref="KeyId"/>; for an entry written before entries were keyed
    /// (<see cref="KeyId"/> null), a plain SHA-256, accepted only before the first keyed entry.
    /// </summary>
    public required string Hash { get; set; }
    /// <summary>Which key sealed the entry (see <see cref="AuditKeyRing"/>); null for the legacy prefix.</summary>
    public string? KeyId { get; set; }
}

/// <summary>
/// The chain's head (an entry's position and seal) recorded at a point in time: at start-up, daily, or by
/// <c>caravan audit anchor</c>. <c>audit verify</c> checks the chain against every one, so a tail removed after
/// it is caught. The same line also goes to the log and, if set, to a file outside the database.
/// Append-only, and not itself audited (recording the head must not move it).
/// </summary>
public sealed class AuditAnchor
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public required string Seal { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary><c>start-up</c>, <c>daily</c> or <c>cli</c>.</summary>
    public required string Source { get; set; }
}

/// <summary>Who is changing data in the current unit of work, for the audit trail.</summary>
public sealed record AuditActor(string Actor, string Role, string? Reason)
{
    public static readonly AuditActor System = new("system", "system", null);
    public static readonly AuditActor Anonymous = new("anonymous", "public", null);
}
