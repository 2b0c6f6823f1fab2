using Caravan.Data;
using Caravan.Features.Notifications;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Notifications;

/// <summary>
/// The secretariat's view of the outbox: how many messages wait, were sent, failed or were not mailed (mail off), and
/// the latest of them with their tries, last error and next try; a message can be tried again. Who each went to and
/// of what kind is shown, never its content or link.
/// </summary>
[Authorize(Policy = AccountSetup.Secretariat)]
public sealed class DeliveriesModel(CaravanDbContext db, MailSettings mail, TimeProvider clock) : PageModel
{
    public const int Shown = 200;
    public sealed record Row(Notification Message, string? Email, string? Name);

    public bool MailEnabled => mail.Enabled;
    public Dictionary<MailState, int> Counts { get; private set; } = [];
    public List<Row> Rows { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? State { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counts = await db.Notifications.GroupBy(n => n.Mail).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var query = db.Notifications.AsNoTracking();
        if (Caravan.Features.Seed.SeedEnums.TryParse<MailState>(State, out var state))
            query = query.Where(n => n.Mail == state);
        Rows = await (from n in query.OrderByDescending(n => n.Id).Take(Shown)
                      join u in db.Users on n.UserId equals u.Id into people
                      from u in people.DefaultIfEmpty()
                      select new Row(n, u.Email, u.DisplayName)).ToListAsync(ct);
        Rows = [.. Rows.OrderByDescending(r => r.Message.Id)];
    }

    public async Task<IActionResult> OnPostRetryAsync(string id, CancellationToken ct)
    {
        if (!await DeliveryWorker.RetryAsync(db, id, clock, ct)) return NotFound();
        return RedirectToPage(new { State });
    }

    /// <summary>The next try as a moment, for a message still waiting.</summary>
    public static DateTimeOffset? NextTry(Notification n) =>
        n.Mail == MailState.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(n.NextAttemptAt) : null;
}
