"""The benchmark runner still runs (on tiny sizes) so it cannot rot; timings are not asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runner_quick_prints_a_ratio_table():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--only", "confusion"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "| confusion_matrix n=1e+04 K=2 |" in result.stdout
    assert "scikit-learn" in result.stdout and "x |" in result.stdout
