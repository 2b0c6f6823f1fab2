using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Shared;

/// <summary>The portal's error page, in the reader's language, with the status kept.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; } = 500;

    public void OnGet(int? status)
    {
        var reExecuted =
            HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>() is not null;
        // After an exception the handler has already chosen the status (503 when the database is away).
        Status = !reExecuted ? 404
            : HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>() is not null
                ? Response.StatusCode
                : status ?? 500;
        Response.StatusCode = Status;
    }
}
