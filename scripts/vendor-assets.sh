#!/usr/bin/env bash
# Front-end libraries, installed from the npm registry by the lock file and copied into the
# package's static folder, so pages serve them from /static/vendor and nothing is fetched
# from a CDN at run time. Only what pages use is copied (a few hundred KB, not node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS=assets
VENDOR=src/laborcommons/web/static/vendor
command -v npm >/dev/null 2>&1 || scripts/system-deps.sh --only npm
npm ci --prefix "$ASSETS" --no-audit --no-fund --loglevel=error
modules="$ASSETS/node_modules"
rm -rf "$VENDOR.tmp"
mkdir -p "$VENDOR.tmp/leaflet/images"
cp "$modules/chart.js/dist/chart.umd.min.js" "$VENDOR.tmp/chart.umd.min.js"
cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.css" "$VENDOR.tmp/leaflet/"
cp "$modules/leaflet/dist/images/"*.png "$VENDOR.tmp/leaflet/images/"
cp "$modules/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$modules/leaflet.markercluster/dist/MarkerCluster.css" \
   "$modules/leaflet.markercluster/dist/MarkerCluster.Default.css" "$VENDOR.tmp/leaflet/"
cp "$modules/topojson-client/dist/topojson-client.min.js" "$VENDOR.tmp/topojson-client.min.js"
# Natural Earth country outlines (public domain, via world-atlas): the map's offline base layer.
cp "$modules/world-atlas/countries-110m.json" "$VENDOR.tmp/countries-110m.json"
# axe-core is for the browser tests only; it is copied beside them, never served.
mkdir -p tests/e2e/vendor
cp "$modules/axe-core/axe.min.js" tests/e2e/vendor/axe.min.js
# Replace the folder in one step, so a half copy is never what pages serve.
rm -rf "$VENDOR"
mv "$VENDOR.tmp" "$VENDOR"
