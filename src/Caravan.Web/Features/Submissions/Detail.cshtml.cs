using Caravan.Features.Accounts;
using Caravan.Features.Submissions;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Submissions;

/// <summary>
/// One submission: the published and proposed values side by side, each state's confirmation, the
/// comments, and the steps the viewer may take. Not the viewer's to see: 404, as if it did not exist.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class DetailModel(RecordEditor editor, IStringLocalizer<SharedResource> l) : PageModel
{
    [FromRoute] public string Id { get; set; } = "";
    public Submission? Submission { get; private set; }
    public IReadOnlyList<EditableField> Fields { get; private set; } = [];
    public List<string> Steps { get; } = [];
    public bool CanEdit { get; private set; }
    public string? Message { get; private set; }
    public List<FormProblem> Problems { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string step, string? comment, int? version, CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        ChangeResult result;
        if (step == "validate-publish")
        {
            result = await editor.ActAsync(me, Id, SubmissionAction.Validated, comment, version, ct);
            if (result.Outcome == ChangeOutcome.Proposed) result = await editor.ActAsync(me, Id, SubmissionAction.Published, null, null, ct);
        }
        else if (RecordsApi.Steps.TryGetValue(step ?? "", out var action))
        {
            result = await editor.ActAsync(me, Id, action, comment, version, ct);
        }
        else return BadRequest();
        if (result.Outcome == ChangeOutcome.NotFound) return NotFound();
        if (result.Outcome == ChangeOutcome.Forbidden) return Forbid();
        if (result.Outcome == ChangeOutcome.Proposed) return Redirect($"/submissions/{Id}");
        Problems.Add(new FormProblem(result.Error?.Field ?? "comment", Messages.Format(l, result.Error!.Code, result.Error.Detail)));
        if (result.OtherChange is { } other) Message = string.Format(Display.Culture, l["edit.conflict-by"], other.Actor, other.Role, Display.Moment(other.At));
        Response.StatusCode = result.Outcome == ChangeOutcome.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        Submission = await editor.FindVisibleAsync(me, Id, ct);
        if (Submission is null) return false;
        Fields = RecordKind.Named(Submission.RecordKind)!.Fields;
        var s = Submission;
        var author = s.IsAuthor(me);
        CanEdit = author && s.Status is SubmissionStatus.Draft or SubmissionStatus.Returned;
        if (CanEdit) Steps.Add("submit");
        if (s.Status == SubmissionStatus.Submitted && Access.ConfirmsFor(me, s.Scope) is { } state && s.AwaitingConfirmationFrom.Contains(state) | s.DisagreeingStates.Contains(state))
            Steps.AddRange(["confirm", "disagree"]);
        if (Access.CanValidate(me) && s.Status == SubmissionStatus.Submitted) Steps.AddRange(["validate-publish", "validate", "return"]);
        if (Access.CanValidate(me) && s.Status == SubmissionStatus.Validated) Steps.AddRange(["publish", "return"]);
        if (author && s.Status is SubmissionStatus.Draft or SubmissionStatus.Submitted or SubmissionStatus.Returned) Steps.Add("withdraw");
        if (s.IsOpen) Steps.Add("comment");
        return true;
    }
}
