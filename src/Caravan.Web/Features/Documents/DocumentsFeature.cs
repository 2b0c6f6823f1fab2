namespace Caravan.Web.Features.Documents;

/// <summary>
/// Outcome documents, their texts and provisions, and their attachments.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class DocumentsFeature
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddScoped<Caravan.Features.Documents.DocumentQueries>();
        services.AddScoped<Caravan.Features.Documents.DocumentTexts>();
        return services;
    }
}
