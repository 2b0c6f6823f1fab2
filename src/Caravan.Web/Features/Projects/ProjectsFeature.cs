namespace Caravan.Web.Features.Projects;

/// <summary>
/// Projects and their IATI exchange.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class ProjectsFeature
{
    public static IServiceCollection AddProjects(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Projects.ProjectQueries>();
        return services;
    }
}
