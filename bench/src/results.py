#!/usr/bin/env python3
"""Summarises a bench/run.sh times file into sections of bench/RESULTS.md.

Each benchmark (WordCount per corpus size, TinyTasks per n) owns one section between marker
comments; a new run replaces its own sections and leaves every other line of the file alone.
Ratios are taken per rep (the contestants of a rep ran back to back) and summarised by their
median, which a noisy shared machine disturbs less than a mean.
"""
import argparse
import datetime
import os
from collections import defaultdict

from benchtable import by_rep, fmt, med, num, ratio, read_times, replace_section

HEADER = """# Benchmark results

Sections between `run.sh` markers are written by `bench/run.sh` (see `bench/README.md`);
each is replaced when that benchmark is rerun. Write commentary outside them.
"""


def preamble(title, args, when, extra):
    return [
        f"## {title}",
        "",
        f"- run: {when} by `{args.command}` (commit {args.commit})",
        f"- machine: {args.cpus} CPUs ({args.cpu_model}), {args.memory} memory, {args.java}",
        *[f"- {line}" for line in extra],
        "",
    ]


def wordcount_section(size, rows, args, when):
    reps = by_rep(rows, "variant")
    input_bytes = rows[0]["input_bytes"]
    lines = preamble(f"WordCount, {size} corpus", args, when, [
        f"input: `bench/data/corpus-{size}-seed*.txt`, {input_bytes} bytes, read once "
        "(`cat > /dev/null`) before each timed run",
        "times are wall seconds of the whole process (JVM start included); dflow's own "
        "reported job time in brackets",
    ])
    lines += ["| rep | dflow | floor, 1 thread | floor, 2 threads | dflow / floor1 | dflow / floor2 |",
              "|---:|---:|---:|---:|---:|---:|"]
    r1, r2 = [], []
    for rep, v in reps.items():
        d, f1, f2 = num(v.get("dflow"), "wall_s"), num(v.get("floor1"), "wall_s"), num(v.get("floor2"), "wall_s")
        job = num(v.get("dflow"), "inner_s")
        r1.append(ratio(d, f1))
        r2.append(ratio(d, f2))
        lines.append(f"| {rep} | {fmt(d)} [{fmt(job)}] | {fmt(f1)} | {fmt(f2)} | {fmt(r1[-1], 2)} | {fmt(r2[-1], 2)} |")
    col = lambda variant, key: med(num(v.get(variant), key) for v in reps.values())
    lines += ["",
              f"**Median of per-rep ratios: dflow / floor1 = {fmt(med(r1), 2)}, "
              f"dflow / floor2 = {fmt(med(r2), 2)}.** Median times: dflow {fmt(col('dflow', 'wall_s'))} s "
              f"(job {fmt(col('dflow', 'inner_s'))} s), floor1 {fmt(col('floor1', 'wall_s'))} s, "
              f"floor2 {fmt(col('floor2', 'wall_s'))} s.",
              ""]
    return lines


def tinytasks_section(n, rows, args, when):
    reps = by_rep(rows, "variant")
    lines = preamble(f"TinyTasks, n = {n}", args, when, [
        f"dflow: wall of `TinyTasks {n}` minus wall of `TinyTasks 0` (start-up and teardown), "
        "and the job's own reported seconds, also minus those of `TinyTasks 0`; floor: the serial loop's in-process time "
        "(one cold run in a fresh JVM) and its process wall time; dflow warm: `TinyTasks n 10` runs the "
        "same job 10 times in one session, and the median of runs 2–10 is the job time after start-up",
    ])
    lines += ["| rep | dflow wall | wall, n=0 | wall diff | dflow job | job, n=0 | job diff | floor loop | floor wall "
              "| wall diff / loop | job / loop | job diff / loop | warm job |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rd, rj, rjd, warm = [], [], [], []
    for rep, v in reps.items():
        d, d0 = num(v.get("dflow"), "wall_s"), num(v.get("dflow0"), "wall_s")
        job, job0 = num(v.get("dflow"), "inner_s"), num(v.get("dflow0"), "inner_s")
        loop, fw = num(v.get("floor"), "inner_s"), num(v.get("floor"), "wall_s")
        diff = d - d0 if d is not None and d0 is not None else None
        job_diff = job - job0 if job is not None and job0 is not None else None
        rd.append(ratio(diff, loop))
        rj.append(ratio(job, loop))
        rjd.append(ratio(job_diff, loop))
        warm.append(num(v.get("dflowwarm"), "inner_s"))
        lines.append(f"| {rep} | {fmt(d)} | {fmt(d0)} | {fmt(diff)} | {fmt(job)} | {fmt(job0)} | {fmt(job_diff)} "
                     f"| {fmt(loop, 4)} | {fmt(fw)} | {fmt(rd[-1], 1)} | {fmt(rj[-1], 1)} | {fmt(rjd[-1], 1)} "
                     f"| {fmt(warm[-1], 4)} |")
    lines += ["",
              f"**Median of per-rep ratios: (dflow wall − wall at n=0) / loop = {fmt(med(rd), 1)}, "
              f"dflow job / loop = {fmt(med(rj), 1)}, (job − job at n=0) / loop = {fmt(med(rjd), 1)}; "
              f"job time after start-up (median of the warm runs) = {fmt(med(warm), 4)} s.** "
              "The differences remove the fixed cost of starting a job; on a busy machine they are "
              "within the noise of that cost, so read them over several reps.",
              ""]
    return lines


def wordcount_warm_section(size, rows, args, when):
    reps = by_rep(rows, "variant")
    lines = preamble(f"WordCount three times in one session, {size} corpus", args, when, [
        "dflow: `WordCountRepeat` runs the WordCount example 3 times in one `bin/dflow run`; each "
        "run's own seconds (from the job), against the 2-thread floor's process wall time",
    ])
    lines += ["| rep | run 1 | run 2 | run 3 | floor, 2 threads | run 1 / floor2 | run 3 / floor2 |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    first, last = [], []
    for rep, v in reps.items():
        r1, r2, r3 = (num(v.get(f"run{i}"), "inner_s") for i in (1, 2, 3))
        f2 = num(v.get("floor2"), "wall_s")
        first.append(ratio(r1, f2))
        last.append(ratio(r3, f2))
        lines.append(f"| {rep} | {fmt(r1)} | {fmt(r2)} | {fmt(r3)} | {fmt(f2)} | {fmt(first[-1], 2)} "
                     f"| {fmt(last[-1], 2)} |")
    lines += ["",
              f"**Median of per-rep ratios: first run / floor2 = {fmt(med(first), 2)}, "
              f"third run / floor2 = {fmt(med(last), 2)}.** The floor's time includes its JVM start; "
              "the runs' do not.",
              ""]
    return lines


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("times", "results", "command", "commit", "cpus", "cpu-model", "memory", "java"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    rows = read_times(args.times)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = open(args.results).read() if os.path.exists(args.results) else HEADER
    groups = defaultdict(list)
    for r in rows:
        groups[(r["bench"], r["param"])].append(r)
    for (bench, param), group in groups.items():
        make = {"wordcount": wordcount_section, "wordcount-warm": wordcount_warm_section}.get(
            bench, tinytasks_section)
        text = replace_section(text, "run.sh", f"{bench}:{param}", make(param, group, args, when))
    with open(args.results, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
