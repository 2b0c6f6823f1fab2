namespace Caravan.Web.Features.Measures;

/// <summary>
/// Pledged measures.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class MeasuresFeature
{
    public static IServiceCollection AddMeasures(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Measures.MeasureQueries>();
        return services;
    }
}
