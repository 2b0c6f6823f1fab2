using Caravan.Data;
using Caravan.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// The sign-in attempts a client address may make a minute (<c>Caravan:Accounts:SignInAttemptsPerMinute</c>), counted
/// in the database in one write step under the writers' lock, so that the limit holds across nodes and against
/// attempts sent at once. It replaced ASP.NET Core's rate limiter, whose counts are per process.
/// </summary>
public sealed class SignInThrottle(CaravanDbContext db, TimeProvider clock, AccountSettings settings)
{
    public Task<bool> AllowAsync(string address, CancellationToken ct) => db.WriteAsync(async () =>
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var row = await db.SignInWindows.FirstOrDefaultAsync(w => w.Address == address, ct);
        var (minute, attempts, allowed) = SignInWindow.Next(row?.Minute, row?.Attempts ?? 0, now,
            settings.SignInAttemptsPerMinute);
        if (row is null) db.SignInWindows.Add(new SignInWindow { Address = address, Minute = minute, Attempts = attempts });
        else (row.Minute, row.Attempts) = (minute, attempts);
        await db.SaveChangesAsync(ct);
        // Addresses not seen for a day are forgotten.
        await db.SignInWindows.Where(w => w.Minute < now - 1440).ExecuteDeleteAsync(ct);
        return allowed;
    }, ct);

    /// <summary>The client's address as the limit counts it (behind a proxy, the forwarded one the app trusts).</summary>
    public static string AddressOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        return address?.ToString() ?? "local";
    }
}

/// <summary>On a sign-in page, an attempt (a POST) over the address's limit is answered 429 and not tried.</summary>
public sealed class SignInThrottledAttribute() : TypeFilterAttribute(typeof(SignInThrottleFilter));

public sealed class SignInThrottleFilter(SignInThrottle throttle) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // Only attempts count; showing the form is free.
        if (HttpMethods.IsPost(context.HttpContext.Request.Method)
            && !await throttle.AllowAsync(SignInThrottle.AddressOf(context.HttpContext),
                context.HttpContext.RequestAborted))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status429TooManyRequests);
            return;
        }
        await next();
    }
}
