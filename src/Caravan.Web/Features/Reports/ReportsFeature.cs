using System.Globalization;
using Caravan.Web.Features.Shared;

namespace Caravan.Web.Features.Reports;

/// <summary>
/// The summit progress report: the secretariat's download page, the API and the CLI make it the same way
/// (<see cref="Caravan.Features.Reports.ReportMaker"/>). What the feature registers, called from Program.cs.
/// </summary>
public static class ReportsFeature
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Reports.ReportMaker>();
        services.AddSingleton<Caravan.Web.Features.Commitments.IClosedSnapshotWork, FreezeFactsOnClose>();
        return services;
    }

    /// <summary>The report's facts frozen as they stand at the close, not at the first request.</summary>
    private sealed class FreezeFactsOnClose : Caravan.Web.Features.Commitments.IClosedSnapshotWork
    {
        public string Name => "The report's facts";

        public Task RunAsync(IServiceProvider services, string snapshotId, CancellationToken ct) =>
            new Caravan.Features.Reports.ReportFactsStore(services.GetRequiredService<Caravan.Data.CaravanDbContext>(),
                services.GetRequiredService<TimeProvider>()).EnsureFactsFrozenAsync(snapshotId, ct);
    }

    /// <summary>The portal's UI strings in a language: what the report's words are.</summary>
    public static Func<string, string> Words(string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        return key => MessageFormatter.Text(key, culture) ?? key;
    }

    /// <summary>Only the secretariat (signed in with its second factor) takes the report away.</summary>
    public static bool CanGet(Caravan.Features.Accounts.Caller? caller) =>
        caller is { IsSecretariat: true, SecondFactor: true };
}
