#!/usr/bin/env bash
# Task throughput and tiny-task latency: TaskRate (n one-record tasks per job, several jobs per
# process) on local[2] and local-cluster[2,1], and NaiveTinyTasks (the seed's program) timed in
# fresh processes. Optionally runs the same jobs on another dflow checkout in the same batch,
# alternating, for a side-by-side ratio. Writes its section of bench/RESULTS.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/tasks.sh [--tasks 10000] [--runs 10] [--reps 3] [--tiny-n 3000] [--against DIR]
  --tasks    tasks per TaskRate job (one record each)
  --runs     TaskRate jobs per process; the median of the second half is the steady state
  --reps     fresh processes per master (and per contestant); the order alternates per rep
  --tiny-n   NaiveTinyTasks' n
  --against  another dflow checkout (built, with bin/dflow) to run the same jobs on
USAGE
}

tasks=10000
runs=10
reps=3
tiny_n=3000
against=
while [[ $# -gt 0 ]]; do
  case $1 in
    --tasks) tasks=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tiny-n) tiny_n=$2; shift 2 ;;
    --against) against=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
command_line="bench/tasks.sh --tasks $tasks --runs $runs --reps $reps --tiny-n $tiny_n${against:+ --against <checkout>}"

cd "$(dirname "$0")/.."
root=$PWD
work=bench/work/tasks
mkdir -p "$work/logs"
die() { echo "tasks.sh: $*" >&2; exit 1; }

# Untimed: lets bin/dflow rebuild (and write its class-data archive) before anything is timed.
bin/dflow run --master 'local[2]' --class io.dflow.examples.TinyTasks examples/target/dflow-examples.jar 0 >/dev/null 2>&1 \
  || die "dflow cannot run: try bin/dflow run --class io.dflow.examples.TinyTasks examples/target/dflow-examples.jar 0"

# TaskRate's job jar, compiled against each contestant's own api jar.
build_jar() {  # HOME OUT
  local classes="$2.classes"
  rm -rf "$classes" && mkdir -p "$classes"
  javac -d "$classes" -cp "$(ls "$1"/api/target/dflow-api-*.jar | head -n 1)" bench/src/TaskRate.java
  jar cf "$2" -C "$classes" .
}
build_jar "$root" "$work/taskrate.jar"
contestants=(dflow)
if [[ -n $against ]]; then
  (cd "$against" && bin/dflow run --master 'local[2]' --class io.dflow.examples.TinyTasks \
    examples/target/dflow-examples.jar 0 >/dev/null 2>&1) || die "$against cannot run"
  build_jar "$against" "$work/taskrate-against.jar"
  contestants+=(against)
fi

home_of() { [[ $1 == dflow ]] && echo "$root" || echo "$against"; }
jar_of() { [[ $1 == dflow ]] && echo "$root/$work/taskrate.jar" || echo "$root/$work/taskrate-against.jar"; }

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'bench\tmaster\trep\tcontestant\tvalue\n' >"$times"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for master in 'local[2]' 'local-cluster[2,1]'; do
  for ((rep = 1; rep <= reps; rep++)); do
    order=("${contestants[@]}")
    if ((rep % 2 == 0)) && ((${#order[@]} > 1)); then order=("${order[1]}" "${order[0]}"); fi
    for c in "${order[@]}"; do
      log=$work/logs/taskrate-${master//[^a-z0-9]/}-$c
      (cd "$(home_of "$c")" && bin/dflow run --master "$master" --class TaskRate "$(jar_of "$c")" "$tasks" "$runs") \
        >"$log.out" 2>"$log.err" || { tail -n 20 "$log.err" >&2; die "TaskRate failed on $master ($c)"; }
      rates=$(sed -nE 's/^TaskRate run ([0-9]+): .* = ([0-9]+) tasks\/s$/\1 \2/p' "$log.err")
      [[ -n $rates ]] || die "no TaskRate lines in $log.err"
      first=$(echo "$rates" | awk '$1 == 1 { print $2 }')
      steady=$(echo "$rates" | awk -v h=$((runs / 2)) '$1 > h { print $2 }' | median)
      printf 'taskrate-first\t%s\t%d\t%s\t%s\n' "$master" "$rep" "$c" "$first" >>"$times"
      printf 'taskrate-steady\t%s\t%d\t%s\t%s\n' "$master" "$rep" "$c" "$steady" >>"$times"
      echo "taskrate $master rep $rep $c: first job $first tasks/s, steady $steady tasks/s" >&2
    done
  done
done

for ((rep = 1; rep <= reps; rep++)); do
  for c in "${contestants[@]}"; do
    home=$(home_of "$c")
    [[ -f $home/examples/src/main/java/io/dflow/examples/NaiveTinyTasks.java ]] || continue
    log=$work/logs/tiny-$c
    t0=$(date +%s.%N)
    (cd "$home" && bin/dflow run --master 'local[2]' --class io.dflow.examples.NaiveTinyTasks \
      examples/target/dflow-examples.jar "$tiny_n") >"$log.out" 2>"$log.err" || die "NaiveTinyTasks failed ($c)"
    t1=$(date +%s.%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    (cd "$home" && bin/dflow run --master 'local[2]' --class io.dflow.examples.NaiveTinyTasks \
      examples/target/dflow-examples.jar "$tiny_n" 10) >"$log-10.out" 2>"$log-10.err" || die "NaiveTinyTasks failed ($c)"
    first=$(sed -nE 's/^NaiveTinyTasks run 1: ([0-9.]+) ms$/\1/p' "$log-10.err")
    later=$(sed -nE 's/^NaiveTinyTasks run ([0-9]+): ([0-9.]+) ms$/\1 \2/p' "$log-10.err" | awk '$1 > 1 { print $2 }' | median)
    printf 'tiny-process\tlocal[2]\t%d\t%s\t%s\n' "$rep" "$c" "$wall" >>"$times"
    printf 'tiny-first-ms\tlocal[2]\t%d\t%s\t%s\n' "$rep" "$c" "$first" >>"$times"
    printf 'tiny-later-ms\tlocal[2]\t%d\t%s\t%s\n' "$rep" "$c" "$later" >>"$times"
    echo "naive tiny tasks rep $rep $c: process $wall s, first job $first ms, later jobs $later ms" >&2
  done
done

# The section of RESULTS.md this script owns.
machine="$(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory, $(java -version 2>&1 | head -n 1)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git status --porcelain 2>/dev/null | head -n 1) ]]; then commit="$commit (with uncommitted changes)"; fi
section=$work/section.md
{
  echo "## Task throughput and tiny tasks"
  echo
  echo "- run: $(date -u '+%Y-%m-%d %H:%M') UTC by \`$command_line\` (commit $commit)"
  echo "- machine: $machine"
  echo "- TaskRate: \`parallelize(0..$((tasks - 1)), one record per task).map(x -> x + 1).count()\`, $runs jobs per process; *first* is the first job of a fresh process, *steady* the median of jobs $((runs / 2 + 1))-$runs; medians over $reps processes"
  echo "- NaiveTinyTasks $tiny_n on local[2]: whole process wall time (JVM start included); the first job of a fresh process; the median of jobs 2-10 of a process"
  echo
  echo "| measure | master | contestant | per rep | median |"
  echo "|---|---|---|---|---:|"
  awk -F'\t' 'NR > 1 { key = $1 "\t" $2 "\t" $4; vals[key] = vals[key] (vals[key] == "" ? "" : ", ") $5; order[key] = NR }
    END { for (k in order) print order[k] "\t" k "\t" vals[k] }' "$times" | sort -n | cut -f2- |
  while IFS=$'\t' read -r bench master c vals; do
    med=$(echo "$vals" | tr ',' '\n' | tr -d ' ' | median)
    echo "| $bench | $master | $c | $vals | $med |"
  done
} >"$section"
python3 bench/src/benchtable.py tasks.sh tasks "$section" bench/RESULTS.md
echo "raw figures: $times; section written to bench/RESULTS.md" >&2
