using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Submissions;

/// <summary>
/// The edit form of any editable record: the secretariat saves directly, a coordinator or officer submits
/// (or keeps a draft). Also <c>/work/{kind}/new?indicator=…&amp;year=…&amp;state=…</c> for a new figure, and
/// <c>?submission={id}</c> for the author reworking a draft or a returned submission.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
[RequestSizeLimit(Caravan.Features.Sources.SourceFile.MaxRequestBytes)] // a PDF source of up to 10 MB
public sealed class EditModel(CaravanDbContext db, RecordEditor editor, CitationQueries citations, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Blank source rows the form offers beyond those filled in.</summary>
    private const int BlankSourceRows = 2;
    [FromRoute] public string Kind { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";
    [FromQuery(Name = "submission")] public string? SubmissionId { get; set; }
    public EditableRecord? Record { get; private set; }
    public WriteRight Right { get; private set; }
    public IReadOnlyList<EditableField> Fields { get; private set; } = [];
    public IReadOnlyDictionary<string, string?> Values { get; private set; } = new Dictionary<string, string?>();
    public int Version { get; private set; }
    public string? Reason { get; private set; }
    public List<FormProblem> Problems { get; } = [];
    public ConflictView? Conflict { get; private set; }
    /// <summary>The sources the record is published with now (none for a new record).</summary>
    public IReadOnlyList<CitedSource> CurrentSources { get; private set; } = [];
    /// <summary>The rows of the sources part of the form: those proposed (or typed), then blank ones.</summary>
    public List<SourceInput> SourceRows { get; private set; } = [];
    private bool IsNew => Id == "new";

    public sealed record ConflictView(AuditEntry? Other, IReadOnlyList<(string Field, string? Theirs, string? Yours)> Fields);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } failed) return failed;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? intent, string? reason, int? version, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } failed) return failed;
        var me = HttpContext.GetCaller()!;
        var input = Request.Form.Where(f => f.Key.StartsWith("f:", StringComparison.Ordinal))
            .ToDictionary(f => f.Key[2..], f => (string?)f.Value.ToString(), StringComparer.Ordinal);
        var sources = SourcesOf(Request.Form);
        WriteOutcome<RecordChange> result;
        if (SubmissionId is not null)
        {
            result = await editor.EditSubmissionAsync(me, SubmissionId, input, reason, version, ct, sources);
            if (result.Outcome == ChangeOutcome.Proposed && intent == "submit")
                result = await editor.ActAsync(me, SubmissionId, SubmissionAction.Submitted, null, null, ct);
        }
        else
        {
            result = await editor.ChangeAsync(me, Kind, Record!.Id, input, reason, IsNew ? null : version, submit: intent != "draft", create: IsNew, ct, sources);
        }
        switch (result.Outcome)
        {
            case ChangeOutcome.Done or ChangeOutcome.Created:
                return Redirect(result.Record!.PortalPath);
            case ChangeOutcome.Proposed:
                return Redirect($"/submissions/{result.Submission!.Id}");
            case ChangeOutcome.Forbidden:
                return Forbid();
            case ChangeOutcome.NotFound:
                return NotFound();
            case ChangeOutcome.Conflict when result.Record is { } current && SubmissionId is null:
                // Show what the other person changed; keep what this person typed, against the new version.
                Conflict = new ConflictView(result.OtherChange, [.. Fields.Select(f => (f.Name, current.Values.GetValueOrDefault(f.Name), input.GetValueOrDefault(f.Name)))
                    .Where(x => x.Item2 != (string.IsNullOrWhiteSpace(x.Item3) ? null : x.Item3.Trim()))]);
                Version = current.Version;
                break;
            default:
                Problems.AddRange(WriteAnswers.ForPage(result.Problems, l));
                break;
        }
        Values = input;
        Reason = reason;
        SourceRows = Padded(sources ?? []);
        Response.StatusCode = Conflict is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (RecordKind.Named(Kind) is not { } kind) return NotFound();
        var me = HttpContext.GetCaller()!;
        Fields = kind.Fields;
        if (SubmissionId is not null)
        {
            var submission = await editor.FindVisibleAsync(me, SubmissionId, ct);
            if (submission is null || submission.RecordKind != Kind || submission.RecordId != Id && !(IsNew && submission.IsNew)) return NotFound();
            if (!submission.IsAuthor(me)) return Forbid();
            Record = submission.IsNew
                ? (await kind.DescribeNewAsync(db, submission.RecordId, ct)).Record
                : await kind.FindAsync(db, submission.RecordId, ct);
            if (Record is null) return NotFound();
            Values = submission.Proposed;
            SourceRows = Padded([.. (submission.ProposedSources ?? []).Select(p => new SourceInput(p.Source, p.Url, p.Title, p.Date, p.Language, SeedEnums.ToKebab(p.Confidence)))]);
            if (!submission.IsNew) CurrentSources = await citations.ForAsync(kind.CitedAs, submission.RecordId, ct);
            Version = submission.Version;
            Reason = submission.Reason;
            Right = WriteRight.Submit;
            return null;
        }
        if (IsNew)
        {
            var newId = Request.Query["id"].ToString() is { Length: > 0 } given ? given
                : $"{Request.Query["indicator"]}:{Request.Query["year"]}:{(Request.Query["state"].ToString() is { Length: > 0 } s ? s : "all")}";
            var (record, error) = await kind.DescribeNewAsync(db, newId, ct);
            if (record is null)
            {
                if (error == RecordMessages.Exists)
                    return Redirect($"/work/{Kind}/{Uri.EscapeDataString(newId)}");
                return NotFound();
            }
            Record = record;
        }
        else
        {
            Record = await kind.FindAsync(db, Id, ct);
            if (Record is null) return NotFound();
        }
        Right = Access.WriteRightOn(me, Record.Scope);
        if (Right == WriteRight.None)
        {
            await editor.RefuseAsync(me, Record.AuditSubjectType, Record.Id, "open edit form", ct);
            return Forbid();
        }
        Values = Record.Values;
        Version = Record.Version;
        if (!IsNew) CurrentSources = await citations.ForAsync(kind.CitedAs, Record.Id, ct);
        SourceRows = Padded([]);
        return null;
    }

    /// <summary>
    /// The form's source rows (<c>s:0:url</c>, <c>s:0:title</c>…), blank ones left out; null when none is
    /// filled in, which leaves the record's sources as they are (and is refused when a fact changes).
    /// </summary>
    public static List<SourceInput>? SourcesOf(IFormCollection form)
    {
        var files = new Dictionary<int, UploadedFile>();
        foreach (var file in form.Files)
        {
            var parts = file.Name.Split(':');
            if (parts.Length != 3 || parts[0] != "s" || parts[2] != "file" || file.Length == 0 || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var i)) continue;
            // Read one byte past the limit at most: enough to say it is too large, without holding a huge upload.
            using var stream = file.OpenReadStream();
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while (buffer.Length <= SourceFile.MaxBytes && (read = stream.Read(chunk, 0, chunk.Length)) > 0) buffer.Write(chunk, 0, read);
            files[i] = new UploadedFile(file.FileName, buffer.ToArray());
        }
        var rows = new SortedDictionary<int, Dictionary<string, string?>>();
        foreach (var i in files.Keys) rows[i] = new(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            var parts = key.Split(':');
            if (parts.Length != 3 || parts[0] != "s" || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var i) || i is < 0 or >= ProposedSources.Max + BlankSourceRows) continue;
            if (!rows.TryGetValue(i, out var row)) rows[i] = row = new(StringComparer.Ordinal);
            row[parts[2]] = value.ToString();
        }
        var sources = rows.Select(r => new SourceInput(r.Value.GetValueOrDefault("source"), r.Value.GetValueOrDefault("url"), r.Value.GetValueOrDefault("title"),
            r.Value.GetValueOrDefault("date"), r.Value.GetValueOrDefault("language"), r.Value.GetValueOrDefault("confidence"), files.GetValueOrDefault(r.Key)))
            .Where(s => !string.IsNullOrWhiteSpace(s.Source) || !string.IsNullOrWhiteSpace(s.Url) || !string.IsNullOrWhiteSpace(s.Title) || !string.IsNullOrWhiteSpace(s.Date) || s.File is not null).ToList();
        return sources.Count == 0 ? null : sources;
    }

    private static List<SourceInput> Padded(List<SourceInput> rows) => [.. rows, .. Enumerable.Repeat(new SourceInput(), BlankSourceRows)];
}
