#!/usr/bin/env bash
# Adds a migration with the same name to both providers' assemblies, so that the two never drift, and regenerates
# each provider's compiled model (ADR 0024), which must always be the model the code declares.
# Usage: scripts/add-migration.sh NAME     (scripts/add-migration.sh --compiled-model-only: the compiled models alone)
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh NAME}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  project="src/Caravan.Migrations.$provider"
  if [ "$name" != "--compiled-model-only" ]; then
    dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --context CaravanDbContext --output-dir Migrations
  fi
  rm -rf "$project/CompiledModel"
  dotnet ef dbcontext optimize --project "$project" --startup-project "$project" --context CaravanDbContext \
    --output-dir CompiledModel --namespace "Caravan.Migrations.$provider.CompiledModel"
done
rm -f design-time.db src/Caravan.Migrations.Sqlite/design-time.db
