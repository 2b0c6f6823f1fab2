using Caravan.Data;
using Caravan.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Audit;

/// <summary>
/// The audit trail: the log, a record's history, the chain's keys and anchors.
/// What the feature registers, called with one line from Program.cs.
/// </summary>
public static class AuditFeature
{
    public static void AddAudit(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddScoped<AuditQueries>();
        services.AddSingleton(AuditKeys.Settings(configuration));
        // Read (or made) when the first context is built, at start-up: a bad key stops the start with one line.
        services.AddSingleton(_ => AuditKeys.Load(configuration));
        services.ConfigureDbContext<CaravanDbContext>((provider, options) =>
            options.UseAuditKeys(provider.GetRequiredService<AuditKeyRing>()), ServiceLifetime.Singleton);
        services.AddHostedService<AuditAnchoring>();
    }
}

/// <summary>
/// Records the trail's head at start and every <see cref="AuditSettings.AnchorEvery"/>: in the database (checked by
/// <c>audit verify</c>), as a log line, and appended to <see cref="AuditSettings.AnchorFile"/> if set, so that a copy
/// lives where database access alone cannot reach it.
/// </summary>
public sealed class AuditAnchoring(IServiceScopeFactory scopes, AuditSettings settings, TimeProvider clock,
    ILogger<AuditAnchoring> log, IConfiguration configuration, IHostEnvironment environment) : BackgroundService
{
    /// <summary>
    /// The first anchor is taken before the host reports started, so it holds the head the start left.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsProduction() && !AuditKeys.FromSettings(configuration))
            log.LogWarning("The audit trail's key is kept in {KeyFile}, made on first run. In production set "
                + "Caravan:Audit:Keys and Caravan:Audit:CurrentKey (environment or a secret store), or "
                + "Caravan:Audit:KeyFile outside the data directory, so that a copy of the data is not a copy of the "
                + "key.",
                AuditKeys.KeyFilePath(configuration));
        await AnchorAsync("start-up", cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.AnchorEvery <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(settings.AnchorEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await AnchorAsync("daily", stoppingToken);
    }

    private async Task AnchorAsync(string source, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
            await Record(db, settings, source, clock.GetUtcNow(), log, ct);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or IOException
            or InvalidOperationException)
        {
            // An anchor missed is not worth stopping the portal for; the next one covers it.
            log.LogError("The audit anchor ({Source}) could not be recorded: {Message}", source, e.Message);
        }
    }

    /// <summary>
    /// Records the head (database, log line, anchor file) and returns it; null for an empty trail. The CLI's
    /// <c>audit anchor</c> calls it too.
    /// </summary>
    public static async Task<AuditHead?> Record(CaravanDbContext db, AuditSettings settings, string source,
        DateTimeOffset now, ILogger log, CancellationToken ct)
    {
        if (await new AuditQueries(db).RecordAnchorAsync(source, now, ct) is not var (head, _)) return null;
        log.LogInformation("Audit anchor {EntryId}:{Seal} ({Source}, {At:O})", head.Id, head.Seal, source, now);
        if (settings.AnchorFile is { Length: > 0 } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.AppendAllTextAsync(file,
                $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {head.Id}:{head.Seal} {source}\n", ct);
        }
        return head;
    }

    /// <summary>
    /// The anchors in <paramref name="path"/> (lines "time ID:SEAL source"), each named by file and line.
    /// </summary>
    public static List<AuditHead> ReadFile(string path)
    {
        var heads = new List<AuditHead>();
        if (!File.Exists(path)) return heads;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (ParseAnchor(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1))
                is not { } anchor)
                throw new InvalidDataException($"{path}:{number}: not an anchor line (time ID:SEAL source): '{line}'.");
            heads.Add(new AuditHead(anchor.Id, anchor.Seal, $"{path}:{number}"));
        }
        return heads;
    }

    /// <summary>ID:SEAL as printed by <c>caravan audit anchor</c>: a position and 64 hex digits.</summary>
    public static (long Id, string Seal)? ParseAnchor(string? text)
    {
        var parts = text?.Split(':', 2);
        if (parts is not { Length: 2 } || !long.TryParse(parts[0], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var id) || id < 1 || parts[1].Length != 64
            || !parts[1].All(char.IsAsciiHexDigit)) return null;
        return (id, parts[1].ToLowerInvariant());
    }
}
