#!/usr/bin/env bash
# Writes a screenshot of each main page in each language at 1280 px and 390 px into docs/images/
# ({page}-{language}-{width}.png, the first screens of the page), taken by the Chromium page check
# (tests/Caravan.Tests/Browser/MainPagesBrowserTests.cs) on a freshly seeded SQLite database, once each page
# has passed: no console error, nothing wider than the screen, every chart and map drawn.
# Needs Chromium at /usr/bin/chromium. Usage: scripts/screenshots.sh [FOLDER]   (default docs/images)
set -euo pipefail
cd "$(dirname "$0")/.."
folder=$(realpath -m "${1:-docs/images}")
mkdir -p "$folder"
dotnet build Caravan.slnx -c Debug >/dev/null
CARAVAN_SCREENSHOTS="$folder" CARAVAN_REQUIRE_ALL=1 \
  dotnet test tests/Caravan.Tests --no-build --filter "FullyQualifiedName~MainPagesBrowserTests"
# Smaller files for the repository (lossy palette PNGs, text stays sharp), where Debian's pngquant is installed.
if command -v pngquant >/dev/null; then
  pngquant --force --skip-if-larger --ext .png --quality 70-95 --speed 3 "$folder"/*-{zh,ru,en}-{1280,390}.png || true
fi
ls "$folder"/*-{zh,ru,en}-{1280,390}.png | wc -l | xargs echo "screenshots in $folder:"
