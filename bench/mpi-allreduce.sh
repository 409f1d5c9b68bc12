#!/usr/bin/env bash
# allReduce latency: NativeCommunicator.allReduce(double[], double[], SUM) against the same
# loop in C (bench/src/mpi/allreduce.c, MPI_Allreduce), for each rank count and array size.
# Four contestants, run one after the other in each rep, in reverse order on even reps:
#   c             the C loop after MPI_Init (MPI_THREAD_SINGLE): the floor
#   java          NativeCommunicator as shipped (MPI_THREAD_SERIALIZED)
#   c-serialized  the C loop at the shim's thread level, MPI_THREAD_SERIALIZED
#   java-single   NativeCommunicator with -Ddflow.mpi.threadLevel=single
# (Open MPI locks its internals at any thread level above single, which alone costs small
# collectives about a quarter.) Prints the machine, the median time per call of each, and
# the ratios of the medians and the medians of the per-rep ratios. Raw figures go to
# bench/work/mpi/.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/mpi-allreduce.sh [--ranks "2 4"] [--sizes "8 1048576"] [--reps 5]
  --ranks  rank counts to run (mpirun -n); ranks may outnumber cores
  --sizes  doubles per allReduce
  --reps   runs of each contestant per rank count and size
USAGE
}

ranks="2 4"
sizes="8 1048576"
reps=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --ranks) ranks=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
command_line="bench/mpi-allreduce.sh --ranks \"$ranks\" --sizes \"$sizes\" --reps $reps"

cd "$(dirname "$0")/.."
work=bench/work/mpi
mkdir -p "$work/classes" "$work/logs"
die() { echo "mpi-allreduce.sh: $*" >&2; exit 1; }
command -v mpicc >/dev/null && command -v mpirun >/dev/null \
  || die "needs Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev)"

shim=$(ls executor/target/classes/native/linux-*/libdflowmpi.so 2>/dev/null | head -n 1 || true)
if [[ -z $shim || ! -f api/target/classes/io/dflow/api/mpi/Communicator.class ]]; then
  echo "building api and executor..." >&2
  mvn -B -q -DskipTests install -pl api,executor -am >&2
fi
classpath=executor/target/classes:api/target/classes:$work/classes
mpicc -O2 -o "$work/allreduce" bench/src/mpi/allreduce.c
mpicc -O2 -DTHREAD_LEVEL=MPI_THREAD_SERIALIZED -o "$work/allreduce-serialized" bench/src/mpi/allreduce.c
javac -d "$work/classes" -cp "$classpath" bench/src/mpi/AllReduceBench.java

# As in the tests: loopback only; ranks may outnumber the cores; ob1 directly (Open MPI
# otherwise spends ~0.2 s of every start probing for PSM hardware first).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo
  --mca oob_tcp_if_include lo --mca pml ob1)
# rank JVMs: class-data sharing, and the serial collector (no GC threads to compete for cores)
java=(java -Xshare:auto -XX:+UseSerialGC -Xmx1g -cp "$classpath")
contestants=(c java c-serialized java-single)

# calls per round and rounds (one more, untimed, comes first): ~0.1 s a round here
iterations() {
  if (($1 <= 1024)); then echo "40000 9"; elif (($1 <= 65536)); then echo "2000 9"; else echo "16 9"; fi
}

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'ranks\tdoubles\trep\tcontestant\tmicros\n' >"$times"

run() {  # CONTESTANT RANKS DOUBLES REP
  local log=$work/logs/$1-$2-$3-$4 program
  case $1 in
    c) program=("$work/allreduce") ;;
    c-serialized) program=("$work/allreduce-serialized") ;;
    java) program=("${java[@]}" AllReduceBench) ;;
    java-single) program=("${java[@]}" -Ddflow.mpi.threadLevel=single AllReduceBench) ;;
  esac
  # shellcheck disable=SC2046
  "${mpirun[@]}" -n "$2" "${program[@]}" "$3" $(iterations "$3") >"$log.out" 2>"$log.err" \
    || { tail -n 20 "$log.err" >&2; die "$1 failed with $2 ranks, $3 doubles"; }
  local micros
  micros=$(awk '$1 == "allreduce" { print $5 }' "$log.out")
  [[ -n $micros ]] || die "no result in $log.out"
  printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$1" "$micros" >>"$times"
  echo "$2 ranks, $3 doubles, rep $4, $1: $micros us" >&2
}

for n in $ranks; do
  for size in $sizes; do
    for ((rep = 1; rep <= reps; rep++)); do
      order=("${contestants[@]}")
      if ((rep % 2 == 0)); then order=(java-single c-serialized java c); fi
      for c in "${order[@]}"; do run "$c" "$n" "$size" "$rep"; done
    done
  done
done

echo
echo "machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory"
echo "java: $(java -version 2>&1 | head -n 2 | tail -n 1)"
echo "mpi: $(mpirun --version 2>&1 | head -n 1)"
echo "run: $(date -u '+%Y-%m-%d %H:%M') UTC by $command_line"
echo
python3 - "$times" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
keys = sorted({(int(r['ranks']), int(r['doubles'])) for r in rows})
pairs = [('java', 'c'), ('java', 'c-serialized'), ('java-single', 'c')]
print('| ranks | doubles | c | java | c-serialized | java-single | '
      + ' | '.join(f'{a} / {b}' for a, b in pairs) + ' |')
print('|---:|---:|---:|---:|---:|---:|' + '---:|' * len(pairs))
for ranks, doubles in keys:
    def of(c):
        return {r['rep']: float(r['micros']) for r in rows if int(r['ranks']) == ranks
                and int(r['doubles']) == doubles and r['contestant'] == c}
    med = {c: statistics.median(of(c).values()) for c in ('c', 'java', 'c-serialized', 'java-single')}
    cells = []
    for a, b in pairs:
        ratios = [of(a)[k] / of(b)[k] for k in of(a) if k in of(b)]
        cells.append(f'{med[a] / med[b]:.2f} ({statistics.median(ratios):.2f})')
    print(f'| {ranks} | {doubles} | ' + ' | '.join(f'{med[c]:.3f}' for c in med) + ' | '
          + ' | '.join(cells) + ' |')
print()
print('times in microseconds per call: the median over reps of each run\'s median round (the')
print('slowest rank\'s time); a ratio is that of the medians, the median of the per-rep ratios')
print('in brackets')
PY
echo
echo "raw figures: $times" >&2
