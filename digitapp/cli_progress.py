"""A progress bar on stderr for a long computation written as steps (analysis.control).

Drawn only for a person watching: stderr is a terminal and the output is for reading
(not --json). The bar is tqdm's, as `train` draws its own, and is erased when done, so
that what stays on the screen is the result.
"""

from __future__ import annotations

import sys

from .analysis.control import Steps, T, drain

STEPS = 1000  # the bar's resolution: a fraction 0..1 becomes 0..STEPS
REDRAW_SECONDS = 0.1  # at most this often (tqdm's default): a terminal redraw is not free


def drain_with_bar(steps: Steps[T], show: bool = True) -> T:
    """Run `steps` to the end and return their result, with a bar on stderr when `show`
    and stderr is a terminal."""
    if not show or not sys.stderr.isatty():
        return drain(steps)
    from tqdm import tqdm

    with tqdm(total=STEPS, file=sys.stderr, leave=False, dynamic_ncols=True,
              mininterval=REDRAW_SECONDS, miniters=1,
              bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}") as bar:

        def report(fraction: float, text: str) -> None:
            bar.set_description_str(text, refresh=False)
            bar.update(max(0, round(fraction * STEPS) - bar.n))

        return drain(steps, report)
