using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Caravan.Benchmarks;

/// <summary>The web app under test, run as its own process (as deployed) on 127.0.0.1.</summary>
public sealed class WebApp : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public Uri BaseAddress { get; }
    public string LogPath { get; }
    public int ProcessId => _process.Id;

    private WebApp(Process process, StreamWriter log, string logPath, Uri baseAddress)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        BaseAddress = baseAddress;
    }

    /// <summary>Publishes src/Caravan.Web in Release into <paramref name="outputDir"/>; returns the path of caravan.dll.</summary>
    public static async Task<string> PublishAsync(string repoRoot, string outputDir)
    {
        var project = Path.Combine(repoRoot, "src", "Caravan.Web", "Caravan.Web.csproj");
        var (exitCode, output) = await Shell.RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-o", outputDir, "--nologo", "-v", "quiet"], TimeSpan.FromMinutes(10));
        if (exitCode != 0) throw new BenchmarkException($"dotnet publish failed (exit {exitCode}):\n{output}");
        var dll = Path.Combine(outputDir, "caravan.dll");
        return File.Exists(dll) ? dll : throw new BenchmarkException($"dotnet publish succeeded but {dll} is missing.");
    }

    /// <summary>Starts the app in Production on a free loopback port with the given database settings.</summary>
    public static WebApp Start(string dll, IReadOnlyDictionary<string, string> database, string logPath)
    {
        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, // the publish folder: content root with wwwroot and appsettings.json
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in database) start.Environment[name] = value;

        var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WebApp(process, log, logPath, baseAddress);
    }

    /// <summary>Waits until /health answers 200 (migrations and seed done), or fails with the log's tail.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new BenchmarkException($"The app exited with code {_process.ExitCode} before it was healthy. Log:\n{Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new BenchmarkException($"The app was not healthy after {timeout.TotalSeconds:0} s. Log:\n{Tail()}");
    }

    /// <summary>CPU time (user + system) the app has used so far, from /proc; null where /proc is missing.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (clock ticks of 1/100 s).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public string Tail(int lines = 30)
    {
        lock (_log) _log.Flush();
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var all = new StreamReader(stream).ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>What wrk measured for one endpoint (the line printed by wrk-report.lua).</summary>
public sealed record WrkResult(long Requests, TimeSpan Duration, double P50Ms, double P95Ms, double P99Ms, double MaxMs,
    long SocketErrors, long Timeouts, long HttpErrors)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
    public long Errors => SocketErrors + Timeouts + HttpErrors;

    public string DescribeErrors() => Errors == 0 ? "0" : string.Join(", ",
        new[] { (SocketErrors, "socket"), (Timeouts, "timeout"), (HttpErrors, "HTTP ≥ 400") }.Where(e => e.Item1 > 0).Select(e => $"{e.Item1} {e.Item2}"));

    public static WrkResult Parse(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("CARAVAN-WRK ", StringComparison.Ordinal))
            ?? throw new BenchmarkException($"wrk printed no CARAVAN-WRK line (is the Lua script loaded?). Output:\n{output}");
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
        double Ms(string key) => values[key] / 1000.0;
        long Count(string key) => (long)values[key];
        return new WrkResult(Count("requests"), TimeSpan.FromMicroseconds(values["duration_us"]), Ms("p50_us"), Ms("p95_us"), Ms("p99_us"), Ms("max_us"),
            Count("connect") + Count("read") + Count("write"), Count("timeout"), Count("status"));
    }
}

/// <summary>The load tool: wrk, with the Lua script that prints p50/p95/p99.</summary>
public sealed class Wrk(string executable, string script, int threads, int connections)
{
    /// <summary>wrk on the PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    public async Task<string> VersionAsync()
    {
        var (_, output) = await Shell.RunAsync(executable, ["-v"], TimeSpan.FromSeconds(10));
        return output.Split('\n').FirstOrDefault(l => l.StartsWith("wrk", StringComparison.Ordinal))?.Split(" Copyright")[0].Trim() ?? "wrk";
    }

    /// <summary>Loads <paramref name="url"/> for <paramref name="seconds"/>, optionally with one extra header.</summary>
    public async Task<WrkResult> RunAsync(Uri url, int seconds, string? header)
    {
        List<string> args = ["-t", $"{threads}", "-c", $"{connections}", "-d", $"{seconds}s", "--timeout", "2s", "-s", script];
        if (header is not null) args.AddRange(["-H", header]);
        args.Add(url.ToString());
        var (exitCode, output) = await Shell.RunAsync(executable, args, TimeSpan.FromSeconds(seconds + 30));
        if (exitCode != 0) throw new BenchmarkException($"wrk failed (exit {exitCode}) on {url}:\n{output}");
        return WrkResult.Parse(output);
    }
}

public static class Shell
{
    /// <summary>Runs a program to completion (killed after <paramref name="timeout"/>); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new BenchmarkException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new BenchmarkException($"{file} did not finish within {timeout.TotalSeconds:0} s; stopped.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>One run of a command: exit code, wall time from start to exit, CPU time (user + system; null where unknown), peak resident memory, and what it printed.</summary>
public sealed record MeasuredRun(int ExitCode, TimeSpan Elapsed, TimeSpan? Cpu, long PeakResidentBytes, string Output, string Errors)
{
    /// <summary>The last lines of standard error (or output), for a failure message.</summary>
    public string Tail(int lines = 20) => string.Join('\n', (Errors.Length > 0 ? Errors : Output).TrimEnd().Split('\n').TakeLast(lines));
}

public static class MeasuredProcess
{
    private const int SampleMilliseconds = 20;
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>
    /// CPU time of all children that have exited and been waited for (getrusage RUSAGE_CHILDREN): its growth across
    /// one run is that run's CPU, exact and unlike wall time hardly changed by other load on the machine, as long
    /// as no other child of this process ends meanwhile (none does: the runs are one at a time).
    /// </summary>
    private static TimeSpan? ChildrenCpu()
    {
        try
        {
            return GetRusage(RusageChildren, out var u) == 0
                ? TimeSpan.FromMicroseconds(((u.UserSeconds + u.SystemSeconds) * 1_000_000.0) + u.UserMicroseconds + u.SystemMicroseconds)
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // not Linux
        }
    }

    /// <summary>
    /// Runs a program to completion, timed from just before its start to its exit (so process start, runtime
    /// start-up and JIT are in), while sampling VmHWM in /proc/{pid}/status every 20 ms: the kernel's high-water
    /// mark of the resident set, so a short peak between two samples is still caught. The maximum seen is the
    /// peak, short of whatever grew in the last 20 ms (once the process has exited, /proc no longer has it).
    /// </summary>
    public static MeasuredRun Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var output = new StringBuilder();
        var errors = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.Append(e.Data).Append('\n'); };
        var cpuBefore = ChildrenCpu();
        var clock = Stopwatch.StartNew();
        if (!process.Start()) throw new BenchmarkException($"Cannot start {file}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var status = $"/proc/{process.Id}/status";
        long peak = 0;
        // WaitForExit(20) returns as soon as the process ends, so the sampling does not add to the time measured.
        while (!process.WaitForExit(SampleMilliseconds))
        {
            peak = Math.Max(peak, HighWaterMark(status));
            if (clock.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                throw new BenchmarkException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s; stopped.");
            }
        }
        var elapsed = clock.Elapsed;
        process.WaitForExit(); // drains the redirected output
        var cpu = ChildrenCpu() - cpuBefore; // the exited child has been waited for: its usage is in
        lock (output) lock (errors) return new MeasuredRun(process.ExitCode, elapsed, cpu, peak, output.ToString(), errors.ToString());
    }

    /// <summary>VmHWM in bytes, or 0 once the process is gone (or a zombie, which has no memory left to report).</summary>
    private static long HighWaterMark(string statusPath)
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Exited between the wait and the read.
        }
        return 0;
    }
}

/// <summary>The machine the figures were taken on.</summary>
public sealed record Machine(int Cores, string Cpu, string Os, string Runtime, string LoadAverage)
{
    public static Machine Describe()
    {
        static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var load = string.Join(' ', Read("/proc/loadavg").Split(' ').Take(3));
        return new Machine(Environment.ProcessorCount, cpu ?? "unknown", System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, load.Length > 0 ? load : "unknown");
    }
}

/// <summary>A failure to set up or run the benchmark (not a missed target): printed, exit code 2.</summary>
public sealed class BenchmarkException(string message) : Exception(message);
