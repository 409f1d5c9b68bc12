#!/usr/bin/env bash
# Joins side by side on local[2]: bench/src/JoinJob joins N generated records with N/2 (long
# keys, 32-byte values) and counts, with dflow.join.strategy=hash and =sortMerge, and Spark SQL
# 3.5 joins the same rows as a sort-merge join (bench/peers/spark-sql: SparkSortMergeJoin,
# broadcasts off), once each per rep (the order alternating); prints a Markdown table of wall
# time and peak RSS (median of the reps) for bench/RESULTS.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/join.sh [--records 10000000] [--reps 3] [--heap 2g] [--task-memory default] [--timeout 3600]
  --records      records of the left side (the right side has half as many)
  --reps         timed runs per strategy
  --heap         dflow's heap (DFLOW_DRIVER_MEMORY) and Spark's -Xmx
  --task-memory  dflow.task.memoryBytes (e.g. 64m), or default
  --timeout      seconds after which one run is stopped
USAGE
}

records=10000000
reps=3
heap=2g
task_memory=default
timeout_s=3600
while [[ $# -gt 0 ]]; do
  case $1 in
    --records) records=${2:?--records needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --heap) heap=${2:?--heap needs a value}; shift 2 ;;
    --task-memory) task_memory=${2:?--task-memory needs a value}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "join.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$records" "$reps" "$timeout_s"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "join.sh: not a positive whole number: $n" >&2; usage >&2; exit 2; }
done
[[ $heap =~ ^[1-9][0-9]*[kKmMgG]$ ]] || { echo "join.sh: --heap takes a JVM heap size such as 2g, got $heap" >&2; exit 2; }

partitions=8
cd "$(dirname "$0")/.."
work=bench/work/join
logs=$work/logs
classes=$work/classes
mkdir -p "$logs"

BENCH_SCRIPT=join.sh LOGS=$logs TIMEOUT_S=$timeout_s
source bench/src/peer-runs.sh
require_gnu_time
build_peers
spark_cp=$(peer_cp spark-sql)
warm_up_dflow

api_jar=$(ls api/target/dflow-api-*.jar 2>/dev/null | head -n 1)
[[ -n $api_jar ]] || die "no api/target/dflow-api-*.jar after bin/dflow's build"
rm -rf "$classes" && mkdir -p "$classes"
javac -d "$classes" -cp "$api_jar" bench/src/JoinJob.java
job_jar=$work/join-job.jar
jar cf "$job_jar" -C "$classes" .

conf=()
[[ $task_memory != default ]] && conf=(--conf "dflow.task.memoryBytes=$task_memory")
times=$work/times-$(date -u +%Y%m%d-%H%M%S).tsv
printf 'strategy\trep\twall_s\tpeak_rss_kb\tjob_s\tcount\tstatus\n' >"$times"
for ((rep = 1; rep <= reps; rep++)); do
  for strategy in $(order_for_rep "$rep" hash sortMerge spark); do
    log=$logs/$strategy-$rep
    if [[ $strategy == spark ]]; then
      rm -rf "$work/spark-tmp"
      timed "$log" env SPARK_LOCAL_IP=127.0.0.1 java "-Xmx$heap" "${SPARK_JAVA_OPTS[@]}" \
        -Dspark.local.dir="$PWD/$work/spark-tmp" -cp "$spark_cp" io.dflow.bench.join.SparkSortMergeJoin \
        "$records" "$partitions"
    else
      DFLOW_DRIVER_MEMORY=$heap timed_dflow "$log" --conf "dflow.join.strategy=$strategy" "${conf[@]}" \
        --class JoinJob "$job_jar" "$records" "$partitions"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$strategy" "$rep" "$WALL" "$RSS_KB" "$(result_field "$log" job_s)" \
      "$(result_field "$log" count)" "$STATUS" >>"$times"
    echo "join rep $rep $strategy: $WALL s, peak RSS $((RSS_KB / 1024)) MiB, status $STATUS" >&2
  done
done

echo "command: bench/join.sh --records $records --reps $reps --heap $heap --task-memory $task_memory"
echo "machine: $(machine_line); commit $(commit_line)"
echo
echo "| system | wall s (median of $reps) | job s | peak RSS MiB | count |"
echo "|---|---|---|---|---|"
median() {  # STRATEGY COLUMN: the median of that column over the strategy's successful runs
  awk -F'\t' -v s="$1" -v c="$2" '$1 == s && $7 == 0 { print $c }' "$times" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
for strategy in hash sortMerge spark; do
  wall=$(median "$strategy" 3)
  if [[ -z $wall ]]; then
    echo "| $strategy | failed | | | |"
    continue
  fi
  count=$(awk -F'\t' -v s="$strategy" '$1 == s && $7 == 0 { c = $6 } END { print c }' "$times")
  echo "| $strategy | $wall | $(median "$strategy" 5) | $(( $(median "$strategy" 4) / 1024 )) | $count |"
done
