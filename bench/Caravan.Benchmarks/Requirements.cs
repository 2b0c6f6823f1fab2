namespace Caravan.Tests.Support;

/// <summary>
/// What the test support files linked into the benchmark (PostgresCluster, Nginx) ask of their host: here a missing
/// tool stops the benchmark with the reason, and the repository is the one the benchmark runs from.
/// </summary>
internal static class Requirements
{
    public static string RepositoryRoot => Caravan.Benchmarks.Program.RepoRoot();

    public static void Unavailable(string what, string why) =>
        throw new Caravan.Benchmarks.BenchmarkException($"{what}: {why}");
}
