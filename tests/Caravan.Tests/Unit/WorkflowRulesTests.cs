using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Tests.Support;

namespace Caravan.Tests.Unit;

/// <summary>The scoping rules and the submission workflow, as plain methods, without a database.</summary>
public sealed class WorkflowRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static Caller Coordinator(string state, bool mfa = true) => new($"c-{state}", $"{state}@example.org", CaravanRole.NationalCoordinator, state, new HashSet<string>(), mfa);
    private static Caller Officer(params string[] bodies) => new("o", "o@example.org", CaravanRole.ProgrammeOfficer, null, bodies.ToHashSet(), true);
    private static readonly Caller Secretariat = new("s", "s@example.org", CaravanRole.SecretariatEditor, null, new HashSet<string>(), true);

    private static EditableRecord Record(RecordScope scope) => new("indicator-values", "x:2025:KZ", new LocalizedText { En = "X" }, scope, 3,
        new Dictionary<string, string?> { ["value"] = "1", ["qualifier"] = "exact" }, "/indicators/x", "indicator-value");

    private static Submission Proposed(Caller author, RecordScope scope) =>
        Submission.Start(author, Record(scope), false, new Dictionary<string, string?> { ["value"] = "2", ["qualifier"] = "exact" }, "new figure", Now);

    [Fact]
    public void A_coordinator_submits_for_their_own_state_only_and_the_secretariat_writes_directly()
    {
        Assert.Equal(WriteRight.Submit, Access.WriteRightOn(Coordinator("KZ"), RecordScope.OfState("KZ")));
        Assert.Equal(WriteRight.None, Access.WriteRightOn(Coordinator("UZ"), RecordScope.OfState("KZ")));
        Assert.Equal(WriteRight.None, Access.WriteRightOn(Coordinator("KZ"), RecordScope.Mechanism));
        Assert.Equal(WriteRight.Direct, Access.WriteRightOn(Secretariat, RecordScope.OfState("KZ")));
        Assert.Equal(WriteRight.None, Access.WriteRightOn(null, RecordScope.OfState("KZ")));
    }

    [Fact]
    public void Nobody_writes_without_a_second_factor_or_with_a_read_only_token()
    {
        Assert.Equal(WriteRight.None, Access.WriteRightOn(Coordinator("KZ", mfa: false), RecordScope.OfState("KZ")));
        Assert.Equal(WriteRight.None, Access.WriteRightOn(Secretariat with { ReadOnly = true }, RecordScope.OfState("KZ")));
    }

    [Fact]
    public void An_officer_writes_for_their_bodies_only()
    {
        Assert.Equal(WriteRight.Submit, Access.WriteRightOn(Officer("education-platform", "culture-platform"), RecordScope.OfBody("culture-platform")));
        Assert.Equal(WriteRight.None, Access.WriteRightOn(Officer("education-platform"), RecordScope.OfBody("culture-platform")));
        Assert.Equal(WriteRight.None, Access.WriteRightOn(Officer("education-platform"), RecordScope.OfState("KZ")));
    }

    [Fact]
    public void Unpublished_work_is_seen_by_the_secretariat_and_the_states_concerned_only()
    {
        var pair = new RecordScope(["CN", "KZ"], []);
        Assert.True(Access.CanSeeUnpublished(Coordinator("CN"), pair));
        Assert.True(Access.CanSeeUnpublished(Coordinator("KZ"), pair));
        Assert.False(Access.CanSeeUnpublished(Coordinator("UZ"), pair));
        Assert.False(Access.CanSeeUnpublished(null, pair));
        Assert.True(Access.CanSeeUnpublished(Secretariat, pair));
    }

    [Fact]
    public void A_bilateral_change_needs_both_states_before_validation()
    {
        var pair = new RecordScope(["CN", "KZ"], []);
        var s = Proposed(Coordinator("KZ"), pair);
        Assert.Null(s.Submit(Coordinator("KZ"), Now));
        Assert.Equal(["CN"], s.AwaitingConfirmationFrom);
        var refused = s.Validate(Secretariat, Now);
        Assert.Equal(("submission.awaiting-confirmation", "CN"), (refused!.Code.Key, refused.Message.Detail()));
        Assert.Equal(SubmissionStatus.Submitted, s.Status);
        Assert.Null(s.Confirm(Coordinator("CN"), true, null, Now.AddMinutes(1)));
        Assert.Empty(s.AwaitingConfirmationFrom);
        Assert.Null(s.Validate(Secretariat, Now.AddMinutes(2)));
        Assert.Equal(SubmissionStatus.Validated, s.Status);
    }

    [Fact]
    public void A_record_about_a_state_that_a_body_runs_needs_the_states_coordinator_to_confirm_an_officers_change()
    {
        var entry = new RecordScope(["KZ"], ["education-exchange-centre"]);
        Assert.True(entry.NeedsConfirmationFromEachState);
        Assert.False(RecordScope.OfState("KZ").NeedsConfirmationFromEachState);
        Assert.False(RecordScope.OfBody("education-exchange-centre").NeedsConfirmationFromEachState);
        var s = Proposed(Officer("education-exchange-centre"), entry);
        Assert.Null(s.Submit(Officer("education-exchange-centre"), Now));
        Assert.Equal(["KZ"], s.AwaitingConfirmationFrom);
        Assert.Equal("submission.awaiting-confirmation", s.Validate(Secretariat, Now)!.Code.Key);
        Assert.Equal("submission.not-a-confirming-state", s.Confirm(Coordinator("UZ"), true, null, Now)!.Code.Key);
        Assert.Equal("submission.not-a-confirming-state", s.Confirm(Officer("education-exchange-centre"), true, null, Now)!.Code.Key);
        Assert.Null(s.Confirm(Coordinator("KZ"), true, null, Now.AddMinutes(1)));
        Assert.Null(s.Validate(Secretariat, Now.AddMinutes(2)));
        // The state's coordinator proposing it is their own confirmation.
        var own = Proposed(Coordinator("KZ"), entry);
        Assert.Null(own.Submit(Coordinator("KZ"), Now));
        Assert.Empty(own.AwaitingConfirmationFrom);
    }

    [Fact]
    public void A_disagreement_is_recorded_with_its_reason_and_blocks_validation()
    {
        var s = Proposed(Coordinator("KZ"), new RecordScope(["CN", "KZ"], []));
        s.Submit(Coordinator("KZ"), Now);
        Assert.Equal("submission.comment-required", s.Confirm(Coordinator("CN"), false, " ", Now)!.Code.Key);
        Assert.Null(s.Confirm(Coordinator("CN"), false, "The date is the exchange of notes, not the signature.", Now.AddMinutes(1)));
        Assert.Equal(["CN"], s.DisagreeingStates);
        Assert.Equal("The date is the exchange of notes, not the signature.", s.Confirmations["CN"].Comment);
        Assert.Equal("submission.disagreement", s.Validate(Secretariat, Now.AddMinutes(2))!.Code.Key);
        Assert.Equal("submission.not-a-confirming-state", s.Confirm(Coordinator("UZ"), true, null, Now)!.Code.Key);
    }

    [Fact]
    public void A_returned_submission_keeps_its_comment_and_a_new_round_needs_new_confirmations()
    {
        var s = Proposed(Coordinator("KZ"), new RecordScope(["CN", "KZ"], []));
        s.Submit(Coordinator("KZ"), Now);
        s.Confirm(Coordinator("CN"), true, null, Now.AddMinutes(1));
        Assert.Equal("submission.comment-required", s.Return(Secretariat, null, Now)!.Code.Key);
        Assert.Null(s.Return(Secretariat, "Cite the ministry's notice.", Now.AddMinutes(2)));
        Assert.Equal(SubmissionStatus.Returned, s.Status);
        Assert.Contains(s.Events, e => e.Action == SubmissionAction.Returned && e.Comment == "Cite the ministry's notice.");
        Assert.Null(s.Submit(Coordinator("KZ"), Now.AddMinutes(3)));
        Assert.Equal(["CN"], s.AwaitingConfirmationFrom); // CN's earlier confirmation was for the earlier round
        Assert.Contains(s.Events, e => e.Action == SubmissionAction.Returned && e.Comment == "Cite the ministry's notice.");
    }

    [Fact]
    public void Only_the_author_submits_and_only_the_secretariat_validates_and_publishes()
    {
        var s = Proposed(Coordinator("KZ"), RecordScope.OfState("KZ"));
        Assert.Equal(WorkflowErrorKind.Forbidden, s.Submit(Secretariat, Now)!.Kind);
        s.Submit(Coordinator("KZ"), Now);
        Assert.Equal(WorkflowErrorKind.Forbidden, s.Validate(Coordinator("KZ"), Now)!.Kind);
        Assert.Equal(WorkflowErrorKind.Conflict, s.Publish(Secretariat, 3, true, Now)!.Kind); // not validated yet
        s.Validate(Secretariat, Now);
        Assert.Equal(WorkflowErrorKind.Forbidden, s.Publish(Coordinator("KZ"), 3, true, Now)!.Kind);
        Assert.Null(s.Publish(Secretariat, 3, true, Now));
        Assert.Equal(SubmissionStatus.Published, s.Status);
    }

    [Fact]
    public void Publishing_refuses_when_the_record_moved_on_since_the_proposal()
    {
        var s = Proposed(Coordinator("KZ"), RecordScope.OfState("KZ"));
        s.Submit(Coordinator("KZ"), Now);
        s.Validate(Secretariat, Now);
        Assert.Equal("submission.record-changed", s.Publish(Secretariat, 4, true, Now)!.Code.Key);
        Assert.Equal(SubmissionStatus.Validated, s.Status);
    }

    [Fact]
    public void Field_values_are_checked_and_unknown_fields_named()
    {
        IReadOnlyList<EditableField> fields = [new("value", FieldKind.Number, Required: true), EditableField.ChoiceOf<Caravan.Features.Indicators.Qualifier>("qualifier"), new("on", FieldKind.Date), .. EditableField.Localized("note", 10)];
        var current = new Dictionary<string, string?> { ["value"] = "1", ["qualifier"] = "exact" };
        var (values, errors) = RecordFields.Merge(fields, current, new Dictionary<string, string?>
        {
            ["value"] = "1,5", ["qualifier"] = "roughly", ["on"] = "2025-02-30", ["note.zh"] = "超过十个字符的一段很长的备注", ["colour"] = "red",
        });
        Assert.Equal(["colour:field.unknown", "value:field.number", "qualifier:field.choice", "on:field.date", "note.zh:field.too-long"], errors.Select(e => $"{e.Field}:{e.Message.Code.Key}"));
        (values, errors) = RecordFields.Merge(fields, current, new Dictionary<string, string?> { ["value"] = " 35.80 ", ["on"] = "2025-06", ["note.ru"] = "  " });
        Assert.Empty(errors);
        Assert.Equal(("35.80", "exact", "2025-06", null), (values["value"], values["qualifier"], values["on"], values["note.ru"]));
        Assert.Equal(["value", "on"], RecordFields.Changed(fields, current, values));
        Assert.Equal("field.required", RecordFields.Merge(fields, current, new Dictionary<string, string?> { ["value"] = "" }).Errors.Single().Message.Code.Key);
        IReadOnlyList<EditableField> link = [new("evidence-url", FieldKind.WebAddress)];
        Assert.Equal("field.url", RecordFields.Merge(link, new Dictionary<string, string?>(), new Dictionary<string, string?> { ["evidence-url"] = "javascript:alert(1)" }).Errors.Single().Message.Code.Key);
        Assert.Empty(RecordFields.Merge(link, new Dictionary<string, string?>(), new Dictionary<string, string?> { ["evidence-url"] = "https://www.gov.kg/" }).Errors);
    }
}
