using System.Text.Json;
using Caravan.Data;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Caravan.Web.Features.Health;

/// <summary>/health (with the database's state) and /health/live (the process answers; no I/O).</summary>
public static class HealthEndpoints
{
    public static void AddHealth(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Database state: provider, reachability, migrations, dataset version");
        app.MapGet("/health/live", () => TypedResults.Text("ok"))
            .WithTags("Health").WithName("Live").WithSummary("Answers while the process runs; no database access");
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var entry = report.Entries.Values.FirstOrDefault();
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            database = entry.Data,
            detail = entry.Description,
        }, Api.Json));
    }
}

internal sealed class DatabaseHealthCheck(CaravanDbContext db, DatabaseSettings settings, IServiceProvider services)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object> { ["provider"] = settings.ParsedProvider.ToString()
            .ToLowerInvariant() };
        try
        {
            if (!await db.Database.CanConnectAsync(ct))
                return HealthCheckResult.Unhealthy("The database cannot be reached.", data: data);
            data["reachable"] = true;
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            data["pendingMigrations"] = pending.Count;
            var datasets = await db.DatasetVersions.AsNoTracking().Select(d => new { d.Id, d.Version, d.LoadedAt })
                .ToListAsync(ct);
            data["datasets"] = datasets;
            // The standbys' state as this node last found it (no host names: the answer is public).
            if (services.GetService<StandbyState>() is { } standbys)
                data["standbys"] = new
                {
                    configured = standbys.Standbys.Count,
                    readFrom = standbys.ReadFrom,
                    maxLagSeconds = standbys.Standbys.Where(h => h.Answered && h.InRecovery)
                        .Select(h => (double?)Math.Round(h.Lag.TotalSeconds, 1)).Max(),
                };
            return pending.Count == 0
                ? HealthCheckResult.Healthy("The database is reachable and up to date.", data)
                : HealthCheckResult.Degraded($"{pending.Count} migration(s) are pending: run `caravan migrate`.",
                    data: data);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            data["reachable"] = false;
            return HealthCheckResult.Unhealthy($"The database cannot be used: {e.Message}", data: data);
        }
    }
}
