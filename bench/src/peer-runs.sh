# What the scripts that run dflow beside the peer jobs (shuffle.sh, parquet.sh) share: GNU time
# for peak RSS, the build of bench/peers, Spark's JVM options, a timed run of one process, the
# alternating order of the systems and dflow's untimed warm-up. Sourced from the checkout's root
# after the caller has set BENCH_SCRIPT (its name, for messages), LOGS (a folder for build logs)
# and TIMEOUT_S (seconds after which a timed run is stopped).

die() { echo "$BENCH_SCRIPT: $*" >&2; exit 1; }

# GNU time, for the peak RSS of each process.
require_gnu_time() {
  [[ -x /usr/bin/time ]] && return 0
  if ((EUID == 0)); then
    echo "$BENCH_SCRIPT: installing GNU time (apt-get install time)..." >&2
    { apt-get update -q && apt-get install -y -q time; } >"$LOGS/apt-get.log" 2>&1 \
      || die "could not install GNU time (see $LOGS/apt-get.log)"
  else
    die "/usr/bin/time (GNU time) is missing: install Debian's 'time' package"
  fi
}

# The peer jobs (bench/peers: Spark, Hadoop MR, Spark SQL): built with Maven on first use and when
# their sources change. peer_cp MODULE: that module's run-time class path.
PEERS=bench/peers
PEER_MODULES=(spark mr spark-sql)
peers_stale() {
  local module
  [[ -f $PEERS/target/.built ]] || return 0
  for module in "${PEER_MODULES[@]}"; do
    [[ -f $PEERS/$module/target/cp.txt ]] || return 0
  done
  [[ -n $(find "$PEERS" -name target -prune -o -type f -newer "$PEERS/target/.built" -print -quit) ]]
}
build_peers() {
  peers_stale || return 0
  echo "$BENCH_SCRIPT: building the peer jobs (mvn -q -B -DskipTests package -f $PEERS/pom.xml)..." >&2
  mvn -q -B -DskipTests package -f "$PEERS/pom.xml" >"$LOGS/peers-build.log" 2>&1 \
    || { tail -n 30 "$LOGS/peers-build.log" >&2; die "the peer jobs did not build (log: $LOGS/peers-build.log)"; }
  mkdir -p "$PEERS/target" && touch "$PEERS/target/.built"
}
peer_cp() { echo "$PWD/$PEERS/$1/target/classes:$(cat "$PEERS/$1/target/cp.txt")"; }

# The JVM options Spark's own launcher adds on Java 17 (Spark 3.5's JavaModuleOptions).
SPARK_JAVA_OPTS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)

# Untimed: lets bin/dflow rebuild the project (and write its class-data archive) before anything
# is timed, and fails early if dflow cannot run at all.
warm_up_dflow() {
  if ! env -u DFLOW_DRIVER_OPTS -u DFLOW_DRIVER_MEMORY bin/dflow run --master 'local[2]' --class io.dflow.examples.TinyTasks \
      examples/target/dflow-examples.jar 0 >"$LOGS/warm-up.out" 2>"$LOGS/warm-up.err"; then
    tail -n 20 "$LOGS/warm-up.err" >&2
    die "dflow cannot run (log: $LOGS/warm-up.err); if its build failed while the sources are being changed, retry in a few minutes"
  fi
}

# timed LOG CMD...: runs CMD under GNU time and `timeout`, stdout and stderr in LOG.out and
# LOG.err; sets WALL (seconds), RSS_KB (peak resident set of the process tree's largest
# process), CPU_S (user + system CPU seconds of the processes that ended) and STATUS (exit
# code). Does not stop the script when CMD fails.
timed() {
  local log=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  if /usr/bin/time -o "$log.time" -f $'peak_rss_kb=%M\ncpu_s=%U %S' \
      timeout --foreground --kill-after=30 "$TIMEOUT_S" "$@" >"$log.out" 2>"$log.err"; then
    STATUS=0
  else
    STATUS=$?
  fi
  t1=$(date +%s.%N)
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  RSS_KB=$(sed -n 's/^peak_rss_kb=//p' "$log.time" | tail -n 1)
  RSS_KB=${RSS_KB:-0}
  CPU_S=$(awk '/^cpu_s=/ { sub(/^cpu_s=/, ""); printf "%.2f", $1 + $2 }' "$log.time" | tail -n 1)
}

# timed_dflow LOG ARGS...: a timed `bin/dflow run ARGS...` with dflow's default heap unless
# DFLOW_DRIVER_MEMORY is given in the environment of this call. bin/dflow rebuilds the project
# when its sources changed: such a run is no measurement, and is repeated.
timed_dflow() {
  local log=$1 opts=()
  shift
  [[ -n ${DFLOW_DRIVER_MEMORY:-} ]] && opts=(DFLOW_DRIVER_MEMORY="$DFLOW_DRIVER_MEMORY")
  timed "$log" env -u DFLOW_DRIVER_OPTS -u DFLOW_DRIVER_MEMORY "${opts[@]}" bin/dflow run --master 'local[2]' "$@"
  if grep -q '^dflow: building' "$log.err"; then
    timed "$log" env -u DFLOW_DRIVER_OPTS -u DFLOW_DRIVER_MEMORY "${opts[@]}" bin/dflow run --master 'local[2]' "$@"
  fi
}

# result_field LOG KEY: KEY's value in the RESULT line the job printed on stdout.
result_field() {
  sed -nE "s/^RESULT.* $2=([^ ]+).*/\1/p" "$1.out" | tail -n 1
}

order_for_rep() {  # REP SYSTEM...: the systems in order on odd reps, reversed on even ones
  local rep=$1
  shift
  if ((rep % 2)); then echo "$@"; else echo "$@" | awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\n") }'; fi
}

# The machine, as the results name it: CPUs, memory, Java.
machine_line() {
  echo "$(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory, $(java -version 2>&1 | head -n 1)"
}

# The commit measured, marked when the tree has uncommitted changes.
commit_line() {
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
  if [[ -n $(git status --porcelain 2>/dev/null | head -n 1) ]]; then commit="$commit (with uncommitted changes)"; fi
  echo "$commit"
}
