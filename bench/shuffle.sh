#!/usr/bin/env bash
# Shuffle-heavy jobs side by side: dflow on local[2], Hadoop MR's LocalJobRunner and Spark 3.5 on
# local[2] run reduceByKey, groupByKey and sortByKey over the same generated records; with --big
# also a 50 M-record sort in a 1 GB heap, dflow against MR. Writes its section of
# bench/RESULTS.md. See bench/README.md for what is measured and why.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/shuffle.sh [--records 10000000] [--reps 3] [--jobs reduce,group,sort] [--big]
                        [--big-records 50000000] [--big-reps 1] [--big-heap 1g] [--timeout 3600]
  --records      records per job (jobs reduce, group, sort), split over 8 map partitions
  --reps         timed runs per job and system; the order of the systems alternates per rep
  --jobs         which of reduce, group, sort to run (comma-separated), or none
  --big          also the big sort (dflow and Hadoop MR only): sortByKey of --big-records
                 records with 100-byte values in a --big-heap heap, output read back and checked
  --big-records  records of the big sort
  --big-reps     timed runs of the big sort per system
  --big-heap     the heap of both systems in the big sort (dflow: DFLOW_DRIVER_MEMORY)
  --timeout      seconds after which one run is stopped (and, in the big sort, reported as such)
USAGE
}

records=10000000
reps=3
jobs=reduce,group,sort
big=false
big_records=50000000
big_reps=1
big_heap=1g
timeout_s=3600
while [[ $# -gt 0 ]]; do
  case $1 in
    --records) records=${2:?--records needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a value}; shift 2 ;;
    --big) big=true; shift ;;
    --big-records) big_records=${2:?--big-records needs a value}; shift 2 ;;
    --big-reps) big_reps=${2:?--big-reps needs a value}; shift 2 ;;
    --big-heap) big_heap=${2:?--big-heap needs a value}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "shuffle.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

bad_usage() { echo "shuffle.sh: $*" >&2; usage >&2; exit 2; }
for n in "$records" "$reps" "$big_records" "$big_reps" "$timeout_s"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bad_usage "not a positive whole number: $n"
done
[[ $big_heap =~ ^[1-9][0-9]*[kKmMgG]$ ]] || bad_usage "--big-heap takes a JVM heap size such as 1g or 512m, got $big_heap"
[[ $jobs == none ]] && jobs=
job_list=()
for job in ${jobs//,/ }; do
  case $job in
    reduce|group|sort) job_list+=("$job") ;;
    *) bad_usage "unknown job '$job' (reduce, group, sort or none)" ;;
  esac
done
((${#job_list[@]} > 0)) || $big || bad_usage "nothing to run: --jobs none without --big"
command_line="bench/shuffle.sh --records $records --reps $reps --jobs ${jobs:-none}"
$big && command_line+=" --big --big-records $big_records --big-reps $big_reps --big-heap $big_heap"
((timeout_s != 3600)) && command_line+=" --timeout $timeout_s"

partitions=8    # map and reduce partitions of every job
peer_heap=4g    # -Xmx of every Spark and Hadoop MR JVM (except in the big sort)

cd "$(dirname "$0")/.."
root=$PWD
work=bench/work/shuffle
logs=$work/logs
out=$work/out
tmp=$work/tmp
classes=$work/classes
peers=bench/peers
mkdir -p "$logs" "$out" "$tmp"

BENCH_SCRIPT=shuffle.sh LOGS=$logs TIMEOUT_S=$timeout_s
source bench/src/peer-runs.sh
require_gnu_time
build_peers
spark_cp=$(peer_cp spark)
mr_cp=$(peer_cp mr)
warm_up_dflow

# dflow's job jar: ShuffleJob and the shared generator, compiled against the api jar.
api_jar=$(ls api/target/dflow-api-*.jar 2>/dev/null | head -n 1)
[[ -n $api_jar ]] || die "no api/target/dflow-api-*.jar after bin/dflow's build"
records_src=$peers/records/src/main/java/io/dflow/bench/shuffle/ShuffleRecords.java
rm -rf "$classes" && mkdir -p "$classes/job" "$classes/check"
javac -d "$classes/job" -cp "$api_jar" bench/src/ShuffleJob.java "$records_src"
job_jar=$work/shuffle-job.jar
jar cf "$job_jar" -C "$classes/job" .
if $big; then
  javac -d "$classes/check" bench/src/SortCheck.java "$records_src"
fi

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'job\trecords\trep\tsystem\twall_s\tpeak_rss_kb\tjob_s\tcount\tstatus\tnote\n' >"$times"

# run_system SYSTEM LOG HEAP ARGS...: one timed run of a job (ARGS: job, records, partitions[, out]).
# HEAP is dflow's -Xmx (empty: its default) or the peers' -Xmx.
run_system() {
  local system=$1 log=$2 heap=$3
  shift 3
  case $system in
    dflow)
      DFLOW_DRIVER_MEMORY=$heap timed_dflow "$log" --class ShuffleJob "$job_jar" "$@" ;;
    mr)
      rm -rf "$tmp/hadoop"
      timed "$log" java "-Xmx$heap" -Dshuffle.tmp="$root/$tmp/hadoop" -cp "$mr_cp" \
        io.dflow.bench.shuffle.MRShuffle "$@" ;;
    spark)
      rm -rf "$tmp/spark"
      timed "$log" env SPARK_LOCAL_IP=127.0.0.1 java "-Xmx$heap" "${SPARK_JAVA_OPTS[@]}" \
        -Dspark.local.dir="$root/$tmp/spark" -cp "$spark_cp" io.dflow.bench.shuffle.SparkShuffle "$@" ;;
  esac
}

# The most telling line of a failed run's stderr: the last that names an OutOfMemoryError, else
# the last that names another error or exception, else the last that says failed, else the last.
error_line() {
  local line= pattern
  for pattern in 'OutOfMemoryError' 'Exception|Error' 'failed|FAILED|Killed' '[^[:space:]]'; do
    line=$(grep -E "$pattern" "$1.err" | tail -n 1 || true)
    [[ -n $line ]] && break
  done
  [[ -n $line ]] || line='(nothing on stderr)'
  line=${line//$'\t'/ }
  line=${line//|/\\|}
  echo "${line:0:300}"
}

exit_reason() {  # STATUS: what an exit code means
  case $1 in
    124) echo "stopped after $timeout_s s (--timeout)" ;;
    137) echo "killed (signal 9; the kernel's OOM killer, or --timeout's last resort)" ;;
    *) if (($1 > 128)); then echo "killed by signal $(($1 - 128))"; else echo "exit code $1"; fi ;;
  esac
}

declare -A first_count first_by
for job in "${job_list[@]}"; do
  for ((rep = 1; rep <= reps; rep++)); do
    for system in $(order_for_rep "$rep" dflow mr spark); do
      log=$logs/$job-$system
      heap=$peer_heap
      [[ $system == dflow ]] && heap=
      run_system "$system" "$log" "$heap" "$job" "$records" "$partitions"
      if ((STATUS != 0)); then
        tail -n 20 "$log.err" >&2
        die "$job on $system failed: $(exit_reason "$STATUS"): $(error_line "$log") (logs: $log.out, $log.err)"
      fi
      count=$(result_field "$log" count)
      job_s=$(result_field "$log" job_s)
      [[ $count =~ ^[0-9]+$ ]] || die "$job on $system printed no 'RESULT ... count=N' line (see $log.out)"
      case $system in
        mr) hadoop_version=$(result_field "$log" system) ;;
        spark) spark_version=$(result_field "$log" system) ;;
      esac
      printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\tok\t\n' "$job" "$records" "$rep" "$system" "$WALL" "$RSS_KB" \
        "$job_s" "$count" >>"$times"
      echo "$job rep $rep $system: $WALL s, peak RSS $((RSS_KB / 1024)) MiB, count $count" >&2
      if [[ -z ${first_count[$job]:-} ]]; then
        first_count[$job]=$count
        first_by[$job]="$system (rep $rep)"
      elif [[ $count != "${first_count[$job]}" ]]; then
        die "$job: $system counted $count in rep $rep, but ${first_by[$job]} counted ${first_count[$job]}: the systems disagree (raw figures: $times)"
      fi
    done
  done
done
if [[ -n ${first_count[sort]:-} && ${first_count[sort]} != "$records" ]]; then
  die "sort: counted ${first_count[sort]} records, but $records were generated"
fi
if [[ -n ${first_count[reduce]:-} && -n ${first_count[group]:-} && ${first_count[reduce]} != "${first_count[group]}" ]]; then
  die "reduce counted ${first_count[reduce]} keys but group ${first_count[group]} groups, over the same records"
fi

if $big; then
  check_failed=
  for ((rep = 1; rep <= big_reps; rep++)); do
    for system in $(order_for_rep "$rep" dflow mr); do
      log=$logs/bigsort-$system
      dir=$root/$out/bigsort-$system
      rm -rf "$dir"
      echo "bigsort rep $rep $system: $big_records records, -Xmx$big_heap..." >&2
      run_system "$system" "$log" "$big_heap" bigsort "$big_records" "$partitions" "$dir"
      job_s=
      count=
      if ((STATUS != 0)); then
        status=failed
        note="$(exit_reason "$STATUS"): $(error_line "$log")"
        echo "bigsort rep $rep $system: FAILED after $WALL s ($note); logs: $log.err" >&2
      else
        job_s=$(result_field "$log" job_s)
        if check=$(java -cp "$classes/check" SortCheck "$out/bigsort-$system" "$big_records" "$partitions" 2>"$log.check.err"); then
          status=ok
          count=$big_records
          note=$check
        else
          status=wrong
          note=${check:-SortCheck failed: $(tail -n 1 "$log.check.err")}
          check_failed+=" $system"
        fi
        echo "bigsort rep $rep $system: $WALL s, peak RSS $((RSS_KB / 1024)) MiB, $note" >&2
      fi
      rm -rf "$dir"
      note=${note//$root\//}  # RESULTS.md names paths relative to the checkout
      [[ $system == mr && -n $(result_field "$log" system) ]] && hadoop_version=$(result_field "$log" system)
      printf 'bigsort\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$big_records" "$rep" "$system" "$WALL" "$RSS_KB" \
        "$job_s" "$count" "$status" "$note" >>"$times"
    done
  done
fi

machine=$(machine_line)
commit=$(commit_line)
python3 bench/src/shuffle_results.py --times "$times" --results bench/RESULTS.md \
  --command "$command_line" --commit "$commit" --machine "$machine" --partitions "$partitions" \
  --peer-heap "$peer_heap" --big-heap "$big_heap" --timeout "$timeout_s" \
  --spark "${spark_version:-spark-3.5}" --hadoop "${hadoop_version:-hadoop-mr-3.4}"
echo "raw figures: $times; section written to bench/RESULTS.md" >&2
if $big && [[ -n ${check_failed:-} ]]; then
  die "the big sort's output was wrong on:$check_failed (see bench/RESULTS.md and $logs/)"
fi
