namespace Caravan.Web.Features.Partnerships;

/// <summary>
/// Partnerships between the states' cities, provinces and institutions.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class PartnershipsFeature
{
    public static IServiceCollection AddPartnerships(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Partnerships.PartnershipQueries>();
        return services;
    }
}
