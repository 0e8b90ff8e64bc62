#!/usr/bin/env python3
# The instructions that cost most of one callgrind event (Benchmarks/PROFILE.md, tenth round).
#
#   valgrind --tool=callgrind --branch-sim=yes --cache-sim=yes --dump-instr=yes \
#       --callgrind-out-file=FILE BINARY ARGUMENTS...
#   python3 Benchmarks/cgaddr.py FILE EVENT [TOP] | swift demangle --simplified
#
# prints the TOP (default 40) instruction addresses by EVENT (Ir, Bcm, D1mr, DLmr, ...) with the
# function each is in; `objdump -d --start-address=...` shows the code around one. A call's
# inclusive cost (the line after `calls=`) is not counted at the caller.
import sys, re, collections
path, event = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
events = None; npos = 1; fnames = {}; cur_fn = None; addr = 0; skip = False
cost = collections.Counter(); where = {}
for line in open(path):
    line = line.rstrip('\n')
    if line.startswith('events:'):
        events = line.split()[1:]; idx = events.index(event); continue
    if line.startswith('positions:'):
        npos = len(line.split()) - 1; continue
    if line.startswith('cfn='):
        m = re.match(r'cfn=\((\d+)\)(?: (.*))?', line)
        if m and m.group(2): fnames[m.group(1)] = m.group(2)
        continue
    if line.startswith('fn='):
        m = re.match(r'fn=\((\d+)\)(?: (.*))?', line)
        if m:
            if m.group(2): fnames[m.group(1)] = m.group(2)
            cur_fn = fnames.get(m.group(1))
        else: cur_fn = line[3:]
        continue
    if line.startswith('calls='):
        skip = True; continue
    if not line or not (line[0] in '+-*0123456789'):
        continue
    parts = line.split()
    a = parts[0]
    if a.startswith('0x'): addr = int(a, 16)
    elif a.startswith('+'): addr += int(a[1:], 16) if a[1:].startswith('0x') else int(a[1:])
    elif a.startswith('-'): addr -= int(a[1:], 16) if a[1:].startswith('0x') else int(a[1:])
    elif a == '*': pass
    else:
        try: addr = int(a, 16) if a.startswith('0x') else int(a)
        except: continue
    if skip: skip = False; continue
    vals = parts[npos:]
    if idx < len(vals) and vals[idx]:
        try: v = int(vals[idx])
        except: continue
        cost[addr] += v; where[addr] = cur_fn
for a, v in cost.most_common(top):
    print(f"{a:#x} {v:>9} {(where[a] or '?')[:110]}")
