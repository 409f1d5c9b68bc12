#!/usr/bin/env bash
# The long form of driver/src/test/java/io/dflow/driver/ChaosTest.java: WordCount on
# local-cluster[3,1] over a ~12 MB corpus, one executor JVM SIGKILLed at a random moment of each
# run. Every run must exit 0 with exactly the reference counts, commit its output (_SUCCESS, no
# _temporary), leave no executor JVM behind and report the lost executor. Writes its section of
# bench/RESULTS.md and exits non-zero when any run failed a check. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/chaos.sh [--runs 100] [--seed S] [--results bench/RESULTS.md] [-h]
  --runs     runs with an executor killed (default 100), after 3 undisturbed baseline runs
  --seed     seed of the kill schedule: each run's delay (0-2500 ms after the job started) and
             which executor dies (default: from the clock; always printed)
  --results  the file whose section (<!-- chaos.sh:wordcount -->) is replaced (or appended)
  -h         this text
Runs bin/dflow without its rebuild step (a copy under bench/work/chaos/ with the build block
cut out): the jars already in driver/target/lib and examples/target are tested; never Maven.
USAGE
}

runs=100
seed=
results=bench/RESULTS.md
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --results) results=${2:?--results needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "chaos.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
bad_usage() { echo "chaos.sh: $*" >&2; usage >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || bad_usage "not a positive whole number: $runs"
[[ -z $seed ]] && seed=$(( $(date +%s%N) % 1000000000000 ))
[[ $seed =~ ^[0-9]+$ ]] || bad_usage "not a seed (a whole number): $seed"
echo "chaos.sh: seed $seed" >&2
command_line="bench/chaos.sh --runs $runs --seed $seed"
[[ $results != bench/RESULTS.md ]] && command_line+=" --results $results"

cd "$(dirname "$0")/.."
root=$PWD
data=bench/data
work=bench/work/chaos
logs=$work/logs
mkdir -p "$data" "$logs" "$work/out" "$work/local"
die() { echo "chaos.sh: $*" >&2; exit 1; }
unset DFLOW_DRIVER_OPTS DFLOW_DRIVER_MEMORY

BASELINE_RUNS=3
MASTER='local-cluster[3,1]'
SPLIT_BYTES=1500000
CORPUS_BYTES=12000000
CORPUS_SEED=21
START_TIMEOUT_S=60   # for <out>/_temporary to appear
RUN_TIMEOUT_S=300    # for dflow to exit; then it is killed and the run fails

# The launcher: bin/dflow with DFLOW_HOME fixed to this checkout and its `if needs_build; then`
# block never entered (as bench/streaming.sh --no-build), so the JVM options and the class-data
# archive are bin/dflow's, and a tree being edited is never rebuilt under the runs.
launcher=$work/dflow-no-build
. bench/src/no-build-launcher.sh
write_no_build_launcher "$root" "$launcher" bench/chaos.sh || die "cannot write the launcher"
archive=driver/target/lib/dflow.jsa
archive_stamp() { stat -c %Y.%s "$archive" 2>/dev/null || echo none; }

# The corpus, once: lines in the style of the test's Corpus.write (syllables drawn Zipf-like,
# multibyte UTF-8 with an emoji and a no-break space inside words, words separated by spaces and
# tabs, lines ending in \n, \r\n or \n\n, some lines empty or starting with a separator), from
# Python's seeded generator. The reference counts, once: maximal runs of bytes other than space,
# tab, \r and \n (what Corpus.count's \S+ and the examples' Tokenizer split on for this text;
# the generator is checked to use no other whitespace), sorted as `LC_ALL=C sort` sorts.
input=$data/chaos-corpus-12M-seed$CORPUS_SEED.txt
reference=$data/chaos-corpus-12M-seed$CORPUS_SEED.counts
if [[ ! -f $input || ! -f $reference ]]; then
  echo "chaos.sh: generating $input and its reference counts..." >&2
  python3 - "$CORPUS_BYTES" "$input.tmp" "$CORPUS_SEED" "$reference.tmp" <<'PY'
import collections, random, re, sys
size, path, seed, ref = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
SYLLABLES = ["da", "ta", "flow", "map", "Red", "uce", "é", "漢字", "😀", "x", "Q", "ü", "a\u00a0b", "-", "42"]
SEPARATORS = [" ", " ", " ", "  ", "\t", " \t "]
LINE_ENDS = ["\n", "\n", "\n", "\r\n", "\n\n"]
text_chars = set("".join(SYLLABLES + SEPARATORS + LINE_ENDS))
# Java's \S and Character.isWhitespace agree with splitting on these four for this text.
assert {c for c in text_chars if c.isspace()} <= {" ", "\t", "\r", "\n", "\u00a0"}, text_chars
syl = [s.encode() for s in SYLLABLES]
sep = [s.encode() for s in SEPARATORS]
end = [s.encode() for s in LINE_ENDS]
r = random.Random(seed)
last = len(syl) - 1
out, written = [], 0
while True:
    parts = []
    for w in range(r.randrange(12)):
        if w > 0 or r.randrange(10) == 0:
            parts.append(sep[r.randrange(len(sep))])
        for _ in range(1 + r.randrange(3)):
            parts.append(syl[min(last, int(abs(r.gauss(0.0, 1.0)) * 4))])
    parts.append(end[r.randrange(len(end))])
    line = b"".join(parts)
    if written + len(line) > size:
        break
    out.append(line)
    written += len(line)
blob = b"".join(out)
with open(path, "wb") as f:
    f.write(blob)
counts = collections.Counter(re.findall(rb"[^ \t\r\n]+", blob))
with open(ref, "wb") as f:
    f.write(b"".join(sorted(w + b"\t" + str(n).encode() + b"\n" for w, n in counts.items())))
print(f"chaos.sh: {written} bytes, {len(counts)} distinct words, {sum(counts.values())} in all", file=sys.stderr)
PY
  mv "$input.tmp" "$input"
  mv "$reference.tmp" "$reference"
fi
bytes=$(wc -c <"$input")
distinct=$(wc -l <"$reference")
total_words=$(awk -F'\t' '{ n += $NF } END { printf "%d", n }' "$reference")
corpus_sha=$(sha256sum "$input" | cut -c1-16)

# The kill schedule, from the seed: per run a delay in ms (0-2500) and a number in [0, 1) that
# picks the victim among the executors running at that moment.
mapfile -t schedule < <(python3 -c '
import random, sys
r = random.Random(int(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    print(r.randint(0, 2500), repr(r.random()))' "$seed" "$runs")

stamp=$(date -u +%Y%m%d-%H%M%S)
tsv=$work/runs-$stamp.tsv
printf 'run\tkind\tdelay_ms\tkilled\tvictim\texecutors\trc\twall_s\toutput_ok\ttemporary_left\tsuccess_missing\torphans\tlost_line_ok\ttasks\tstages\tjob_s\treplaced\tarchive_rewritten\tnote\n' >"$tsv"

# Everything this script started, so that an interrupted run leaves nothing behind.
current_driver=
current_local=
cleanup() {
  if [[ -n $current_driver ]] && kill -0 "$current_driver" 2>/dev/null; then kill -9 "$current_driver" 2>/dev/null || true; fi
  if [[ -n $current_local ]]; then
    local p
    for p in $(pgrep -f -- "--local-dir $current_local/" || true); do kill -9 "$p" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# The driver's JVM: bin/dflow execs java, so the launcher's pid becomes the driver's; if the
# launcher ever stops exec-ing, its java child is taken.
driver_jvm() {
  local pid=$1
  if [[ $(ps -o comm= -p "$pid" 2>/dev/null) == java ]]; then echo "$pid"; return; fi
  pgrep -P "$pid" -x java | head -n 1 || true
}

failures=0
failed_runs=()
# One run: NAME KIND DELAY_MS PICK (DELAY_MS empty: no kill). Appends a row to the TSV.
one_run() {
  local name=$1 kind=$2 delay_ms=$3 pick=$4
  local out=$root/$work/out/$name local_dir=$root/$work/local/$name log=$logs/$name.log
  rm -rf "$out" "$local_dir"
  mkdir -p "$local_dir"
  local a0 t0 t1 pid jvm killed=0 victim= executors=0 rc note= waited
  a0=$(archive_stamp)
  current_local=$local_dir
  t0=$(now)
  bash "$launcher" run --master "$MASTER" --class io.dflow.examples.WordCount \
    --conf dflow.input.maxSplitBytes=$SPLIT_BYTES --conf dflow.local.dir="$local_dir" \
    "$root/examples/target/dflow-examples.jar" "$root/$input" "$out" >"$log" 2>&1 &
  pid=$!
  current_driver=$pid
  if [[ -n $delay_ms ]]; then
    # The output's _temporary appears once every executor registered and the job started.
    local deadline
    deadline=$(awk -v t="$t0" -v s="$START_TIMEOUT_S" 'BEGIN { printf "%d", t + s }')
    while [[ ! -e $out/_temporary ]] && kill -0 "$pid" 2>/dev/null && (($(date +%s) < deadline)); do
      sleep 0.02
    done
    if [[ ! -e $out/_temporary ]]; then
      note="no _temporary within ${START_TIMEOUT_S} s or before dflow exited: no kill"
    else
      sleep "$(awk -v m="$delay_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
      jvm=$(driver_jvm "$pid")
      local -a running=()
      [[ -n $jvm ]] && mapfile -t running < <(pgrep -P "$jvm" -x java || true)
      executors=${#running[@]}
      if grep -qE '^(application |job 0 stage 1 )' "$log"; then
        # its result stage is done: the application is shutting down, where a lost executor is not one to report
        note="the job had ended (its result stage or last line printed) before the kill: no kill"
      elif ((executors == 0)) || ! kill -0 "$pid" 2>/dev/null; then
        note="no executor JVM (or no driver) left to kill"
      else
        victim=${running[$(awk -v u="$pick" -v n="$executors" 'BEGIN { i = int(u * n); print (i >= n ? n - 1 : i) }')]}
        if kill -9 "$victim" 2>/dev/null; then
          killed=1
        else
          note="executor $victim was gone before the kill"
        fi
      fi
    fi
  fi
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= RUN_TIMEOUT_S * 20)); then
      kill -9 "$pid" 2>/dev/null || true
      note="${note:+$note; }dflow still ran after ${RUN_TIMEOUT_S} s: killed"
      break
    fi
    sleep 0.05
    waited=$((waited + 1))
  done
  t1=$(now)
  if wait "$pid"; then rc=0; else rc=$?; fi
  current_driver=
  local wall
  wall=$(elapsed "$t0" "$t1")

  # Executor JVMs of this run still alive: any process given a --local-dir under this run's dir.
  local -a orphans=()
  mapfile -t orphans < <(pgrep -f -- "--local-dir $local_dir/" || true)
  if ((${#orphans[@]} > 0)); then
    note="${note:+$note; }executor JVMs left alive: ${orphans[*]} (killed by chaos.sh)"
    for p in "${orphans[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  fi
  current_local=

  local output_ok=0 temporary_left=0 success_missing=0 lost_line_ok=0 last tasks= stages= job_s= replaced= rewritten=0
  if [[ -d $out ]] && find "$out" -maxdepth 1 -name 'part-*' -type f -exec cat {} + | LC_ALL=C sort | cmp -s - "$reference"; then
    output_ok=1
  fi
  [[ -e $out/_temporary ]] && temporary_left=1
  [[ -f $out/_SUCCESS ]] || success_missing=1
  last=$(tail -n 1 "$log" | tr -d '\r')
  if ((killed)); then
    [[ $last == *"; 1 executor lost, "* ]] && lost_line_ok=1
  else
    [[ $last == application*succeeded* && $last != *" lost, "* ]] && lost_line_ok=1
  fi
  if [[ $last =~ ^application\ .*\ succeeded\ in\ ([0-9.]+)\ s\ .*\ ([0-9]+)\ stages?,\ ([0-9]+)\ tasks? ]]; then
    job_s=${BASH_REMATCH[1]}
    stages=${BASH_REMATCH[2]}
    tasks=${BASH_REMATCH[3]}
  fi
  [[ $last =~ \ lost,\ ([0-9]+)\ replaced ]] && replaced=${BASH_REMATCH[1]}
  [[ $(archive_stamp) != "$a0" ]] && rewritten=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$delay_ms" "$killed" \
    "$victim" "$executors" "$rc" "$wall" "$output_ok" "$temporary_left" "$success_missing" "${#orphans[@]}" \
    "$lost_line_ok" "$tasks" "$stages" "$job_s" "$replaced" "$rewritten" "$note" >>"$tsv"

  local bad=()
  ((rc == 0)) || bad+=("exit $rc")
  ((output_ok)) || bad+=("output differs from the reference")
  ((temporary_left == 0)) || bad+=("_temporary left")
  ((success_missing == 0)) || bad+=("_SUCCESS missing")
  ((${#orphans[@]} == 0)) || bad+=("${#orphans[@]} executor JVMs left alive")
  if ((lost_line_ok == 0)); then
    if ((killed)); then bad+=("last line lacks '1 executor lost'"); else bad+=("last line is not a clean success"); fi
  fi
  local what="kill: none"
  ((killed)) && what="killed 1 of $executors executors after ${delay_ms} ms"
  [[ -n $note ]] && what+=" ($note)"
  if ((${#bad[@]} > 0)); then
    failures=$((failures + 1))
    failed_runs+=("$name")
    {
      echo "chaos.sh: $name FAILED: $(IFS=';'; echo "${bad[*]}") — $what; wall $wall s; log $log, output $out"
      echo "--- tail of $log:"
      tail -n 25 "$log" | tr '\r' '\n'
      echo "---"
    } >&2
  else
    echo "chaos.sh: $name ok: $what; wall $wall s; ${tasks:-?} tasks, ${stages:-?} stages" >&2
    rm -rf "$out" "$local_dir"
  fi
  if [[ $kind == baseline && $rewritten == 1 ]]; then return 3; fi
  return 0
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
jars_before=$(cat driver/target/lib/*.jar examples/target/dflow-examples.jar | sha256sum | cut -c1-16)
for ((b = 1; b <= BASELINE_RUNS; b++)); do
  if ! one_run "baseline-$b" baseline "" ""; then
    # The launcher rewrote its class-data archive (jars newer than it) during this run: no measurement.
    echo "chaos.sh: the launcher rewrote its class-data archive during baseline-$b: repeating it" >&2
    one_run "baseline-$b" baseline "" "" || die "the launcher rewrote its archive twice in a row (are the jars being rebuilt?)"
  fi
done
for ((i = 1; i <= runs; i++)); do
  read -r delay pick <<<"${schedule[i - 1]}"
  one_run "run-$i" chaos "$delay" "$pick" || true
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
jars_after=$(cat driver/target/lib/*.jar examples/target/dflow-examples.jar | sha256sum | cut -c1-16)
jars_note=
[[ $jars_after == "$jars_before" ]] || jars_note="the dflow jars changed during the runs (rebuilt by someone else): not every run tested the same build"

machine="$(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory, $(java -version 2>&1 | head -n 1)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git status --porcelain 2>/dev/null | head -n 1) ]]; then commit="$commit with uncommitted changes"; fi

CHAOS_TSV=$tsv CHAOS_RESULTS=$results CHAOS_COMMAND=$command_line CHAOS_COMMIT=$commit CHAOS_MACHINE=$machine \
CHAOS_RUNS=$runs CHAOS_SEED=$seed CHAOS_INPUT=$input CHAOS_BYTES=$bytes CHAOS_DISTINCT=$distinct \
CHAOS_WORDS=$total_words CHAOS_SHA=$corpus_sha CHAOS_MASTER=$MASTER CHAOS_SPLIT=$SPLIT_BYTES \
CHAOS_LOAD="$load_start (start), $load_end (end)" CHAOS_JARS_NOTE=$jars_note CHAOS_BASELINES=$BASELINE_RUNS \
PYTHONPATH=bench/src python3 - <<'PY'
import csv
import datetime
import os
import sys

from benchtable import fmt, med, replace_section

e = os.environ
with open(e["CHAOS_TSV"]) as f:
    rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
base = [r for r in rows if r["kind"] == "baseline" and r["archive_rewritten"] == "0"]
chaos = [r for r in rows if r["kind"] == "chaos"]
killed = [r for r in chaos if r["killed"] == "1"]
failed = lambda r: (r["rc"] != "0" or r["output_ok"] != "1" or r["temporary_left"] != "0"
                    or r["success_missing"] != "0" or r["orphans"] != "0" or r["lost_line_ok"] != "1")
count = lambda rs, p: sum(1 for r in rs if p(r))
fl = lambda r, k: float(r[k]) if r[k] not in ("", None) else None
base_wall = med(fl(r, "wall_s") for r in base)
timed = [r for r in killed if r["archive_rewritten"] == "0"]
dist_wall = med(fl(r, "wall_s") for r in timed)
slow = med(fl(r, "wall_s") / base_wall for r in timed) if base_wall and timed else None
base_tasks = med(int(r["tasks"]) for r in base if r["tasks"])
base_stages = med(int(r["stages"]) for r in base if r["stages"])
extra = [int(r["tasks"]) - base_tasks for r in killed if r["tasks"] and base_tasks is not None]
extra_stages = [int(r["stages"]) - base_stages for r in killed if r["stages"] and base_stages is not None]
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
all_runs = base + chaos
nfail = count(all_runs, failed)
lines = [
    "## Chaos: WordCount on local-cluster[3,1] with one executor JVM SIGKILLed per run",
    "",
    f"- run: {when} by `{e['CHAOS_COMMAND']}` (commit {e['CHAOS_COMMIT']}); seed {e['CHAOS_SEED']}",
    f"- machine: {e['CHAOS_MACHINE']}; load average (1, 5, 15 min) {e['CHAOS_LOAD']}",
    f"- job: `bin/dflow run --master '{e['CHAOS_MASTER']}' --class io.dflow.examples.WordCount --conf "
    f"dflow.input.maxSplitBytes={e['CHAOS_SPLIT']} --conf dflow.local.dir=<fresh dir> "
    "examples/target/dflow-examples.jar <corpus> <fresh out>` (bin/dflow without its rebuild step)",
    f"- input: `{e['CHAOS_INPUT']}`, {int(e['CHAOS_BYTES']):,} bytes (sha256 {e['CHAOS_SHA']}…), "
    f"{int(e['CHAOS_DISTINCT']):,} distinct words, {int(e['CHAOS_WORDS']):,} in all; lines in the style of "
    "the test's `Corpus.write` (multibyte UTF-8, tabs, CRLF, empty lines)",
    "- per run: wait for `<out>/_temporary` (every executor registered, the job started), sleep 0–2.5 s, "
    "`kill -9` one of the driver JVM's child java processes, chosen at random; then checked: exit 0, the "
    "sorted `word<TAB>count` lines equal to a reference counted by Python (runs of bytes other than space, "
    "tab, CR, LF), no `_temporary`, `_SUCCESS` present, no executor JVM of the run alive after the driver "
    "exits, and a last line with `; 1 executor lost, ` (with no kill: a plain `succeeded` line)",
    f"- {e['CHAOS_BASELINES']} undisturbed runs of the same job first, for the baseline wall time; wall "
    "times are whole-process seconds (JVM start to exit), polled at 50 ms",
]
if int(e["CHAOS_RUNS"]) != 100:
    lines.append(f"- this run had {e['CHAOS_RUNS']} runs with a kill; `bench/chaos.sh` defaults to 100 (`--runs`)")
if e.get("CHAOS_JARS_NOTE"):
    lines.append(f"- note: {e['CHAOS_JARS_NOTE']}")
rewritten = count(rows, lambda r: r["archive_rewritten"] == "1")
if rewritten:
    lines.append(f"- {rewritten} run(s) during which the launcher rewrote its class-data archive are left out of the wall medians")
lines += [
    "",
    "| | |",
    "|---|---:|",
    f"| runs (with a kill attempted) | {len(chaos)} |",
    f"| kills done (an executor SIGKILLed while the job ran) | {len(killed)} |",
    f"| runs that passed every check | {len(chaos) - count(chaos, failed)} of {len(chaos)} |",
    f"| exit code not 0 | {count(chaos, lambda r: r['rc'] != '0')} |",
    f"| wrong outputs | {count(chaos, lambda r: r['output_ok'] != '1')} |",
    f"| leftover `_temporary` | {count(chaos, lambda r: r['temporary_left'] != '0')} |",
    f"| missing `_SUCCESS` | {count(chaos, lambda r: r['success_missing'] != '0')} |",
    f"| orphan executor JVMs (runs with any) | {count(chaos, lambda r: r['orphans'] != '0')} |",
    f"| last line without `1 executor lost` after a kill | {count(killed, lambda r: r['lost_line_ok'] != '1')} |",
    f"| baseline runs that failed a check | {count(base, failed)} of {len(base)} |",
    f"| baseline median wall | {fmt(base_wall, 2)} s ({', '.join(fmt(fl(r, 'wall_s'), 2) for r in base)}) |",
    f"| disturbed median wall (runs with a kill) | {fmt(dist_wall, 2)} s |",
    f"| job seconds dflow reported (its last line), median: baseline, disturbed | "
    f"{fmt(med(fl(r, 'job_s') for r in base), 2)} s, {fmt(med(fl(r, 'job_s') for r in timed), 2)} s |",
    f"| median slowdown, disturbed / baseline median | {fmt(slow, 2)}× |",
]
if extra:
    lines.append(f"| tasks recomputed per killed run (tasks run − baseline's {base_tasks}): median, max | "
                 f"{fmt(med(extra), 1)}, {max(extra)} |")
    lines.append(f"| stage attempts added per killed run: median, max | {fmt(med(extra_stages), 1)}, {max(extra_stages)} |")
teardown = lambda rs: med(fl(r, "wall_s") - fl(r, "job_s") for r in rs if r["job_s"])
repl = [r for r in killed if r["replaced"] not in ("", "0")]
unrepl = [r for r in killed if r["replaced"] == "0"]
untimed = lambda rs: [r for r in rs if r["archive_rewritten"] == "0"]
lines.append(f"| kills whose replacement executor registered before the job ended | {len(repl)} of {len(killed)} |")
lines.append(f"| median wall − job seconds (JVM start-up and teardown): baseline; kill, replaced; kill, not replaced | "
             f"{fmt(teardown(base), 2)} s; {fmt(teardown(untimed(repl)), 2)} s; {fmt(teardown(untimed(unrepl)), 2)} s |")
notes = [r for r in chaos if r["note"]]
lines += ["", f"Seed {e['CHAOS_SEED']}: `bench/chaos.sh --runs {e['CHAOS_RUNS']} --seed {e['CHAOS_SEED']}` "
          "repeats the schedule of delays and victims (not the timing of the job under it)."]
if notes:
    lines.append("Runs without a kill or with a remark: " + "; ".join(f"{r['run']}: {r['note']}" for r in notes) + ".")
bad = [r for r in all_runs if failed(r)]
if bad:
    lines.append("Failed runs (logs in `bench/work/chaos/logs/`): " + ", ".join(
        f"{r['run']} (exit {r['rc']}, output {'ok' if r['output_ok'] == '1' else 'wrong'}, "
        f"_temporary {'left' if r['temporary_left'] == '1' else 'gone'}, "
        f"_SUCCESS {'missing' if r['success_missing'] == '1' else 'present'}, orphans {r['orphans']}, "
        f"last line {'ok' if r['lost_line_ok'] == '1' else 'wrong'}, "
        + (f"killed 1 of {r['executors']} executors after {r['delay_ms']} ms)" if r["killed"] == "1"
           else "no kill)")
        for r in bad) + ".")
else:
    lines.append("Every run passed every check.")
lines.append("")
path = e["CHAOS_RESULTS"]
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
with open(path, "w") as f:
    f.write(replace_section(text, "chaos.sh", "wordcount", lines))
print(f"chaos.sh: {len(chaos)} runs, {len(killed)} kills, {len(chaos) - count(chaos, failed)} passed; "
      f"baseline {fmt(base_wall, 2)} s, disturbed {fmt(dist_wall, 2)} s, slowdown {fmt(slow, 2)}x", file=sys.stderr)
PY
echo "chaos.sh: seed $seed; per-run figures: $tsv; section written to $results" >&2
if ((failures > 0)); then
  die "$failures run(s) failed a check: ${failed_runs[*]}"
fi
