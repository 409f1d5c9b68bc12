#!/bin/sh
# Brings Apache ECharts, pinned with integrity hashes by package-lock.json beside this script,
# into the driver's classes for the HTML report to inline: bundle.sh <work dir> <resource dir>.
# `npm ci --ignore-scripts` runs in <work dir> only when its node_modules does not hold what the
# lock file pins (a copy of the lock file is the stamp), so a rebuild needs no network.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$1
out=$2
if [ ! -f "$work/node_modules/.dflow-lock" ] || ! cmp -s "$here/package-lock.json" "$work/node_modules/.dflow-lock"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "[ERROR] npm not found: the HTML report inlines Apache ECharts from the npm registry, fetched at build" \
         "time with npm ci (install Node.js and npm; Debian: apt-get install npm)" >&2
    exit 1
  fi
  mkdir -p "$work"
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error) || {
    echo "[ERROR] npm ci failed in $work: the HTML report's chart library (driver/src/main/report/package-lock.json)" \
         "could not be installed; is the npm registry reachable?" >&2
    exit 1
  }
  cp "$here/package-lock.json" "$work/node_modules/.dflow-lock"
fi
lib=$work/node_modules/echarts
mkdir -p "$out"
cp "$lib/dist/echarts.min.js" "$out/echarts.min.js"
cp "$lib/LICENSE" "$out/echarts-LICENSE.txt"
cp "$lib/NOTICE" "$out/echarts-NOTICE.txt"
cp "$work/node_modules/zrender/LICENSE" "$out/zrender-LICENSE.txt"
