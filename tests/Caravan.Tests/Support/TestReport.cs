namespace Caravan.Tests.Support;

/// <summary>
/// A figure a test measured (rounds run, violations, recovery time), appended to CARAVAN_TEST_REPORT, which
/// .ci/run prints after the summary, and sent as a diagnostic message.
/// </summary>
public static class TestReport
{
    public static async Task AddAsync(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        if (Environment.GetEnvironmentVariable("CARAVAN_TEST_REPORT") is { Length: > 0 } report)
            await File.AppendAllTextAsync(report, line + Environment.NewLine);
    }
}
