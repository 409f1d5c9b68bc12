"""What the bench summarisers share: reading a times file, medians and ratios that tolerate
missing runs, number formatting, and replacing one marked section of bench/RESULTS.md.

A section runs from `<!-- SCRIPT:KEY -->` to `<!-- /SCRIPT:KEY -->`; replacing it leaves every
other line of the file alone, and a section not there yet is appended.
"""
import csv
import re
import statistics
from collections import defaultdict


def read_times(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def by_rep(rows, column):
    """{rep: {row[column]: row}}, reps in order."""
    reps = defaultdict(dict)
    for r in rows:
        reps[int(r["rep"])][r[column]] = r
    return dict(sorted(reps.items()))


def fmt(x, digits=3):
    return "n/a" if x is None else f"{x:.{digits}f}"


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    return a / b if a is not None and b else None


def num(row, key):
    v = row.get(key) if row else None
    return float(v) if v not in (None, "") else None


def replace_section(text, script, key, lines):
    begin, end = f"<!-- {script}:{key} -->", f"<!-- /{script}:{key} -->"
    block = "\n".join([begin, *lines, end])
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip("\n") + "\n\n" + block + "\n"


if __name__ == "__main__":
    # benchtable.py SCRIPT KEY SECTION_FILE RESULTS_FILE: puts a section written by a shell script in place.
    import sys
    script, key, section, results = sys.argv[1:5]
    lines = open(section).read().rstrip("\n").split("\n")
    text = replace_section(open(results).read(), script, key, lines)
    with open(results, "w") as f:
        f.write(text)
