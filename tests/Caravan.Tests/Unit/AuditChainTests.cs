using Caravan.Features.Audit;

namespace Caravan.Tests.Unit;

/// <summary>The audit trail's hash chain, without a database.</summary>
public sealed class AuditChainTests
{
    private static List<AuditEntry> Chain(int length)
    {
        var entries = new List<AuditEntry>();
        var (id, hash) = (0L, AuditChain.Genesis);
        var at = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.FromHours(8));
        for (var i = 0; i < length; i++)
        {
            var e = AuditChain.Append(id, hash, at.AddSeconds(i), new AuditActor("kz-coordinator", "national-coordinator", "ratification step"),
                "update", "outcome-document", $"doc-{i}", """{"title":"old"}""", """{"title":"новое 新"}""");
            entries.Add(e);
            (id, hash) = (e.Id, e.Hash);
        }
        return entries;
    }

    [Fact]
    public void An_untouched_chain_is_intact()
    {
        var result = AuditChain.Verify(Chain(5));
        Assert.True(result.Intact);
        Assert.Equal(5, result.Entries);
        Assert.Equal(5, result.LastId);
    }

    [Fact]
    public void Changing_any_field_changes_the_hash()
    {
        var e = Chain(1)[0];
        var variants = new Func<AuditEntry, AuditEntry>[]
        {
            x => Copy(x, c => c.Actor = "someone else"), x => Copy(x, c => c.Role = "secretariat-admin"),
            x => Copy(x, c => c.Action = "delete"), x => Copy(x, c => c.SubjectType = "body"), x => Copy(x, c => c.SubjectId = "doc-x"),
            x => Copy(x, c => c.Before = null), x => Copy(x, c => c.After = "{}"), x => Copy(x, c => c.Reason = null),
            x => Copy(x, c => c.At = c.At.AddMilliseconds(1)), x => Copy(x, c => c.PreviousHash = new string('1', 64)), x => Copy(x, c => c.Id = 2),
        };
        Assert.All(variants, v => Assert.NotEqual(e.Hash, AuditChain.ComputeHash(v(e))));
        // Field boundaries are length-prefixed: moving text from one field to the next is still a change.
        Assert.NotEqual(e.Hash, AuditChain.ComputeHash(Copy(e, c => { c.Actor += "n"; c.Role = c.Role[1..]; })));
    }

    [Fact]
    public void An_altered_entry_is_named()
    {
        var chain = Chain(6);
        chain[3].After = """{"title":"forged"}""";
        var result = AuditChain.Verify(chain);
        Assert.Equal((4L, AuditBreak.Altered), (result.BrokenAt!.Value, result.Break!.Value));
    }

    [Fact]
    public void A_deleted_entry_is_named()
    {
        var chain = Chain(6);
        chain.RemoveAt(2);
        var result = AuditChain.Verify(chain);
        Assert.Equal((3L, AuditBreak.Deleted), (result.BrokenAt!.Value, result.Break!.Value));
    }

    [Fact]
    public void An_inserted_entry_with_a_self_consistent_hash_is_named()
    {
        var chain = Chain(4);
        var forged = AuditChain.Append(4, new string('a', 64), DateTimeOffset.UtcNow, AuditActor.System, "create", "body", "fake", null, "{}");
        chain.Add(forged);
        var result = AuditChain.Verify(chain);
        Assert.Equal((5L, AuditBreak.Inserted), (result.BrokenAt!.Value, result.Break!.Value));
    }

    [Fact]
    public void An_anchor_catches_a_rewritten_or_truncated_tail()
    {
        var chain = Chain(5);
        var anchor = (chain[4].Id, chain[4].Hash);
        Assert.True(AuditChain.Verify(chain, anchor).Intact);
        Assert.Equal(AuditBreak.AnchorMismatch, AuditChain.Verify(chain.Take(3), anchor).Break);
        var rewritten = Chain(4);
        rewritten.Add(AuditChain.Append(4, rewritten[3].Hash, DateTimeOffset.UtcNow, AuditActor.System, "delete", "body", "x", "{}", null));
        Assert.Equal(AuditBreak.AnchorMismatch, AuditChain.Verify(rewritten, anchor).Break);
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond_in_utc()
    {
        var at = new DateTimeOffset(2026, 11, 24, 8, 0, 0, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, 123, TimeSpan.Zero), AuditChain.Normalise(at));
    }

    private static AuditEntry Copy(AuditEntry e, Action<AuditEntry> change)
    {
        var c = new AuditEntry
        {
            Id = e.Id, At = e.At, Actor = e.Actor, Role = e.Role, Action = e.Action, SubjectType = e.SubjectType, SubjectId = e.SubjectId,
            Before = e.Before, After = e.After, Reason = e.Reason, PreviousHash = e.PreviousHash, Hash = e.Hash,
        };
        change(c);
        return c;
    }
}
