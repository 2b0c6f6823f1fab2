namespace Caravan.Web.Infrastructure;

public static class Errors
{
    /// <summary>
    /// API errors are problem+json (RFC 9457); portal errors are a page in the reader's language.
    /// An unknown URL under /api gets a problem too, never an HTML page.
    /// </summary>
    public static void UseCaravanErrors(this WebApplication app)
    {
        app.UseWhen(context => IsApi(context.Request), api =>
        {
            if (!app.Environment.IsDevelopment()) api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context.Request), portal =>
        {
            if (!app.Environment.IsDevelopment()) portal.UseExceptionHandler("/error");
            portal.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        });
    }

    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1") || request.Path.StartsWithSegments("/openapi") ||
            request.Path.StartsWithSegments("/health");
}
