using Caravan.Features.Accounts;
using Caravan.Features.Mechanism;
using Caravan.Features.Programmes;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Programmes;

/// <summary>
/// What the entry form offers this reader: the states they may record for, and whether it is written directly.
/// </summary>
public sealed record EntryForm(Programme Programme, IReadOnlyList<string> States, bool Direct,
    IReadOnlyDictionary<string, string?> Values)
{
    /// <summary>
    /// The entry's sources as typed, then blank rows: an entry is a new figure, published with its own sources.
    /// </summary>
    public IReadOnlyList<SourceInput> SourceRows { get; init; } = [new(), new()];

    public static async Task<EntryForm?> ForAsync(Caller me, Programme p, MechanismQueries mechanism,
        CancellationToken ct, IReadOnlyDictionary<string, string?>? values = null)
    {
        var states = (await mechanism.StatesAsync(ct)).Select(s => s.Id).Where(s => s != p.PledgedById)
            .Where(s => Access.WriteRightOn(me, ScopeOf(p, s)) != WriteRight.None).ToList();
        if (states.Count == 0) return null;
        return new EntryForm(p, states, Access.WriteRightOn(me, ScopeOf(p, states[0])) == WriteRight.Direct,
            values ?? new Dictionary<string, string?>());
    }

    /// <summary>
    /// Whose business an entry is, as the programme-entries record kind says: its state, and the body that runs the
    /// programme.
    /// </summary>
    public static RecordScope ScopeOf(Programme p, string state) => new([state], p.BodyId is null ? [] : [p.BodyId]);
}

/// <summary>
/// Records a ledger entry from the programme page's form: the secretariat's is written at once, an officer's
/// or coordinator's becomes a submission. A refusal comes back on this page, in the reader's language, with
/// the figures; nothing is stored.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
[RequestSizeLimit(Caravan.Features.Sources.SourceFile.MaxRequestBytes)] // a PDF source of up to 10 MB
public sealed class RecordModel(ProgrammeQueries programmes, MechanismQueries mechanism, RecordEditor editor,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public ProgrammeView? View { get; private set; }
    public EntryForm? Form { get; private set; }
    public List<FormProblem> Problems { get; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        View = await programmes.GetAsync(id, ct);
        if (View is null) return NotFound();
        Form = await EntryForm.ForAsync(HttpContext.GetCaller()!, View.Programme, mechanism, ct);
        return Form is null ? Forbid() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? state, string? kind, string? year, string? on,
        string? quantity, string? note, [FromForm(Name = "evidence-url")] string? evidenceUrl,
        [FromForm(Name = "override")] string? @override, [FromForm(Name = "override-reason")] string? overrideReason,
        string? reason, string? intent, CancellationToken ct)
    {
        View = await programmes.GetAsync(id, ct);
        if (View is null) return NotFound();
        var me = HttpContext.GetCaller()!;
        // The note is written in the reader's language; the other languages stay empty until someone translates it.
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["kind"] = kind, ["year"] = year, ["on"] = on, ["quantity"] = quantity, [$"note.{Display.Language}"] = note,
            ["evidence-url"] = evidenceUrl, ["override"] = @override == "true" ? "true" : "false",
                ["override-reason"] = overrideReason,
        };
        Form = await EntryForm.ForAsync(me, View.Programme, mechanism, ct, new Dictionary<string, string?>(values)
            { ["state"] = state, ["note"] = note, ["reason"] = reason });
        if (Form is null) return Forbid();
        var sources = Submissions.EditModel.SourcesOf(Request.Form);
        Form = Form with { SourceRows = [.. sources ?? [], new(), new()] };
        if (ProgrammesApi.StateProblem(View.Programme, state, (await mechanism.StatesAsync(ct))
            .Select(s => s.Id)) is { } problem)
            return Refused([problem]);
        var result = await editor.ChangeAsync(me, ProgrammeEntry.RecordKind, ProgrammesApi.NewEntryId(id, state!),
            values, reason, null, submit: intent != "draft", create: true, ct, sources);
        return result.Outcome switch
        {
            ChangeOutcome.Done or ChangeOutcome.Created => Redirect($"/programmes/{id}#states"),
            ChangeOutcome.Proposed => Redirect($"/submissions/{result.Submission!.Id}"),
            ChangeOutcome.Forbidden => Forbid(),
            ChangeOutcome.NotFound => NotFound(),
            _ => Refused(result.Problems),
        };
    }

    private PageResult Refused(IEnumerable<FieldError> errors)
    {
        // A localised field (note.en) is the one note box of the form.
        Problems.AddRange(WriteAnswers.ForPage(errors, l)
            .Select(p => p.Field.StartsWith("note.", StringComparison.Ordinal) ? p with { Field = "note" } : p));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
