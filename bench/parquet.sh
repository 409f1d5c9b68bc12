#!/usr/bin/env bash
# The sum of one long column of a 10 M-row Parquet file written by Spark: dflow on local[2]
# (a record per row, and columnar with mapBatches) against Spark SQL 3.5 on local[2] reading the
# same file. Writes its section of bench/RESULTS.md. See bench/README.md for what is measured.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/parquet.sh [--rows 10000000] [--reps 5] [--seed 1] [--timeout 1800]
  --rows     rows of the Parquet file (generated once by Spark's writer under bench/data/)
  --reps     timed runs per system; the order of the systems alternates per rep
  --seed     the file's seed (the same seed gives the same rows)
  --timeout  seconds after which one run is stopped (and the script fails)
USAGE
}

rows=10000000
reps=5
seed=1
timeout_s=1800
while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) rows=${2:?--rows needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "parquet.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$rows" "$reps" "$seed" "$timeout_s"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "parquet.sh: not a positive whole number: $n" >&2; usage >&2; exit 2; }
done
command_line="bench/parquet.sh --rows $rows --reps $reps --seed $seed"
((timeout_s != 1800)) && command_line+=" --timeout $timeout_s"

column=x        # the column summed
peer_heap=4g    # -Xmx of the Spark JVMs; dflow runs with its default (1 GB)

cd "$(dirname "$0")/.."
root=$PWD
work=bench/work/parquet
logs=$work/logs
classes=$work/classes
data=bench/data
mkdir -p "$logs" "$data"

BENCH_SCRIPT=parquet.sh LOGS=$logs TIMEOUT_S=$timeout_s
source bench/src/peer-runs.sh
require_gnu_time
build_peers
spark_cp=$(peer_cp spark-sql)
warm_up_dflow

# dflow's job jar: ParquetSumJob, compiled against the api jar and Arrow's vectors.
api_jar=$(ls api/target/dflow-api-*.jar 2>/dev/null | head -n 1)
arrow_jars=$(ls driver/target/lib/arrow-vector-*.jar driver/target/lib/arrow-memory-core-*.jar 2>/dev/null | paste -sd:)
[[ -n $api_jar && -n $arrow_jars ]] || die "no api/target/dflow-api-*.jar or Arrow jars in driver/target/lib after bin/dflow's build"
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$api_jar:$arrow_jars" bench/src/ParquetSumJob.java 2>"$logs/javac.err" \
  || { cat "$logs/javac.err" >&2; die "ParquetSumJob did not compile"; }
job_jar=$work/parquet-sum-job.jar
jar cf "$job_jar" -C "$classes" .

spark() {  # spark LOG CLASS ARGS...: a timed Spark main of the spark-sql peer
  local log=$1 class=$2
  shift 2
  timed "$log" env SPARK_LOCAL_IP=127.0.0.1 java "-Xmx$peer_heap" "${SPARK_JAVA_OPTS[@]}" \
    -Dspark.local.dir="$root/$work/spark-tmp" -cp "$spark_cp" "io.dflow.bench.parquet.$class" "$@"
}

# The file, written once by Spark's writer; its RESULT line (the sum of x, row groups, bytes)
# is kept beside it, and a file without one is written again.
file=$data/sum-$rows-seed$seed.parquet
facts=$file.result
if [[ ! -s $facts || ! -f $file ]]; then
  echo "parquet.sh: writing $file ($rows rows, Spark's Parquet writer)..." >&2
  rm -f "$facts"
  spark "$logs/generate" ParquetBenchFile "$rows" "$seed" "$root/$file"
  ((STATUS == 0)) || { tail -n 20 "$logs/generate.err" >&2; die "the generator failed (log: $logs/generate.err)"; }
  grep '^RESULT' "$logs/generate.out" >"$facts" || die "the generator printed no RESULT line (see $logs/generate.out)"
fi
fact() { sed -nE "s/.* $1=([^ ]+).*/\1/p" "$facts"; }
expected=$(fact sum)
row_groups=$(fact row_groups)
file_bytes=$(fact bytes)
[[ $expected =~ ^[0-9]+$ ]] || die "no sum in $facts: delete it to write the file again"

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'rep\tsystem\twall_s\tpeak_rss_kb\tcpu_s\tjob_s\tsum\n' >"$times"

for ((rep = 1; rep <= reps; rep++)); do
  for system in $(order_for_rep "$rep" dflow-records dflow-batches spark); do
    log=$logs/$system
    cat "$file" >/dev/null  # into the page cache: pages unread for ~30 s leave it here
    case $system in
      dflow-*) timed_dflow "$log" --class ParquetSumJob "$job_jar" "$root/$file" "$column" "${system#dflow-}" ;;
      spark)
        rm -rf "$work/spark-tmp"
        spark "$log" SparkParquetSum "$root/$file" "$column" ;;
    esac
    if ((STATUS != 0)); then
      tail -n 20 "$log.err" >&2
      die "$system failed (exit code $STATUS; logs: $log.out, $log.err)"
    fi
    sum=$(result_field "$log" sum)
    job_s=$(result_field "$log" job_s)
    [[ $system == spark ]] && spark_version=$(result_field "$log" system)
    [[ $sum == "$expected" ]] || die "$system summed $sum in rep $rep, but the file's column $column sums to $expected (see $log.out)"
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$system" "$WALL" "$RSS_KB" "$CPU_S" "$job_s" "$sum" >>"$times"
    echo "rep $rep $system: $WALL s (job $job_s s, CPU $CPU_S s), peak RSS $((RSS_KB / 1024)) MiB, sum $sum" >&2
  done
done

python3 bench/src/parquet_results.py --times "$times" --results bench/RESULTS.md \
  --command "$command_line" --commit "$(commit_line)" --machine "$(machine_line)" \
  --file "$file" --rows "$rows" --bytes "$file_bytes" --row-groups "$row_groups" --column "$column" \
  --sum "$expected" --peer-heap "$peer_heap" --spark "${spark_version:-spark-3.5}"
echo "raw figures: $times; section written to bench/RESULTS.md" >&2
