"""Reading model.json as if it were hostile: at most MAX_MANIFEST_BYTES, valid UTF-8 JSON
nested at most MAX_JSON_DEPTH deep (counted without recursion), a digitapp model description
of FORMAT_VERSION with a 'parameters' object. Its architecture and entries are checked by the
loader (model_load.py); every problem here is a ModelError naming model.json.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model_folder import OpenedFolder, error_reason
from .model_format import FORMAT_VERSION, MANIFEST, ModelError

MAX_MANIFEST_BYTES = 1_000_000
MAX_JSON_DEPTH = 64  # a real model.json is nested 5 deep


def read_manifest(folder: str | Path) -> dict:
    """Return model.json of a model folder, checked for structure; raise ModelError."""
    opened = OpenedFolder(Path(folder))
    try:
        return manifest_in(opened)
    finally:
        opened.close()


def manifest_in(opened: OpenedFolder) -> dict:
    """Return the opened folder's model.json, checked for structure; raise ModelError."""
    path = opened.path / MANIFEST
    f, size = opened.open_file(MANIFEST, f"missing (is {opened.path} a model folder?)")
    with f:
        if size > MAX_MANIFEST_BYTES:
            raise ModelError(f"{path}: too large to be a model description")
        try:
            data = f.read(MAX_MANIFEST_BYTES + 1)
        except OSError as exc:
            raise ModelError(f"{path}: unreadable ({error_reason(exc)})") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise ModelError(f"{path}: too large to be a model description")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ModelError(f"{path}: not a model description (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError) as exc:  # ValueError: JSONDecodeError, huge ints
        raise ModelError(f"{path}: not valid JSON ({exc})") from None
    if _depth(manifest) > MAX_JSON_DEPTH:
        raise ModelError(f"{path}: not a model description (nested more than "
                         f"{MAX_JSON_DEPTH} deep)")
    if not isinstance(manifest, dict) or manifest.get("format") != "digitapp-model":
        raise ModelError(f"{path}: not a digitapp model description")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(f"{path}: format version {version!r} is not supported "
                         f"(this digitapp reads version {FORMAT_VERSION})")
    if not isinstance(manifest.get("parameters"), dict):
        raise ModelError(f"{path}: 'parameters' is missing or not an object")
    return manifest


def _depth(value) -> int:
    """Return how deeply lists and objects nest in a parsed JSON value (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth <= MAX_JSON_DEPTH:  # deeper than the limit: no need to look further
            stack.extend((child, depth + 1) for child in children)
    return deepest
