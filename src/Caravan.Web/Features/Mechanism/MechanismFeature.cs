namespace Caravan.Web.Features.Mechanism;

/// <summary>
/// The mechanism: member states, bodies, meetings and priority directions.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class MechanismFeature
{
    public static IServiceCollection AddMechanism(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Mechanism.MechanismQueries>();
        return services;
    }
}
