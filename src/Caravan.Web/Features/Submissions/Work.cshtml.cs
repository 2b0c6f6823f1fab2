using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Indicators;
using Caravan.Features.Submissions;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Submissions;

/// <summary>A person's desk: what awaits them, their open submissions, and the records they may change.</summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class WorkModel(CaravanDbContext db, RecordEditor editor) : PageModel
{
    public string RoleName { get; private set; } = "";
    public string? StateId { get; private set; }
    public bool CanPropose { get; private set; }
    public List<Submission> AwaitingMe { get; private set; } = [];
    public List<Submission> Mine { get; private set; } = [];
    public List<(string Kind, List<EditableRecord> Records)> Records { get; } = [];
    public List<Indicator> Indicators { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        RoleName = Caller.RoleName(me.Role);
        StateId = me.StateId;
        CanPropose = me.IsSecretariat || me.Role == CaravanRole.NationalCoordinator;
        var open = await editor.VisibleTo(me)
            .Where(s => s.Status == SubmissionStatus.Submitted || s.Status == SubmissionStatus.Validated
            || s.Status == SubmissionStatus.Draft || s.Status == SubmissionStatus.Returned).Include(s => s.Events)
                .ToListAsync(ct);
        open = [.. open.OrderByDescending(s => s.UpdatedAt)];
        AwaitingMe = me.IsSecretariat
            ? [.. open.Where(s => s.Status is SubmissionStatus.Submitted or SubmissionStatus.Validated)]
            : [.. open.Where(s => s.Status == SubmissionStatus.Submitted && me.StateId is not null &&
                s.AwaitingConfirmationFrom.Contains(me.StateId))];
        Mine = [.. open.Where(s => s.AuthorId == me.UserId)];
        foreach (var kind in RecordKind.All)
        {
            var inScope = (await kind.ListAsync(db, ct))
                .Where(r => Access.WriteRightOn(me, r.Scope) != WriteRight.None).ToList();
            if (inScope.Count > 0 || (kind.CanCreate && CanPropose)) Records.Add((kind.Name, inScope));
        }
        Indicators = await db.Indicators.AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);
    }
}
