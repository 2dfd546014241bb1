"""Run every benchmark module and print one table of same-run ratios.

python -m benchmarks.run                 # full sizes (minutes)
python -m benchmarks.run --quick         # tiny sizes: a smoke test
python -m benchmarks.run --only curves   # modules whose name contains 'curves'
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import platform
import sys

import numpy as np

import benchmarks
from benchmarks._harness import format_table, measure


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: checks the benchmarks run")
    parser.add_argument("--only", default="", help="run only modules whose name contains this")
    args = parser.parse_args(argv)
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    results = []
    print(f"machine: {machine()}", flush=True)
    for name in names:
        if args.only not in name:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        for case in module.cases(quick=args.quick):
            if args.quick:
                case.repeat = 1
            result = measure(case)
            results.append(result)
            print(f"  {case.name}: course_lib {result.baseline_s:.4f} s", flush=True)
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
