using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace Caravan.Web.Infrastructure;

public static class Errors
{
    /// <summary>How long a reader is asked to wait when the database is away (Retry-After, seconds).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// A database that cannot be reached, or is too busy to answer in time, is "unavailable" (503, try again), not
    /// "something went wrong" (500): the request changed nothing, and the same request will work when it is back.
    /// </summary>
    public static void AddCaravanErrors(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status != StatusCodes.Status503ServiceUnavailable) return;
            var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            context.ProblemDetails.Title = l["problem.unavailable"];
            context.ProblemDetails.Detail = l["error.unavailable-detail"];
        });

    /// <summary>
    /// API errors are problem+json (RFC 9457); portal errors are a page in the reader's language.
    /// An unknown URL under /api gets a problem too, never an HTML page.
    /// </summary>
    public static void UseCaravanErrors(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(
                        System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseWhen(context => IsApi(context.Request), api =>
        {
            if (!app.Environment.IsDevelopment())
                api.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusOf });
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context.Request), portal =>
        {
            if (!app.Environment.IsDevelopment())
                portal.UseExceptionHandler(new ExceptionHandlerOptions
                {
                    ExceptionHandlingPath = "/error", StatusCodeSelector = StatusOf,
                });
            portal.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        });
    }

    /// <summary>503 (with Retry-After) when the database is away; 500 for anything else.</summary>
    private static int StatusOf(Exception e)
    {
        if (!IsDatabaseUnavailable(e)) return StatusCodes.Status500InternalServerError;
        // The pool's connections to a server that went away are dead: the next request opens new ones.
        if (Find<NpgsqlException>(e) is not null) NpgsqlConnection.ClearAllPools();
        return StatusCodes.Status503ServiceUnavailable;
    }

    /// <summary>
    /// The database could not be reached or used for now: the connection failed or broke (PostgreSQL class 08, the
    /// server shutting down or starting, too many connections, a socket error, the pool's wait timed out), or
    /// SQLite stayed locked by another writer past the wait.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception e)
    {
        if (Find<PostgresException>(e) is { } pg)
            return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
        if (Find<NpgsqlException>(e) is { } npgsql) return npgsql.IsTransient;
        if (Find<SqliteException>(e) is { } sqlite) return sqlite.SqliteErrorCode is 5 or 6; // BUSY, LOCKED
        return false;
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T found) return found;
        return null;
    }

    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1") || request.Path.StartsWithSegments("/openapi") ||
            request.Path.StartsWithSegments("/health");
}
