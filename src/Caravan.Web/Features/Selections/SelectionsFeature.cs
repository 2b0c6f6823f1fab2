namespace Caravan.Web.Features.Selections;

/// <summary>
/// The culture and tourism capital selection.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class SelectionsFeature
{
    public static IServiceCollection AddSelections(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Selections.Selections>();
        return services;
    }
}
