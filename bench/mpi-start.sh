#!/usr/bin/env bash
# How long a gang takes to start: from the launch of an MPI stage to every rank connected and
# running (the driver's "all N ranks running" line), for MpiPsum on local[N] with a tiny input,
# beside the floor: mpirun of N bare rank JVMs that only initialise MPI (bench/src/mpi's
# AllReduceBench doing one call). Variants of the rank JVM (--variants, any of: driver, the
# driver's own class-data archive as before; rank, the ranks' own archive, dflow.mpi.classArchive,
# written by an untimed first run; rank-c1, that and C1 only) alternate with the floor, their
# order rotating each rep; medians are printed.
set -euo pipefail
ranks=4
reps=5
variants="driver rank"
while [[ $# -gt 0 ]]; do
  case $1 in
    --ranks) ranks=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    -h|--help) echo "usage: bench/mpi-start.sh [--ranks 4] [--reps 5] [--variants \"driver rank rank-c1\"]"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
work=bench/work/mpi
mkdir -p "$work/classes"
command -v mpirun >/dev/null || { echo "needs Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev)" >&2; exit 1; }
bin/dflow --version >/dev/null  # builds when sources changed
classpath=executor/target/classes:api/target/classes:$work/classes
javac -d "$work/classes" -cp "$classpath" bench/src/mpi/AllReduceBench.java
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
archive_dir="$work/archive"
rm -rf "$archive_dir"
conf_of() {
  case $1 in
    driver) echo "--conf dflow.mpi.classArchive=off" ;;
    rank) echo "--conf dflow.mpi.classArchive=$archive_dir" ;;
    rank-c1) echo "--conf dflow.mpi.classArchive=$archive_dir --conf dflow.executor.javaOptions=-XX:TieredStopAtLevel=1" ;;
    *) echo "unknown variant: $1" >&2; exit 2 ;;
  esac
}
run_gang() {  # variant: prints "ms-to-all-running ms-whole-stage"
  local out
  # shellcheck disable=SC2046
  out=$(DFLOW_DRIVER_OPTS="-Dorg.slf4j.simpleLogger.log.io.dflow.driver.mpi=info" bin/dflow run \
    --master "local[$ranks]" $(conf_of "$1") --class io.dflow.examples.MpiPsum examples/target/dflow-examples.jar \
    "$ranks" 1000 2>&1)
  echo "$(sed -nE 's/.*all [0-9]+ ranks running ([0-9]+) ms after launch.*/\1/p' <<<"$out")" \
    "$(sed -nE 's/.*tasks done in ([0-9.]+) s.*/\1/p' <<<"$out" | awk '{ print int($1 * 1000) }')"
}
if [[ " $variants " == *" rank"* ]]; then
  run_gang rank >/dev/null  # writes the ranks' archive
fi
declare -A gang stage
floor=()
read -ra names <<<"floor $variants"
for ((rep = 1; rep <= reps; rep++)); do
  for ((k = 0; k < ${#names[@]}; k++)); do
    which=${names[$(((k + rep - 1) % ${#names[@]}))]}
    if [[ $which == floor ]]; then
      start=$(date +%s%N)
      mpirun -n "$ranks" --oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo \
        --mca oob_tcp_if_include lo --mca pml ob1 env java -Xshare:auto -cp "$classpath" AllReduceBench 8 1 1 >/dev/null
      floor+=($((($(date +%s%N) - start) / 1000000)))
    else
      read -r g s <<<"$(run_gang "$which")"
      gang[$which]="${gang[$which]:-} $g"
      stage[$which]="${stage[$which]:-} $s"
    fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(java -version 2>&1 | head -n 1)"
echo "run: $(date -u '+%Y-%m-%d %H:%M') UTC by bench/mpi-start.sh --ranks $ranks --reps $reps --variants \"$variants\""
echo "floor: mpirun of $ranks JVMs that initialise MPI, make one call and exit: median $(median "${floor[@]}") ms (${floor[*]})"
for v in $variants; do
  # shellcheck disable=SC2086
  echo "dflow ($v): stage launch to all $ranks ranks running: median $(median ${gang[$v]}) ms (${gang[$v]# })"
  # shellcheck disable=SC2086
  echo "dflow ($v): the whole MPI stage (start, task, MPI_Finalize, exit): median $(median ${stage[$v]}) ms (${stage[$v]# })"
done
echo "load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
