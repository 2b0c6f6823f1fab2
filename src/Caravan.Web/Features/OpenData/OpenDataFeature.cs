using Caravan.Features.OpenData;

namespace Caravan.Web.Features.OpenData;

/// <summary>
/// Open data releases: the page /open-data, the API /api/v1/open-data and <c>caravan export open-data</c>.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class OpenDataFeature
{
    /// <summary>The settings' section: licence, publisher and the portal's address for the citation.</summary>
    public const string Section = "Caravan:OpenData";

    public static IServiceCollection AddOpenData(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
            sp.GetRequiredService<IConfiguration>().GetSection(Section).Get<OpenDataSettings>() ?? new OpenDataSettings());
        services.AddScoped<OpenDataReleases>();
        services.AddSingleton<KeptCurrentReleases>();
        services.AddSingleton<Caravan.Web.Features.Commitments.IClosedSnapshotWork, ReleaseOnClose>();
        return services;
    }

    /// <summary>A closed snapshot's release built and stored as the tables stand at the close.</summary>
    private sealed class ReleaseOnClose : Caravan.Web.Features.Commitments.IClosedSnapshotWork
    {
        public string Name => "The open-data release";

        public Task RunAsync(IServiceProvider services, string snapshotId, CancellationToken ct) =>
            services.GetRequiredService<OpenDataReleases>().EnsureReleaseAsync(snapshotId, ct);
    }
}
