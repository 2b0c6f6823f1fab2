using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Caravan.Features.Commitments;

namespace Caravan.Benchmarks.Rules;

/// <summary>
/// Compliance roll-ups at the scale the issue names: 10,000 commitments × 6 states × 10 periods = 600,000
/// scores, a tenth of them cancelled, each commitment in one of 6 directions and led by one or two of 14
/// bodies. The baseline is a plain loop summing the same scores, in the same run.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class RollUpBenchmarks
{
    private static readonly string[] States = ["CN", "KZ", "KG", "TJ", "TM", "UZ"];
    private ScoredItem[] _items = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20251117);
        var bodies = Enumerable.Range(1, 14).Select(i => $"platform-{i}").ToArray();
        var items = new List<ScoredItem>(600_000);
        for (var c = 0; c < 10_000; c++)
        {
            var direction = $"direction-{c % 6}";
            string[] lead = c % 3 == 0 ? [bodies[c % 14], bodies[(c + 5) % 14]] : [bodies[c % 14]];
            var cancelled = c % 10 == 0;
            for (var period = 0; period < 10; period++)
                foreach (var state in States)
                    items.Add(new ScoredItem($"c{c}", state, direction, lead, random.Next(-1, 2), cancelled));
        }
        _items = [.. items];
    }

    [Benchmark(Baseline = true, Description = "baseline: sum 600k scores in a loop")]
    public long Baseline()
    {
        long sum = 0;
        foreach (var item in _items) if (!item.Cancelled) sum += item.Score;
        return sum;
    }

    [Benchmark(Description = "overall roll-up")]
    public RollUp Overall() => ComplianceRules.Of(_items);

    [Benchmark(Description = "all roll-ups: overall, by state, by direction, by body")]
    public int All()
    {
        var overall = ComplianceRules.Of(_items);
        return overall.Count + ComplianceRules.ByState(_items).Count + ComplianceRules.ByDirection(_items).Count + ComplianceRules.ByBody(_items).Count;
    }
}

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
