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

    /// <summary>
    /// The shared reference data (official IATI schema, codelists, examples), which the project must not copy:
    /// <c>CARAVAN_SHARED</c>, else <c>../shared</c> beside the repository.
    /// </summary>
    public static string SharedFolder(string sub)
    {
        var root = Environment.GetEnvironmentVariable("CARAVAN_SHARED") is { Length: > 0 } env ? env : Path.Combine(RepositoryRoot, "..", "shared");
        var folder = Path.GetFullPath(Path.Combine(root, sub));
        if (!Directory.Exists(folder)) Unavailable("The shared reference data", $"{folder} is missing (set CARAVAN_SHARED to the shared folder)");
        return folder;
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Caravan.slnx"))) return dir.FullName;
            throw new DirectoryNotFoundException("repository root (Caravan.slnx)");
        }
    }

    public static void Unavailable(string what, string how)
    {
        var message = $"{what} is not available: {how}";
        if (RequireAll) Assert.Fail($"{message} (CARAVAN_REQUIRE_ALL=1 forbids skipping)");
        Assert.Skip(message);
    }
}
