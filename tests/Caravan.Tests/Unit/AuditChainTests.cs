using Caravan.Features.Audit;

namespace Caravan.Tests.Unit;

/// <summary>
/// The audit trail's sealed chain, without a database: every way of tampering with the table that the issue lists
/// (change, delete, insert, truncate, append, recompute), a wrong key id, a rotated key and the legacy prefix.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly byte[] Key1 = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] Key2 = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
    private static readonly AuditKeyRing Ring = new("k1", new Dictionary<string, byte[]> { ["k1"] = Key1 });
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.FromHours(8));

    private static List<AuditEntry> Chain(int length, AuditKeyRing? keys = null, List<AuditEntry>? onto = null)
    {
        var entries = onto ?? [];
        var (id, hash) = entries.Count == 0 ? (0L, AuditChain.Genesis) : (entries[^1].Id, entries[^1].Hash);
        for (var i = 0; i < length; i++)
        {
            var e = AuditChain.Append(id, hash, Start.AddSeconds(id), new AuditActor("kz-coordinator", "national-coordinator", "ratification step"),
                "update", "outcome-document", $"doc-{id}", """{"title":"old"}""", """{"title":"новое 新"}""", keys ?? Ring);
            entries.Add(e);
            (id, hash) = (e.Id, e.Hash);
        }
        return entries;
    }

    /// <summary>An entry as written before entries were keyed: a plain SHA-256, no key id.</summary>
    private static List<AuditEntry> LegacyChain(int length)
    {
        var chain = Chain(length);
        var previous = AuditChain.Genesis;
        foreach (var e in chain)
        {
            e.KeyId = null;
            e.PreviousHash = previous;
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
        }
        return chain;
    }

    /// <summary>What someone with the database but without the key can write: a correct plain SHA-256.</summary>
    private static AuditEntry Unkeyed(long id, string previous, string? keyId)
    {
        var e = new AuditEntry
        {
            Id = id, At = AuditChain.Normalise(Start.AddSeconds(id)), Actor = "mallory", Role = "secretariat-admin", Action = "delete",
            SubjectType = "outcome-document", SubjectId = "astana-declaration-2025", Before = "{}", Reason = "cover-up",
            PreviousHash = previous, Hash = "", KeyId = keyId,
        };
        e.Hash = AuditChain.ComputeHash(e);
        return e;
    }

    private static (long?, AuditBreak?) Break(AuditVerification v) => (v.BrokenAt, v.Break);

    [Fact]
    public void An_untouched_chain_is_intact()
    {
        var result = AuditChain.Verify(Chain(5), Ring);
        Assert.True(result.Intact, result.Describe());
        Assert.Equal((5L, 5L, 0L), (result.Entries, result.LastId!.Value, result.Legacy));
        Assert.Equal(["k1"], result.KeysUsed);
    }

    [Fact]
    public void Changing_any_field_changes_the_seal()
    {
        var e = Chain(1)[0];
        var variants = new Func<AuditEntry, AuditEntry>[]
        {
            x => Copy(x, c => c.Actor = "someone else"), x => Copy(x, c => c.Role = "secretariat-admin"),
            x => Copy(x, c => c.Action = "delete"), x => Copy(x, c => c.SubjectType = "body"), x => Copy(x, c => c.SubjectId = "doc-x"),
            x => Copy(x, c => c.Before = null), x => Copy(x, c => c.After = "{}"), x => Copy(x, c => c.Reason = null),
            x => Copy(x, c => c.At = c.At.AddMilliseconds(1)), x => Copy(x, c => c.PreviousHash = new string('1', 64)), x => Copy(x, c => c.Id = 2),
            x => Copy(x, c => c.KeyId = "k2"),
        };
        Assert.All(variants, v => Assert.NotEqual(e.Hash, AuditChain.Seal(v(e), Key1)));
        // Field boundaries are length-prefixed: moving text from one field to the next is still a change.
        Assert.NotEqual(e.Hash, AuditChain.Seal(Copy(e, c => { c.Actor += "n"; c.Role = c.Role[1..]; }), Key1));
        // The seal is keyed: the same entry under another key, or hashed without one, is another value.
        Assert.NotEqual(e.Hash, AuditChain.Seal(e, Key2));
        Assert.NotEqual(e.Hash, AuditChain.ComputeHash(e));
    }

    [Fact]
    public void Change_an_altered_entry_is_named()
    {
        var chain = Chain(6);
        chain[3].After = """{"title":"forged"}""";
        Assert.Equal((4L, AuditBreak.Altered), Break(AuditChain.Verify(chain, Ring)));
    }

    [Fact]
    public void Delete_a_missing_entry_is_named()
    {
        var chain = Chain(6);
        chain.RemoveAt(2);
        Assert.Equal((3L, AuditBreak.Deleted), Break(AuditChain.Verify(chain, Ring)));
    }

    [Fact]
    public void Insert_an_entry_put_between_two_others_is_named()
    {
        // Without the key: the inserted entry's seal is a hash anyone can compute.
        var chain = Chain(6);
        var forged = Unkeyed(4, chain[2].Hash, "k1");
        var shifted = Chain(3).Append(forged).Concat(chain.Skip(3).Select(e => Copy(e, c => c.Id++))).ToList();
        Assert.Equal((4L, AuditBreak.Forged), Break(AuditChain.Verify(shifted, Ring)));
        // With the key (an entry sealed by Caravan for another place in the chain): it does not follow its predecessor.
        var replayed = Chain(6);
        replayed.Insert(3, AuditChain.Append(3, replayed[0].Hash, Start, AuditActor.System, "create", "body", "fake", null, "{}", Ring));
        Assert.Equal((4L, AuditBreak.Inserted), Break(AuditChain.Verify(replayed, Ring)));
    }

    [Fact]
    public void Truncate_a_removed_tail_is_caught_by_an_anchor()
    {
        var chain = Chain(6);
        var anchor = new AuditHead(chain[4].Id, chain[4].Hash, "the daily anchor of 2026-11-24 00:00Z");
        Assert.True(AuditChain.Verify(chain, Ring, [anchor]).Intact);
        var cut = AuditChain.Verify(chain.Take(3), Ring, [anchor]);
        Assert.Equal((4L, AuditBreak.Truncated), Break(cut));
        Assert.Equal((3L, 5L), (cut.LastId!.Value, cut.Expected!.Value));
        Assert.Contains("the daily anchor of 2026-11-24 00:00Z recorded entry #5", cut.Describe());
        // Without an anchor a shorter chain is a whole chain: what truncation needs an anchor for.
        Assert.True(AuditChain.Verify(chain.Take(3), Ring).Intact);
        // An empty trail where an anchor recorded entries.
        Assert.Equal((1L, AuditBreak.Truncated), Break(AuditChain.Verify([], Ring, [anchor])));
    }

    [Fact]
    public void Append_an_entry_with_a_correct_sha256_but_no_hmac_is_caught_without_an_anchor()
    {
        var withKeyId = Chain(5);
        withKeyId.Add(Unkeyed(6, withKeyId[4].Hash, "k1"));
        var result = AuditChain.Verify(withKeyId, Ring);
        Assert.Equal((6L, AuditBreak.Forged), Break(result));
        Assert.Contains("entry #6: forged", result.Describe());
        // As a legacy entry (no key id), after sealed ones.
        var legacyStyle = Chain(5);
        legacyStyle.Add(Unkeyed(6, legacyStyle[4].Hash, null));
        Assert.Equal((6L, AuditBreak.Unsealed), Break(AuditChain.Verify(legacyStyle, Ring)));
    }

    [Fact]
    public void Recompute_a_rewritten_tail_with_recomputed_hashes_is_caught_without_an_anchor()
    {
        var chain = Chain(6);
        // Rewrite #4 and recompute its seal and every later one, as a plain SHA-256 and under a guessed key.
        foreach (var (seal, why) in new (Func<AuditEntry, string>, AuditBreak)[]
            { (AuditChain.ComputeHash, AuditBreak.Forged), (e => AuditChain.Seal(e, Key2), AuditBreak.Altered) })
        {
            var rewritten = chain.Take(3).ToList();
            foreach (var e in chain.Skip(3))
            {
                var c = Copy(e, x => { x.PreviousHash = rewritten[^1].Hash; x.Reason = "nothing happened"; });
                c.Hash = seal(c);
                rewritten.Add(c);
            }
            Assert.Equal((4L, why), Break(AuditChain.Verify(rewritten, Ring)));
        }
    }

    [Fact]
    public void Wrong_key_id_an_entry_naming_a_key_the_installation_lacks_is_named()
    {
        var chain = Chain(4);
        chain.AddRange(Chain(2, new AuditKeyRing("k9", new Dictionary<string, byte[]> { ["k9"] = Key2 }), [.. chain]).Skip(4));
        var result = AuditChain.Verify(chain, Ring);
        Assert.Equal((5L, AuditBreak.UnknownKey), Break(result));
        Assert.Contains("sealed with key 'k9'", result.Describe());
        // Relabelled to a key the ring has: the seal does not match that key.
        chain[4].KeyId = "k1";
        Assert.Equal((5L, AuditBreak.Altered), Break(AuditChain.Verify(chain, Ring)));
    }

    [Fact]
    public void Rotated_key_old_entries_verify_with_their_own_key()
    {
        var both = new AuditKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = Key1, ["k2"] = Key2 });
        var chain = Chain(3, both, Chain(3));
        Assert.Equal(["k1", "k1", "k1", "k2", "k2", "k2"], chain.Select(e => e.KeyId));
        var result = AuditChain.Verify(chain, both);
        Assert.True(result.Intact, result.Describe());
        Assert.Equal(["k1", "k2"], result.KeysUsed);
        // The old key dropped from the ring: the first entry it sealed is named.
        var onlyNew = new AuditKeyRing("k2", new Dictionary<string, byte[]> { ["k2"] = Key2 });
        Assert.Equal((1L, AuditBreak.UnknownKey), Break(AuditChain.Verify(chain, onlyNew)));
    }

    [Fact]
    public void Legacy_entries_verify_as_a_prefix_only()
    {
        var chain = Chain(3, onto: LegacyChain(4));
        var result = AuditChain.Verify(chain, Ring);
        Assert.True(result.Intact, result.Describe());
        Assert.Equal(4, result.Legacy);
        var altered = Chain(3, onto: LegacyChain(4));
        altered[1].Actor = "mallory";
        Assert.Equal((2L, AuditBreak.Altered), Break(AuditChain.Verify(altered, Ring)));
    }

    [Fact]
    public void An_anchor_catches_a_tail_rewritten_with_the_key()
    {
        var chain = Chain(5);
        var anchor = new AuditHead(chain[4].Id, chain[4].Hash, "the snapshot xian-to-astana");
        var rewritten = Chain(4);
        rewritten.Add(AuditChain.Append(4, rewritten[3].Hash, DateTimeOffset.UtcNow, AuditActor.System, "delete", "body", "x", "{}", null, Ring));
        var result = AuditChain.Verify(rewritten, Ring, [anchor]);
        Assert.Equal((5L, AuditBreak.AnchorMismatch), Break(result));
        Assert.Contains("does not match the anchor kept out of band (the snapshot xian-to-astana)", result.Describe());
    }

    [Fact]
    public void A_key_ring_refuses_short_keys_and_an_unknown_current_key()
    {
        Assert.Throws<ArgumentException>(() => new AuditKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = new byte[16] }));
        Assert.Throws<ArgumentException>(() => new AuditKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = Key1 }));
        Assert.Throws<ArgumentException>(() => new AuditKeyRing("k 1", new Dictionary<string, byte[]> { ["k 1"] = Key1 }));
    }

    /// <summary>
    /// What the HMAC costs `audit verify`: a wide bound (a loaded shared machine), and the figure printed for
    /// docs/benchmarks.md.
    /// </summary>
    [Fact]
    public void Verifying_a_hundred_thousand_sealed_entries_takes_well_under_ten_seconds()
    {
        var sealing = System.Diagnostics.Stopwatch.StartNew();
        var chain = Chain(100_000);
        sealing.Stop();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = AuditChain.Verify(chain, Ring, [new AuditHead(50_000, chain[49_999].Hash, "test")]);
        clock.Stop();
        Assert.True(result.Intact, result.Describe());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"sealing 100,000 entries: {sealing.ElapsedMilliseconds} ms; verifying them: {clock.ElapsedMilliseconds} ms");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
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
            Before = e.Before, After = e.After, Reason = e.Reason, PreviousHash = e.PreviousHash, Hash = e.Hash, KeyId = e.KeyId,
        };
        change(c);
        return c;
    }
}
