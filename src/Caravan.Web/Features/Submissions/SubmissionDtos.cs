using System.Text.Json;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Shared;

namespace Caravan.Web.Features.Submissions;

public sealed record FieldDto(string Name, FieldKind Kind, bool Required, IReadOnlyList<string>? Choices);
/// <summary>
/// An editable record; <c>Sources</c>: the sources the published figure carries, with their confidence.
/// </summary>
public sealed record RecordDto(string Kind, string Id, LocalizedText Title, IReadOnlyList<string> States,
    IReadOnlyList<string> Bodies, int Version, IReadOnlyDictionary<string, string?> Values,
    IReadOnlyList<FieldDto> Fields, WriteRight YourRight, string PortalUrl,
    IReadOnlyList<Shared.SourceDto> Sources);
public sealed record FieldChangeDto(string Field, string? Published, string? Proposed);
/// <summary>
/// A source in a submission: a registered one (<c>Source</c>: its id) or a web address the proposal brings.
/// </summary>
public sealed record ProposedSourceDto(string? Source, string? Url, string Title, string? Date, string Language,
    Confidence Confidence);
public sealed record SubmissionEventDto(DateTimeOffset At, string User, string Role, SubmissionAction Action,
    string? State, string? Comment);
public sealed record SubmissionDto(string Id, string Kind, string RecordId, bool IsNew, LocalizedText Title,
    IReadOnlyList<string> States, IReadOnlyList<string> Bodies, SubmissionStatus Status, string Author,
    string AuthorRole, string? Reason, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, int Version, int BaseVersion, IReadOnlyList<FieldChangeDto> Changes,
    IReadOnlyList<string> AwaitingConfirmationFrom, IReadOnlyList<string> DisagreeingStates,
    IReadOnlyList<SubmissionEventDto> Events, IReadOnlyList<ProposedSourceDto> PublishedSources,
    IReadOnlyList<ProposedSourceDto>? ProposedSources);
public sealed record SubmissionSummaryDto(string Id, string Kind, string RecordId, LocalizedText Title,
    IReadOnlyList<string> States, SubmissionStatus Status, string Author, string AuthorRole, DateTimeOffset UpdatedAt,
    int Version);
/// <summary>An audit entry. The public sees the role, not the person; the secretariat sees who.</summary>
public sealed record AuditEntryDto(long Id, DateTimeOffset At, string? Actor, string Role, string Action,
    string SubjectType, string SubjectId, JsonElement? Before, JsonElement? After, string? Reason);

/// <summary>
/// A change to a record: the fields to change (others keep their value), why, the version it was made
/// against (a stale version is a 409 showing the other change), and for a coordinator or officer whether
/// to submit it for validation now (default) or keep it as a draft. <c>Sources</c>: the sources of the new
/// figure, which replace the record's on publication; required (at least one) when a fact is new or changed.
/// </summary>
public sealed record ChangeRequest(Dictionary<string, JsonElement>? Values, string? Reason, int? Version, bool? Submit,
    List<SourceInput>? Sources = null);
public sealed record CreateRequest(string? Id, Dictionary<string, JsonElement>? Values, string? Reason, bool? Submit,
    List<SourceInput>? Sources = null);
/// <summary>A workflow step: a comment (required to return or disagree) and the submission's version.</summary>
public sealed record StepRequest(string? Comment, int? Version);

public static class SubmissionDtos
{
    public static RecordDto ToDto(EditableRecord r, Caller? caller, IReadOnlyList<Shared.SourceDto> sources)
    {
        var kind = RecordKind.Named(r.Kind)!;
        return new(r.Kind, r.Id, r.Title, r.Scope.States, r.Scope.Bodies, r.Version, r.Values,
            [.. kind.Fields.Select(f => new FieldDto(f.Name, f.Kind, f.Required, f.Choices))],
            Access.WriteRightOn(caller, r.Scope), r.PortalPath, sources);
    }

    /// <summary>The record with the sources it carries as published.</summary>
    public static async Task<RecordDto> ToDtoAsync(EditableRecord r, Caller? caller, CitationQueries citations,
        CancellationToken ct = default) =>
        ToDto(r, caller, [.. (await citations.ForAsync(RecordKind.Named(r.Kind)!.CitedAs, r.Id, ct))
            .Select(Shared.SourceDto.From)]);

    private static ProposedSourceDto ToDto(ProposedSource s) => new(s.Source, s.Url, s.Title, s.Date, s.Language,
        s.Confidence);

    public static SubmissionDto ToDto(Submission s)
    {
        var kind = RecordKind.Named(s.RecordKind)!;
        var changes = RecordFields.Changed(kind.Fields, s.Published, s.Proposed)
            .Select(f => new FieldChangeDto(f, s.Published.GetValueOrDefault(f),
                s.Proposed.GetValueOrDefault(f))).ToList();
        return new(s.Id, s.RecordKind, s.RecordId, s.IsNew, s.Title, s.States, s.Bodies, s.Status, s.AuthorName,
            s.AuthorRole, s.Reason, s.CreatedAt, s.UpdatedAt, s.Version, s.BaseVersion, changes,
            s.AwaitingConfirmationFrom, s.DisagreeingStates, [.. s.Events.OrderBy(e => e.Sequence)
                .Select(e => new SubmissionEventDto(e.At, e.UserName, e.Role, e.Action, e.StateId, e.Comment))],
            [.. s.PublishedSources.Select(ToDto)], s.ProposedSources?.Select(ToDto).ToList());
    }

    public static SubmissionSummaryDto ToSummary(Submission s) =>
        new(s.Id, s.RecordKind, s.RecordId, s.Title, s.States, s.Status, s.AuthorName, s.AuthorRole, s.UpdatedAt,
            s.Version);

    public static AuditEntryDto ToDto(AuditEntry a, bool showActor) =>
        new(a.Id, a.At, showActor ? a.Actor : null, a.Role, a.Action, a.SubjectType, a.SubjectId, Json(a.Before),
            Json(a.After), showActor ? a.Reason : null);

    private static JsonElement? Json(string? text) => text is null
        ? null
        : JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>
    /// JSON values as the one-string-per-field form; a value that is not a string, number or null is an error.
    /// </summary>
    public static (Dictionary<string, string?> Values, List<FieldError> Errors) Flatten(
        Dictionary<string, JsonElement>? values)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var (key, value) in values ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String: result[key] = value.GetString(); break;
                case JsonValueKind.Number: result[key] = value.GetRawText(); break;
                case JsonValueKind.Null: result[key] = null; break;
                default: errors.Add(new FieldError(key, FieldMessages.Scalar)); break;
            }
        }
        return (result, errors);
    }
}
