using Caravan.Features.Accounts;
using Caravan.Shared;

namespace Caravan.Features.Submissions;

/// <summary>Whether a step takes a comment, which stays with the submission's history.</summary>
public enum StepComment { None, Optional, Required }

/// <summary>Who may take a workflow step.</summary>
public enum StepTaker
{
    /// <summary>The person who proposed the change.</summary>
    Author,
    /// <summary>
    /// A coordinator of one of the record's states, for that state (<see cref="Access.ConfirmsFor"/>).
    /// </summary>
    ConfirmingState,
    /// <summary>The secretariat (<see cref="Access.CanValidate"/>).</summary>
    Secretariat,
    /// <summary>Anyone who may see the submission.</summary>
    Anyone,
}

/// <summary>
/// One step of a submission's workflow, described once: its name in the API's path and the portal's form, who may
/// take it, from which statuses and to which, whether it takes a comment, and the message it is refused with when the
/// status is wrong. <see cref="Submission"/>'s rules check a step against this; <see cref="RecordEditor"/>, the API's
/// routes and the portal's buttons are derived from <see cref="SubmissionSteps.All"/>.
/// </summary>
public sealed record SubmissionStep(
    SubmissionAction Action, string Name, StepTaker Taker, IReadOnlyList<SubmissionStatus>? From, SubmissionStatus? To,
    StepComment Comment, MessageCode? WrongStatus, string Summary)
{
    /// <summary>The UI string that names the step on its button.</summary>
    public string Label => "step." + Name;

    public MessageCode Refusal => Taker switch
    {
        StepTaker.Author => SubmissionMessages.OnlyAuthor,
        StepTaker.ConfirmingState => SubmissionMessages.NotAConfirmingState,
        _ => SubmissionMessages.SecretariatOnly,
    };

    public bool MayBeTakenBy(Caller caller, Submission s) => Taker switch
    {
        StepTaker.Author => s.IsAuthor(caller),
        StepTaker.ConfirmingState => Access.ConfirmsFor(caller, s.Scope) is not null,
        StepTaker.Secretariat => Access.CanValidate(caller),
        _ => true,
    };

    /// <summary>
    /// What stops <paramref name="caller"/> taking this step now, checked in that order: who, status, comment.
    /// </summary>
    public WorkflowError? Check(Caller caller, Submission s, string? comment = null)
    {
        if (!MayBeTakenBy(caller, s)) return WorkflowError.Forbidden(Refusal);
        if (From is not null && !From.Contains(s.Status)) return WorkflowError.WrongStatus(WrongStatus!.Value);
        if (Comment == StepComment.Required && string.IsNullOrWhiteSpace(comment))
            return WorkflowError.Invalid("comment", SubmissionMessages.CommentRequired);
        return null;
    }

    /// <summary>
    /// Whether the portal offers the step to <paramref name="caller"/>: allowed now, and useful — a state that has
    /// confirmed is not asked again (it may still change its word while others disagree), and only an open
    /// submission takes comments.
    /// </summary>
    public bool IsOffered(Caller caller, Submission s) =>
        MayBeTakenBy(caller, s) && (From is null || From.Contains(s.Status)) && Action switch
        {
            SubmissionAction.Confirmed or SubmissionAction.Disagreed => Access.ConfirmsFor(caller, s.Scope) is { } state
                && (s.AwaitingConfirmationFrom.Contains(state) || s.DisagreeingStates.Contains(state)),
            SubmissionAction.Commented => s.IsOpen,
            _ => true,
        };
}

public static class SubmissionSteps
{
    private static readonly SubmissionStatus[] Editable = [SubmissionStatus.Draft, SubmissionStatus.Returned];

    /// <summary>Reworking a draft or a returned submission: the author's, not a step of the API's path.</summary>
    public static readonly SubmissionStep Edit = new(
        SubmissionAction.Edited, "edit", StepTaker.Author, Editable, null, StepComment.None,
        SubmissionMessages.NotEditable, "The author reworks a draft or returned submission");

    /// <summary>The steps, in the order the portal shows them.</summary>
    public static readonly IReadOnlyList<SubmissionStep> All =
    [
        new(SubmissionAction.Submitted, "submit", StepTaker.Author, Editable, SubmissionStatus.Submitted,
            StepComment.None, SubmissionMessages.NotSubmittable,
            "The author submits a draft or returned submission for validation"),
        new(SubmissionAction.Confirmed, "confirm", StepTaker.ConfirmingState, [SubmissionStatus.Submitted], null,
            StepComment.Optional, SubmissionMessages.NotSubmitted,
            "A coordinator of a state the record is about confirms (bilateral records need each state)"),
        new(SubmissionAction.Disagreed, "disagree", StepTaker.ConfirmingState, [SubmissionStatus.Submitted], null,
            StepComment.Required, SubmissionMessages.NotSubmitted,
            "A coordinator of a state the record is about disagrees, with a comment"),
        new(SubmissionAction.Validated, "validate", StepTaker.Secretariat, [SubmissionStatus.Submitted],
            SubmissionStatus.Validated, StepComment.None, SubmissionMessages.NotSubmitted,
            "The secretariat validates a submitted change (all states confirmed)"),
        new(SubmissionAction.Published, "publish", StepTaker.Secretariat, [SubmissionStatus.Validated],
            SubmissionStatus.Published, StepComment.None, SubmissionMessages.NotValidated,
            "The secretariat publishes a validated change: the record takes the proposed values, "
            + "and the proposed sources replace its sources"),
        new(SubmissionAction.Returned, "return", StepTaker.Secretariat,
            [SubmissionStatus.Submitted, SubmissionStatus.Validated], SubmissionStatus.Returned, StepComment.Required,
            SubmissionMessages.NotReturnable,
            "The secretariat returns a submission to its author with a comment"),
        new(SubmissionAction.Withdrawn, "withdraw", StepTaker.Author,
            [SubmissionStatus.Draft, SubmissionStatus.Submitted, SubmissionStatus.Returned],
            SubmissionStatus.Withdrawn, StepComment.None, SubmissionMessages.NotWithdrawable,
            "The author withdraws their submission"),
        new(SubmissionAction.Commented, "comment", StepTaker.Anyone, null, null,
            StepComment.Required, null,
            "Add a comment to a submission"),
    ];

    public static SubmissionStep Of(SubmissionAction action) => All.Single(s => s.Action == action);

    public static SubmissionStep? Named(string? name) => All.FirstOrDefault(s => s.Name == name);
}
