"""Run one program and report its own wall time and peak RSS: `launch.py RESULT.json ARGV...`.

A child's `ru_maxrss` counts the address space it had before `exec`: a process spawned straight
from the benchmark (which holds every desk's pages) would report the benchmark's size. This tiny
launcher forks the program instead, so the figure is the program's own; the wall time is taken
around fork and wait4, without the launcher's own start-up. Output goes where the launcher's goes.
"""

import json
import os
import sys
import time

result, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(result, "w") as out:
    json.dump({"status": status, "wall": wall, "max_rss_kb": usage.ru_maxrss}, out)
