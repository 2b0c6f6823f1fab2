using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Features.Mechanism;
using Caravan.Features.Seed;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// The secretariat administrator invites people (a one-time link to pass on), and disables or re-invites them.
/// </summary>
[Authorize(Policy = AccountSetup.AccountAdmin)]
public sealed class UsersModel(AccountService accounts, CaravanDbContext db, IStringLocalizer<SharedResource> l,
    Caravan.Web.Features.Notifications.MailSettings mail) : PageModel
{
    /// <summary>With mail on, the link is mailed to the person and not shown here.</summary>
    public bool Mailed => mail.Enabled;
    /// <summary>The invitee's language for messages; the page's own by default.</summary>
    [BindProperty] public string? Language { get; set; } = CaravanLocalization.Language;
    public List<CaravanUser> All { get; private set; } = [];
    public List<MemberState> States { get; private set; } = [];
    public List<Body> Bodies { get; private set; } = [];
    public string? Link { get; private set; }
    public List<FormProblem> Problems { get; } = [];
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? State { get; set; }
    [BindProperty(Name = "bodies")] public List<string> SelectedBodies { get; set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        var me = HttpContext.GetCaller()!;
        if (!SeedEnums.TryParse<CaravanRole>(Role, out var role)) Problems.Add(new("role", l["account.error.role"]));
        else
        {
            var (_, link, errors) = await accounts.InviteAsync(Email ?? "", DisplayName ?? "", role, State,
                SelectedBodies, Actor(me), me.UserId, Language);
            Problems.AddRange(errors.Select(e =>
                new FormProblem(e.Field, MessageFormatter.Format(l, e.Message))));
            Link = link;
            if (link is not null) { Email = DisplayName = State = null; SelectedBodies = []; }
            Language ??= CaravanLocalization.Language;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostReinviteAsync(string id)
    {
        Link = await accounts.ReinviteAsync(id, Actor(HttpContext.GetCaller()!));
        await LoadAsync();
        return Link is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string id, bool disabled)
    {
        if (!await accounts.SetDisabledAsync(id, disabled, Actor(HttpContext.GetCaller()!))) return NotFound();
        return RedirectToPage();
    }

    private static AuditActor Actor(Caller me) => new(me.Name, me.AuditRole, null);

    private async Task LoadAsync()
    {
        All = await accounts.ListAsync();
        States = await db.MemberStates.AsNoTracking().OrderBy(s => s.Id).ToListAsync();
        Bodies = await db.Bodies.AsNoTracking().OrderBy(b => b.Id).ToListAsync();
    }
}
