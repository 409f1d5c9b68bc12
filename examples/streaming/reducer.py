#!/usr/bin/env python3
"""Word-count reducer: its input is sorted by word, so it sums each run of equal words."""
import sys

current_word = None
current_count = 0
for line in sys.stdin:
    word, _, count = line.rstrip('\n').partition('\t')
    try:
        count = int(count)
    except ValueError:
        continue
    if word == current_word:
        current_count += count
    else:
        if current_word is not None:
            print('%s\t%s' % (current_word, current_count))
        current_word = word
        current_count = count
if current_word is not None:
    print('%s\t%s' % (current_word, current_count))
