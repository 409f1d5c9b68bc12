#!/usr/bin/env bash
# dflow shell: how long a script takes from `bin/dflow shell -f` to its first result (JVM,
# application, executors and JShell started), and the first and the second action over a cached
# dataset in one shell (the second reads the executors' cached partitions). Times inside the
# shell come from System.nanoTime around each action; the start-up figure is the whole process.
# Usage: bench/shell.sh [--master local-cluster[2,2]] [--size 64M] [--reps 3]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

master='local-cluster[2,2]'
size=64M
reps=3
while (($#)); do
  case $1 in
    --master) master=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    *) echo "usage: bench/shell.sh [--master M] [--size 64M] [--reps N]" >&2; exit 2 ;;
  esac
done

work=bench/work/shell
mkdir -p "$work" bench/data
input=bench/data/corpus-$size-seed1.txt
if [[ ! -f $input ]]; then
  javac -d "$work/classes" bench/src/GenCorpus.java
  java -cp "$work/classes" GenCorpus "$size" "$input.tmp" 1
  mv "$input.tmp" "$input"
fi

cat >"$work/first.jsh" <<'JSH'
System.out.println("first result " + ctx.parallelize(List.of(1, 2, 3), Encoders.ints(), 2).count());
JSH
cat >"$work/cached.jsh" <<JSH
var words = ctx.textFile("$input").flatMap(l -> Arrays.asList(l.split(" ")).iterator(), Encoders.strings()).cache();
long t0 = System.nanoTime();
long n1 = words.count();
long t1 = System.nanoTime();
long n2 = words.count();
long t2 = System.nanoTime();
System.out.printf("cached first %.2f s, second %.2f s (%d words, %d again)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, n1, n2);
JSH

bin/dflow shell --master "$master" -f "$work/first.jsh" >/dev/null 2>&1  # untimed: builds if needed
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); master $master; corpus $size"
for ((i = 1; i <= reps; i++)); do
  start=$(date +%s.%N)
  bin/dflow shell --master "$master" -f "$work/first.jsh" 2>/dev/null | grep -q "first result 3"
  end=$(date +%s.%N)
  printf 'rep %d: start-up to first result %.2f s; ' "$i" "$(echo "$end - $start" | bc)"
  bin/dflow shell --master "$master" -f "$work/cached.jsh" 2>/dev/null | grep "^cached"
done
