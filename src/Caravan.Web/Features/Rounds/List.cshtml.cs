using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Commitments;
using Caravan.Features.Rounds;
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
/// The reporting rounds, with each reader's share of their tasks; the secretariat opens a round here. Signed-in people
/// only: an open round's progress is the mechanism's internal work (its result is public as the period's snapshot).
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class ListModel(CaravanDbContext db, Caravan.Features.Rounds.Rounds rounds, TimeProvider clock,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public List<RoundSummary> Rounds { get; private set; } = [];
    public List<ReportingPeriod> OpenPeriods { get; private set; } = [];
    public bool CanOpen { get; private set; }
    public List<FormProblem> Problems { get; } = [];
    public IFormCollection? Posted { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var form = Posted = await Request.ReadFormAsync(ct);
        var reminders = form["reminderDays"].ToString()
            .Split([',', ' ', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await rounds.OpenAsync(HttpContext.GetCaller(), new RoundInput(
            new LocalizedText { En = form["name.en"].ToString(), Ru = form["name.ru"].ToString(),
                Zh = form["name.zh"].ToString() },
            form["period"].ToString(), form["dueOn"].ToString(), reminders), ct);
        if (result.Succeeded) return Redirect($"/rounds/{result.Value}");
        if (result.Outcome == ChangeOutcome.Forbidden) return Forbid();
        // Reminder days were typed in one box: a problem with any of them is shown on it.
        Problems.AddRange(WriteAnswers.ForPage(result.Problems, l).Select(p =>
            p.Field.StartsWith("reminderDays", StringComparison.Ordinal) ? p with { Field = "reminderDays" } : p));
        Response.StatusCode = WriteAnswers.PageStatus(result.Outcome);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        CanOpen = Access.CanValidate(caller);
        Rounds = await RoundQueries.ListAsync(db, caller, clock.GetUtcNow(), ct);
        // The periods a round may be opened for: not closed, and without an open round already.
        OpenPeriods = await db.ReportingPeriods.AsNoTracking()
            .Where(p => !p.Closed && !db.Rounds.Any(r => r.OpenPeriodId == p.Id)).OrderBy(p => p.Order)
            .ToListAsync(ct);
    }

    public string Value(string name) => Posted?[name].ToString() ?? "";
}
