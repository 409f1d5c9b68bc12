#!/usr/bin/env bash
# The cost of dflow.network.crypto.enabled: the same shuffle-heavy job (bench/shuffle.sh's sort,
# 90-byte values) on local-cluster[2,1], with the transport plain and with TLS, alternated per rep;
# the figure is the median of the per-rep ratios TLS / plain. Writes the section "Encrypted
# transport" of bench/RESULTS.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/tls.sh [--records 2000000] [--reps 3] [--job sort] [--fetch-mib 64] [--timeout 1800]
  --records   records of the job, over 8 map and 8 reduce partitions
  --reps      timed runs per setting (at least 3); plain and TLS alternate which goes first
  --job       which of bench/shuffle.sh's jobs: sort (the default), group or reduce
  --fetch-mib the block of the microfigure: fetches of it over one loopback connection, plain and
              TLS, --reps times each, in one warm JVM (bench/src/TlsFetchThroughput.java)
  --timeout   seconds after which one run is stopped
USAGE
}

records=2000000
reps=3
job=sort
timeout_s=1800
fetch_mib=64
while [[ $# -gt 0 ]]; do
  case $1 in
    --records) records=${2:?--records needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --job) job=${2:?--job needs a value}; shift 2 ;;
    --fetch-mib) fetch_mib=${2:?--fetch-mib needs a value}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "tls.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
bad_usage() { echo "tls.sh: $*" >&2; usage >&2; exit 2; }
for n in "$records" "$reps" "$timeout_s" "$fetch_mib"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bad_usage "not a positive whole number: $n"
done
((reps >= 3)) || bad_usage "--reps must be at least 3 (a median of ratios), got $reps"
[[ $job =~ ^(sort|group|reduce)$ ]] || bad_usage "unknown job '$job' (sort, group or reduce)"
command_line="bench/tls.sh --records $records --reps $reps --job $job --fetch-mib $fetch_mib"
((timeout_s != 1800)) && command_line+=" --timeout $timeout_s"

partitions=8
master='local-cluster[2,1]'

cd "$(dirname "$0")/.."
work=bench/work/tls
logs=$work/logs
classes=$work/classes
mkdir -p "$logs"
BENCH_SCRIPT=tls.sh LOGS=$logs TIMEOUT_S=$timeout_s
source bench/src/peer-runs.sh
require_gnu_time
warm_up_dflow

api_jar=$(ls api/target/dflow-api-*.jar 2>/dev/null | head -n 1)
[[ -n $api_jar ]] || die "no api/target/dflow-api-*.jar after bin/dflow's build"
rm -rf "$classes" && mkdir -p "$classes"
javac -d "$classes" -cp "$api_jar" bench/src/ShuffleJob.java \
  bench/peers/records/src/main/java/io/dflow/bench/shuffle/ShuffleRecords.java
job_jar=$work/shuffle-job.jar
jar cf "$job_jar" -C "$classes" .

stamp=$(date -u +%Y%m%d-%H%M%S)
times=$work/times-$stamp.tsv
printf 'rep\tsetting\twall_s\tjob_s\tstart_s\tcpu_s\tpeak_rss_kb\tcount\n' >"$times"
first_count=
for ((rep = 1; rep <= reps; rep++)); do
  for setting in $(order_for_rep "$rep" plain tls); do
    crypto=false
    [[ $setting == tls ]] && crypto=true
    log=$logs/$job-$setting-$rep
    run=(env -u DFLOW_DRIVER_OPTS -u DFLOW_DRIVER_MEMORY bin/dflow run --master "$master"
      --conf "dflow.network.crypto.enabled=$crypto" --class ShuffleJob "$job_jar" "$job" "$records" "$partitions")
    timed "$log" "${run[@]}"
    if grep -q '^dflow: building' "$log.err"; then  # sources changed: that run built dflow first
      timed "$log" "${run[@]}"
    fi
    if ((STATUS != 0)); then
      tail -n 20 "$log.err" >&2
      die "$job with $setting transport failed (exit $STATUS; logs: $log.out, $log.err)"
    fi
    count=$(result_field "$log" count)
    job_s=$(result_field "$log" job_s)
    [[ $count =~ ^[0-9]+$ ]] || die "$setting run printed no 'RESULT ... count=N' line (see $log.out)"
    if [[ -z $first_count ]]; then
      first_count=$count
    elif [[ $count != "$first_count" ]]; then
      die "the $setting run of rep $rep counted $count, an earlier run $first_count"
    fi
    # how long the executors took to register: the event log's last ExecutorAdd after ApplicationStart
    events=$(sed -n 's/^event log: //p' "$log.err" | tail -n 1)
    start_s=$(python3 -c 'import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
adds = [e["time"] for e in ev if e.get("event") == "ExecutorAdd"]
print("%.2f" % ((max(adds) - ev[0]["time"]) / 1000))' "$events") || die "cannot read the event log of $log ($events)"
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$setting" "$WALL" "$job_s" "$start_s" "$CPU_S" "$RSS_KB" \
      "$count" >>"$times"
    echo "rep $rep $setting: job $job_s s, executors registered after $start_s s, wall $WALL s, count $count" >&2
  done
done

# the microfigure: dflow's own jars, the one JVM warm
lib_cp=$(ls driver/target/lib/*.jar | tr '\n' ':')
javac -d "$classes" -cp "$lib_cp" bench/src/TlsFetchThroughput.java
fetches=$work/fetches-$stamp.txt
timeout --foreground "$timeout_s" java -Xmx2g -cp "$lib_cp$classes" TlsFetchThroughput "$fetch_mib" "$reps" 5 \
  >"$fetches" 2>"$logs/fetches.err" || die "the fetch microfigure failed (see $logs/fetches.err)"
grep '^RESULT' "$fetches" >&2

python3 - "$times" bench/RESULTS.md "$command_line" "$(commit_line)" "$(machine_line)" "$job" "$records" \
  "$partitions" "$master" "$fetches" "$fetch_mib" <<'PY'
import csv, re, statistics, sys, datetime
times, results, command, commit, machine, job, records, partitions, master, fetches, fetch_mib = sys.argv[1:]
rows = list(csv.DictReader(open(times), delimiter='\t'))
by = {}
for r in rows:
    by.setdefault(int(r['rep']), {})[r['setting']] = r
reps = sorted(by)
def ratio(field):
    return [float(by[k]['tls'][field]) / float(by[k]['plain'][field]) for k in reps]
job_ratios, wall_ratios = ratio('job_s'), ratio('wall_s')
lines = ['## Encrypted transport', '',
         f'{datetime.date.today().isoformat()}, commit {commit}. `{job}` job of `bench/shuffle.sh` '
         f'({int(records):,} records, {partitions} map and reduce partitions) on `{master}`, with '
         '`dflow.network.crypto.enabled` false (plain TCP, shuffle blocks sent zero-copy) and true '
         '(TLS 1.3, BoringSSL\'s engine where it loads, else the JDK\'s; blocks read into buffers), alternated: odd reps run plain first. '
         '"Job" is the job as the driver times it, its executors already registered; "start" is when the '
         'last executor registered (event log), which includes the first TLS handshakes of three cold JVMs.',
         '', f'Machine: {machine}. The machine is shared with other work and noisy: read the ratios, not the seconds.',
         '', f'Command: `{command}`', '',
         '| rep | plain job s | TLS job s | TLS / plain (job) | plain start s | TLS start s '
         '| plain wall s | TLS wall s | TLS / plain (wall) |',
         '|---|---|---|---|---|---|---|---|---|']
for k, jr, wr in zip(reps, job_ratios, wall_ratios):
    p, t = by[k]['plain'], by[k]['tls']
    lines.append(f"| {k} | {float(p['job_s']):.2f} | {float(t['job_s']):.2f} | {jr:.3f} | "
                 f"{float(p['start_s']):.2f} | {float(t['start_s']):.2f} | "
                 f"{float(p['wall_s']):.2f} | {float(t['wall_s']):.2f} | {wr:.3f} |")
start_extra = [float(by[k]['tls']['start_s']) - float(by[k]['plain']['start_s']) for k in reps]
lines += ['', f'**Median of the per-rep ratios: {statistics.median(job_ratios):.3f} for the job '
          f'(driver-measured, executors started), {statistics.median(wall_ratios):.3f} for the whole '
          'command (JVM and executor start-up included); executors registered a median '
          f'{statistics.median(start_extra):.1f} s later with TLS.** Every run counted '
          f"{rows[0]['count']} records.", '']
tput = {}
engine = '?'
for line in open(fetches):
    if line.startswith('ENGINE '):
        engine = line.split()[1]
    m = re.match(r'RESULT rep=(\d+) setting=(\w+) mib_s=([0-9.]+)', line)
    if m:
        tput.setdefault(int(m.group(1)), {})[m.group(2)] = float(m.group(3))
lines += [f'Microfigure, `bench/src/TlsFetchThroughput.java`: fetches of one {fetch_mib} MiB block over one '
          'loopback connection in one warm JVM (server and client), 3 untimed and 5 timed per run; '
          f'TLS engine: {engine}.', '',
          '| rep | plain MiB/s | TLS MiB/s | TLS / plain |', '|---|---|---|---|']
fetch_ratios = []
for k in sorted(tput):
    r = tput[k]['tls'] / tput[k]['plain']
    fetch_ratios.append(r)
    lines.append(f"| {k} | {tput[k]['plain']:.0f} | {tput[k]['tls']:.0f} | {r:.3f} |")
lines += ['', f'**Median of the per-rep ratios: {statistics.median(fetch_ratios):.3f}.**', '']
section = '\n'.join(lines) + '\n'
text = open(results).read()
m = re.search(r'^## Encrypted transport\n.*?(?=^## |\Z)', text, re.S | re.M)
text = text[:m.start()] + section + text[m.end():] if m else text.rstrip('\n') + '\n\n' + section
open(results, 'w').write(text)
PY
echo "raw figures: $times; section written to bench/RESULTS.md" >&2
