"""What the screenshot scripts share: running the event loop until the app has done a job."""

from __future__ import annotations

import time


def wait_until(app, done, limit: float, what: str) -> None:
    """Run `app`'s events until done() is true; give up with a one-line exit after `limit`
    seconds, naming `what` was awaited."""
    start = time.monotonic()
    while not done():
        if time.monotonic() - start > limit:
            raise SystemExit(f"gave up waiting for {what}")
        app.processEvents()
        time.sleep(0.02)
