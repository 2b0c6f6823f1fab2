using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Mechanism;
using Caravan.Features.Rounds;
using Caravan.Features.Seed;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Rounds;

/// <summary>
/// A round: progress per state and per body, and the tasks the reader may see, filtered by state, body, status and
/// kind, each with what it waits for and who; the secretariat closes it here.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class DetailModel(CaravanDbContext db, Caravan.Features.Rounds.Rounds rounds, TimeProvider clock,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public RoundView View { get; private set; } = null!;
    public IReadOnlyList<RoundTaskView> Tasks { get; private set; } = [];
    public bool CanClose { get; private set; }
    /// <summary>The secretariat (for any state) and a state's coordinator answer a round by spreadsheet.</summary>
    public bool CanAnswerBySheet { get; private set; }
    public List<FormProblem> Problems { get; } = [];
    public List<MemberState> States { get; private set; } = [];
    public List<string> Bodies { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Body { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCloseAsync(string id, CancellationToken ct)
    {
        var result = await rounds.CloseAsync(HttpContext.GetCaller(), id, ct);
        if (result.Succeeded)
        {
            await RoundsApi.ClosedAsync(HttpContext.RequestServices, db, id, ct);
            return Redirect($"/rounds/{id}");
        }
        if (result.Outcome == ChangeOutcome.Forbidden) return Forbid();
        if (result.Outcome == ChangeOutcome.NotFound) return NotFound();
        Problems.AddRange(WriteAnswers.ForPage(result.Problems, l, "close"));
        Response.StatusCode = WriteAnswers.PageStatus(result.Outcome);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        if (await RoundQueries.ViewAsync(db, caller, id, clock.GetUtcNow(), ct) is not { } view) return false;
        View = view;
        CanClose = view.Round.IsOpen && Access.CanValidate(caller);
        CanAnswerBySheet = caller is { SecondFactor: true, ReadOnly: false }
            && (caller.IsSecretariat || caller.Role == CaravanRole.NationalCoordinator);
        var stateIds = view.Tasks.Select(t => t.Task.StateId).OfType<string>().ToHashSet();
        States = [.. (await db.MemberStates.AsNoTracking().ToListAsync(ct)).Where(s => stateIds.Contains(s.Id))
            .OrderBy(s => s.Id, StringComparer.Ordinal)];
        Bodies = [.. view.Tasks.SelectMany(t => t.Task.Bodies).Distinct().Order(StringComparer.Ordinal)];
        RoundTaskStatus? status = Enum.GetValues<RoundTaskStatus>()
            .Where(s => SeedEnums.ToKebab(s) == Status).Select(s => (RoundTaskStatus?)s).FirstOrDefault();
        Tasks = RoundsApi.Filter(view.Tasks, Empty(State), Empty(Body), status, Empty(Kind));
        return true;
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
