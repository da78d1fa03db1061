"""The live-prediction rate limiter: never more than the rate, no creeping lag at the rate."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.gui.draw.throttle import RateLimiter

HZ60 = 1 / 60


def run(limiter: RateLimiter, arrivals) -> list[float]:
    """Return the update times for requests at `arrivals` (one pending update at a time)."""
    updates, pending_until = [], float("-inf")
    for now in arrivals:
        if now < pending_until:
            continue  # an update is already booked: it will include this change
        pending_until = now + limiter.delay(now)
        updates.append(pending_until)
    return updates


def test_a_steady_stream_at_the_rate_with_jitter_never_waits_more_than_the_jitter():
    rng = np.random.default_rng(0)
    arrivals = np.arange(600) * HZ60 + rng.uniform(-0.001, 0.001, 600)
    updates = run(RateLimiter(HZ60), arrivals)
    lags = np.array(updates) - arrivals[: len(updates)]
    assert len(updates) == 600
    assert lags.max() < 0.003  # no creep toward a whole interval


def test_a_fast_stream_is_held_to_the_rate():
    arrivals = np.arange(0, 2.0, 0.002)  # 500 requests per second for two seconds
    updates = run(RateLimiter(HZ60), arrivals)
    assert len(updates) <= 2.0 / HZ60 + 2
    assert len(updates) >= 2.0 / HZ60 - 2
    gaps = np.diff(updates[2:])  # after the burst allowance is spent
    assert gaps.min() == pytest.approx(HZ60, rel=0.2)


def test_a_pause_refills_the_burst():
    limiter = RateLimiter(HZ60, burst=2)
    assert limiter.delay(0.0) == 0.0
    assert limiter.delay(0.0001) == 0.0
    assert limiter.delay(0.0002) > 0.0  # bucket empty: wait for the next token
    assert limiter.delay(1.0) == 0.0  # a second later, full again
    assert limiter.delay(1.0) == 0.0
