#!/usr/bin/env bash
# Runs dflow's WordCount and TinyTasks against their hand-written floors and records the
# results in bench/RESULTS.md. See bench/README.md for what is measured and why.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/run.sh [--sizes 256M,1G] [--reps 5] [--tiny-n 3000] [--seed 1] [--master local[2]] [--warm SIZE]
  --sizes   word-count corpus sizes (generated once under bench/data/)
  --reps    timed repetitions per benchmark; the order of the contestants alternates per rep
  --tiny-n  TinyTasks' n
  --seed    corpus seed
  --master  what dflow runs on
  --warm    also run WordCount 3 times in one session on the SIZE corpus, beside the 2-thread
            floor: separates the first job's warm-up from the steady state
USAGE
}

sizes=256M,1G
reps=5
tiny_n=3000
seed=1
master='local[2]'
warm=
while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tiny-n) tiny_n=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --master) master=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
command_line="bench/run.sh --sizes $sizes --reps $reps --tiny-n $tiny_n --seed $seed --master $master${warm:+ --warm $warm}"

cd "$(dirname "$0")/.."
root=$PWD
examples_jar=examples/target/dflow-examples.jar
dflow=bin/dflow
data=bench/data
work=bench/work
classes=$work/classes
mkdir -p "$data" "$work/logs" "$work/out" "$classes"

die() { echo "run.sh: $*" >&2; exit 1; }

if [[ ! -f $examples_jar ]] || ! compgen -G 'driver/target/lib/dflow-driver*.jar' >/dev/null; then
  echo "building (mvn -B -q -DskipTests package)..." >&2
  mvn -B -q -DskipTests package
fi
[[ -x $dflow ]] || die "$dflow is missing or not executable"
# Compiled once here so that no run pays the source launcher's in-memory compilation.
javac -d "$classes" -cp "$examples_jar" bench/src/GenCorpus.java bench/src/WordCountFloor.java bench/src/TinyTasksFloor.java
floor_cp=$examples_jar:$classes

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'bench\tparam\trep\tvariant\twall_s\tinner_s\tinput_bytes\n' >"$times"

# run_timed LOG CMD...: runs CMD with stdout/stderr in LOG.out/LOG.err, sets ELAPSED (seconds).
run_timed() {
  local log=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  if ! "$@" >"$log.out" 2>"$log.err"; then
    echo "run.sh: failed: $*" >&2
    tail -n 20 "$log.err" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

# run_dflow LOG ARGS...: a timed `bin/dflow run ARGS...`. The launcher rebuilds the project when
# sources changed since its last build; a run that did so is not a measurement and is repeated.
run_dflow() {
  local log=$1
  shift
  run_timed "$log" "$dflow" run "$@"
  if grep -q '^dflow: building' "$log.err"; then
    run_timed "$log" "$dflow" run "$@"
  fi
}

# The seconds an application reported in its final stderr line: "application <id> succeeded in <s> s (...)".
job_seconds() {
  local s
  s=$(sed -nE 's/^application [^ ]+ succeeded in ([0-9.]+) s.*/\1/p' "$1.err" | tail -n 1)
  [[ -n $s ]] || die "no 'application … succeeded in … s' line in $1.err"
  echo "$s"
}

# The lines of a dflow output folder (part files; _SUCCESS and hidden files skipped), sorted.
sorted_output() {
  find "$1" -type f ! -name '_*' ! -name '.*' -exec cat {} + | LC_ALL=C sort
}

order_for_rep() {  # alternates the order of the contestants from one rep to the next
  local rep=$1
  shift
  if ((rep % 2)); then echo "$@"; else echo "$@" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }'; fi
}

# Untimed: lets bin/dflow do any rebuild it wants now, and fails early if dflow cannot run at all.
run_timed "$work/logs/warm-up" "$dflow" run --master "$master" --class io.dflow.examples.TinyTasks "$examples_jar" 0

for size in ${sizes//,/ }; do
  input=$data/corpus-$size-seed$seed.txt
  if [[ ! -f $input ]]; then
    java -cp "$classes" GenCorpus "$size" "$input.tmp" "$seed"
    mv "$input.tmp" "$input"
  fi
  bytes=$(wc -c <"$input")
  out=$work/out/wordcount-$size
  for ((rep = 1; rep <= reps; rep++)); do
    for variant in $(order_for_rep "$rep" dflow floor1 floor2); do
      log=$work/logs/wordcount-$size-$variant
      cat "$input" >/dev/null
      inner=
      case $variant in
        dflow)
          run_dflow "$log" --master "$master" --class io.dflow.examples.WordCount \
            --overwrite "$examples_jar" "$root/$input" "$root/$out-dflow"
          inner=$(job_seconds "$log") ;;
        floor1) run_timed "$log" java -cp "$floor_cp" WordCountFloor 1 "$input" "$out-floor1.txt" ;;
        floor2) run_timed "$log" java -cp "$floor_cp" WordCountFloor 2 "$input" "$out-floor2.txt" ;;
      esac
      printf 'wordcount\t%s\t%d\t%s\t%s\t%s\t%s\n' "$size" "$rep" "$variant" "$ELAPSED" "$inner" "$bytes" >>"$times"
      echo "wordcount $size rep $rep $variant: $ELAPSED s" >&2
    done
    if ((rep == 1)); then
      sorted_output "$out-dflow" >"$out-dflow.sorted"
      for floor in floor1 floor2; do
        LC_ALL=C sort "$out-$floor.txt" | cmp -s - "$out-dflow.sorted" \
          || die "dflow's word counts differ from $floor's for $input ($out-dflow vs $out-$floor.txt)"
      done
      echo "wordcount $size: dflow's output equals the floors' output" >&2
    fi
  done
done

for ((rep = 1; rep <= reps; rep++)); do
  for variant in $(order_for_rep "$rep" dflow dflow0 dflowwarm floor); do
    log=$work/logs/tinytasks-$variant
    case $variant in
      dflow)
        run_dflow "$log" --master "$master" --class io.dflow.examples.TinyTasks "$examples_jar" "$tiny_n"
        inner=$(job_seconds "$log") ;;
      dflow0)
        run_dflow "$log" --master "$master" --class io.dflow.examples.TinyTasks "$examples_jar" 0
        inner=$(job_seconds "$log") ;;
      dflowwarm)
        # The same job 10 times in one session; the median of runs 2-10 is a job's cost once the
        # JVM is past start-up (run 1 pays for class loading and compilation).
        run_dflow "$log" --master "$master" --class io.dflow.examples.TinyTasks "$examples_jar" "$tiny_n" 10
        inner=$(sed -nE 's/^TinyTasks run ([0-9]+): ([0-9.]+) ms$/\1 \2/p' "$log.err" \
          | awk '$1 > 1 { print $2 / 1000 }' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
        [[ -n $inner ]] || die "no 'TinyTasks run k: … ms' lines in $log.err" ;;
      floor)
        run_timed "$log" java -cp "$floor_cp" TinyTasksFloor "$tiny_n"
        inner=$(sed -nE 's/^floor: serial loop ([0-9.]+) s/\1/p' "$log.err") ;;
    esac
    printf 'tinytasks\t%s\t%d\t%s\t%s\t%s\t\n' "$tiny_n" "$rep" "$variant" "$ELAPSED" "$inner" >>"$times"
    echo "tinytasks $tiny_n rep $rep $variant: $ELAPSED s" >&2
  done
  if ((rep == 1)); then
    expected=$(cat "$work/logs/tinytasks-floor.out")
    grep -qxF "$expected" "$work/logs/tinytasks-dflow.out" \
      || die "TinyTasks did not print '$expected' (see $work/logs/tinytasks-dflow.out)"
  fi
done

if [[ -n $warm ]]; then
  # A job jar of WordCountRepeat and the example classes it calls.
  warm_classes=$work/warm-classes
  rm -rf "$warm_classes" && mkdir -p "$warm_classes"
  javac -d "$warm_classes" -cp "$(ls api/target/dflow-api-*.jar | head -n 1):$examples_jar" bench/src/WordCountRepeat.java
  (cd "$warm_classes" && jar xf "$root/$examples_jar" io)
  warm_jar=$work/wordcount-repeat.jar
  jar cf "$warm_jar" -C "$warm_classes" .
  input=$data/corpus-$warm-seed$seed.txt
  [[ -f $input ]] || die "no corpus $input: include $warm in --sizes"
  for ((rep = 1; rep <= reps; rep++)); do
    for variant in $(order_for_rep "$rep" dflow floor2); do
      log=$work/logs/wordcount-warm-$warm-$variant
      cat "$input" >/dev/null
      case $variant in
        dflow)
          rm -rf "$work/out/warm-$warm"-*
          run_dflow "$log" --master "$master" --class WordCountRepeat "$warm_jar" "$root/$input" "$root/$work/out/warm-$warm" 3
          for run in 1 2 3; do
            secs=$(sed -nE "s/^WordCount run $run: ([0-9.]+) s$/\1/p" "$log.err")
            [[ -n $secs ]] || die "no 'WordCount run $run' line in $log.err"
            printf 'wordcount-warm\t%s\t%d\trun%d\t%s\t%s\t\n' "$warm" "$rep" "$run" "$ELAPSED" "$secs" >>"$times"
          done ;;
        floor2)
          run_timed "$log" java -cp "$floor_cp" WordCountFloor 2 "$input" "$work/out/warm-$warm-floor2.txt"
          printf 'wordcount-warm\t%s\t%d\tfloor2\t%s\t\t\n' "$warm" "$rep" "$ELAPSED" >>"$times" ;;
      esac
      echo "wordcount-warm $warm rep $rep $variant: $ELAPSED s" >&2
    done
  done
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git status --porcelain 2>/dev/null | head -n 1) ]]; then commit="$commit (with uncommitted changes)"; fi
python3 bench/src/results.py --times "$times" --results bench/RESULTS.md \
  --command "$command_line" --commit "$commit" \
  --cpus "$(nproc)" \
  --cpu-model "$(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)" \
  --memory "$(free -h | awk '/^Mem:/ { print $2 }')" \
  --java "$(java -version 2>&1 | head -n 1)"
echo "raw times: $times; summary written to bench/RESULTS.md" >&2
