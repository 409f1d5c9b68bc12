#!/usr/bin/env bash
# How long a gang takes to start: from the launch of an MPI stage to every rank connected and
# running (the driver's "all N ranks running" line), for MpiPsum on local[N] with a tiny input,
# beside the floor: mpirun of N bare rank JVMs that only initialise MPI (bench/src/mpi's
# AllReduceBench doing one call). The two alternate; medians are printed.
set -euo pipefail
ranks=4
reps=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --ranks) ranks=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    -h|--help) echo "usage: bench/mpi-start.sh [--ranks 4] [--reps 5]"; exit 0 ;;
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
floor=() gang=() stage=()
for ((rep = 1; rep <= reps; rep++)); do
  for which in floor gang; do
    if ((rep % 2 == 0)); then which=$([[ $which == floor ]] && echo gang || echo floor); fi
    if [[ $which == floor ]]; then
      start=$(date +%s%N)
      mpirun -n "$ranks" --oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo \
        --mca oob_tcp_if_include lo --mca pml ob1 env java -Xshare:auto -cp "$classpath" AllReduceBench 8 1 1 >/dev/null
      floor+=($((($(date +%s%N) - start) / 1000000)))
    else
      out=$(DFLOW_DRIVER_OPTS="-Dorg.slf4j.simpleLogger.log.io.dflow.driver.mpi=info" bin/dflow run \
        --master "local[$ranks]" --class io.dflow.examples.MpiPsum examples/target/dflow-examples.jar "$ranks" 1000 2>&1)
      gang+=($(sed -nE 's/.*all [0-9]+ ranks running ([0-9]+) ms after launch.*/\1/p' <<<"$out"))
      stage+=($(sed -nE 's/.*tasks done in ([0-9.]+) s.*/\1/p' <<<"$out" | awk '{ print int($1 * 1000) }'))
    fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(java -version 2>&1 | head -n 1)"
echo "run: $(date -u '+%Y-%m-%d %H:%M') UTC by bench/mpi-start.sh --ranks $ranks --reps $reps"
echo "floor: mpirun of $ranks JVMs that initialise MPI, make one call and exit: median $(median "${floor[@]}") ms (${floor[*]})"
echo "dflow: stage launch to all $ranks ranks running: median $(median "${gang[@]}") ms (${gang[*]})"
echo "dflow: the whole MPI stage (start, task, MPI_Finalize, exit): median $(median "${stage[@]}") ms (${stage[*]})"
