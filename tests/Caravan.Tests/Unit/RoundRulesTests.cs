using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Programmes;
using Caravan.Features.Rounds;
using Caravan.Features.Submissions;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

/// <summary>Reporting rounds' rules without a database: which tasks a period owes, their status, who acts, the counts.</summary>
public sealed class RoundRulesTests
{
    private static readonly ReportingPeriod First = new() { Id = "p1", Order = 1, Name = new() { En = "p1" }, From = PartialDate.Parse("2023-05-19"), To = PartialDate.Parse("2025-06-17") };
    private static readonly ReportingPeriod Second = new() { Id = "p2", Order = 2, Name = new() { En = "p2" }, From = PartialDate.Parse("2025-06-17") };
    private static readonly RoundPeriod Round2 = new(Second, [First, Second], new DateOnly(2027, 3, 31));
    private static readonly DateTimeOffset BeforeDue = new(2027, 3, 31, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterDue = new(2027, 4, 1, 0, 0, 1, TimeSpan.Zero);

    private static Commitment C(string id, string[] parties, string first = "p2", string? treaty = null, bool cancelled = false, string? mergedInto = null, string[]? leads = null) =>
        new() { Id = id, Text = new() { En = id }, Parties = [.. parties], FirstPeriodId = first, ActiveOnceInForceId = treaty, Cancelled = cancelled, MergedIntoId = mergedInto, LeadBodies = [.. leads ?? []] };

    [Fact]
    public void A_period_owes_each_bound_partys_score_on_each_commitment_active_in_it()
    {
        var tasks = AssessmentTasks.Derive(Round2,
        [
            C("both", ["KZ", "CN"], first: "p1", leads: ["secretariat"]),
            C("later", ["UZ"], first: "p3-unknown"),
            C("cancelled", ["KZ"], cancelled: true),
            C("merged", ["KZ"], mergedInto: "both"),
            C("waits-treaty", ["TJ"], treaty: "t-not-in-force"),
            C("treaty-in-force", ["KG"], treaty: "t-in-force"),
            C("nobody", []),
        ], new HashSet<string> { "t-in-force" }, new HashSet<string> { "both:CN:p2" });
        Assert.Equal(["both:CN:p2", "both:KZ:p2", "treaty-in-force:KG:p2"], tasks.Select(t => t.RecordId));
        Assert.True(tasks[0].Done);
        Assert.False(tasks[1].Done);
        Assert.Equal(["secretariat"], tasks[1].Bodies);
        Assert.Equal("KZ", tasks[1].StateId);
        Assert.Equal("/work/assessments/new?id=both%3AKZ%3Ap2", tasks[1].Link);
        // Not yet active in the first period: a commitment first assessed in p2.
        Assert.Empty(AssessmentTasks.Derive(new RoundPeriod(First, [First, Second], new DateOnly(2025, 6, 17)), [C("x", ["KZ"])], new HashSet<string>(), new HashSet<string>()));
    }

    [Fact]
    public void An_annual_series_owes_the_years_that_ended_in_the_period_a_one_off_figure_nothing()
    {
        Assert.Equal([2025, 2026], RoundRules.YearsDue(Round2));
        Assert.Equal([2025], RoundRules.YearsDue(Round2 with { DueOn = new DateOnly(2026, 12, 31) }));
        Assert.Equal([2023, 2024], RoundRules.YearsDue(new RoundPeriod(First, [First], new DateOnly(2025, 6, 17))));
        var tasks = IndicatorValueTasks.Derive(Round2,
        [
            new("trade", new() { En = "Trade" }, "KZ", [2023, 2024, 2025]),
            new("trade", new() { En = "Trade" }, null, [2024]),
            new("flights", new() { En = "Flights" }, "UZ", [2026, 2025]),
        ]);
        Assert.Equal(["flights:2025:UZ", "flights:2026:UZ", "trade:2025:KZ", "trade:2026:KZ"], tasks.Select(t => t.RecordId));
        Assert.Equal([true, true, true, false], tasks.Select(t => t.Done));
        Assert.Equal(2026, tasks[3].Year);
    }

    [Fact]
    public void A_programme_owes_each_allocated_states_use_of_it_in_the_period()
    {
        var programme = new Programme { Id = "grant", Name = new() { En = "Grant" }, Unit = "CNY", PledgedById = "CN", PeriodFrom = new(2025, 1, 1), PeriodTo = new(2025, 12, 31), BodyId = "secretariat" };
        var old = new Programme { Id = "old", Name = new() { En = "Old" }, Unit = "CNY", PledgedById = "CN", PeriodFrom = new(2020, 1, 1), PeriodTo = new(2021, 12, 31) };
        var tasks = ProgrammeEntryTasks.Derive(Round2, [programme, old],
        [
            new("grant", "KZ", LedgerEntryKind.Allocation, new(2025, 1, 10)),
            new("grant", "UZ", LedgerEntryKind.Allocation, new(2025, 1, 10)),
            new("grant", "KZ", LedgerEntryKind.Disbursed, new(2025, 9, 1)),
            new("grant", "UZ", LedgerEntryKind.Disbursed, new(2025, 3, 1)), // before the period began
            new("old", "TJ", LedgerEntryKind.Allocation, new(2020, 2, 1)),
        ]);
        Assert.Equal([("KZ", true), ("UZ", false)], tasks.Select(t => (t.StateId!, t.Done)));
        Assert.True(tasks[1].Matches(ProgrammeEntry.RecordKind, "grant:UZ:2025-10"));
        Assert.False(tasks[1].Matches(ProgrammeEntry.RecordKind, "grant:UZZ:1"));
        Assert.Equal(["secretariat"], tasks[1].Bodies);
    }

    private static Submission Proposal(SubmissionStatus status, string[] states, string[]? bodies = null)
    {
        var author = new Caller("u-kz", "Aigerim", CaravanRole.NationalCoordinator, "KZ", new HashSet<string>(), true);
        var record = new EditableRecord("assessments", "x:KZ:p2", new() { En = "x" }, new RecordScope(states, bodies ?? []), 0, new Dictionary<string, string?>(), "/", "compliance-assessment");
        var s = Submission.Start(author, record, true, new Dictionary<string, string?>(), null, BeforeDue);
        if (status != SubmissionStatus.Draft) Assert.Null(s.Submit(author, BeforeDue));
        s.Status = status;
        return s;
    }

    [Fact]
    public void A_task_is_requested_then_overdue_submitted_validated_and_waits_for_the_right_person()
    {
        var task = AssessmentTasks.Derive(Round2, [C("c", ["KZ"], leads: ["secretariat"])], new HashSet<string>(), new HashSet<string>())[0];
        var due = Round2.DueOn;
        Assert.Equal((RoundTaskStatus.Requested, RoundWaitsFor.Proposal), RoundRules.StatusOf(false, null, due, BeforeDue));
        Assert.Equal((RoundTaskStatus.Overdue, RoundWaitsFor.Proposal), RoundRules.StatusOf(false, null, due, AfterDue));
        Assert.Equal([new RoundActor(CaravanRole.NationalCoordinator, "KZ", null), new RoundActor(CaravanRole.ProgrammeOfficer, null, "secretariat")],
            RoundRules.WhoActs(task, RoundWaitsFor.Proposal, null));
        var draft = Proposal(SubmissionStatus.Draft, ["KZ"]);
        Assert.Equal((RoundTaskStatus.Overdue, RoundWaitsFor.Submission), RoundRules.StatusOf(false, draft, due, AfterDue));
        Assert.Equal("u-kz", RoundRules.WhoActs(task, RoundWaitsFor.Submission, draft).Single().UserId);
        Assert.Equal((RoundTaskStatus.Requested, RoundWaitsFor.Rework), RoundRules.StatusOf(false, Proposal(SubmissionStatus.Returned, ["KZ"]), due, BeforeDue));
        // Submitted is not overdue, even past the due date: it waits for the secretariat.
        Assert.Equal((RoundTaskStatus.Submitted, RoundWaitsFor.Validation), RoundRules.StatusOf(false, Proposal(SubmissionStatus.Submitted, ["KZ"]), due, AfterDue));
        Assert.Equal([RoundActor.Secretariat], RoundRules.WhoActs(task, RoundWaitsFor.Validation, null));
        // A record of a state run by a body: the state confirms first.
        var shared = Proposal(SubmissionStatus.Submitted, ["UZ"], ["secretariat"]);
        Assert.Equal((RoundTaskStatus.Submitted, RoundWaitsFor.Confirmation), RoundRules.StatusOf(false, shared, due, BeforeDue));
        Assert.Equal([new RoundActor(CaravanRole.NationalCoordinator, "UZ", null)], RoundRules.WhoActs(task, RoundWaitsFor.Confirmation, shared));
        Assert.Equal((RoundTaskStatus.Validated, RoundWaitsFor.Publication), RoundRules.StatusOf(false, Proposal(SubmissionStatus.Validated, ["KZ"]), due, AfterDue));
        Assert.Equal((RoundTaskStatus.Validated, RoundWaitsFor.Nothing), RoundRules.StatusOf(true, null, due, AfterDue));
        Assert.Empty(RoundRules.WhoActs(task, RoundWaitsFor.Nothing, null));
        // The most advanced open submission leads; a withdrawn one does not count.
        var withdrawn = Proposal(SubmissionStatus.Withdrawn, ["KZ"]);
        Assert.Same(draft, RoundRules.Leading([withdrawn, draft]));
        var validated = Proposal(SubmissionStatus.Validated, ["KZ"]);
        Assert.Same(validated, RoundRules.Leading([draft, validated, withdrawn]));
        Assert.Null(RoundRules.Leading([withdrawn]));
    }

    [Fact]
    public void Progress_partitions_each_states_and_bodys_tasks_and_the_mechanisms_own()
    {
        static RoundTask T(string? state, params string[] bodies) => new("k", Guid.NewGuid().ToString(), new() { En = "t" }, null, state, bodies, "assessments", "x", false, false, "/");
        var progress = RoundRules.ProgressOf(
        [
            (T("KZ", "secretariat"), RoundTaskStatus.Requested),
            (T("KZ"), RoundTaskStatus.Validated),
            (T("CN", "secretariat"), RoundTaskStatus.Overdue),
            (T(null), RoundTaskStatus.Submitted),
        ]);
        Assert.Equal(
        [
            new RoundProgress("CN", null, 0, 1, 0, 0), new RoundProgress("KZ", null, 1, 0, 0, 1),
            new RoundProgress(null, "secretariat", 1, 1, 0, 0), new RoundProgress(null, null, 0, 0, 1, 0),
        ], progress);
        Assert.Equal(2, progress[1].Total);
    }

    [Fact]
    public void Reminders_fall_on_the_scheduled_days_before_the_due_date_of_an_open_round()
    {
        var round = new Round { Id = "r", Name = new() { En = "r" }, PeriodId = "p2", OpenedBy = "s", DueOn = new(2026, 4, 10), ReminderDays = [7, 1] };
        Assert.Equal(7, RoundRules.ReminderOn(round, new(2026, 4, 3)));
        Assert.Equal(1, RoundRules.ReminderOn(round, new(2026, 4, 9)));
        Assert.Null(RoundRules.ReminderOn(round, new(2026, 4, 4)));
        Assert.Null(RoundRules.ReminderOn(round, new(2026, 4, 10)));
        Assert.False(RoundRules.IsPastDue(round.DueOn, new DateTimeOffset(2026, 4, 10, 23, 59, 0, TimeSpan.Zero)));
        Assert.True(RoundRules.IsPastDue(round.DueOn, new DateTimeOffset(2026, 4, 11, 0, 0, 0, TimeSpan.Zero)));
        round.ClosedAt = DateTimeOffset.UnixEpoch;
        Assert.Null(RoundRules.ReminderOn(round, new(2026, 4, 3)));
    }

    [Fact]
    public void Every_task_kind_is_found_and_named_once()
    {
        Assert.Equal(["assessment", "indicator-value", "programme-entries", "milestone"], RoundTaskSource.All.Select(s => s.Kind));
    }

    [Fact]
    public void Milestones_falling_due_in_the_period_are_tasks_done_once_achieved_or_cancelled()
    {
        static Milestone M(string id, string? due, string? state = "KZ", string? achieved = null, bool cancelled = false) => new()
        {
            Id = id, CommitmentId = "c1", StateId = state, Title = new() { En = id },
            Due = due is null ? null : PartialDate.Parse(due), AchievedOn = achieved is null ? null : PartialDate.Parse(achieved),
            Cancelled = cancelled,
        };
        var leads = new Dictionary<string, IReadOnlyList<string>> { ["c1"] = ["platform-1"] };
        var tasks = MilestoneTasks.Derive(Round2, [
            M("before", "2025-06-16"), // due before the period began: an earlier round's
            M("open", "2026-03"), // judged by its last day, 2026-03-31
            M("achieved", "2026-09-01", achieved: "2026-08-30"),
            M("cancelled", "2026-12", cancelled: true),
            M("all-parties", "2027-03-31", state: null),
            M("after", "2027-04-01"), // after the round's last day
            M("undated", null, achieved: "2026-01-01"),
        ], leads);
        Assert.Equal(["open", "achieved", "cancelled", "all-parties"], tasks.Select(t => t.RecordId));
        Assert.Equal([false, true, true, false], tasks.Select(t => t.Done));
        Assert.All(tasks, t => Assert.Equal(("milestone", "milestones"), (t.Kind, t.RecordKind)));
        // A milestone of all parties is the commitment's bodies' business; one of a state, that state's.
        Assert.Null(tasks[3].StateId);
        Assert.Equal(["platform-1"], tasks[3].Bodies);
        Assert.Equal("KZ", tasks[0].StateId);
    }
}
