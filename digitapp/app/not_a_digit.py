""""That doesn't look like a digit": the shipped not-a-digit check, shared by every model.

The check is a small network of its own (weights/checks/not-a-digit, trained by
tools/train_not_a_digit.py on MNIST, stroke digits and generated non-digit drawings) that
reads the same 28x28 image as the digit model and scores how unlike a digit it is: its
probability of an eleventh class, "not a digit", beside the ten digits, averaged over a few
slightly turned, zoomed and slanted views of the image (check_views.py). An image scoring
above the threshold stored with it is declined. Being separate from the digit models, it
judges the input for all of them: the shipped MLP and CNN, and every model a user trains or
opened from an older version.

Why a separate network (README, "Not a digit", has the measurements): a digit model's own
confidence is > 99% on most letters and smileys (maximum-softmax AUROC 0.81-0.91), so no
threshold on it separates them without declining many digits.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine import ModelError, Sequential, load_model
from ..paths import weights_path
from .check_views import IDENTITY, View, parse_views, viewed
from .leaning_line import leaning_lines
from .models import IMAGE_VALUES

CHECK_PARTS = ("checks", "not-a-digit")  # under weights/
OUTPUTS = 11  # the check's classes: the digits 0-9, and 10 "not a digit"
NOT_A_DIGIT = "that doesn't look like a digit"  # the reason shown and printed


MAX_MEMBERS = 8  # networks in one check, at most
# The image's own view decides alone when its log-odds of "not a digit" are outside
# [ALL_VIEWS_FROM, ALL_VIEWS_BELOW) (p 0.5 to 0.9997): a clear digit or a clear non-digit.
# The other views would have to differ from it by far more than they do between a drawing
# and its turned copy to change the answer. Measured with v8 on its held-back digits and
# non-digits (MNIST validation and test, stroke and low-res digits; 17,600 drawings) and the
# development drawings: no digit's answer changes, 5 non-digits are declined that the mean
# would have let through, and 96% of MNIST test digits, 68-96% of non-digits and two thirds
# of the Draw tab's predictions while a digit is drawn need one view's work instead of
# seven (a lower bound of 1 changed nothing either; 2 changed one answer).
ALL_VIEWS_FROM, ALL_VIEWS_BELOW = 0.0, 8.0
VIEWED_GROUP = 256  # unsure images whose other views are made and read at once


@dataclass(frozen=True)
class NotADigitCheck:
    networks: tuple[Sequential, ...]  # its members: same inputs, 11 outputs each
    threshold: float  # scores above it are declined
    views: tuple[View, ...] = (IDENTITY,)  # what each member reads of an image (check_views)

    def scores(self, images28: np.ndarray) -> np.ndarray:
        """Return (N,) float32 scores in [0, 1] for images (N, 28, 28) or (N, 784) as
        to_mnist28 makes them: the mean log-odds of "not a digit" over the members and the
        views (the first view alone where it is clear, ALL_VIEWS_FROM), as a probability
        (one member, one view: its probability). Non-finite outputs score 1, and so do an
        image without ink (no digit; the app's preprocessing stops such drawings before, but
        `evaluate` reads 28x28 files as they are) and a straight line leaning further than
        a written 1 (leaning_line.py)."""
        images = np.asarray(images28, np.float32).reshape(-1, 28, 28)
        decided = leaning_lines(images) | ~(images > 0).any(axis=(1, 2))
        scores = self._network_scores(images, decided)
        scores[decided] = 1.0
        return scores

    def _network_scores(self, images28: np.ndarray,
                        decided: np.ndarray | None = None) -> np.ndarray:
        """The members' mean log-odds over the views, as a probability (N,); an image its
        own view finds clear (ALL_VIEWS_FROM, ALL_VIEWS_BELOW) is scored by that view alone;
        one `decided` (N,) bool already is not read at all (it scores 0.5 here)."""
        images = np.asarray(images28, np.float32).reshape(-1, 28, 28)
        mean = np.zeros(len(images))
        read = np.ones(len(images), bool) if decided is None else ~decided
        mean[read] = self._log_odds(viewed(images[read], self.views[:1]))
        unsure = np.flatnonzero(read & (mean >= ALL_VIEWS_FROM) & (mean < ALL_VIEWS_BELOW))
        if len(self.views) > 1:
            # In groups, so the warp's working arrays stay small (~20 MB): evaluating 200,000
            # blank images under a 500 MB cap ran out of memory with whole chunks of 1,000.
            for start in range(0, len(unsure), VIEWED_GROUP):
                group = unsure[start:start + VIEWED_GROUP]
                others = self._log_odds(viewed(images[group], self.views[1:]))
                others = others.reshape(len(self.views) - 1, len(group)).sum(axis=0)
                mean[group] = (mean[group] + others) / len(self.views)
        return (1 / (1 + np.exp(-mean))).astype(np.float32)

    def _log_odds(self, images: np.ndarray) -> np.ndarray:
        """(M,) float64: the members' mean log-odds of "not a digit" for images (M, 28, 28);
        a non-finite output counts as "not a digit" for sure."""
        log_odds = []
        for network in self.networks:
            x = images.reshape((len(images),) + network.input_shape)
            with np.errstate(all="ignore"):
                p = network.predict_proba(x)[:, OUTPUTS - 1].astype(np.float64)
            p = np.clip(np.where(np.isfinite(p), p, 1.0), 1e-12, 1 - 1e-12)
            log_odds.append(np.log(p) - np.log1p(-p))
        return np.mean(log_odds, axis=0) if len(images) else np.zeros(0)

    def declines(self, images28: np.ndarray) -> np.ndarray:
        """Return (N,) bool: True where the image is not a digit."""
        return self.scores(images28) > self.threshold


def check_path() -> Path:
    return weights_path(*CHECK_PARTS)


def open_check(folder: str | Path) -> NotADigitCheck:
    """Load a not-a-digit check; raise ModelError (one line) if unusable.

    `folder` is one member's model folder, or a folder of members 1, 2, ... (model folders
    named by number, as tools/assemble_not_a_digit.py writes them) that all record the same
    threshold, member count and views (a check without views reads the image alone).
    """
    folder = Path(folder)
    if (folder / "model.json").is_file():
        members = [folder]
    else:
        try:
            members = sorted((p for p in folder.iterdir() if p.name.isdigit()),
                             key=lambda p: int(p.name))[:MAX_MEMBERS + 1]
        except OSError as exc:
            raise ModelError(f"{folder}: cannot read the not-a-digit check ({exc.strerror})") \
                from None
        if not 1 <= len(members) <= MAX_MEMBERS:
            raise ModelError(f"{folder}: not a not-a-digit check (no members)")
    networks, thresholds, views = [], set(), set()
    for member in members:
        network, manifest = load_model(member)
        size = math.prod(network.input_shape)
        if size != IMAGE_VALUES or network.output_shape != (OUTPUTS,):
            raise ModelError(f"{member}: not a not-a-digit check (reads {network.input_shape}, "
                             f"gives {network.output_shape})")
        threshold = manifest.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
                or not 0.0 < threshold < 1.0:
            raise ModelError(f"{member}: the not-a-digit check has no usable threshold")
        if manifest.get("members", 1) != len(members):
            raise ModelError(f"{member}: the not-a-digit check is incomplete "
                             f"({len(members)} of {manifest.get('members')} members)")
        try:
            views.add(parse_views(manifest.get("views", [list(IDENTITY)])))
        except ValueError as exc:
            raise ModelError(f"{member}: the not-a-digit check's views are unusable ({exc})") \
                from None
        networks.append(network)
        thresholds.add(float(threshold))
    if len(thresholds) != 1 or len(views) != 1:
        raise ModelError(f"{folder}: the not-a-digit check's members disagree on the threshold "
                         "or the views")
    return NotADigitCheck(tuple(networks), thresholds.pop(), views.pop())


_lock = threading.Lock()
_shipped: list = []  # [check or None, note]: loaded once per process


def shipped_check() -> tuple[NotADigitCheck | None, str]:
    """Return (the shipped check or None, a note saying why it is missing), loaded once.

    Thread-safe: the Draw tab's worker, the CLI and the audit may ask at the same time.
    """
    with _lock:
        if not _shipped:
            try:
                _shipped[:] = [open_check(check_path()), ""]
            except ModelError as exc:
                _shipped[:] = [None, f"non-digits can't be declined: {exc}"]
        return _shipped[0], _shipped[1]
