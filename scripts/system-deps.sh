#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing: Chromium (browser
# tests through Playwright, which never downloads a browser of its own), PostgreSQL 15 and
# a Java 17 runtime (the Spark local-mode matching test), plus any package named as an
# argument (`make bench` asks for wrk). `--only NAME…` installs just those (the web assets'
# install asks for npm that way, without the test services).
set -euo pipefail
only=false
if [ "${1:-}" = "--only" ]; then only=true; shift; fi
missing=()
for extra in "$@"; do command -v "$extra" >/dev/null 2>&1 || missing+=("$extra"); done
if [ "$only" = false ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
