#!/usr/bin/env bash
# Hadoop Streaming's word count on dflow (`dflow streaming` with the classic Python mapper and
# reducer of examples/streaming/) against the same two scripts joined by a shell pipe through
# `LC_ALL=C sort` on one machine. Checks every rep that both count the same, and writes its
# section of bench/RESULTS.md. See bench/README.md for what is measured and why.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/streaming.sh [--size 256] [--reps 3] [--seed 1] [--master local[2]] [--reducers N]
                          [--timeout 3600] [--no-build] [--results bench/RESULTS.md]
  --size      corpus size in MB (bench/data/corpus-<size>M-seed<seed>.txt, or -<n>G for whole
              GBs: the corpus run.sh uses, generated once when missing)
  --reps      timed runs per system; the order of the two alternates per rep
  --seed      corpus seed
  --master    what dflow runs on
  --reducers  dflow's -numReduceTasks (default: not given, dflow's default)
  --timeout   seconds after which one dflow run is stopped (a failure)
  --no-build  run bin/dflow without its rebuild-on-change step (the same launcher with its
              build block cut out), for a tree whose sources are being edited: the jars already
              in driver/target/lib are measured, and the script never runs Maven
  --results   the file whose section is replaced (or appended)
USAGE
}

size=256
reps=3
seed=1
master='local[2]'
reducers=
timeout_s=3600
no_build=false
results=bench/RESULTS.md
while [[ $# -gt 0 ]]; do
  case $1 in
    --size) size=${2:?--size needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --master) master=${2:?--master needs a value}; shift 2 ;;
    --reducers) reducers=${2:?--reducers needs a value}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs a value}; shift 2 ;;
    --no-build) no_build=true; shift ;;
    --results) results=${2:?--results needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "streaming.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
bad_usage() { echo "streaming.sh: $*" >&2; usage >&2; exit 2; }
for n in "$size" "$reps" "$timeout_s" ${reducers:+"$reducers"}; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bad_usage "not a positive whole number: $n"
done
[[ $seed =~ ^[0-9]+$ ]] || bad_usage "not a seed: $seed"
command_line="bench/streaming.sh --size $size --reps $reps --seed $seed --master $master"
[[ -n $reducers ]] && command_line+=" --reducers $reducers"
((timeout_s != 3600)) && command_line+=" --timeout $timeout_s"
$no_build && command_line+=" --no-build"
[[ $results != bench/RESULTS.md ]] && command_line+=" --results $results"

# The corpus run.sh generates and names: 256 MB -> corpus-256M-seed1.txt, 1024 MB -> corpus-1G-seed1.txt.
if ((size % 1024 == 0)); then label=$((size / 1024))G; else label=${size}M; fi

cd "$(dirname "$0")/.."
root=$PWD
data=bench/data
work=bench/work/streaming
logs=$work/logs
out=$work/out
tmp=$work/tmp
mkdir -p "$data" "$logs" "$out" "$tmp"
# Absolute: a streaming task runs its commands in its own working directory (as Hadoop's do).
mapper=$root/examples/streaming/mapper.py
reducer=$root/examples/streaming/reducer.py

die() { echo "streaming.sh: $*" >&2; exit 1; }

# The sandbox this was written in sets PYTHONUNBUFFERED=1, which makes every print() of the
# scripts a write(2) (the mapper 2.8x slower): neither side runs with it. dflow runs with its
# defaults.
unset PYTHONUNBUFFERED DFLOW_DRIVER_OPTS DFLOW_DRIVER_MEMORY

[[ -f $mapper && -f $reducer ]] || die "$mapper or $reducer is missing"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: install Debian's 'time' package"

# The launcher. --no-build: bin/dflow itself, with DFLOW_HOME fixed to this checkout and its
# `if needs_build; then ... fi` block never entered, so the class-data archive and JVM options
# are exactly bin/dflow's.
dflow=(bin/dflow)
if $no_build; then
  launcher=$work/dflow-no-build
  . bench/src/no-build-launcher.sh
  write_no_build_launcher "$root" "$launcher" "bench/streaming.sh --no-build" || die "--no-build: cannot write the launcher"
  dflow=(bash "$launcher")
fi
archive=driver/target/lib/dflow.jsa
archive_stamp() { stat -c %Y.%s "$archive" 2>/dev/null || echo none; }

# The corpus, generated as run.sh does (same generator, size spelling, seed and file name).
input=$data/corpus-$label-seed$seed.txt
if [[ ! -f $input ]]; then
  echo "streaming.sh: generating $input..." >&2
  java bench/src/GenCorpus.java "$label" "$input.tmp" "$seed"
  mv "$input.tmp" "$input"
fi
bytes=$(wc -c <"$input")

dflow_args=(streaming --master "$master" -input "$root/$input" -output "$root/$out/dflow"
  -mapper "python3 $mapper" -reducer "python3 $reducer")
[[ -n $reducers ]] && dflow_args+=(-numReduceTasks "$reducers")

# Untimed: lets bin/dflow rebuild (and write its class-data archive) before anything is timed,
# and fails early if dflow streaming cannot run the scripts at all.
rm -rf "$out/warm-up"
if ! "${dflow[@]}" streaming --master "$master" -input "$root/examples/data/sample.txt" -output "$root/$out/warm-up" \
    -mapper "python3 $mapper" -reducer "python3 $reducer" >"$logs/warm-up.out" 2>"$logs/warm-up.err"; then
  tail -n 20 "$logs/warm-up.err" >&2
  die "dflow streaming cannot run (log: $logs/warm-up.err); if its build failed while the sources are being changed, retry in a few minutes"
fi
jars_before=$(cat driver/target/lib/*.jar examples/target/dflow-examples.jar | sha256sum | cut -c1-16)

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'rep\tsystem\twall_s\tcpu_s\tpeak_rss_kb\trss_by\tjob_s\tload1\tlines\twords\n' >"$times"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# GNU time's figures of one process (and the children it waited for): "elapsed maxrss_kb user sys".
time_fmt='%e %M %U %S'
field() { awk -v i="$2" 'END { print $i }' "$1"; }

# dflow: one timed run; sets WALL, CPU, RSS_KB, JOB_S. Sets RERUN when the launcher rebuilt or
# rewrote its class-data archive during the run (then the run is no measurement).
run_dflow() {
  local log=$1 t0 t1 a0 status
  rm -rf "$out/dflow"
  a0=$(archive_stamp)
  cat "$input" >/dev/null
  t0=$(date +%s.%N)
  if /usr/bin/time -o "$log.time" -f "$time_fmt" timeout --foreground --kill-after=30 "$timeout_s" \
      "${dflow[@]}" "${dflow_args[@]}" >"$log.out" 2>"$log.err"; then
    status=0
  else
    status=$?
  fi
  t1=$(date +%s.%N)
  if ((status != 0)); then
    tail -n 20 "$log.err" >&2
    ((status == 124)) && die "dflow streaming was stopped after $timeout_s s (--timeout); log: $log.err"
    die "dflow streaming failed (exit $status): $(head -n 1 "$log.err") (log: $log.err)"
  fi
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  CPU=$(awk '{ u = $3; s = $4 } END { printf "%.2f", u + s }' "$log.time")
  RSS_KB=$(field "$log.time" 2)
  JOB_S=$(sed -nE 's/^application [^ ]+ succeeded in ([0-9.]+) s.*/\1/p' "$log.err" | tail -n 1)
  RERUN=false
  if grep -q '^dflow: building' "$log.err" || [[ $(archive_stamp) != "$a0" ]]; then RERUN=true; fi
}

# The pipeline: each of its three processes under its own GNU time; sets WALL, CPU (the sum),
# RSS_KB (the largest) and RSS_BY (whose it was).
run_pipeline() {
  local log=$1 t0 t1 p
  cat "$input" >/dev/null
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -o "$log.mapper.time" -f "$time_fmt" python3 "$mapper" <"$input" 2>"$log.mapper.err" \
    | LC_ALL=C /usr/bin/time -o "$log.sort.time" -f "$time_fmt" sort -T "$tmp" 2>"$log.sort.err" \
    | /usr/bin/time -o "$log.reducer.time" -f "$time_fmt" python3 "$reducer" >"$out/pipeline.txt" 2>"$log.reducer.err"
  local codes="${PIPESTATUS[*]}"
  set -e
  t1=$(date +%s.%N)
  if [[ $codes != "0 0 0" ]]; then
    for p in mapper sort reducer; do tail -n 5 "$log.$p.err" >&2; done
    die "the pipeline failed (exit codes $codes of mapper, sort, reducer; logs: $log.{mapper,sort,reducer}.err)"
  fi
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  CPU=0
  RSS_KB=0
  RSS_BY=
  for p in mapper sort reducer; do
    CPU=$(awk -v c="$CPU" '{ u = $3; s = $4 } END { printf "%.2f", c + u + s }' "$log.$p.time")
    local rss
    rss=$(field "$log.$p.time" 2)
    if ((rss > RSS_KB)); then RSS_KB=$rss; RSS_BY=$p; fi
  done
}

order_for_rep() {  # REP SYSTEM...: the systems in order on odd reps, reversed on even ones
  local rep=$1
  shift
  if ((rep % 2)); then echo "$@"; else echo "$@" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }'; fi
}

for ((rep = 1; rep <= reps; rep++)); do
  for system in $(order_for_rep "$rep" dflow pipeline); do
    log=$logs/$system
    load1=$(cut -d' ' -f1 /proc/loadavg)
    job_s=
    rss_by=
    case $system in
      dflow)
        run_dflow "$log"
        if $RERUN; then
          echo "streaming.sh: the launcher rebuilt or rewrote its class-data archive during rep $rep: repeating it" >&2
          run_dflow "$log"
          $RERUN && die "the launcher rebuilt or rewrote its archive twice in a row (are the jars being rebuilt?)"
        fi
        job_s=$JOB_S
        rss_by=jvm ;;
      pipeline)
        run_pipeline "$log"
        rss_by=$RSS_BY ;;
    esac
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$rep" "$system" "$WALL" "$CPU" "$RSS_KB" "$rss_by" "$job_s" "$load1" >>"$times"
    echo "streaming $label rep $rep $system: $WALL s, cpu $CPU s, peak RSS $((RSS_KB / 1024)) MiB${rss_by:+ ($rss_by)}" >&2
    printf '\t\t\n' >>"$times"  # lines, words: filled in by the check below
  done
  # The same word<TAB>count lines, or the run does not count.
  find "$out/dflow" -type f ! -name '_*' ! -name '.*' -exec cat {} + | LC_ALL=C sort >"$out/dflow.sorted"
  LC_ALL=C sort "$out/pipeline.txt" >"$out/pipeline.sorted"
  if ! cmp -s "$out/dflow.sorted" "$out/pipeline.sorted"; then
    diff "$out/dflow.sorted" "$out/pipeline.sorted" | head -n 20 >&2 || true
    die "rep $rep: dflow's word counts ($out/dflow, $(wc -l <"$out/dflow.sorted") lines) differ from the pipeline's ($out/pipeline.txt, $(wc -l <"$out/pipeline.sorted") lines); diff above"
  fi
  lines=$(wc -l <"$out/pipeline.sorted")
  words=$(awk -F'\t' '{ n += $2 } END { printf "%d", n }' "$out/pipeline.sorted")
  ((lines > 0)) || die "rep $rep: both outputs are empty"
  # Record the check on this rep's two rows.
  awk -F'\t' -v OFS='\t' -v r="$rep" -v l="$lines" -v w="$words" \
    'NR > 1 && $1 == r { $9 = l; $10 = w } { print }' "$times" >"$times.tmp" && mv "$times.tmp" "$times"
  echo "streaming $label rep $rep: outputs equal ($lines words, $words in all)" >&2
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
jars_after=$(cat driver/target/lib/*.jar examples/target/dflow-examples.jar | sha256sum | cut -c1-16)
jars_note=
[[ $jars_after == "$jars_before" ]] || jars_note="the dflow jars changed during the run (rebuilt by someone else): the reps may not all have measured the same build"

machine="$(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory, $(java -version 2>&1 | head -n 1)"
tools="$(python3 --version 2>&1), $(sort --version | head -n 1)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git status --porcelain 2>/dev/null | head -n 1) ]]; then commit="$commit (with uncommitted changes)"; fi
launcher_text='`bin/dflow`'
$no_build && launcher_text='`bin/dflow` without its rebuild step (`--no-build`: the jars in `driver/target/lib` as they were)'
reducers_text="dflow's default number of reduce tasks"
[[ -n $reducers ]] && reducers_text="\`-numReduceTasks $reducers\`"

# The section, with the medians, through the helper the other bench scripts use.
STREAMING_TIMES=$times STREAMING_RESULTS=$results STREAMING_COMMAND=$command_line STREAMING_COMMIT=$commit \
STREAMING_MACHINE=$machine STREAMING_TOOLS=$tools STREAMING_LABEL=$label STREAMING_INPUT=$input \
STREAMING_BYTES=$bytes STREAMING_MASTER=$master STREAMING_LAUNCHER=$launcher_text \
STREAMING_REDUCERS=$reducers_text STREAMING_LOAD="$load_start (start), $load_end (end)" \
STREAMING_JARS_NOTE=$jars_note STREAMING_TMP=$tmp \
PYTHONPATH=bench/src python3 - <<'PY'
import datetime
import os

from benchtable import by_rep, fmt, med, num, ratio, read_times, replace_section

e = os.environ
rows = read_times(e["STREAMING_TIMES"])
reps = by_rep(rows, "system")
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
mib = lambda kb: None if kb is None else kb / 1024
first = rows[0]
lines = [
    f"## Hadoop Streaming word count: `dflow streaming` against a shell pipeline, {e['STREAMING_LABEL']} corpus",
    "",
    f"- run: {when} by `{e['STREAMING_COMMAND']}` (commit {e['STREAMING_COMMIT']})",
    f"- machine: {e['STREAMING_MACHINE']}; {e['STREAMING_TOOLS']}; load average (1, 5, 15 min) "
    f"{e['STREAMING_LOAD']}",
    f"- input: `{e['STREAMING_INPUT']}`, {e['STREAMING_BYTES']} bytes (generated and named as by run.sh), read once "
    "(`cat > /dev/null`) before each timed run",
    f"- dflow: `bin/dflow streaming --master {e['STREAMING_MASTER']} -input <corpus> -output <dir> "
    "-mapper 'python3 <checkout>/examples/streaming/mapper.py' -reducer 'python3 "
    f"<checkout>/examples/streaming/reducer.py'` ({e['STREAMING_REDUCERS']}; launcher: {e['STREAMING_LAUNCHER']}); "
    "the scripts by absolute path, since a task runs its commands in its own working directory",
    "- pipeline: `python3 <checkout>/examples/streaming/mapper.py < <corpus> | LC_ALL=C sort "
    f"-T {e['STREAMING_TMP']} | python3 <checkout>/examples/streaming/reducer.py > <file>`",
    "- both without `PYTHONUNBUFFERED`; the order of the two alternates per rep; after every rep the "
    "`word<TAB>count` lines of dflow's part files (sorted, `LC_ALL=C`) were checked equal to the pipeline's",
    "- wall: whole-run seconds from outside (dflow: JVM start to exit; pipeline: first process start to "
    "last exit); CPU: user + sys seconds from GNU time (dflow: the JVM and the commands it ran and waited "
    "for; pipeline: the sum of its three processes); peak RSS: GNU time's maximum resident set of the "
    "largest single process (dflow: the JVM or one of its commands; pipeline: mapper, sort and reducer "
    "each run under their own `/usr/bin/time`, the largest of the three), not the sum of processes",
]
if e.get("STREAMING_JARS_NOTE"):
    lines.append(f"- note: {e['STREAMING_JARS_NOTE']}")
lines += ["",
          "| rep | dflow wall s [job s] | dflow CPU s | dflow peak RSS MiB | pipeline wall s | pipeline CPU s "
          "| pipeline peak RSS MiB (process) | dflow / pipeline (wall) | load (1 min) before dflow, pipeline |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
ratios = []
for rep, v in reps.items():
    d, p = v.get("dflow"), v.get("pipeline")
    ratios.append(ratio(num(d, "wall_s"), num(p, "wall_s")))
    lines.append(f"| {rep} | {fmt(num(d, 'wall_s'))} [{fmt(num(d, 'job_s'))}] | {fmt(num(d, 'cpu_s'), 1)} "
                 f"| {fmt(mib(num(d, 'peak_rss_kb')), 0)} | {fmt(num(p, 'wall_s'))} | {fmt(num(p, 'cpu_s'), 1)} "
                 f"| {fmt(mib(num(p, 'peak_rss_kb')), 0)} ({p['rss_by'] if p else 'n/a'}) | {fmt(ratios[-1], 2)} "
                 f"| {d['load1'] if d else 'n/a'}, {p['load1'] if p else 'n/a'} |")
col = lambda system, key: med(num(v.get(system), key) for v in reps.values())
r = med(ratios)
aim = "n/a" if r is None else ("met" if r <= 0.6 else "not met")
lines += ["",
          f"**Median of per-rep ratios dflow / pipeline (wall) = {fmt(r, 2)}** (aim ≤ 0.6: {aim}). "
          f"Median wall: dflow {fmt(col('dflow', 'wall_s'))} s (job {fmt(col('dflow', 'job_s'))} s), "
          f"pipeline {fmt(col('pipeline', 'wall_s'))} s; median CPU: dflow {fmt(col('dflow', 'cpu_s'), 1)} s, "
          f"pipeline {fmt(col('pipeline', 'cpu_s'), 1)} s; median peak RSS: dflow "
          f"{fmt(mib(col('dflow', 'peak_rss_kb')), 0)} MiB, pipeline {fmt(mib(col('pipeline', 'peak_rss_kb')), 0)} MiB. "
          f"Output: {int(first['lines']):,} distinct words, {int(first['words']):,} in all, equal on every rep.",
          ""]
path = e["STREAMING_RESULTS"]
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
text = replace_section(text, "streaming.sh", f"wordcount:{e['STREAMING_LABEL']}", lines)
with open(path, "w") as f:
    f.write(text)
PY
echo "raw figures: $times; section written to $results" >&2
