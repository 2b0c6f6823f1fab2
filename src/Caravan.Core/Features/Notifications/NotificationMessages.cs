using Caravan.Shared;

namespace Caravan.Features.Notifications;

/// <summary>What is wrong with a person's choices for messages.</summary>
public static class NotificationMessages
{
    public static readonly MessageCode UnknownLanguage = new("account.error.language");
    public static readonly MessageCode UnknownDigest = new("account.error.digest");
}
