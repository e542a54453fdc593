"""Wall time (median of 3 runs) and peak memory of the England bundle build. Target: under 60 s.

Run: python benchmarks/bench_build_england.py [RAW_DIR]. Each run is a fresh subprocess, so the
peak resident memory (ru_maxrss) belongs to that build alone.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import dashboard

CHILD = """
import json, resource, sys, time
from pathlib import Path
from dashboard.sources.england import build_england
t = time.perf_counter()
build_england(Path(sys.argv[1]), Path(sys.argv[2]))
secs = time.perf_counter() - t
print(json.dumps({"seconds": secs, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    raw = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(
            os.environ.get(
                "PVE_RAW_DIR", Path(dashboard.PROJECT_ROOT).parent / "shared" / "data" / "raw"
            )
        )
    )
    runs = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as out:
            res = subprocess.run(
                [sys.executable, "-c", CHILD, str(raw), out],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    secs = [r["seconds"] for r in runs]
    print(
        f"build-england wall time: median {statistics.median(secs):.1f} s (runs: {', '.join(f'{s:.1f}' for s in secs)})"
    )
    print(f"peak memory (max RSS): {max(r['maxrss_mb'] for r in runs):.0f} MB")
    print("target: under 60 s")


if __name__ == "__main__":
    main()
