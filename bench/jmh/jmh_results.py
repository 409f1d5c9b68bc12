"""The table of bench/jmh.sh's section of RESULTS.md, from a JMH JSON result file (stdlib only).

Every benchmark of bench/jmh reports three secondary results as rates per second of its
iterations: `bytes` (raw payload), `storedBytes` (what that payload took in the file or on the
wire) and `cpuNanos` (CPU time of the whole process). From them:
  GB/s per core   = bytes / (cpuNanos / 1e9) / 1e9   raw bytes per CPU second of the process
  GB/s, wall      = bytes / 1e9                      raw bytes per wall second of the benchmark thread
  cores busy      = cpuNanos / 1e9
and each row is compared with memcpy of the same value size by GB/s per core.

usage: jmh_results.py RESULT.json  (prints markdown lines)
"""
import json
import math
import sys

PREFIX = "io.dflow.bench.jmh."
LABELS = {
    ("MemcpyBench.copy", None): "memcpy (`System.arraycopy`)",
    ("ShuffleWriteBench.write", None): "write (`ShuffleFileWriter`, 8 partitions)",
    ("SegmentReadBench.read", "heap"): "decode (`SegmentReader`, heap buffer)",
    ("SegmentReadBench.read", "file"): "decode (`SegmentReader`, `SegmentSource.ofFile`)",
    ("FetchBench.fetch", None): "fetch (`NetworkFetcher` from a `TransportServer`, loopback)",
    ("FetchBench.fetchAndDecode", None): "fetch + decode",
}
ORDER = list(LABELS)
CODECS = ["-", "none", "lz4", "zstd"]


def score(result, name):
    m = result["secondaryMetrics"].get(name)
    if m is None:
        return None, None
    err = m.get("scoreError")
    err = None if err in (None, "NaN") or (isinstance(err, float) and math.isnan(err)) else float(err)
    return float(m["score"]), err


def value_label(params):
    v = params.get("valueBytes")
    if v == "whole":
        return f"whole {params.get('mib', '?')} MiB"
    v = int(v)
    return "1 KiB" if v == 1024 else f"{v} B"


def rows(results):
    out = []
    for r in results:
        name = r["benchmark"].removeprefix(PREFIX)
        params = r.get("params", {})
        key = (name, params.get("source"))
        if key not in LABELS:
            key = (name, None)
        raw, raw_err = score(r, "bytes")
        stored, _ = score(r, "storedBytes")
        cpu, _ = score(r, "cpuNanos")
        cores = cpu / 1e9 if cpu else None
        out.append({
            "key": key,
            "label": LABELS.get(key, name),
            "value": params.get("valueBytes"),
            "value_label": value_label(params),
            "codec": params.get("codec", "-").lower() if "codec" in params else "-",
            "wall": raw / 1e9 if raw is not None else None,
            "wall_err": raw_err / 1e9 if raw_err is not None else None,
            "cores": cores,
            "per_core": raw / cores / 1e9 if raw is not None and cores else None,
            "stored_ratio": stored / raw if stored is not None and raw else None,
        })
    rank = {k: i for i, k in enumerate(ORDER)}
    out.sort(key=lambda x: (rank.get(x["key"], len(rank)), str(x["value"]).zfill(12),
                            CODECS.index(x["codec"]) if x["codec"] in CODECS else len(CODECS), x["codec"]))
    return out


def fmt(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def main(path):
    results = json.load(open(path))
    table = rows(results)
    memcpy = {t["value"]: t["per_core"] for t in table if t["key"][0] == "MemcpyBench.copy"}
    print("| benchmark | value size | codec | GB/s per core | GB/s, wall | cores busy | stored / raw | vs memcpy |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for t in table:
        wall = fmt(t["wall"]) + (f" ± {fmt(t['wall_err'])}" if t["wall_err"] is not None else "")
        ref = memcpy.get(t["value"])
        vs = "-" if t["key"][0] == "MemcpyBench.copy" else (
            f"{fmt(t['per_core'] / ref)}x" if t["per_core"] is not None and ref else "n/a")
        print(f"| {t['label']} | {t['value_label']} | {t['codec']} | **{fmt(t['per_core'])}** | {wall} | "
              f"{fmt(t['cores'])} | {fmt(t['stored_ratio'], 3)} | {vs} |")
    if results:
        r = results[0]
        print()
        print(f"JMH {r['jmhVersion']}, {r['vmName']} {r['vmVersion']}, forked JVM options "
              f"`{' '.join(r.get('jvmArgs', []))}`; per benchmark {r['forks']} fork(s), "
              f"{r['warmupIterations']} warm-up iteration(s) of {r['warmupTime']}, "
              f"{r['measurementIterations']} measured of {r['measurementTime']}; "
              f"± is JMH's 99.9% interval (shown with 2 or more measured iterations).")


if __name__ == "__main__":
    main(sys.argv[1])
