"""At most `rate` updates per second on average, without making a steady stream wait.

A token bucket: a token is added every `interval` seconds (up to `burst` tokens); an
update takes a token, or waits for the next one. "Wait until one interval after the last
update" would be stricter but worse: a mouse reporting at exactly the limit arrives a
little early now and then (jitter), each early arrival waits, and the waits add up until
every update lags almost a whole interval behind the pen. A bucket of two tokens absorbs
that jitter, and still allows at most (elapsed / interval + burst) updates in any period.
"""

from __future__ import annotations


class RateLimiter:
    def __init__(self, interval: float, burst: int = 2) -> None:
        self.interval = interval  # seconds per token
        self.burst = burst  # tokens the bucket holds
        self._tokens = float(burst)
        self._stamp: float | None = None  # when _tokens was last brought up to date

    def delay(self, now: float) -> float:
        """Return how long (s) an update requested at `now` must wait; take its token.

        The caller must not ask again before that wait is over (the update is pending).
        """
        if self._stamp is not None:
            refill = (now - self._stamp) / self.interval
            self._tokens = min(float(self.burst), self._tokens + refill)
        self._stamp = now
        self._tokens -= 1.0
        # A negative balance is a token booked ahead: wait until it has been earned.
        return max(0.0, -self._tokens * self.interval)
