"""Counts in words for the My handwriting tab: "1 drawing", "1,234 drawings"."""

from __future__ import annotations


def drawings_text(count: int) -> str:
    return f"{count:,} drawing{'' if count == 1 else 's'}"
