namespace Caravan.Features.Audit;

/// <summary>
/// One change, appended to the audit trail and never updated or deleted. Entries form a hash chain:
/// each <see cref="Hash"/> covers the entry's content and the previous entry's hash, so that an altered,
/// inserted or deleted entry breaks the chain where it happened.
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
    public required string Hash { get; set; }
}

/// <summary>Who is changing data in the current unit of work, for the audit trail.</summary>
public sealed record AuditActor(string Actor, string Role, string? Reason)
{
    public static readonly AuditActor System = new("system", "system", null);
    public static readonly AuditActor Anonymous = new("anonymous", "public", null);
}
