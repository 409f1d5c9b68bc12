#!/usr/bin/env python3
"""Summarises a bench/parquet.sh times file into its section of bench/RESULTS.md.

The section lies between `<!-- parquet.sh:sum -->` markers; a new run replaces it and leaves
every other line of the file alone. Ratios are taken per rep (the systems of a rep ran back to
back, in an order that alternates from rep to rep) and summarised by their median.
"""
import argparse
import datetime
import os

from benchtable import by_rep, fmt, med, num, ratio, read_times, replace_section
from shuffle_results import cell, mib, mib_text, preamble, version

SYSTEMS = ("dflow-records", "dflow-batches", "spark")
NAMES = {"dflow-records": "dflow, records", "dflow-batches": "dflow, mapBatches", "spark": "Spark"}
DFLOW = SYSTEMS[:2]


def cell_with_cpu(row):
    """'wall s [job s], RSS MiB, CPU s' of one run."""
    return cell(row) if not row else f"{cell(row)}, CPU {fmt(num(row, 'cpu_s'), 1)}"


def section(rows, args, when):
    reps = by_rep(rows, "system")
    lines = preamble(f"Parquet: sum of one long column, {int(args.rows):,} rows, dflow and Spark", args, when, [
        f"input: `{args.file}`, {int(args.bytes):,} bytes, {args.row_groups} row group(s), written by Spark "
        f"{version(args.spark)}'s Parquet writer with its defaults (Snappy) from columns x int64, y double, "
        f"s string; read once (`cat > /dev/null`) before each timed run; the sum of `{args.column}` is "
        f"{int(args.sum):,}, and every run printed it",
        f"dflow: `bin/dflow run --master local[2]` with its default heap (1 GB), `parquetFile(path, longs(), "
        f"\"{args.column}\")` then `reduce(Long::sum)` (records: an object per row) or `mapBatches` summing each "
        f"batch's `BigIntVector`, then `reduce(Long::sum)` (mapBatches); Spark {version(args.spark)}: local[2], "
        f"`spark.read().parquet(path).agg(sum(\"{args.column}\"))` (vectorized reader, code generation), "
        f"`-Xmx{args.peer_heap}`",
        "each cell: whole-process wall seconds (JVM start included) [the job's own seconds, from after "
        "start-up to its result], peak RSS (GNU time); CPU: the process's user + system seconds (GNU "
        "time), which a busy machine disturbs less than wall time",
    ])
    head = "| rep | " + " | ".join(NAMES[s] for s in SYSTEMS)
    head += "".join(f" | {NAMES[s]} / Spark" for s in DFLOW) + " |"
    lines += [head, "|---:|" + "---:|" * (len(SYSTEMS) + len(DFLOW))]
    wall_ratios = {s: [] for s in DFLOW}
    job_ratios = {s: [] for s in DFLOW}
    cpu_ratios = {s: [] for s in DFLOW}
    for rep, v in reps.items():
        line = f"| {rep} | " + " | ".join(cell_with_cpu(v.get(s)) for s in SYSTEMS)
        for s in DFLOW:
            wall_ratios[s].append(ratio(num(v.get(s), "wall_s"), num(v.get("spark"), "wall_s")))
            job_ratios[s].append(ratio(num(v.get(s), "job_s"), num(v.get("spark"), "job_s")))
            cpu_ratios[s].append(ratio(num(v.get(s), "cpu_s"), num(v.get("spark"), "cpu_s")))
            line += f" | {fmt(wall_ratios[s][-1], 2)}"
        lines.append(line + " |")
    medians = lambda key: ", ".join(f"{NAMES[s]} {fmt(med(num(v.get(s), key) for v in reps.values()))} s"
                                    for s in SYSTEMS)
    rss = ", ".join(f"{NAMES[s]} {mib_text(med(mib(num(v.get(s), 'peak_rss_kb')) for v in reps.values()))}"
                    for s in SYSTEMS)
    lines += ["",
              "**Median of per-rep wall-time ratios: "
              + ", ".join(f"{NAMES[s]} / Spark = {fmt(med(wall_ratios[s]), 2)}" for s in DFLOW)
              + "** (aim: ≤ 0.5). Of the jobs' own seconds: "
              + ", ".join(f"{NAMES[s]} / Spark = {fmt(med(job_ratios[s]), 2)}" for s in DFLOW)
              + ". Of CPU seconds: "
              + ", ".join(f"{NAMES[s]} / Spark = {fmt(med(cpu_ratios[s]), 2)}" for s in DFLOW)
              + f". Median wall: {medians('wall_s')}; median job: {medians('job_s')}; "
              f"median CPU: {medians('cpu_s')}; median peak RSS: {rss}.",
              ""]
    return lines


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("times", "results", "command", "commit", "machine", "file", "rows", "bytes", "row-groups",
                 "column", "sum", "peer-heap", "spark"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    rows = read_times(args.times)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = open(args.results).read() if os.path.exists(args.results) else "# Benchmark results\n"
    text = replace_section(text, "parquet.sh", "sum", section(rows, args, when))
    with open(args.results, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
