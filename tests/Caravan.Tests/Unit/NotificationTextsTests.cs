using Caravan.Features.Notifications;
using Caravan.Web.Features.Notifications;

namespace Caravan.Tests.Unit;

/// <summary>Every kind of message is written in every language, with each of its places filled and its link.</summary>
public sealed class NotificationTextsTests
{
    private static Notification Full(NotificationKind kind) => new()
    {
        Id = "0192", UserId = "u", Kind = kind,
        Content = new NotificationContent
        {
            Title = new LocalizedText { En = "Trade turnover 2023", Ru = "Товарооборот 2023", Zh = "2023年贸易额" },
            Link = "/submissions/abc", Comment = "Cite the bulletin.", Days = 7, Due = new DateOnly(2026, 4, 1),
            Awaiting = [new(new LocalizedText { En = "Awaiting one" }, "/submissions/a1")],
            Published = [new(new LocalizedText { En = "Published one" }, "/submissions/p1")],
            Count = 1234,
        },
    };

    public static TheoryData<NotificationKind, string> Cases()
    {
        var data = new TheoryData<NotificationKind, string>();
        foreach (var kind in Enum.GetValues<NotificationKind>())
            foreach (var language in new[] { "zh", "ru", "en" }) data.Add(kind, language);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_kind_renders_in_each_language_with_its_places_filled(NotificationKind kind, string language)
    {
        var n = Full(kind);
        var mail = NotificationTexts.Render(n, "Aigerim <b>", language, "https://caravan.example.org/");
        foreach (var text in new[] { mail.Subject, mail.Text, mail.Html })
        {
            Assert.DoesNotContain("mail.", text, StringComparison.Ordinal); // a key, not its text
            Assert.DoesNotMatch(@"\{\d\}", text);
        }
        Assert.Contains("https://caravan.example.org/submissions/abc", mail.Text);
        Assert.Contains("https://caravan.example.org/account", mail.Text);
        Assert.Contains("Aigerim &lt;b&gt;", mail.Html); // names are escaped in HTML
        Assert.Contains(language == "en" ? "Hello" : language == "ru" ? "Здравствуйте" : "您好", mail.Text);
        if (kind is NotificationKind.RoundReminder) Assert.Contains("7", mail.Subject);
        // A spreadsheet's many submissions: how many, in the reader's digits.
        if (kind is NotificationKind.SheetAwaitingValidation or NotificationKind.SheetAwaitingConfirmation)
            Assert.Contains(1234.ToString(System.Globalization.CultureInfo.GetCultureInfo(language)), mail.Subject);
    }

    [Fact]
    public void An_invitation_links_only_to_its_one_time_link()
    {
        var n = new Notification
        {
            Id = "1", UserId = "u", Kind = NotificationKind.Invitation, Content = new NotificationContent(),
            OneTimeLink = "https://caravan.example.org/account/invitation?user=u&token=t",
        };
        var mail = NotificationTexts.Render(n, "A", "en", "https://caravan.example.org");
        Assert.Contains("Choose your password: https://caravan.example.org/account/invitation?user=u&token=t", mail.Text);
        Assert.Contains("href=\"https://caravan.example.org/account/invitation?user=u&amp;token=t\"", mail.Html);
    }
}
