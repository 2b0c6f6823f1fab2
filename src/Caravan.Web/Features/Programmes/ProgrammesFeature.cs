namespace Caravan.Web.Features.Programmes;

/// <summary>
/// Programmes and their ledgers.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class ProgrammesFeature
{
    public static IServiceCollection AddProgrammes(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Programmes.ProgrammeQueries>();
        return services;
    }
}
