#!/usr/bin/env bash
# Adds a migration with the same name to both providers' assemblies, so that the two never drift.
# Usage: scripts/add-migration.sh NAME
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh NAME}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project "src/Caravan.Migrations.$provider" --startup-project "src/Caravan.Migrations.$provider" --context CaravanDbContext --output-dir Migrations
done
rm -f design-time.db src/Caravan.Migrations.Sqlite/design-time.db
