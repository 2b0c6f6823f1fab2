#!/usr/bin/env bash
# The CLI's fixed cost (issue 15, item 5), whole processes timed by hyperfine (Debian), each beside its baselines in
# the same run: `--help` (no database opened: the runtime's floor) and the same verbs with the model built from the
# code (Caravan__Database__UseCompiledModel=false) in a JIT-only publish, i.e. the executable as it was before.
# Usage: bench/cli-start.sh [RUNS]   (default 10). Prints a Markdown table; nothing else on the machine should run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet publish src/Caravan.Web -c Release -o "$work/jit" --nologo -v quiet >/dev/null
dotnet publish src/Caravan.Web -c Release -r linux-x64 --self-contained false -o "$work/r2r" --nologo -v quiet >/dev/null
export Caravan__Database__ConnectionString="Data Source=$work/caravan.db" Caravan__Audit__KeyFile="$work/audit-keys.json"
# A migrated, seeded database, and the standard's one-activity example imported once (so the timed runs find it unchanged).
example=/work/shared/iati/examples/activity-standard-example-annotated.xml
[ -f "${CARAVAN_SHARED:-../shared}/iati/examples/activity-standard-example-annotated.xml" ] && example="${CARAVAN_SHARED:-../shared}/iati/examples/activity-standard-example-annotated.xml"
dotnet "$work/r2r/caravan.dll" import iati "$example" >/dev/null 2>&1 || true
built="Caravan__Database__UseCompiledModel=false"
hyperfine -N -i --warmup 2 --runs "$runs" --export-markdown "$work/table.md" --export-json "$work/runs.json" \
  -n "caravan --help (no database: the floor)" "dotnet $work/r2r/caravan.dll --help" \
  -n "migrate, nothing to do (the fixed cost): before (JIT, model built)" "env $built dotnet $work/jit/caravan.dll migrate" \
  -n "migrate, nothing to do (the fixed cost): compiled model + ReadyToRun" "dotnet $work/r2r/caravan.dll migrate" \
  -n "users list: before (JIT, model built)" "env $built dotnet $work/jit/caravan.dll users list" \
  -n "users list: compiled model (JIT)" "dotnet $work/jit/caravan.dll users list" \
  -n "users list: compiled model + ReadyToRun" "dotnet $work/r2r/caravan.dll users list" \
  -n "audit verify: before (JIT, model built)" "env $built dotnet $work/jit/caravan.dll audit verify" \
  -n "audit verify: compiled model + ReadyToRun" "dotnet $work/r2r/caravan.dll audit verify" \
  -n "import iati, 1 activity unchanged: before" "env $built dotnet $work/jit/caravan.dll import iati $example" \
  -n "import iati, 1 activity unchanged: compiled model + ReadyToRun" "dotnet $work/r2r/caravan.dll import iati $example" \
  >/dev/null
python3 - "$work/runs.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print("| command | mean s | σ s | min s | max s | user CPU s |")
print("|---|--:|--:|--:|--:|--:|")
for r in results:
    print(f"| {r['command']} | {r['mean']:.3f} | {r['stddev']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {r['user']:.3f} |")
PY
