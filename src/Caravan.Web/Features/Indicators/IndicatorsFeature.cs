namespace Caravan.Web.Features.Indicators;

/// <summary>
/// Indicators and reported figures.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class IndicatorsFeature
{
    public static IServiceCollection AddIndicators(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Indicators.IndicatorQueries>();
        return services;
    }
}
