using Caravan.Features.Accounts;
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

    /// <summary>The portal's own step: validate, then publish at once.</summary>
    public const string ValidateAndPublish = "validate-publish";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string step, string? comment, int? version, CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        WriteOutcome<RecordChange> result;
        if (step == ValidateAndPublish)
        {
            result = await editor.ActAsync(me, Id, SubmissionAction.Validated, comment, version, ct);
            if (result.Outcome == ChangeOutcome.Proposed) result = await editor.ActAsync(me, Id,
                SubmissionAction.Published, null, null, ct);
        }
        else if (SubmissionSteps.Named(step) is { } taken)
        {
            result = await editor.ActAsync(me, Id, taken.Action, comment, version, ct);
        }
        else return BadRequest();
        if (result.Outcome == ChangeOutcome.NotFound) return NotFound();
        if (result.Outcome == ChangeOutcome.Forbidden) return Forbid();
        if (result.Outcome == ChangeOutcome.Proposed) return Redirect($"/submissions/{Id}");
        Problems.AddRange(WriteAnswers.ForPage(result.Problems, l, whole: "comment"));
        if (result.OtherChange is { } other) Message = string.Format(Display.Culture, l["edit.conflict-by"],
            other.Actor, other.Role, Display.Moment(other.At));
        Response.StatusCode = result.Outcome == ChangeOutcome.Conflict
            ? StatusCodes.Status409Conflict
            : StatusCodes.Status400BadRequest;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        Submission = await editor.FindVisibleAsync(me, Id, ct);
        if (Submission is null) return false;
        Fields = RecordKind.Named(Submission.RecordKind)!.Fields;
        CanEdit = SubmissionSteps.Edit.IsOffered(me, Submission);
        foreach (var step in SubmissionSteps.All.Where(s => s.IsOffered(me, Submission)))
        {
            // The secretariat may validate and publish at once, the step the portal offers first.
            if (step.Action == SubmissionAction.Validated) Steps.Add(ValidateAndPublish);
            Steps.Add(step.Name);
        }
        return true;
    }
}
