"""The command line as a newcomer meets it (issue 18): every failure in one style,
`digitapp: FILE: ...` or `digitapp: ...`, in the user's words; evaluate's progress bar on a
terminal only."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from PIL import Image

from digitapp import cli_progress
from digitapp.cli import main
from digitapp.data.idx import write_idx
from digitapp.data.mnist import load_mnist

# What none of the lines may say: argparse's and the libraries' own words.
FOREIGN = re.compile(r"error:|Pillow|PIL\b|argument |invalid (int|float|choice)|"
                     r"the following arguments|Traceback|Error\b")
BAR = re.compile(r"\d+%\|")  # tqdm's "  40%|####" (the bar's format in cli_progress.py)


def failure(capsys, *argv) -> tuple[int, list[str]]:
    """Run `digitapp ARGV` in-process; return its exit code and its stderr lines."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as done:  # argparse's usage errors
        code = done.code
    return code, capsys.readouterr().err.splitlines()


def assert_style(lines: list[str], start: str) -> None:
    assert len(lines) == 1, lines
    assert lines[0].startswith(start), lines
    assert FOREIGN.search(lines[0]) is None, lines


def test_a_file_that_is_not_an_image_says_which_formats_are_read(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    code, lines = failure(capsys, "predict", notes)
    assert code == 1
    assert_style(lines, f"digitapp: {notes}: not an image digitapp can read (")
    assert "PNG" in lines[0] and "JPEG" in lines[0]


def test_per_file_failures_share_one_style(tmp_path, capsys):
    blank = tmp_path / "blank.png"
    Image.new("L", (60, 60), 255).save(blank)
    gone = tmp_path / "gone.png"
    code, lines = failure(capsys, "predict", blank, gone)
    assert code == 1 and len(lines) == 2, lines
    assert_style(lines[:1], f"digitapp: {blank}: no digit found")
    assert_style(lines[1:], f"digitapp: {gone}: file not found")
    code, lines = failure(capsys, "predict", "--number", blank)
    assert code == 1
    assert_style(lines, f"digitapp: {blank}: no digit found")


def test_a_missing_model_is_one_line_without_error_prefix(capsys):
    code, lines = failure(capsys, "evaluate", "no-such-model")
    assert code == 1
    assert_style(lines, "digitapp: no-such-model: no such model")


@pytest.mark.parametrize("argv, start", [
    (["train", "--epochs", "x"], "digitapp: --epochs: 'x' is not a whole number"),
    (["train", "--lr", "fast"], "digitapp: --lr: 'fast' is not a number"),
    (["train", "--optimizer", "rmsprop"], "digitapp: --optimizer: 'rmsprop' is not one of: "),
    (["train", "--epochs"], "digitapp: --epochs needs a value"),
    (["predict"], "digitapp: missing IMAGE"),
    (["lern"], "digitapp: 'lern' is not a command (one of: train, "),
    (["data", "shw"], "digitapp: 'shw' is not an action (one of: info, verify)"),
])
def test_usage_errors_are_in_our_words_and_point_at_the_commands_help(capsys, argv, start):
    code, lines = failure(capsys, *argv)
    assert code == 2
    assert_style(lines, start)
    command = " ".join(["digitapp", *argv[:1]]) if argv[0] in ("train", "predict", "data") \
        else "digitapp"
    assert lines[0].endswith(f"(see {command} --help)"), lines


def test_an_unknown_option_points_at_its_own_commands_help(capsys):
    code, lines = failure(capsys, "data", "info", "--verbose")
    assert code == 2
    assert_style(lines, "digitapp: not understood: --verbose")
    assert lines[0].endswith("(see digitapp data info --help)")


@pytest.fixture
def small_test_set(tmp_path, monkeypatch):
    """300 of MNIST's test images as IDX files, evaluated in 6 steps of 100 (not 20 of
    1,000: the bar must move within a short run). Returns the evaluate options."""
    import digitapp.app.evaluation as evaluation

    monkeypatch.setattr(evaluation, "STEP_CHUNK", 100)
    test = load_mnist("test")
    write_idx(tmp_path / "images.idx", test.images[:300])
    write_idx(tmp_path / "labels.idx", test.labels[:300])
    return ["--images", tmp_path / "images.idx", "--labels", tmp_path / "labels.idx"]


def evaluate_in_process(capsys, monkeypatch, options, tty: bool) -> tuple[str, str]:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    assert main(["evaluate", "mlp-512", *map(str, options)]) == 0
    out = capsys.readouterr()
    return out.out, out.err


def test_evaluate_draws_a_bar_on_a_terminal_and_erases_it(capsys, monkeypatch,
                                                          small_test_set):
    monkeypatch.setattr(cli_progress, "REDRAW_SECONDS", 0)  # every step drawn, however fast
    out, err = evaluate_in_process(capsys, monkeypatch, small_test_set, tty=True)
    assert BAR.search(err), err
    # What is being done, step by step...
    assert "classifying 100 of 300 images" in err and "classifying 200 of 300 images" in err
    assert re.search(r"checking \d+ of 300 images for non-digits +\d+%\|", err), err
    # ... and erased at the end: the last thing written blanks the line.
    assert err.endswith("\r") and err.rstrip("\r").split("\r")[-1].strip() == "", err
    assert "accuracy" in out and not BAR.search(out)


def test_evaluate_draws_no_bar_when_piped_or_with_json(capsys, monkeypatch, small_test_set):
    _, err = evaluate_in_process(capsys, monkeypatch, small_test_set, tty=False)
    assert err == ""
    _, err = evaluate_in_process(capsys, monkeypatch, [*small_test_set, "--json"], tty=True)
    assert err == ""


def test_evaluate_in_a_real_terminal_shows_the_bar(small_test_set, tmp_path):
    """The same through a pseudo-terminal: stderr is a TTY, stdout a pipe."""
    script = ("import sys, digitapp.app.evaluation as e, digitapp.cli as c; "
              "e.STEP_CHUNK = 100; sys.exit(c.main(sys.argv[1:]))")
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide; a terminal window is not (80x24 here).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        done = subprocess.Popen(
            [sys.executable, "-c", script, "evaluate", "mlp-512",
             *map(str, small_test_set)], stdout=subprocess.PIPE, stderr=follower,
            env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        out = done.stdout.read().decode()
        assert done.wait(timeout=120) == 0, shown
    finally:
        os.close(leader)
    assert BAR.search(shown.decode(errors="replace")), shown
    assert "accuracy" in out and not BAR.search(out)


def test_robustness_progress_follows_the_same_rule(capsys, monkeypatch, small_test_set):
    options = [*small_test_set, "--robustness", "--robustness-images", "50"]
    _, err = evaluate_in_process(capsys, monkeypatch, [*options, "--json"], tty=True)
    assert err == ""
    _, err = evaluate_in_process(capsys, monkeypatch, options, tty=True)
    assert err.count(" 0%|") == 2, err  # two bars (evaluation, robustness), each drawn at 0%
