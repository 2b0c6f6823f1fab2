using Caravan.Features.Submissions;

namespace Caravan.Shared;

/// <summary>
/// How a write ended, whatever wrote it (the record editor, a selection, a bulk upload, an import): one list, so that
/// the API and the pages each answer every write through one mapping.
/// </summary>
public enum ChangeOutcome
{
    /// <summary>Written and, where it applies, published.</summary>
    Done,
    /// <summary>Written, and it is new: the API answers 201.</summary>
    Created,
    /// <summary>Kept as a proposal (a submission, or a step of one) for someone else to decide.</summary>
    Proposed,
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
}

public static class WriteOutcome
{
    /// <summary>
    /// The field of a problem about the request as a whole (a refused step, a missing right): the API names it
    /// "request", a page the form it was sent from.
    /// </summary>
    public const string Whole = "";
}

/// <summary>
/// What a write did: its outcome, the value it made or the one that stands now (for a conflict, what the other
/// change left), and what was wrong, each a typed message on its field. Nothing is stored unless it succeeded.
/// </summary>
public sealed record WriteOutcome<T>(ChangeOutcome Outcome, T? Value, IReadOnlyList<FieldError> Problems)
{
    public bool Succeeded => Outcome is ChangeOutcome.Done or ChangeOutcome.Created or ChangeOutcome.Proposed;

    /// <summary>The first problem: the one a refusal is told with.</summary>
    public FieldError? Problem => Problems.Count > 0 ? Problems[0] : null;

    public static WriteOutcome<T> Done(T value) => new(ChangeOutcome.Done, value, []);
    public static WriteOutcome<T> Created(T value) => new(ChangeOutcome.Created, value, []);
    public static WriteOutcome<T> Proposed(T value) => new(ChangeOutcome.Proposed, value, []);
    public static WriteOutcome<T> Invalid(IReadOnlyList<FieldError> problems, T? value = default) =>
        new(ChangeOutcome.Invalid, value, problems);
    public static WriteOutcome<T> NotFound(T? value = default) =>
        new(ChangeOutcome.NotFound, value, [new FieldError(WriteOutcome.Whole, RecordMessages.NotFound)]);

    /// <summary>Refused for one reason, on one field: forbidden, not found or in conflict.</summary>
    public static WriteOutcome<T> Refused(ChangeOutcome outcome, FieldError problem, T? value = default) =>
        new(outcome, value, [problem]);
    public static WriteOutcome<T> Conflict(string field, MessageCode code, params MessageArg[] args) =>
        new(ChangeOutcome.Conflict, default, [new FieldError(field, code, args)]);
}
