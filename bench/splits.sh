#!/usr/bin/env bash
# Split planning at scale: SplitPlanner over a generated folder of small files (1-16 MiB each,
# 3 replicas on random hosts), 128 MiB splits: planning time, splits against the ideal count,
# and the share of bytes on the first host each split names. Three seeds per size.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d planner/target/test-classes ]] || mvn -B -q -DskipTests install -pl api,planner -am
mvn -B -q -o test-compile -pl planner >/dev/null 2>&1 || mvn -B -q test-compile -pl planner
cp=planner/target/test-classes:planner/target/classes:api/target/classes
echo "machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(java -version 2>&1 | head -n 1)"
for size in "10000 100" "100000 1000"; do
  for seed in 1 2 3; do
    # shellcheck disable=SC2086
    java -Xmx2g -cp "$cp" io.dflow.planner.split.SplitPlacement $size 3 "$seed"
  done
done
