namespace Caravan.Web.Features.Submissions;

/// <summary>
/// The workflow: proposed changes to records, validated and published.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class SubmissionsFeature
{
    public static IServiceCollection AddSubmissions(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Submissions.RecordEditor>();
        return services;
    }
}
