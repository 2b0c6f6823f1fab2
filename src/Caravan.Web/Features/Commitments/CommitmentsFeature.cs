namespace Caravan.Web.Features.Commitments;

/// <summary>
/// Commitments, their compliance scores and the reporting periods' snapshots.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class CommitmentsFeature
{
    public static IServiceCollection AddCommitments(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Commitments.CommitmentQueries>();
        services.AddScoped<Caravan.Features.Commitments.Snapshots>();
        return services;
    }
}
