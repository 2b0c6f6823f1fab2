using Caravan.Data;
using Caravan.Features.Notifications;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Notifications;

/// <summary>One's own messages, newest first: what each is about and a link to it; marked read one by one or all.</summary>
[Authorize(Policy = AccountSetup.Writer)]
public sealed class InboxModel(CaravanDbContext db, TimeProvider clock) : PageModel
{
    public const int Shown = 100;
    public List<Notification> Messages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        // Newest first by id (UUID v7 starts with its time; SQLite cannot sort DateTimeOffset).
        Messages = await db.Notifications.AsNoTracking().Where(n => n.UserId == me.UserId)
            .OrderByDescending(n => n.Id).Take(Shown).ToListAsync(ct);
    }

    /// <summary>Marks one message read (<paramref name="id"/>) or all; only the caller's own are touched.</summary>
    public async Task<IActionResult> OnPostReadAsync(string? id, CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.UserId == me.UserId && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return RedirectToPage();
    }

    /// <summary>Opens what a message is about, marking it read.</summary>
    public async Task<IActionResult> OnPostOpenAsync(string id, CancellationToken ct)
    {
        var me = HttpContext.GetCaller()!;
        var n = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.UserId == me.UserId, ct);
        if (n is null) return NotFound();
        var now = clock.GetUtcNow();
        await db.Notifications.Where(x => x.Id == id && x.UserId == me.UserId && x.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadAt, now), ct);
        return LocalRedirect(NotificationTexts.PathOf(n));
    }

    /// <summary>The header's count: one indexed COUNT for the signed-in person, none for the public.</summary>
    public static async Task<int> UnreadAsync(HttpContext http)
    {
        if (http.GetCaller() is not { SecondFactor: true } me) return 0;
        var db = http.RequestServices.GetRequiredService<CaravanDbContext>();
        return await db.Notifications.CountAsync(n => n.UserId == me.UserId && n.ReadAt == null, http.RequestAborted);
    }
}
