using System.Globalization;
using System.Net;
using System.Resources;
using System.Text;
using Caravan.Features.Notifications;
using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Web.Features.Notifications;

/// <summary>
/// A notification as words, in one language, from the UI strings: the mail (subject, plain text, HTML with a link to
/// the page that names what to do) and the inbox's line. Nothing but the notification's own content is shown.
/// </summary>
public static class NotificationTexts
{
    private static readonly ResourceManager Strings = new("Caravan.Web.Resources.SharedResource",
        typeof(SharedResource).Assembly);

    /// <summary>The three languages, each named in itself (as the portal's language switch names them).</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> LanguageNames =
        [("zh", "中文"), ("ru", "Русский"), ("en", "English")];

    public static string KeyOf(NotificationKind kind) => SeedEnums.ToKebab(kind.ToString());

    private static string S(string key, CultureInfo culture) => Strings.GetString(key, culture) ?? key;

    public static CultureInfo CultureOf(string language) =>
        CultureInfo.GetCultureInfo(MessagePreferences.IsLanguage(language) ? language : "en");

    /// <summary>The subject line, which is also the inbox's line.</summary>
    public static string Subject(Notification n, CultureInfo culture) =>
        Fill(S($"mail.{KeyOf(n.Kind)}.subject", culture), n, culture);

    /// <summary>A text's places: {0} the title, {1} the number of days, {2} the due date, {3} how many.</summary>
    private static string Fill(string template, Notification n, CultureInfo culture) =>
        string.Format(culture, template, Title(n, culture), n.Content.Days ?? 0,
            n.Content.Due is { } due ? PartialDate.OfDay(due.Year, due.Month, due.Day).Format(culture) : "",
            n.Content.Count ?? 0);

    /// <summary>The page the message points to, as a path (the invitation's own link is the mail's only).</summary>
    public static string PathOf(Notification n) => n.Content.Link ?? "/account";

    /// <summary>The mail for a notification, with absolute links under <paramref name="origin"/>.</summary>
    public static MailText Render(Notification n, string recipientName, string language, string origin)
    {
        var culture = CultureOf(language);
        origin = origin.TrimEnd('/');
        var kind = KeyOf(n.Kind);
        var target = n.OneTimeLink ?? origin + PathOf(n);
        var greeting = string.Format(culture, S("mail.greeting", culture), recipientName);
        var body = Fill(S($"mail.{kind}.body", culture), n, culture);
        var action = S($"mail.{kind}.action", culture);
        var footer = string.Format(culture, S("mail.footer", culture), origin + "/account");
        var lists = new List<(string Heading, List<DigestLine> Lines)>();
        if (n.Content.Awaiting is { Count: > 0 } awaiting) lists.Add((S("mail.digest.awaiting", culture), awaiting));
        if (n.Content.Published is { Count: > 0 } published)
            lists.Add((S("mail.digest.published", culture), published));

        var text = new StringBuilder().AppendLine(greeting).AppendLine().AppendLine(body);
        var html = new StringBuilder($"<!DOCTYPE html><html lang=\"{culture.TwoLetterISOLanguageName}\"><body>")
            .Append("<p>").Append(E(greeting)).Append("</p><p>").Append(E(body)).Append("</p>");
        if (n.Content.Comment is { Length: > 0 } comment)
        {
            text.AppendLine().AppendLine(S("mail.comment", culture)).AppendLine(comment);
            html.Append("<p>").Append(E(S("mail.comment", culture))).Append("</p><blockquote>")
                .Append(E(comment).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</blockquote>");
        }
        foreach (var (heading, lines) in lists)
        {
            text.AppendLine().AppendLine(heading);
            html.Append("<h2>").Append(E(heading)).Append("</h2><ul>");
            foreach (var line in lines)
            {
                var title = line.Title.Pick(culture).Text ?? "";
                text.Append("- ").Append(title).Append(": ").AppendLine(origin + line.Link);
                html.Append("<li><a href=\"").Append(E(origin + line.Link)).Append("\">").Append(E(title))
                    .Append("</a></li>");
            }
            html.Append("</ul>");
        }
        text.AppendLine().Append(action).Append(": ").AppendLine(target).AppendLine().AppendLine("--").Append(footer);
        html.Append("<p><a href=\"").Append(E(target)).Append("\">").Append(E(action)).Append("</a></p>")
            .Append("<p style=\"color:#555;font-size:small\">").Append(E(footer)).Append("</p></body></html>");
        return new MailText(Subject(n, culture), text.ToString(), html.ToString());
    }

    private static string Title(Notification n, CultureInfo culture) => n.Content.Title?.Pick(culture).Text ?? "";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
