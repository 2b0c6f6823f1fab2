using Caravan.Features.Notifications;

namespace Caravan.Web.Features.Notifications;

/// <summary>How the SMTP connection is secured (MailKit's <c>SecureSocketOptions</c>).</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP: only for a relay on the same host or a test server.</summary>
    None,
    /// <summary>STARTTLS, required (usually port 587).</summary>
    StartTls,
    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
    /// <summary>MailKit decides from the port: 465 TLS, else STARTTLS when the server offers it.</summary>
    Auto,
}

/// <summary><c>Caravan:Mail:*</c>: the SMTP server, the sender, and how deliveries are tried. Off by default.</summary>
public sealed class MailSettings
{
    public const string Section = "Caravan:Mail";
    public bool Enabled { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public MailSecurity Security { get; set; } = MailSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender's address, e.g. caravan@secretariat.example.org.</summary>
    public string? From { get; set; }
    public string FromName { get; set; } = "Caravan";
    /// <summary>How often each node looks for messages to send and scheduled work to run.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How many messages a node claims at a time (sent over one connection).</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>Tries before a message is marked failed (the secretariat may try it again).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>The wait after the first failure; it doubles after each, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);
    /// <summary>How long a node's claim on a batch lasts: a node that dies leaves its batch to others after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>The SMTP client's timeout for one command (connect, send).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before try number <paramref name="attempts"/> + 1: doubling, capped.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var doubled = FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, MaxRetryDelay.TotalMilliseconds));
    }
}

/// <summary>
/// Notifications: the outbox and inbox, the mail delivery worker, scheduled work run once across nodes (the weekly
/// digest). What the feature registers, called with one line from Program.cs.
/// </summary>
public static class NotificationsFeature
{
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(MailSettings.Section).Get<MailSettings>() ?? new MailSettings();
        if (settings.Enabled && (string.IsNullOrWhiteSpace(settings.Host) || string.IsNullOrWhiteSpace(settings.From)))
            throw new InvalidOperationException(
                "Caravan:Mail:Enabled is true but Caravan:Mail:Host or Caravan:Mail:From is not set.");
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddHostedService(s => s.GetRequiredService<DeliveryWorker>());
        builder.Services.AddSingleton<IScheduledJob, WeeklyDigest>();
        builder.Services.AddSingleton<ScheduledWorkHost>();
        builder.Services.AddHostedService(s => s.GetRequiredService<ScheduledWorkHost>());
    }
}
