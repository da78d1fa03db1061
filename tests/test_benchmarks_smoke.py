"""Every benchmark still runs: each one, in a tiny configuration, as a subprocess.

Nothing else runs the benchmarks, so a refactor could break one unnoticed (for a while
bench_draw_latency crashed in its breakdown after measuring). Checked here: each runs to
the end and prints the line of each of its parts. Not checked: its figures (timings belong
to the benchmarks themselves, on a quiet machine). Without PyTorch, bench_mlp and bench_cnn
time our engine alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
TIMEOUT_S = 180  # each, from the start; all together take about 20 s on two busy cores
GOALS_MISSED = 3  # bench_insights's exit status when it ran but missed a goal

ENGINE_VS_PYTORCH = ["--rounds", "1", "--batches", "2", "--warmup", "1",
                     "--latency-repeats", "5", "--json"]

# script: (tiny arguments ({tmp}: a temporary folder), a line each of its parts prints)
CASES = {
    "bench_mlp.py": (ENGINE_VS_PYTORCH, ["round 1: ours", "single-image inference: ours",
                                         '"ours_median_s"']),
    "bench_calibration.py": (["--drawn", "1", "--json",
                              "--model", str(BENCHMARKS.parent / "weights" / "mlp-512")],
                             ["T = ", "MNIST test", "drawn, neat", "drawn, messy",
                              "reliability MNIST test, after T", '"temperature"']),
    "bench_nondigits.py": (["--per-family", "1", "--drawn", "1", "--mnist", "500", "--json",
                            "--png-dir", "{tmp}/png",
                            "--model", str(BENCHMARKS.parent / "weights" / "mlp-512")],
                           ["non-digits: 1 per family", "all but digit-like", "MSP baseline: AUROC",
                            "MSP threshold declining", "CLI predict --json on", '"msp"']),
    "bench_unfamiliar_digits.py": (["--per-source", "3", "--cli", "1", "--json",
                                    "--model", str(BENCHMARKS.parent / "weights" / "mlp-512")],
                                   ["unfamiliar digits: 3 per source", "lowres_scans",
                                    "worst kinds:", "CLI predict --json on", '"decline_limit"']),
    "bench_time_to_99.py": (["--rounds", "1", "--epochs", "1", "--train-size", "1280",
                             "--eval-every", "5", "--json"],
                            ["round 1: ours", "ours: reached 99% in"]),
    "bench_cnn.py": (ENGINE_VS_PYTORCH, ["round 1: ours", "single-image inference: ours"]),
    "bench_draw_latency.py": (["--digits", "2", "--repeats", "5"],
                              ["mouse move -> bars painted", "one prediction (", "model "]),
    "bench_numbers.py": (["--per-gap", "2", "--cli", "1"],
                         ["canvas: whole-number", "image: whole-number", "touching",
                          "read_number on the canvas sheet", "the real CLI agreed on"]),
    "bench_personalize.py": (["--model", str(BENCHMARKS.parent / "weights" / "mlp-512"),
                              "--writers", "open", "--counts", "1", "--test-per-digit", "1",
                              "--passes", "1", "--batches-per-pass", "2",
                              "--mnist-test-images", "100"],
                             ["| writer | shipped | 1/digit |", "| open |"]),
    "bench_teach.py": (["--drawings", "12", "--model",
                        str(BENCHMARKS.parent / "weights" / "mlp-512")],
                       ["12 drawings:", "stall p50", "idle GUI stall p99"]),
    "bench_drawn_digits.py": (["--per-digit", "1", "--results", "{tmp}"],
                              ["neat hand, default brush:", "messy hand, random brush:"]),
    "bench_insights.py": (["--rounds", "1", "--images", "500", "--tsne-rounds", "1",
                           "--tsne-points", "200"],
                          ["evaluation + confusion of 500 images", "t-SNE 200 points",
                           "trustworthiness", "grid: worst ms"]),
    "bench_gui_training.py": (["--rounds", "1", "--epochs", "1", "--blas", "1",
                               "--train-size", "500"],
                              ["idle GUI", "cli_threads1", "gui blas=1", "GUI blas=1: median"]),
}


def test_every_benchmark_has_a_smoke_run():
    assert sorted(p.name for p in BENCHMARKS.glob("bench_*.py")) == sorted(CASES)


class Run:
    """One benchmark started as a subprocess, its output going to files in `folder`."""

    def __init__(self, script: str, folder: Path) -> None:
        self.script, self.folder = script, folder
        arguments = [a.replace("{tmp}", str(folder)) for a in CASES[script][0]]
        # Files, not pipes: nobody reads a pipe while the other benchmarks are awaited.
        with open(folder / "stdout", "w") as out, open(folder / "stderr", "w") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(BENCHMARKS / script), *arguments], cwd=folder,
                stdout=out, stderr=err, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        self.deadline = time.monotonic() + TIMEOUT_S

    def finish(self) -> tuple[int, str, str]:
        """Wait for the end (killing it at the deadline); return (status, stdout, stderr)."""
        try:
            status = self.process.wait(timeout=max(self.deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            status = f"killed after {TIMEOUT_S} s"
        return status, (self.folder / "stdout").read_text(), (self.folder / "stderr").read_text()


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory):
    """Start every selected benchmark at once; return {script: Run}.

    Together, not one after another: they mostly wait (pen-up pauses, idle timers, the
    mouse's schedule), so the whole file takes about as long as the slowest one.
    """
    selected = {item.callspec.params["script"] for item in request.session.items
                if item.module is request.module and hasattr(item, "callspec")}
    started = {script: Run(script, tmp_path_factory.mktemp(script.removesuffix(".py")))
               for script in sorted(selected)}
    yield started
    for run in started.values():
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()


@pytest.mark.parametrize("script", sorted(CASES))
def test_benchmark_runs_to_the_end(script, runs):
    run = runs[script]
    status, stdout, stderr = run.finish()
    report = f"{script} exited {status}\n{stdout}\n{stderr}"
    allowed = (0, GOALS_MISSED) if script == "bench_insights.py" else (0,)
    assert status in allowed, report
    assert "Traceback" not in stderr, report
    missing = [line for line in CASES[script][1] if line not in stdout]
    assert not missing, f"{script} did not print {missing}\n{report}"
    if script == "bench_drawn_digits.py":
        assert (run.folder / "drawn_digits.json").is_file()
    if script == "bench_nondigits.py":
        assert len(list((run.folder / "png").glob("*.png"))) == 5  # one per family
