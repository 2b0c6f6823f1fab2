-- wrk report script for Caravan.Benchmarks.
-- wrk's own --latency output has p50/75/90/99 but no p95; this prints one machine-readable line
-- with the figures the benchmark needs. Latencies are in microseconds, duration too.
--
--   wrk -t2 -c16 -d10s -s bench/Caravan.Benchmarks/wrk-report.lua http://127.0.0.1:5080/health/live
--
-- "status" counts the responses wrk treats as failures (HTTP status >= 400); the benchmark checks
-- separately, before the run, that every endpoint answers 200.
--
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "CARAVAN-WRK requests=%d duration_us=%d bytes=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d mean_us=%.1f connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
      e.connect, e.read, e.write, e.status, e.timeout))
end
