namespace Caravan.Web.Features.Treaties;

/// <summary>
/// Treaties and their ratification.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class TreatiesFeature
{
    public static IServiceCollection AddTreaties(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Treaties.TreatyQueries>();
        return services;
    }
}
