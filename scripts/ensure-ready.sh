#!/bin/sh
# Installs dependencies and builds only when needed, so the README's quick-start lines work on a
# fresh clone and cost nothing the second time.
set -eu
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-ready: installing dependencies (npm ci; better-sqlite3 builds from source, ~1-2 min)" >&2
  npm ci --no-audit --no-fund >&2
fi
if [ ! -f dist/src/cli.js ] || [ -n "$(find src rules scripts tsconfig.json -newer dist/src/cli.js -name '*.ts' -print -quit 2>/dev/null)" ]; then
  echo "ensure-ready: building (tsc)" >&2
  npx tsc -p tsconfig.json >&2
fi
