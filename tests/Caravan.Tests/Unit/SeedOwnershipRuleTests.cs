using Caravan.Features.Seed;

namespace Caravan.Tests.Unit;

/// <summary>The rule a newer seed dataset follows per row (ADR 0008): it writes only what nobody else changed since it last did.</summary>
public sealed class SeedOwnershipRuleTests
{
    private static LastChange By(string actor, long entry, string action = "update") =>
        new(entry, actor, "secretariat-editor", action, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public void A_row_only_the_seed_wrote_or_nobody_wrote_is_the_seeds_to_update()
    {
        Assert.Null(SeedOwnership.ChangedSinceSeed(lastBySeed: null, lastByOthers: null)); // a row the seed adds
        Assert.Null(SeedOwnership.ChangedSinceSeed(lastBySeed: 12, lastByOthers: null));
    }

    [Fact]
    public void A_row_someone_changed_after_the_seed_last_wrote_it_is_kept_with_that_change_as_the_reason()
    {
        var published = By("secretariat@example.org", 40);
        Assert.Same(published, SeedOwnership.ChangedSinceSeed(lastBySeed: 12, lastByOthers: published));
        // Created through the workflow before a dataset listed it: the workflow's record is kept too.
        var created = By("kz@example.org", 7, "create");
        Assert.Same(created, SeedOwnership.ChangedSinceSeed(lastBySeed: null, lastByOthers: created));
        // Deleted outside the seed: not brought back.
        var deleted = By("secretariat@example.org", 50, "delete");
        Assert.Same(deleted, SeedOwnership.ChangedSinceSeed(lastBySeed: 12, lastByOthers: deleted));
    }

    [Fact]
    public void A_change_the_seed_already_wrote_over_is_no_reason_to_keep()
    {
        // A database loaded before the rule existed: the seed overwrote the edit then; the row is the seed's again.
        Assert.Null(SeedOwnership.ChangedSinceSeed(lastBySeed: 90, lastByOthers: By("kz@example.org", 40)));
    }

    [Fact]
    public void The_audit_type_is_the_one_the_audit_trail_files_the_entity_under()
    {
        Assert.Equal("indicator-value", SeedOwnership.AuditTypeOf(typeof(Caravan.Features.Indicators.IndicatorValue)));
        Assert.Equal("compliance-assessment", SeedOwnership.AuditTypeOf(typeof(Caravan.Features.Commitments.ComplianceAssessment)));
        Assert.Equal("outcome-document", SeedOwnership.AuditTypeOf(typeof(Caravan.Features.Documents.OutcomeDocument)));
    }
}
