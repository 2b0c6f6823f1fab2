namespace Caravan.Web.Features.Rounds;

/// <summary>
/// Reporting rounds: the secretariat asks the states and bodies for a period's reports, follows them and closes the
/// round into the period's snapshot. What the feature registers, called with one line from Program.cs.
/// </summary>
public static class RoundsFeature
{
    public static IServiceCollection AddRounds(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Rounds.Rounds>();
        services.AddScoped<Caravan.Features.Rounds.RoundSheets>();
        // Reminders before the due date and the overdue notice, once a day across every node.
        services.AddSingleton<Caravan.Features.Notifications.IScheduledJob, Caravan.Features.Rounds.RoundReminders>();
        return services;
    }
}
