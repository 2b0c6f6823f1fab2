using Caravan.Features.Mechanism;
using Caravan.Features.Selections;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Selections;

/// <summary>
/// The forms of a call's page: nominate, appoint a juror, declare a conflict, score, move the phase, decide, publish.
/// Each applies the same rule as the API; done, it goes back to the call; refused, it shows the call again with the
/// reasons beside the form, the values kept, nothing stored.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class ActModel(Caravan.Features.Selections.Selections selections, MechanismQueries mechanism,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [FromRoute] public string Id { get; set; } = "";
    public CallPage? Call { get; private set; }

    public IActionResult OnGet() => Redirect($"/selections/{Id}");

    public Task<IActionResult> OnPostNominateAsync(CancellationToken ct) => ActAsync("nominate", (caller, form) =>
        selections.NominateAsync(caller, Id, new NominationInput(null, NewModel.Texts(form, "city"),
            NewModel.Texts(form, "statement"), form["evidenceUrl"]), ct), ct);

    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct) => ActAsync("withdraw", (caller, _) =>
        selections.WithdrawNominationAsync(caller, Id, null, ct), ct);

    public Task<IActionResult> OnPostAppointAsync(CancellationToken ct) => ActAsync("appoint", (caller, form) =>
        selections.AppointJurorAsync(caller, Id, form["user"], form["state"], ct), ct);

    public Task<IActionResult> OnPostConflictAsync(CancellationToken ct) => ActAsync("conflict", (caller, form) =>
        selections.DeclareConflictAsync(caller, Id, form["state"], form["reason"], ct), ct);

    public Task<IActionResult> OnPostScoreAsync(CancellationToken ct) => ActAsync("score", (caller, form) =>
    {
        var scores = new List<ScoreInput>();
        for (var i = 0; form.ContainsKey($"scores[{i}].criterion"); i++)
            scores.Add(new ScoreInput(form[$"scores[{i}].criterion"], form[$"scores[{i}].value"],
                form[$"scores[{i}].comment"]));
        return selections.ScoreAsync(caller, Id, form["nomination"], scores, ct);
    }, ct);

    public Task<IActionResult> OnPostPhaseAsync(CancellationToken ct) => ActAsync("phase", (caller, form) =>
        selections.MovePhaseAsync(caller, Id, form["phase"], ct), ct);

    public Task<IActionResult> OnPostDecideAsync(CancellationToken ct) => ActAsync("decide", (caller, form) =>
        selections.DecideAsync(caller, Id, new DecisionInput(form["nomination"], form["decidedOn"],
            NewModel.Texts(form, "rationale")), ct), ct);

    public Task<IActionResult> OnPostPublishAsync(CancellationToken ct) => ActAsync("publish", (caller, _) =>
        selections.PublishAsync(caller, Id, ct), ct);

    private async Task<IActionResult> ActAsync(string formName,
        Func<Caravan.Features.Accounts.Caller?, IFormCollection, Task<WriteOutcome<string>>> act, CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        var form = await Request.ReadFormAsync(ct);
        var result = await act(caller, form);
        if (result.Succeeded) return Redirect($"/selections/{Id}#{formName}");
        Call = await CallPage.LoadAsync(selections, mechanism, caller, Id, ct);
        if (result.Outcome == ChangeOutcome.NotFound || Call is null) return NotFound();
        Call.PostedForm = formName;
        Call.Posted = form;
        // A score form is one per nomination: the problems belong to the one that was sent.
        if (formName == "score") Call.PostedForm = "score:" + form["nomination"];
        Call.Problems.AddRange(WriteAnswers.ForPage(result.Problems, l));
        Response.StatusCode = WriteAnswers.PageStatus(result.Outcome);
        return Page();
    }
}
