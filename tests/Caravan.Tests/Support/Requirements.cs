namespace Caravan.Tests.Support;

/// <summary>
/// Tests that need PostgreSQL or Chromium skip with a clear message where they are absent, except in
/// CI, which sets CARAVAN_REQUIRE_ALL=1 so that nothing is skipped silently.
/// </summary>
public static class Requirements
{
    public static bool RequireAll => Environment.GetEnvironmentVariable("CARAVAN_REQUIRE_ALL") == "1";

    /// <summary>Server connection string (no database) for the PostgreSQL tests.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("CARAVAN_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public const string ChromiumPath = "/usr/bin/chromium";

    public static void Unavailable(string what, string how)
    {
        var message = $"{what} is not available: {how}";
        if (RequireAll) Assert.Fail($"{message} (CARAVAN_REQUIRE_ALL=1 forbids skipping)");
        Assert.Skip(message);
    }
}
