#!/usr/bin/env python3
"""A map-only filter: passes on the lines that match the regular expression given as its argument,
and counts them in the job's counters through the stderr side channel."""
import re
import sys

pattern = re.compile(sys.argv[1])
kept = 0
for line in sys.stdin:
    if pattern.search(line):
        sys.stdout.write(line)
        kept += 1
sys.stderr.write('reporter:counter:Filter,Kept,%d\n' % kept)
