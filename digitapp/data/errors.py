"""The one error type every dataset loader raises for missing or bad data.

It lives in its own module so that `idx` (low level) and `mnist` (high level) can share it
without importing each other. Callers such as the CLI catch `DatasetError` and print its
message, which is always a single line naming the file and the problem.
"""

from __future__ import annotations


class DatasetError(ValueError):
    """A dataset file is missing, unreadable or does not hold what it should."""
