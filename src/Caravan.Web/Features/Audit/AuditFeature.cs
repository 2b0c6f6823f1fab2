namespace Caravan.Web.Features.Audit;

/// <summary>
/// The audit trail: the log, a record's history and the chain's verification.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class AuditFeature
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Audit.AuditQueries>();
        return services;
    }
}
