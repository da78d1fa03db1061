"""The Train form's values across restarts: one QSettings key holding a small JSON text.

What is kept is what the form shows (each field's text, each menu's internal value, the
check box, which groups are open), not a TrainingJob: the form checks it again on the way
back in, exactly as if the person typed it, and a value that no longer parses (an older
version's, a hand-edited one) sends the whole form back to the default preset.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

FORM_KEY = "train/form"
FORMAT = 1  # bump when the meaning of a kept value changes: older ones are then ignored


def remember_form(state: dict) -> None:
    """Keep `state` (the form's `state()`) for the next start."""
    QSettings().setValue(FORM_KEY, json.dumps({"format": FORMAT, **state}))


def recalled_form() -> dict | None:
    """Return the kept state, or None if there is none or it is not one this version wrote.

    Only the envelope is checked here (JSON, format, the kinds of values); whether the
    values themselves are acceptable is the form's to decide.
    """
    text = QSettings().value(FORM_KEY)
    if not isinstance(text, str):
        return None
    try:
        state = json.loads(text)
    except ValueError:
        return None
    if not isinstance(state, dict) or state.pop("format", None) != FORMAT:
        return None
    texts, menus, open_groups = (state.get(k) for k in ("texts", "menus", "open"))
    if not (_str_dict(texts) and _str_dict(menus) and isinstance(state.get("augment"), bool)
            and isinstance(open_groups, list) and all(isinstance(g, str) for g in open_groups)):
        return None
    return state


def forget_form() -> None:
    """Forget the kept state (the next form starts from the default preset)."""
    QSettings().remove(FORM_KEY)


def _str_dict(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items())
