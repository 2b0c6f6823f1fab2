using Caravan.Shared;

namespace Caravan.Features.Submissions;

/// <summary>Why a change to an editable record is refused.</summary>
public static class RecordMessages
{
    public static readonly MessageCode CannotCreate = new("record.cannot-create");
    public static readonly MessageCode ChangedSince = new("record.changed-since");
    public static readonly MessageCode Exists = new("record.exists");
    public static readonly MessageCode NotFound = new("record.not-found");
    public static readonly MessageCode OutOfScope = new("record.out-of-scope");
    /// <summary>A submission for the record is open already: it is reworked or decided first.</summary>
    public static readonly MessageCode OpenSubmission = new("record.open-submission");
    public static readonly MessageCode VersionRequired = new("record.version-required");
    public static readonly MessageCode UnknownPeriod = new("record.unknown-period");
    public static readonly MessageCode UnknownState = new("record.unknown-state");
}

/// <summary>Why a workflow step on a submission is refused.</summary>
public static class SubmissionMessages
{
    public static readonly MessageCode AwaitingConfirmation = new("submission.awaiting-confirmation");
    public static readonly MessageCode ChangedSince = new("submission.changed-since");
    public static readonly MessageCode CommentRequired = new("submission.comment-required");
    public static readonly MessageCode Disagreement = new("submission.disagreement");
    public static readonly MessageCode NotAConfirmingState = new("submission.not-a-confirming-state");
    public static readonly MessageCode NotEditable = new("submission.not-editable");
    public static readonly MessageCode NotReturnable = new("submission.not-returnable");
    public static readonly MessageCode NotSubmittable = new("submission.not-submittable");
    public static readonly MessageCode NotSubmitted = new("submission.not-submitted");
    public static readonly MessageCode NotValidated = new("submission.not-validated");
    public static readonly MessageCode NotWithdrawable = new("submission.not-withdrawable");
    public static readonly MessageCode OnlyAuthor = new("submission.only-author");
    public static readonly MessageCode RecordChanged = new("submission.record-changed");
    public static readonly MessageCode SecretariatOnly = new("submission.secretariat-only");
    public static readonly MessageCode UnknownAction = new("submission.unknown-action");
}
