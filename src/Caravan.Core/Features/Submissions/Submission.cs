using Caravan.Features.Accounts;
using Caravan.Shared;

namespace Caravan.Features.Submissions;

/// <summary>
/// A change proposed by a national coordinator or an officer to a record: draft → submitted → validated
/// or returned with a comment → published. Until it is published, everyone else — the public and the
/// other states — sees the record as last published. The methods below are the workflow's rules; each
/// returns what went wrong, or null, and changes nothing when something did.
/// </summary>
public sealed class Submission : IVersioned
{
    public required string Id { get; set; }
    public required string RecordKind { get; set; }
    public required string RecordId { get; set; }
    /// <summary>The submission proposes a record that does not exist yet.</summary>
    public bool IsNew { get; set; }
    public required LocalizedText Title { get; set; }
    /// <summary>The states and bodies whose business the record is, fixed when the submission is made.</summary>
    public List<string> States { get; set; } = [];
    public List<string> Bodies { get; set; } = [];
    /// <summary><see cref="States"/> as <c>|CN|KZ|</c>: a plain column both databases can filter with LIKE.</summary>
    public string StatesKey { get; set; } = "|";
    public string BodiesKey { get; set; } = "|";
    /// <summary>The record's values as published when the change was proposed: the left side of the diff.</summary>
    public SortedDictionary<string, string?> Published { get; set; } = [];
    /// <summary>The values proposed: the right side of the diff.</summary>
    public SortedDictionary<string, string?> Proposed { get; set; } = [];
    /// <summary>
    /// The record's sources as published when the change was proposed: the left side of the sources' diff.
    /// </summary>
    public List<ProposedSource> PublishedSources { get; set; } = [];
    /// <summary>
    /// The sources the proposal brings, which become the record's sources on publication; null: the record keeps its
    /// own.
    /// </summary>
    public List<ProposedSource>? ProposedSources { get; set; }
    /// <summary>
    /// The record's version the proposal was made against; publishing refuses if the record moved on.
    /// </summary>
    public int BaseVersion { get; set; }
    public SubmissionStatus Status { get; set; }
    public required string AuthorId { get; set; }
    public required string AuthorName { get; set; }
    public required string AuthorRole { get; set; }
    /// <summary>Why the change is proposed, in the author's words.</summary>
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
    public List<SubmissionEvent> Events { get; set; } = [];

    public RecordScope Scope => new(States, Bodies);

    /// <summary>Each subject state's latest word on the submission since it was last submitted.</summary>
    public IReadOnlyDictionary<string, SubmissionEvent> Confirmations
    {
        get
        {
            var result = new Dictionary<string, SubmissionEvent>(StringComparer.Ordinal);
            foreach (var e in LatestRound()
                .Where(e => e.Action is SubmissionAction.Confirmed or SubmissionAction.Disagreed
                    && e.StateId is not null))
                result[e.StateId!] = e;
            return result;
        }
    }

    /// <summary>The events since the last submission (confirmations from an earlier round no longer count).</summary>
    private IEnumerable<SubmissionEvent> LatestRound()
    {
        var ordered = Events.OrderBy(e => e.Sequence).ToList();
        var last = ordered.FindLastIndex(e => e.Action == SubmissionAction.Submitted);
        return last < 0 ? [] : ordered.Skip(last);
    }

    /// <summary>The subject states that have not yet confirmed (empty when confirmation is not needed).</summary>
    public IReadOnlyList<string> AwaitingConfirmationFrom =>
        Scope.NeedsConfirmationFromEachState
            ? [.. States.Where(s => !Confirmations.TryGetValue(s, out var e) || e.Action != SubmissionAction.Confirmed)]
            : [];

    public IReadOnlyList<string> DisagreeingStates =>
        [.. Confirmations.Values.Where(e => e.Action == SubmissionAction.Disagreed).Select(e => e.StateId!)
            .Order(StringComparer.Ordinal)];

    public bool IsOpen
        => Status is SubmissionStatus.Draft or SubmissionStatus.Submitted or SubmissionStatus.Returned
            or SubmissionStatus.Validated;

    public static Submission Start(Caller author, EditableRecord record, bool isNew,
        IReadOnlyDictionary<string, string?> proposed, string? reason, DateTimeOffset now,
        IReadOnlyList<ProposedSource>? publishedSources = null, IReadOnlyList<ProposedSource>? proposedSources = null)
    {
        var s = new Submission
        {
            Id = Guid.CreateVersion7().ToString("N"),
            RecordKind = record.Kind,
            RecordId = record.Id,
            IsNew = isNew,
            Title = record.Title,
            States = [.. record.Scope.States],
            Bodies = [.. record.Scope.Bodies],
            StatesKey = "|" + string.Concat(record.Scope.States.Select(x => x + "|")),
            BodiesKey = "|" + string.Concat(record.Scope.Bodies.Select(x => x + "|")),
            Published = new SortedDictionary<string, string?>(record.Values.ToDictionary(), StringComparer.Ordinal),
            Proposed = new SortedDictionary<string, string?>(proposed.ToDictionary(), StringComparer.Ordinal),
            PublishedSources = [.. publishedSources ?? []],
            ProposedSources = proposedSources is null ? null : [.. proposedSources],
            BaseVersion = record.Version,
            Status = SubmissionStatus.Draft,
            AuthorId = author.UserId,
            AuthorName = author.Name,
            AuthorRole = author.AuditRole,
            Reason = reason,
            CreatedAt = now,
            UpdatedAt = now,
        };
        s.Record(author, SubmissionAction.Created, null, reason, now);
        return s;
    }

    public bool IsAuthor(Caller caller) => caller.UserId == AuthorId;

    /// <summary>The author reworks a draft or a returned submission.</summary>
    public WorkflowError? Edit(Caller caller, EditableRecord current, IReadOnlyDictionary<string, string?> proposed,
        string? reason, DateTimeOffset now, IReadOnlyList<ProposedSource>? publishedSources = null,
        IReadOnlyList<ProposedSource>? proposedSources = null)
    {
        if (SubmissionSteps.Edit.Check(caller, this) is { } refused) return refused;
        Proposed = new SortedDictionary<string, string?>(proposed.ToDictionary(), StringComparer.Ordinal);
        // The author sees the record as it is now: rebasing keeps the diff honest.
        Published = new SortedDictionary<string, string?>(current.Values.ToDictionary(), StringComparer.Ordinal);
        BaseVersion = current.Version;
        if (publishedSources is not null) PublishedSources = [.. publishedSources];
        if (proposedSources is not null) ProposedSources = [.. proposedSources];
        Reason = reason;
        Record(caller, SubmissionAction.Edited, null, reason, now);
        return null;
    }

    public WorkflowError? Submit(Caller caller, DateTimeOffset now)
    {
        if (Take(SubmissionAction.Submitted, caller, null, now) is { } refused) return refused;
        // Proposing a change to a record about several states is the author's own state's confirmation.
        if (Access.ConfirmsFor(caller, Scope) is { } state)
            Record(caller, SubmissionAction.Confirmed, state, null, now);
        return null;
    }

    /// <summary>A coordinator of one of the record's states agrees or disagrees (with a reason).</summary>
    public WorkflowError? Confirm(Caller caller, bool agrees, string? comment, DateTimeOffset now) =>
        Take(agrees ? SubmissionAction.Confirmed : SubmissionAction.Disagreed, caller, comment, now);

    public WorkflowError? Validate(Caller caller, DateTimeOffset now)
    {
        if (SubmissionSteps.Of(SubmissionAction.Validated).Check(caller, this) is { } refused) return refused;
        if (DisagreeingStates.Count > 0)
            return WorkflowError.WrongStatus(SubmissionMessages.Disagreement, MessageArg.Join(DisagreeingStates));
        if (AwaitingConfirmationFrom.Count > 0)
            return WorkflowError.WrongStatus(SubmissionMessages.AwaitingConfirmation,
                MessageArg.Join(AwaitingConfirmationFrom));
        return Take(SubmissionAction.Validated, caller, null, now);
    }

    /// <summary>The secretariat sends it back with a comment, which stays with the submission.</summary>
    public WorkflowError? Return(Caller caller, string? comment, DateTimeOffset now)
        => Take(SubmissionAction.Returned, caller, comment, now);

    /// <summary>Marks it published; the caller writes <see cref="Proposed"/> to the record in the same save.</summary>
    public WorkflowError? Publish(Caller caller, int currentRecordVersion, bool recordExists, DateTimeOffset now)
    {
        if (SubmissionSteps.Of(SubmissionAction.Published).Check(caller, this) is { } refused) return refused;
        if (IsNew ? recordExists : currentRecordVersion != BaseVersion)
            return WorkflowError.Conflict(SubmissionMessages.RecordChanged);
        return Take(SubmissionAction.Published, caller, null, now);
    }

    public WorkflowError? Withdraw(Caller caller, DateTimeOffset now)
        => Take(SubmissionAction.Withdrawn, caller, null, now);

    public WorkflowError? Comment(Caller caller, string? comment, DateTimeOffset now)
        => Take(SubmissionAction.Commented, caller, comment, now);

    /// <summary>
    /// Any step but publishing, which writes the record too and is <see cref="RecordEditor"/>'s; the steps with rules
    /// beyond the table (submitting confirms for the author's state, validating needs every state's word) have theirs.
    /// </summary>
    public WorkflowError? Act(SubmissionAction action, Caller caller, string? comment, DateTimeOffset now)
        => action switch
    {
        SubmissionAction.Submitted => Submit(caller, now),
        SubmissionAction.Validated => Validate(caller, now),
        SubmissionAction.Published
            => throw new InvalidOperationException("Publishing writes the record: RecordEditor publishes."),
        _ => Take(action, caller, comment, now),
    };

    /// <summary>
    /// The step as <see cref="SubmissionSteps"/> describes it: checked, then the status it leads to and its event.
    /// </summary>
    private WorkflowError? Take(SubmissionAction action, Caller caller, string? comment, DateTimeOffset now)
    {
        var step = SubmissionSteps.Of(action);
        if (step.Check(caller, this, comment) is { } refused) return refused;
        if (step.To is { } to) Status = to;
        // A confirmation or a disagreement is given for the coordinator's state.
        var state = step.Taker == StepTaker.ConfirmingState ? Access.ConfirmsFor(caller, Scope) : null;
        Record(caller, action, state, step.Comment == StepComment.None ? null : comment, now);
        return null;
    }

    private void Record(Caller caller, SubmissionAction action, string? state, string? comment, DateTimeOffset now)
    {
        Events.Add(new SubmissionEvent
        {
            Id = Guid.CreateVersion7().ToString("N"),
            SubmissionId = Id,
            Sequence = Events.Count == 0 ? 1 : Events.Max(e => e.Sequence) + 1,
            At = now,
            UserId = caller.UserId,
            UserName = caller.Name,
            Role = caller.AuditRole,
            Action = action,
            StateId = state,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
        });
        UpdatedAt = now;
    }
}

public enum SubmissionStatus
{
    Draft,
    Submitted,
    Returned,
    Validated,
    Published,
    Withdrawn,
}

public enum SubmissionAction
{
    Created,
    Edited,
    Submitted,
    Confirmed,
    Disagreed,
    Returned,
    Validated,
    Published,
    Withdrawn,
    Commented,
}

/// <summary>One step in a submission's life, with who took it and what they said.</summary>
public sealed class SubmissionEvent
{
    public required string Id { get; set; }
    public required string SubmissionId { get; set; }
    /// <summary>1, 2, 3… within the submission: steps taken in the same instant keep their order.</summary>
    public int Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public required string UserId { get; set; }
    public required string UserName { get; set; }
    public required string Role { get; set; }
    public SubmissionAction Action { get; set; }
    /// <summary>The state a confirmation or disagreement is given for.</summary>
    public string? StateId { get; set; }
    public string? Comment { get; set; }
}

/// <summary>
/// Why a workflow step was refused: the HTTP answer it maps to and the message, on its field if it has one.
/// </summary>
public sealed record WorkflowError(WorkflowErrorKind Kind, Message Message, string? Field = null)
{
    public MessageCode Code => Message.Code;

    /// <summary>
    /// The refusal as a problem; about the step as a whole, its field is empty (<see cref="WriteOutcome.Whole"/>).
    /// </summary>
    public FieldError Problem => new(Field ?? WriteOutcome.Whole, Message);

    public static WorkflowError Forbidden(MessageCode code) => new(WorkflowErrorKind.Forbidden, new Message(code));
    public static WorkflowError WrongStatus(MessageCode code, params MessageArg[] args)
        => new(WorkflowErrorKind.Conflict, new Message(code, args));
    public static WorkflowError Conflict(MessageCode code, params MessageArg[] args)
        => new(WorkflowErrorKind.Conflict, new Message(code, args));
    public static WorkflowError Invalid(string field, MessageCode code)
        => new(WorkflowErrorKind.Invalid, new Message(code), field);
    public static WorkflowError NotFound() => new(WorkflowErrorKind.NotFound, new Message(RecordMessages.NotFound));
}

public enum WorkflowErrorKind
{
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
}
