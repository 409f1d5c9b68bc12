#!/usr/bin/env bash
# Shuffle bytes per core: the JMH microbenchmarks of bench/jmh (map output write, segment
# decode, fetch over the authenticated loopback transport, and memcpy as the reference), each
# on one benchmark thread, reported in GB/s of raw payload. Builds bench/jmh against the dflow
# jars installed in the local Maven repository and writes its section of bench/RESULTS.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/jmh.sh [--quick] [--warmup 3] [--iterations 5] [--time 2] [--forks 1]
                    [--mib 32] [--codecs NONE,LZ4] [--only REGEX] [--dir DIR] [--tree]
                    [--jfr FILE]
  --quick       a smoke run: 1 warm-up and 1 measured iteration of 1 s
  --warmup      warm-up iterations per benchmark
  --iterations  measured iterations per benchmark
  --time        seconds per iteration (warm-up and measured)
  --forks       forked JVMs per benchmark
  --mib         working set of each benchmark in MiB of raw payload (default: the benchmarks' 32)
  --codecs      codecs of the write, decode and fetch benchmarks (NONE, LZ4, ZSTD; default NONE,LZ4)
  --only        run only the benchmarks matching this JMH regular expression (e.g. 'Fetch|Memcpy')
  --dir         where the benchmarks' files go (default: the JVM's temporary directory, /tmp);
                it should be on a local file system with room for a few hundred MiB
  --tree        measure the work tree's compiled classes (<module>/target/classes, built by
                mvn -o -q -pl executor -am compile) instead of the jars installed in the local
                Maven repository
  --jfr FILE    record a JFR profile of the forked benchmark JVM into FILE (one benchmark at a
                time, so use it with --only)
USAGE
}

warmup=3
iterations=5
time_s=2
forks=1
mib=
codecs=
only=
dir=
quick=
tree=
jfr=
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=1; warmup=1; iterations=1; time_s=1; shift ;;
    --warmup) warmup=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --time) time_s=$2; shift 2 ;;
    --forks) forks=$2; shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    --codecs) codecs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --tree) tree=1; shift ;;
    --jfr) jfr=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ -n $quick ]]; then
  command_line="bench/jmh.sh --quick"
else
  command_line="bench/jmh.sh --warmup $warmup --iterations $iterations --time $time_s --forks $forks"
fi
command_line+="${mib:+ --mib $mib}${codecs:+ --codecs $codecs}${only:+ --only '$only'}${dir:+ --dir <dir>}${tree:+ --tree}"

if [[ -n $dir ]]; then mkdir -p "$dir" && dir=$(cd "$dir" && pwd); fi
if [[ -n $jfr ]]; then jfr=$(cd "$(dirname "$jfr")" && pwd)/$(basename "$jfr"); fi
cd "$(dirname "$0")/.."
work=bench/work/jmh
mkdir -p "$work"
die() { echo "jmh.sh: $*" >&2; exit 1; }

# Offline when everything is in the local repository already; JMH itself comes from Maven
# Central on first use.
echo "building bench/jmh" >&2
mvn -q -B -o -f bench/jmh/pom.xml package >"$work/build.log" 2>&1 \
  || mvn -q -B -f bench/jmh/pom.xml package >"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log" >&2
       die "bench/jmh does not build; are the dflow jars installed (mvn -B -DskipTests install)?"; }
cp_file=bench/jmh/target/cp.txt
[[ -s $cp_file ]] || die "no $cp_file after the build"

# The figures are of the installed jars (or, with --tree, of the work tree's classes): say when
# they are older than the work tree's sources.
jar_date=
stale=()
tree_cp=()
for jar in $(tr ':' '\n' <"$cp_file"); do
  if [[ $jar =~ /dflow-[a-z-]*-[^/]*\.jar$ ]]; then
    module=$(basename "$jar" | sed -E 's/^dflow-(.*)-[0-9][^-]*(-SNAPSHOT)?\.jar$/\1/')
    built=$jar
    if [[ -n $tree ]]; then
      [[ -d $module/target/classes ]] || die "--tree: no $module/target/classes (build it: mvn -o -q -pl $module -am compile)"
      jar=$PWD/$module/target/classes
      # a folder's own time changes only when entries come or go: its newest file says when it was built
      built=$(find "$module/target/classes" -type f -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
      [[ -n $built ]] || die "--tree: $module/target/classes is empty"
    fi
    [[ $module == executor ]] && jar_date=$(date -u -r "$built" '+%Y-%m-%d %H:%M')
    if [[ -d $module/src/main ]] && [[ -n $(find "$module/src/main" -type f -newer "$built" -print -quit) ]]; then
      stale+=("$module")
    fi
  fi
  tree_cp+=("$jar")
done
if ((${#stale[@]} > 0)); then
  echo "jmh.sh: warning: the measured dflow classes are older than the sources of: ${stale[*]}" \
    "(rebuild them to measure the work tree)" >&2
fi

args=(-wi "$warmup" -i "$iterations" -w "${time_s}s" -r "${time_s}s" -f "$forks")
[[ -n $mib ]] && args+=(-p "mib=$mib")
[[ -n $codecs ]] && args+=(-p "codec=$codecs")
stamp=$(date -u +%Y%m%d-%H%M%S)
json=$work/jmh-$stamp.json
log=$work/jmh-$stamp.log
load=$(cut -d' ' -f1-3 /proc/loadavg)
classpath="bench/jmh/target/classes:$(IFS=:; echo "${tree_cp[*]}")"
[[ -n $jfr ]] && args+=(-jvmArgsPrepend "-XX:StartFlightRecording=filename=$jfr,settings=profile")
# The forked JVMs inherit DFLOW_BENCH_DIR; without it they use java.io.tmpdir.
DFLOW_BENCH_DIR=${dir:-} java -cp "$classpath" org.openjdk.jmh.Main "${only:-io.dflow.bench.jmh.}" \
  "${args[@]}" -rf json -rff "$json" 2>&1 | tee "$log"
[[ -s $json ]] || die "JMH wrote no results (log: $log)"
grep -q '"benchmark"' "$json" || die "JMH ran no benchmark (log: $log)"

machine="$(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory, $(java -version 2>&1 | head -n 1)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git status --porcelain 2>/dev/null | head -n 1) ]]; then commit="$commit (with uncommitted changes)"; fi
scratch=${dir:-$(java -XshowSettings:properties -version 2>&1 | sed -nE 's/^ *java.io.tmpdir = //p')}
fs=$(df -P -T "$scratch" 2>/dev/null | awk 'NR == 2 { print $2 }')
where=$([[ -n $dir ]] && echo "the folder given by --dir" || echo "$scratch")
note=
((${#stale[@]} > 0)) && note="; **older than the work tree's sources of ${stale[*]}**"
section=$work/section.md
{
  echo "## Shuffle bytes per core (JMH)"
  echo
  echo "- run: $(date -u '+%Y-%m-%d %H:%M') UTC by \`$command_line\` (commit $commit; load average before: $load)"
  [[ -n $quick ]] && echo "- **a smoke run**: iterations of 1 s with the JIT still at work; the figures only show that everything runs"
  echo "- machine: $machine"
  if [[ -n $tree ]]; then
    echo "- dflow: the work tree's compiled classes (\`<module>/target/classes\`; executor built ${jar_date:-?} UTC)$note"
  else
    echo "- dflow: the jars installed in the local Maven repository (dflow-executor built ${jar_date:-?} UTC)$note"
  fi
  echo "- files: under $where (${fs:-?}), page-cache resident"
  echo "- each benchmark runs on one thread and handles a working set of ${mib:-32} MiB of raw payload per operation:"
  echo "  \`Pair<Long, byte[]>\` records with random keys and random (incompressible) values, raw bytes being"
  echo "  the 8-byte key plus the value (for *fetch*, the segment's bytes). *write*: \`ShuffleFileWriter\`, 8"
  echo "  partitions, data file and index, new files every operation; *decode*: \`SegmentReader\` over every"
  echo "  segment of such a file, every record iterated; *fetch*: one executor's \`NetworkFetcher\` fetching"
  echo "  one segment from another's \`TransportServer\` over an authenticated loopback connection (default"
  echo "  transport settings, both in one JVM); *memcpy*: \`System.arraycopy\` of the working set into another array"
  echo "  in value-sized pieces, and whole"
  echo "- **GB/s per core** = raw bytes / CPU seconds of the whole benchmark JVM (every thread: GC, and for"
  echo "  fetch both ends' transport I/O threads); *GB/s, wall* = raw bytes / wall seconds; *cores busy* ="
  echo "  CPU seconds / wall second; *stored / raw* = file or wire bytes per raw byte; *vs memcpy* compares GB/s"
  echo "  per core with memcpy of the same value size. GB = 10^9 bytes."
  echo
  python3 bench/jmh/jmh_results.py "$json"
} >"$section"
python3 bench/src/benchtable.py jmh.sh throughput "$section" bench/RESULTS.md
echo "raw results: $json, log: $log; section written to bench/RESULTS.md" >&2
