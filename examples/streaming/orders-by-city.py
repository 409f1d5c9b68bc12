#!/usr/bin/env python3
"""Mapper of the two-key-field sort: turns 'order<TAB>customer<TAB>amount' lines into
'city<TAB>amount<TAB>order' keys (two key fields), so the job's output lists each city's
orders by amount, largest first, cities in order, every city in one part file."""
import sys

CITIES = {}
with open('customers.tsv') as customers:
    for line in customers:
        if line.startswith('#'):
            continue
        cid, _, city = line.rstrip('\n').split('\t')
        CITIES[cid] = city

for line in sys.stdin:
    if line.startswith('#'):
        continue
    order, customer, amount = line.rstrip('\n').split('\t')[:3]
    print('%s\t%s\t%s' % (CITIES.get(customer, '?'), amount, order))
