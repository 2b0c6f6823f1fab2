using BenchmarkDotNet.Attributes;

using Caravan.Features.Reports;
using Caravan.Tests.Support;

namespace Caravan.Benchmarks.Rules;

/// <summary>
/// The report's writers (issue 17) on the tests' fixture report (ReportSamples, compiled in): a Chinese report with
/// three charts, the scorecard and an annex of 150 or 10,000 commitments, written to a null stream. Baseline: the same
/// document serialised to its canonical JSON (what its content hash is taken over).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class ReportWriterBenchmarks
{
    private ReportDocument report = null!;

    [Params(150, 10_000)]
    public int AnnexRows { get; set; }

    [Params("zh", "ru")]
    public string Language { get; set; } = "zh";

    [GlobalSetup]
    public void Setup()
    {
        report = ReportSamples.Sample(Language, AnnexRows);
        // Fonts loaded once per process, as in the portal: not part of a report's cost.
        ReportPdf.Write(ReportSamples.Sample(Language, 1), Stream.Null);
    }

    [Benchmark(Baseline = true)]
    public int CanonicalJson() => report.ToCanonicalJson().Length;

    [Benchmark]
    public void Docx() => ReportDocx.Write(report, Stream.Null);

    [Benchmark]
    public void Pdf() => ReportPdf.Write(report, Stream.Null);
}
