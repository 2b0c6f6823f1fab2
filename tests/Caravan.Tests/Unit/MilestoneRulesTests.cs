using Caravan.Features.Commitments;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

/// <summary>A milestone's status, its place in the freshness light and its checks: pure rules, no database.</summary>
public sealed class MilestoneRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);
    private static PartialDate D(string iso) => PartialDate.Parse(iso);

    [Fact]
    public void Overdue_is_past_the_last_day_the_due_date_allows_and_not_achieved()
    {
        Assert.Equal(MilestoneStatus.Overdue, MilestoneRules.StatusOf(D("2026-12-06"), null, false, Today));
        Assert.Equal(MilestoneStatus.Planned, MilestoneRules.StatusOf(D("2026-12-07"), null, false, Today)); // due today
        // A month or a year is due by its last day: "2026-12" and "2026" are not overdue on 7 December 2026.
        Assert.Equal(MilestoneStatus.Planned, MilestoneRules.StatusOf(D("2026-12"), null, false, Today));
        Assert.Equal(MilestoneStatus.Planned, MilestoneRules.StatusOf(D("2026"), null, false, Today));
        Assert.Equal(MilestoneStatus.Overdue, MilestoneRules.StatusOf(D("2026-11"), null, false, Today));
        Assert.Equal(MilestoneStatus.Overdue, MilestoneRules.StatusOf(D("2025"), null, false, Today));
        // No due date stated: never overdue.
        Assert.Equal(MilestoneStatus.Planned, MilestoneRules.StatusOf(null, null, false, Today));
    }

    [Fact]
    public void Achieved_and_cancelled_are_never_overdue_and_cancelled_wins()
    {
        Assert.Equal(MilestoneStatus.Achieved, MilestoneRules.StatusOf(D("2025-01"), D("2025-07-21"), false, Today));
        Assert.Equal(MilestoneStatus.Cancelled, MilestoneRules.StatusOf(D("2025-01"), null, true, Today));
        Assert.Equal(MilestoneStatus.Cancelled, MilestoneRules.StatusOf(D("2025-01"), D("2025-02"), true, Today));
        Assert.True(MilestoneRules.AchievedLate(D("2025-01"), D("2025-07-21")));
        Assert.False(MilestoneRules.AchievedLate(D("2025"), D("2025-12-31")));
        Assert.False(MilestoneRules.AchievedLate(null, D("2025-12-31")));
    }

    [Fact]
    public void An_overdue_milestone_turns_an_up_to_date_or_due_light_overdue()
    {
        // Without milestones the light is the assessments' own.
        Assert.Equal(Freshness.Updated, ComplianceRules.FreshnessOf(4, 1, 4, false, overdueMilestones: 0));
        Assert.Equal(Freshness.Overdue, ComplianceRules.FreshnessOf(4, 1, 4, false, overdueMilestones: 1));
        Assert.Equal(Freshness.Overdue, ComplianceRules.FreshnessOf(3, 1, 4, false, overdueMilestones: 2));
        Assert.Equal(Freshness.Overdue, ComplianceRules.FreshnessOf(3, 1, 4, true, overdueMilestones: 1));
        // Inactive is already the worst; a commitment not yet in effect has nothing due.
        Assert.Equal(Freshness.Inactive, ComplianceRules.FreshnessOf(1, 1, 4, false, overdueMilestones: 1));
        Assert.Equal(Freshness.NotYetActive, ComplianceRules.FreshnessOf(null, 5, 4, false, overdueMilestones: 1));
        // The old overload is the rule without milestones.
        Assert.Equal(ComplianceRules.FreshnessOf(3, 1, 4, false), ComplianceRules.FreshnessOf(3, 1, 4, false, 0));
    }

    private static Milestone M(string? due, string? achieved = null, bool cancelled = false, string? state = null) => new()
    {
        Id = $"c:{state ?? "all"}:m", CommitmentId = "c", StateId = state, Title = new() { En = "Step" },
        Due = due is null ? null : D(due), AchievedOn = achieved is null ? null : D(achieved), Cancelled = cancelled,
    };

    [Fact]
    public void Falling_due_in_a_period_is_by_the_last_allowed_day_and_only_while_open()
    {
        var (from, to) = (new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30));
        Assert.True(MilestoneRules.FallsDueBetween(M("2026-06"), from, to)); // 30 June: the period's last day
        Assert.True(MilestoneRules.FallsDueBetween(M("2026-01-01"), from, to));
        Assert.False(MilestoneRules.FallsDueBetween(M("2026"), from, to)); // due by 31 December
        Assert.False(MilestoneRules.FallsDueBetween(M("2025-12-31"), from, to));
        Assert.False(MilestoneRules.FallsDueBetween(M("2026-03", achieved: "2026-02"), from, to));
        Assert.False(MilestoneRules.FallsDueBetween(M("2026-03", cancelled: true), from, to));
        Assert.False(MilestoneRules.FallsDueBetween(M(null, achieved: "2026-02"), from, to));
    }

    [Fact]
    public void A_milestone_about_every_party_concerns_each_party_and_one_about_a_state_only_that_state()
    {
        string[] parties = ["CN", "KZ"];
        Assert.True(MilestoneRules.Concerns(M("2026"), parties, "KZ"));
        Assert.False(MilestoneRules.Concerns(M("2026"), parties, "UZ"));
        Assert.True(MilestoneRules.Concerns(M("2026", state: "KZ"), parties, "KZ"));
        Assert.False(MilestoneRules.Concerns(M("2026", state: "KZ"), parties, "CN"));
    }

    [Fact]
    public void A_milestone_is_named_dated_not_achieved_in_the_future_and_an_achievement_has_evidence()
    {
        static List<string> Fields(Dictionary<string, string?> values) =>
            [.. MilestoneRecords.Check(values, Today).Select(e => e.Field)];
        Assert.Equal(["title.en", "due"], Fields([]));
        Assert.Empty(Fields(new() { ["title.zh"] = "中心揭牌", ["due"] = "2027" }));
        Assert.Equal(["achieved-on", "evidence.en"], Fields(new() { ["title.en"] = "Opened", ["achieved-on"] = "2026-12-08" }));
        Assert.Equal(["evidence.en"], Fields(new() { ["title.en"] = "Opened", ["achieved-on"] = "2026-12" }));
        Assert.Empty(Fields(new() { ["title.en"] = "Opened", ["achieved-on"] = "2026-12-07", ["evidence.ru"] = "Открыт" }));
    }

    [Fact]
    public void A_milestone_about_one_state_is_that_states_and_the_commitments_bodies()
    {
        var c = new Commitment
        {
            Id = "c", Text = new() { En = "x" }, FirstPeriodId = "p", Parties = ["CN", "KZ"], LeadBodies = ["secretariat"],
            SupportingBodies = ["business-council", "secretariat"],
        };
        var kz = MilestoneRules.ScopeOf(c, "KZ");
        Assert.Equal(["KZ"], kz.States);
        Assert.Equal(["secretariat", "business-council"], kz.Bodies);
        Assert.True(kz.NeedsConfirmationFromEachState); // an officer's proposal about Kazakhstan: Kazakhstan confirms
        var all = MilestoneRules.ScopeOf(c, null);
        Assert.Empty(all.States);
        Assert.False(all.NeedsConfirmationFromEachState);
    }
}
