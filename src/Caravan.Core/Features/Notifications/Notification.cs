using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Caravan.Features.Notifications;

/// <summary>What a notification is about: each kind has its own subject and text in the three languages.</summary>
public enum NotificationKind
{
    Invitation,
    PasswordReset,
    AwaitingConfirmation,
    AwaitingValidation,
    AwaitingPublication,
    Returned,
    Published,
    Digest,
    RoundOpened,
    RoundReminder,
    RoundOverdue,
    /// <summary>Many submissions from one spreadsheet await the reader's validation: one message, not one each.</summary>
    SheetAwaitingValidation,
    /// <summary>Many submissions from one spreadsheet await the reader's state's confirmation.</summary>
    SheetAwaitingConfirmation,
}

/// <summary>Where a notification's mail stands.</summary>
public enum MailState
{
    /// <summary>Waiting to be sent (first try, or a retry after a failure).</summary>
    Pending,
    Sent,
    /// <summary>Given up after the last automatic try; the secretariat may try again.</summary>
    Failed,
    /// <summary>Not mailed: mail was off when it was raised (it is in the inbox).</summary>
    Off,
}

/// <summary>
/// One message to one person: an entry in their inbox and, in the same row, the mail to send them (the outbox). It is
/// stored in the transaction of the write that raised it, so a message exists exactly when its cause does.
/// </summary>
public sealed class Notification : IUnaudited
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public NotificationKind Kind { get; set; }
    /// <summary>What the message names: typed values, rendered in the recipient's language when read or sent.</summary>
    public NotificationContent Content { get; set; } = new();
    /// <summary>
    /// The one-time invitation or reset link, only until it is mailed (or mail is off): never shown in the inbox or
    /// the audit trail.
    /// </summary>
    [RedactedInAudit]
    public string? OneTimeLink { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    public MailState Mail { get; set; }
    public int Attempts { get; set; }
    /// <summary>When the next try is due, in Unix milliseconds (both providers compare it as a number).</summary>
    public long NextAttemptAt { get; set; }
    /// <summary>A delivery worker's claim: until when (Unix ms) and whose; a crashed worker's claim runs out.</summary>
    public long? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>
/// The values a message names: the thing it is about (in three languages), the portal page to open (a path; the mail
/// makes it absolute), a comment, a number of days, a date, and a digest's lists.
/// </summary>
public sealed record NotificationContent
{
    public LocalizedText? Title { get; init; }
    public string? Link { get; init; }
    public string? Comment { get; init; }
    public int? Days { get; init; }
    public DateOnly? Due { get; init; }
    public List<DigestLine>? Awaiting { get; init; }
    public List<DigestLine>? Published { get; init; }
    /// <summary>How many things the message is about (a spreadsheet's submissions), when more than its list shows.</summary>
    public int? Count { get; init; }
}

/// <summary>One line of a digest: a thing and its page.</summary>
public sealed record DigestLine(LocalizedText Title, string Link);

/// <summary>How often a person wants the digest of what awaits them and what was published in their scope.</summary>
public enum DigestChoice { None, Weekly }

/// <summary>A person's choices for messages: their language and the digest. No row: English, no digest.</summary>
public sealed class NotificationPreference
{
    public required string UserId { get; set; }
    /// <summary>en, zh or ru.</summary>
    public string Language { get; set; } = "en";
    public DigestChoice Digest { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.UserId).HasMaxLength(450);
        // The model's own JSON converter and comparer (ModelConventions), which the compiled model can name (ADR 0024).
        e.Property(x => x.Content).HasConversion(typeof(Caravan.Data.JsonConverter<NotificationContent>),
            typeof(Caravan.Data.JsonComparer<NotificationContent>));
        e.Property(x => x.OneTimeLink).HasMaxLength(2000);
        e.Property(x => x.LeaseOwner).HasMaxLength(32);
        e.Property(x => x.LastError).HasMaxLength(1000);
        // The inbox and the header's count: a person's unread messages.
        e.HasIndex(x => new { x.UserId, x.ReadAt });
        // The delivery worker's scan: pending messages due now.
        e.HasIndex(x => new { x.Mail, x.NextAttemptAt });
        e.HasOne<CaravanUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> e)
    {
        e.HasKey(x => x.UserId);
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.Language).HasMaxLength(2);
        e.HasOne<CaravanUser>().WithOne().HasForeignKey<NotificationPreference>(x => x.UserId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
