using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Caravan.Web.Features.Notifications;

/// <summary>A rendered message: subject, plain text and HTML, in the recipient's language.</summary>
public sealed record MailText(string Subject, string Text, string Html);

/// <summary>
/// Sends messages through the SMTP server of <see cref="MailSettings"/> with MailKit, one connection per batch.
/// </summary>
public sealed class MailSender(MailSettings settings)
{
    public async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security switch
            {
                MailSecurity.None => SecureSocketOptions.None,
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.Auto,
            }, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The message for one notification: its id in the Message-ID, so that a copy sent twice (a node that died
    /// between sending and recording it) is recognisably the same message.
    /// </summary>
    public MimeMessage Compose(string messageId, string toName, string toAddress, string language, MailText text)
    {
        var message = new MimeMessage { Subject = text.Subject, MessageId = $"{messageId}@caravan" };
        message.From.Add(new MailboxAddress(settings.FromName, settings.From!));
        message.To.Add(new MailboxAddress(toName, toAddress));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = text.Text, HtmlBody = text.Html }.ToMessageBody();
        // A Content-* header belongs to the body (MimeKit writes the body's).
        message.Body.Headers.Add(HeaderId.ContentLanguage, language);
        return message;
    }
}
