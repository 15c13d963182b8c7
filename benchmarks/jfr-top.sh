#!/usr/bin/env bash
# Summarise a JFR recording's execution samples: top frames (self) and top methods anywhere in the
# stack (total), optionally only samples whose stack contains a filter string (e.g. a thread's work).
# usage: benchmarks/jfr-top.sh recording.jfr [filter] [n]
set -euo pipefail
jfr print --events jdk.ExecutionSample --stack-depth 64 "$1" | python3 -c '
import sys, re, collections
flt = sys.argv[1] if len(sys.argv) > 1 else ""
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
self_c, total_c, samples = collections.Counter(), collections.Counter(), 0
for ev in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", ev, re.M)
    if not frames or (flt and flt not in ev):
        continue
    samples += 1
    self_c[frames[0]] += 1
    for f in set(frames):
        total_c[f] += 1
print(f"samples: {samples}")
print("-- self --")
for f, c in self_c.most_common(n): print(f"{100*c/samples:5.1f}%  {f}")
print("-- total --")
for f, c in total_c.most_common(n): print(f"{100*c/samples:5.1f}%  {f}")
' "${2:-}" "${3:-25}"
