using Caravan.Data;
using Caravan.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Notifications;

/// <summary>
/// Raising a notification: one row per recipient, added to the context of the write step that causes it, so that it
/// is saved in the same transaction (ADR 0022). The delivery worker mails it; the inbox shows it.
/// </summary>
public static class Outbox
{
    /// <summary>
    /// Adds a notification of <paramref name="kind"/> for each recipient (once each; unknown or disabled accounts
    /// are skipped by the delivery worker, which finds no address to send to). Call it inside
    /// <see cref="CaravanDbContext.WriteAsync{T}"/>, before the step's save: the rows are saved with the step's data.
    /// <paramref name="oneTimeLink"/> is an invitation or reset link, mailed once and then forgotten.
    /// </summary>
    public static IReadOnlyList<Notification> Raise(CaravanDbContext db, NotificationKind kind,
        IEnumerable<string> recipientUserIds, NotificationContent content, DateTimeOffset now,
        string? oneTimeLink = null)
    {
        var raised = new List<Notification>();
        foreach (var userId in recipientUserIds.Distinct(StringComparer.Ordinal))
        {
            var n = new Notification
            {
                Id = Guid.CreateVersion7().ToString("N"),
                UserId = userId,
                Kind = kind,
                Content = content,
                OneTimeLink = oneTimeLink,
                CreatedAt = now,
                Mail = MailState.Pending,
                NextAttemptAt = now.ToUnixTimeMilliseconds(),
            };
            db.Notifications.Add(n);
            raised.Add(n);
        }
        return raised;
    }

    /// <summary>The secretariat's enabled accounts (those who validate and publish).</summary>
    public static Task<List<string>> SecretariatAsync(CaravanDbContext db, CancellationToken ct) =>
        db.Users.Where(u => !u.Disabled
                && (u.Role == CaravanRole.SecretariatAdmin || u.Role == CaravanRole.SecretariatEditor))
            .Select(u => u.Id).ToListAsync(ct);

    /// <summary>The enabled national coordinators of these states.</summary>
    public static Task<List<string>> CoordinatorsOfAsync(CaravanDbContext db, IReadOnlyCollection<string> states,
        CancellationToken ct) =>
        db.Users.Where(u => !u.Disabled && u.Role == CaravanRole.NationalCoordinator && u.StateId != null
                && states.Contains(u.StateId))
            .Select(u => u.Id).ToListAsync(ct);
}

/// <summary>A person's language for messages and their digest choice.</summary>
public static class MessagePreferences
{
    /// <summary>A person's language for messages (en when they never chose).</summary>
    public static async Task<string> LanguageOfAsync(CaravanDbContext db, string userId, CancellationToken ct) =>
        await db.NotificationPreferences.Where(p => p.UserId == userId).Select(p => p.Language)
            .FirstOrDefaultAsync(ct) ?? "en";

    /// <summary>Sets a person's language and digest choice (added or changed in the caller's save).</summary>
    public static async Task SetAsync(CaravanDbContext db, string userId, string? language,
        DigestChoice? digest, CancellationToken ct)
    {
        var row = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (row is null) db.NotificationPreferences.Add(row = new NotificationPreference { UserId = userId });
        if (language is not null) row.Language = language;
        if (digest is { } d) row.Digest = d;
    }

    public static bool IsLanguage(string? language) => language is "en" or "zh" or "ru";
}
