namespace Caravan.Web.Features.Dashboards;

/// <summary>
/// The dashboards.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class DashboardsFeature
{
    public static IServiceCollection AddDashboards(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Dashboards.DashboardQueries>();
        return services;
    }
}
