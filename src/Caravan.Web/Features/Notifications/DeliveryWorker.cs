using Caravan.Data;
using Caravan.Features.Notifications;
using Caravan.Web.Features.Accounts;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Notifications;

/// <summary>
/// Sends the outbox: on each node, every <see cref="MailSettings.PollInterval"/>, claims a batch of pending messages
/// with a conditional UPDATE (only rows nobody holds a live lease on), sends them over one SMTP connection and records
/// each as sent, or as failed with its error and the next try (doubling waits, capped). A claim is a lease: a node that
/// dies mid-batch leaves its messages to another once the lease runs out. With mail off, pending messages are marked
/// as not mailed (they stay in the inbox) and their one-time links are forgotten.
/// </summary>
public sealed class DeliveryWorker(IServiceScopeFactory scopes, MailSettings settings, AccountSettings accounts,
    MailSender sender, TimeProvider clock, ILogger<DeliveryWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try { handled = await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogWarning(e, "The mail delivery run failed; it is tried again."); }
            // A full batch: more may be waiting, so no pause.
            if (handled < settings.BatchSize)
                try { await Task.Delay(settings.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One run: claims up to a batch, sends it; the number of messages handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
        // A read first: an idle poll takes no write lock (SQLite's is the whole database's).
        if (!await db.Notifications.AnyAsync(n => n.Mail == MailState.Pending, ct)) return 0;
        if (!settings.Enabled)
            return await db.Notifications.Where(n => n.Mail == MailState.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Mail, MailState.Off).SetProperty(n => n.OneTimeLink, (string?)null), ct);

        // One connection for the run's statements (a claim, its reads, an update per message sent).
        await db.Database.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var claim = Guid.NewGuid().ToString("N");
        var until = now + (long)settings.Lease.TotalMilliseconds;
        var due = await db.Notifications.AsNoTracking()
            .Where(n => n.Mail == MailState.Pending && n.NextAttemptAt <= now
                && (n.LeaseUntil == null || n.LeaseUntil < now))
            .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).Select(n => n.Id).Take(settings.BatchSize)
            .ToListAsync(ct);
        if (due.Count == 0) return 0;
        // The claim: the WHERE is checked again on each row as it is updated (PostgreSQL re-reads a row another
        // transaction changed; SQLite writes one at a time), so two nodes never hold the same message.
        await db.Notifications.Where(n => due.Contains(n.Id) && n.Mail == MailState.Pending
                && (n.LeaseUntil == null || n.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseOwner, claim).SetProperty(n => n.LeaseUntil, until), ct);
        var mine = await db.Notifications.AsNoTracking().Where(n => n.LeaseOwner == claim)
            .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).ToListAsync(ct);
        if (mine.Count == 0) return 0;
        var userIds = mine.Select(n => n.UserId).Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Disabled }).ToDictionaryAsync(u => u.Id, ct);
        var languages = await db.NotificationPreferences.AsNoTracking().Where(p => userIds.Contains(p.UserId))
            .ToDictionaryAsync(p => p.UserId, p => p.Language, ct);
        var origin = accounts.PublicUrl ?? "http://127.0.0.1:5080";

        SmtpClient? client = null;
        try
        {
            await SendAsync();
        }
        catch
        {
            // Whatever stopped the batch, its messages go back to the next claim now rather than when the lease ends.
            try
            {
                await db.Notifications.Where(x => x.LeaseOwner == claim).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (long?)null),
                    CancellationToken.None);
            }
            catch (Exception e) { log.LogDebug(e, "Releasing claim {Claim} failed; its lease runs out", claim); }
            throw;
        }
        finally
        {
            if (client is not null)
            {
                try { if (client.IsConnected) await client.DisconnectAsync(true, CancellationToken.None); }
                catch (Exception e) { log.LogDebug(e, "SMTP QUIT failed"); }
                client.Dispose();
            }
        }
        return mine.Count;

        async Task SendAsync()
        {
            foreach (var n in mine)
            {
                if (clock.GetUtcNow().ToUnixTimeMilliseconds() + settings.Timeout.TotalMilliseconds > until)
                {
                    // The lease would run out during the next send: leave the rest to the next claim.
                    await ReleaseAsync(db, claim, n.Id, ct);
                    continue;
                }
                if (!people.TryGetValue(n.UserId, out var person) || person.Disabled || person.Email is null)
                {
                    await FailAsync(db, claim, n, "The account is disabled or has no address.", final: true, ct);
                    continue;
                }
                var language = languages.GetValueOrDefault(n.UserId, "en");
                try
                {
                    // Composed inside the try: a message that cannot be written is a failed try, not a stuck batch.
                    var message = sender.Compose(n.Id, person.DisplayName, person.Email, language,
                        NotificationTexts.Render(n, person.DisplayName, language, origin));
                    client ??= await sender.ConnectAsync(ct);
                    await client.SendAsync(message, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    await FailAsync(db, claim, n, e.Message, final: false, ct);
                    if (client is { IsConnected: true }) continue;
                    client?.Dispose();
                    client = null;
                    continue;
                }
                await db.Notifications.Where(x => x.Id == n.Id && x.LeaseOwner == claim).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Mail, MailState.Sent).SetProperty(x => x.SentAt, clock.GetUtcNow())
                    .SetProperty(x => x.Attempts, n.Attempts + 1).SetProperty(x => x.OneTimeLink, (string?)null)
                    .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (long?)null)
                    .SetProperty(x => x.LastError, (string?)null), ct);
            }
        }
    }

    /// <summary>A failed try: the error and the next try (doubling waits), or failed for good after the last.</summary>
    private async Task FailAsync(CaravanDbContext db, string claim, Notification n, string error, bool final,
        CancellationToken ct)
    {
        var attempts = n.Attempts + 1;
        var giveUp = final || attempts >= settings.MaxAttempts;
        var next = clock.GetUtcNow().Add(settings.RetryDelay(attempts)).ToUnixTimeMilliseconds();
        log.LogWarning("Mail {Id} to user {User}, try {Attempts}: {Error}", n.Id, n.UserId, attempts, error);
        await db.Notifications.Where(x => x.Id == n.Id && x.LeaseOwner == claim).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Mail, giveUp ? MailState.Failed : MailState.Pending)
            .SetProperty(x => x.Attempts, attempts).SetProperty(x => x.NextAttemptAt, next)
            .SetProperty(x => x.LastError, error.Length > 1000 ? error[..1000] : error)
            .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (long?)null), ct);
    }

    private static Task<int> ReleaseAsync(CaravanDbContext db, string claim, string id, CancellationToken ct) =>
        db.Notifications.Where(x => x.Id == id && x.LeaseOwner == claim).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (long?)null), ct);

    /// <summary>
    /// The secretariat tries a message again now (a failed one, or a pending one waiting for its next try); a message
    /// already sent is not sent again. False when there is no such message.
    /// </summary>
    public static async Task<bool> RetryAsync(CaravanDbContext db, string id, TimeProvider clock,
        CancellationToken ct) =>
        await db.Notifications.Where(n => n.Id == id && (n.Mail == MailState.Failed || n.Mail == MailState.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Mail, MailState.Pending)
                .SetProperty(n => n.NextAttemptAt, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct) == 1;
}
