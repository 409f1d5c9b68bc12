#!/usr/bin/env bash
# The scheduler at cluster scale, in simulated time (`dflow simulate`): the simulator's own cost
# at N nodes x S slots and T tasks with 3 random replicas each (median of --reps runs, and the
# heap), how that cost grows with tasks, nodes and pending tasks per host, and the makespan of
# the locality policies (no wait, Spark's timer reset by every launch, dflow's per-slot wait, and
# as variants of it: waiting through levels that cannot pay off, restarting the wait at every
# freed slot, waiting forever) on spread data and on data held
# by a few hosts (SPARK-18886), with and without a slowdown for tasks away from their data.
# Prints the machine and markdown tables; the raw rows go to bench/work/simulate/.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/simulate.sh [--nodes 10000] [--slots 8] [--racks 100] [--tasks 1000000] [--hot 100]
                         [--wait 3000] [--durations uniform:1000,5000] [--reps 3]
  --hot        H of the hot-hosts placement (hot:H): every replica on the first H hosts
  --reps       runs of the headline size; the wall time reported is their median
USAGE
}

nodes=10000
slots=8
racks=100
tasks=1000000
hot=100
wait=3000
durations=uniform:1000,5000
reps=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --slots) slots=$2; shift 2 ;;
    --racks) racks=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    --hot) hot=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    --durations) durations=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
command_line="bench/simulate.sh --nodes $nodes --slots $slots --racks $racks --tasks $tasks --hot $hot --wait $wait"
command_line+=" --durations $durations --reps $reps"

cd "$(dirname "$0")/.."
work=bench/work/simulate
mkdir -p "$work"
stamp=$(date -u +%Y%m%d-%H%M%S)
rows=$work/rows-$stamp.tsv
forever=1000000000  # ms: about 11.6 days, longer than any stage here

bin/dflow simulate --nodes 4 --tasks 10 >/dev/null  # untimed: lets bin/dflow build first

run() {  # GROUP LABEL ARGS...: one simulation, its row tagged
  local group=$1 label=$2
  shift 2
  local out
  out=$(bin/dflow simulate --tsv "$@") || { echo "simulate.sh: dflow simulate $* failed" >&2; exit 1; }
  if [[ ! -s $rows ]]; then
    printf 'group\tlabel\t%s\n' "$(sed -n 1p <<<"$out")" >"$rows"
  fi
  printf '%s\t%s\t%s\n' "$group" "$label" "$(sed -n 2p <<<"$out")" >>"$rows"
  echo "  $group $label done" >&2
}

size=(--nodes "$nodes" --slots "$slots" --racks "$racks" --replicas 3 --duration-dist "$durations" --seed 1)
echo "headline: $nodes nodes x $slots slots, $tasks tasks" >&2
for ((rep = 1; rep <= reps; rep++)); do
  run headline "rep $rep" "${size[@]}" --tasks "$tasks" --wait "$wait"
done
run memory "heap" "${size[@]}" --tasks "$tasks" --wait "$wait" --memory

echo "growth" >&2
run growth "tasks / 4" "${size[@]}" --tasks $((tasks / 4)) --wait "$wait" --memory
run growth "tasks / 2" "${size[@]}" --tasks $((tasks / 2)) --wait "$wait" --memory
run growth "nodes / 4" --nodes $((nodes / 4)) --slots "$slots" --racks $((racks / 4 > 0 ? racks / 4 : 1)) --replicas 3 \
  --duration-dist "$durations" --seed 1 --tasks "$tasks" --wait "$wait" --memory
run growth "nodes / 2" --nodes $((nodes / 2)) --slots "$slots" --racks $((racks / 2 > 0 ? racks / 2 : 1)) --replicas 3 \
  --duration-dist "$durations" --seed 1 --tasks "$tasks" --wait "$wait" --memory
run growth "hot:$((hot * 10))" "${size[@]}" --tasks "$tasks" --wait "$wait" --placement "hot:$((hot * 10))" --memory
run growth "hot:$hot" "${size[@]}" --tasks "$tasks" --wait "$wait" --placement "hot:$hot" --memory

echo "policies" >&2
for placement in uniform "hot:$hot"; do
  for slowdown in "1 1" "1.2 1.5"; do
    read -r rack any <<<"$slowdown"
    common=("${size[@]}" --tasks "$tasks" --placement "$placement" --rack-slowdown "$rack" --any-slowdown "$any")
    run "$placement $rack/$any" "no wait" "${common[@]}" --wait 0
    run "$placement $rack/$any" "spark-reset" "${common[@]}" --wait "$wait" --policy spark-reset
    run "$placement $rack/$any" "per-slot (dflow)" "${common[@]}" --wait "$wait"
    run "$placement $rack/$any" "wait-through" "${common[@]}" --wait "$wait" --policy wait-through
    run "$placement $rack/$any" "restart" "${common[@]}" --wait "$wait" --policy restart
    run "$placement $rack/$any" "wait forever" "${common[@]}" --wait "$forever" --policy wait-through
  done
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
machine="$(nproc) CPUs ($(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)), $(free -h | awk '/^Mem:/ { print $2 }') memory, $(java -version 2>&1 | head -n 1), driver heap ${DFLOW_DRIVER_MEMORY:-1g}"

ROWS=$rows COMMAND=$command_line COMMIT=$commit MACHINE=$machine LOAD="$(cut -d' ' -f1-3 /proc/loadavg)" \
  WAIT=$wait python3 - <<'PY'
import csv, os, statistics

rows = list(csv.DictReader(open(os.environ["ROWS"]), delimiter="\t"))
by = lambda g: [r for r in rows if r["group"] == g]
f = float

print(f"- command: `{os.environ['COMMAND']}` (commit {os.environ['COMMIT']}, uncommitted changes included)")
print(f"- machine: {os.environ['MACHINE']}; load average (1, 5, 15 min) {os.environ['LOAD']} at the end")
print(f"- raw rows: `{os.environ['ROWS']}`")
print()

head = by("headline")
h = head[0]
walls = [f(r["wall_s"]) for r in head]
sched = [f(r["us_per_task"]) for r in head]
print(f"**Cost** — {h['nodes']} nodes × {h['slots']} slots, {h['racks']} racks, {int(h['tasks']):,} tasks × "
      f"{h['replicas']} random replicas, durations {h['durations']} ms, per-slot wait {h['wait_ms']} ms; "
      f"median of {len(head)} runs (all runs: {', '.join(r['wall_s'] for r in head)} s).")
print()
print("| wall time (s) | setup (s) | events (s) | in the scheduler (µs per task) | offers | node-local | rack-local | any | makespan (s) | ideal (s) | makespan / ideal |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
m = sorted(head, key=lambda r: f(r["wall_s"]))[len(head) // 2]
print(f"| {m['wall_s']} | {m['setup_s']} | {m['events_s']} | {statistics.median(sched):.2f} | {int(m['offers']):,} | "
      f"{f(m['node_local_pct']):.2f}% | {f(m['rack_local_pct']):.2f}% | {f(m['any_pct']):.2f}% | {f(m['makespan_s']):.1f} | "
      f"{f(m['ideal_s']):.1f} | {f(m['over_ideal']):.3f} |")
print()

print("**What grows** — one run each, heap after full collections (task records: the `Task` records and the"
      " simulator's per-task arrays; scheduler: what submitting the task set added, its queues by host and rack"
      " included; halfway: everything when half the tasks are done).")
print()
print("| run | nodes | tasks | pending replicas per data host at submit | wall (s) | µs per task in the scheduler | offers | task records (MB) | scheduler (MB) | halfway (MB) | node-local |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in by("memory") + by("growth"):
    hosts = int(r["nodes"]) if r["placement"] == "uniform" else int(r["placement"].split(":")[1])
    per_host = int(r["tasks"]) * int(r["replicas"]) / hosts
    label = "headline size" if r["group"] == "memory" else r["label"]
    print(f"| {label} | {int(r['nodes']):,} | {int(r['tasks']):,} | {per_host:,.0f} | {r['wall_s']} | {f(r['us_per_task']):.2f} | "
          f"{int(r['offers']):,} | {r['records_mb']} | {r['scheduler_mb']} | {r['halfway_mb']} | {f(r['node_local_pct']):.2f}% |")
print()

wait = os.environ["WAIT"]
print(f"**Policies** — same stage; `spark-reset`, `per-slot`, `wait-through` and `restart` wait {wait} ms per level, `wait forever`"
      f" 10⁹ ms; slowdown: how many times longer a rack-local / other task runs than where its data is."
      f" Loss: makespan over the better of `no wait` and `wait forever`.")
print()
print("| placement | slowdown | policy | node-local | rack-local | any | makespan (s) | / ideal | loss vs better of no wait, forever | idle while tasks waited | wall (s) |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
groups = []
for r in rows:
    if r["group"] not in ("headline", "memory", "growth") and r["group"] not in groups:
        groups.append(r["group"])
for g in groups:
    rs = by(g)
    best = min(f(r["makespan_s"]) for r in rs if r["label"] in ("no wait", "wait forever"))
    for r in rs:
        placement, slow = g.split(" ")
        print(f"| {placement} | {slow} | {r['label']} | {f(r['node_local_pct']):.2f}% | {f(r['rack_local_pct']):.2f}% | "
              f"{f(r['any_pct']):.2f}% | {f(r['makespan_s']):.1f} | {f(r['over_ideal']):.2f} | "
              f"{100 * (f(r['makespan_s']) / best - 1):+.1f}% | {f(r['idle_pending_pct']):.1f}% | {r['wall_s']} |")
PY
