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
        // What other features make of a snapshot right after its period closes (the report's facts, the open-data
        // release), run in the background once the close has committed.
        services.AddSingleton<ClosedSnapshots>();
        services.AddHostedService<ClosedSnapshotWorker>();
        return services;
    }
}
