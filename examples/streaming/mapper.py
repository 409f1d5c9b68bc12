#!/usr/bin/env python3
"""Word-count mapper, the classic Hadoop Streaming one: emits 'word<TAB>1' for every word."""
import sys

for line in sys.stdin:
    for word in line.split():
        print('%s\t%s' % (word, 1))
