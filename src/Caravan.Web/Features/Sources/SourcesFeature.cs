namespace Caravan.Web.Features.Sources;

/// <summary>
/// Sources and citations: what every record shows under "Sources".
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class SourcesFeature
{
    public static IServiceCollection AddSources(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Sources.CitationQueries>();
        return services;
    }
}
