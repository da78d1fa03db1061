"""Loading a model folder (see serialize.py for the format) as if it were hostile.

Everything is checked before it is used or allocated from:
- model.json: at most 1 MB, valid UTF-8 JSON nested at most MAX_JSON_DEPTH deep, and an
  architecture whose total size is computed and capped before any layer is built
  (Sequential.from_config);
- each .npy: opened relative to the folder without following symbolic links, a regular
  file (a FIFO would block a read forever), its header (read with numpy.lib.format, never
  np.load) giving float32 values of exactly the architecture's shape, the file's size
  exactly header + values (a 200 GB sparse file is refused before one byte is hashed), then
  its SHA-256, then finite values; BatchNorm variances must not be negative.

The folder is opened once and every file is read relative to that directory, so a load
never mixes files of two versions of a model. If a file goes missing or changes while the
folder's path has meanwhile been switched to another directory (a model saved again over
this one: model_save.py), the whole load starts again from the new directory
instead of reporting damage. Every problem ends as ModelError with one line naming the file.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import stat
from pathlib import Path

import numpy as np

from .model import Sequential, checked_architecture

FORMAT_VERSION = 1
MANIFEST = "model.json"
MAX_MANIFEST_BYTES = 1_000_000
MAX_JSON_DEPTH = 64  # a real model.json is nested 5 deep
LOAD_ATTEMPTS = 10  # tries of a load while its folder keeps being replaced under it
CHUNK = 1 << 20  # bytes read (and hashed) at a time
# Arrays one layer may store: the most any layer kind has is 4 (BatchNorm: gamma, beta and
# the running mean and variance); a manifest claiming more is not checked file by file.
MAX_ARRAYS_PER_LAYER = 8
LISTED = 5  # names an error message lists before "and N more"

# Where the OS can open files relative to a directory without following links (Linux,
# macOS); elsewhere files are opened by path after an lstat check.
_RELATIVE = (os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW")
             and hasattr(os, "O_DIRECTORY"))


class ModelError(ValueError):
    """A model folder that cannot be used, with a one-line reason naming the file."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Folder:
    """A model folder opened once; its files are opened relative to it, never via links."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        try:
            if _RELATIVE:
                self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
                info = os.fstat(self.fd)
            else:
                info = os.stat(path)
                if not stat.S_ISDIR(info.st_mode):
                    raise NotADirectoryError(errno.ENOTDIR, "not a directory")
        except FileNotFoundError:
            raise ModelError(f"{path}: no such model folder") from None
        except NotADirectoryError:
            raise ModelError(f"{path}: a model is a folder containing {MANIFEST}") from None
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            raise ModelError(f"{path}: cannot open the model folder ({_reason(exc)})") from None
        self.identity = (info.st_dev, info.st_ino)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def replaced(self) -> bool:
        """Return whether the folder's path now names another directory (or nothing)."""
        try:
            info = os.stat(self.path)
        except OSError:
            return True
        return (info.st_dev, info.st_ino) != self.identity

    def open_file(self, name: str, missing: str = "missing"):
        """Return (unbuffered binary file, size) for the regular file `name` in the folder;
        `missing` is what ModelError says if there is no such file."""
        path = self.path / name
        try:
            if self.fd is not None:
                # O_NONBLOCK: opening a FIFO must not wait for a writer; no effect on files.
                flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
                fd = os.open(name, flags, dir_fd=self.fd)
            else:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    raise OSError(errno.ELOOP, "symbolic link")
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            raise ModelError(f"{path}: {missing}") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ModelError(f"{path}: a symbolic link (a model's files must be inside "
                                 "its folder)") from None
            raise ModelError(f"{path}: unreadable ({_reason(exc)})") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise ModelError(f"{path}: not a regular file")
        return os.fdopen(fd, "rb", buffering=0), info.st_size


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def read_manifest(folder: str | Path) -> dict:
    """Return model.json of a model folder, checked for structure; raise ModelError."""
    opened = _Folder(Path(folder))
    try:
        return _read_manifest(opened)
    finally:
        opened.close()


def load_model(folder: str | Path) -> tuple[Sequential, dict]:
    """Return (model, manifest) from a model folder, verifying every file; raise ModelError.

    Only ever raises ModelError (for bad content, unreadable files, a folder too large or too
    deeply nested to load; any other content error escaping the checks becomes one too).
    """
    folder = Path(folder)
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        opened = _Folder(folder)
        try:
            return _load(opened)
        except ModelError:
            if attempt == LOAD_ATTEMPTS or not opened.replaced():
                raise
            # The folder was replaced while we read it (saved again): read the new one.
        except (MemoryError, RecursionError) as exc:
            raise ModelError(f"{folder}: too large or too deeply nested to load "
                             f"({type(exc).__name__})") from None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            # Last line of defence: a manifest shaped in a way no check foresaw is still
            # a bad model folder, never a traceback.
            raise ModelError(f"{folder}: not a usable model folder "
                             f"({type(exc).__name__}: {str(exc)[:120]})") from None
        finally:
            opened.close()
    raise AssertionError("unreachable")


def _load(opened: _Folder) -> tuple[Sequential, dict]:
    """Check the architecture, then every file's header and size against it, and only then
    build the model: a 200-byte model.json asking for 400 MB of weights without the files
    holding them is refused having allocated nothing (a model is built, and its weights
    allocated, only once files of that total size are known to be there)."""
    manifest = _read_manifest(opened)
    manifest_path = opened.path / MANIFEST
    try:
        layers, input_shape = checked_architecture(manifest.get("architecture"))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ModelError(f"{manifest_path}: bad architecture: {exc}") from None
    entries = manifest["parameters"]
    _check_files(opened, entries, layers, input_shape)
    # Every weight is read from its file next: no random initialisation.
    model = Sequential(layers, input_shape, initialise=False)
    expected = model.named_arrays()
    if set(entries) != set(expected):
        missing = sorted(set(expected) - set(entries))
        extra = sorted(set(entries) - set(expected))
        raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                         f"(missing {listed(missing)}; unexpected {listed(extra)})")
    for name, target in expected.items():
        _read_parameter(opened, name, entries[name], target)
    _check_statistics(model, opened.path, entries)
    return model, manifest


def listed(names: list[str]) -> str:
    """Return names for a one-line message: the first LISTED, then "and N more"."""
    if not names:
        return "none"
    shown = ", ".join(repr(n[:80]) for n in names[:LISTED])
    return shown + (f" and {len(names) - LISTED:,} more" if len(names) > LISTED else "")


def _check_files(opened: _Folder, entries: dict, layers, input_shape) -> None:
    """Check, before anything is built, that the files of the manifest's entries hold
    exactly the values each layer stores (from the layers' plans: nothing allocated).

    Entries are "layers.<index>.<key>"; each file's header must give float32 values and the
    file's size exactly header + values. Layer by layer the values must add up to what the
    layer stores; the exact names and shapes are checked against the built model after.
    """
    manifest_path = opened.path / MANIFEST
    stored, shape = [], tuple(input_shape)
    for layer in layers:
        shape, values, _ = layer.plan(shape)
        stored.append(values)
    by_layer: dict[int, list[str]] = {}
    unexpected = []
    for name in entries:
        parts = name.split(".") if isinstance(name, str) else []
        index = int(parts[1]) if (len(parts) == 3 and parts[0] == "layers"
                                  and parts[1].isascii() and parts[1].isdigit()
                                  and len(parts[1]) < 6) else -1
        if 0 <= index < len(layers) and stored[index]:
            by_layer.setdefault(index, []).append(name)
        else:
            unexpected.append(name)
    if unexpected:
        raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                         f"(unexpected {listed(sorted(unexpected))})")
    for index, values in enumerate(stored):
        names = by_layer.get(index, [])
        if values and not names:
            raise ModelError(f"{manifest_path}: parameters missing for layer {index} "
                             f"({layers[index].kind})")
        if len(names) > MAX_ARRAYS_PER_LAYER:
            raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                             f"({len(names):,} arrays for layer {index}; unexpected "
                             f"{listed(sorted(names))})")
        # _entry_file checks the entry (an object naming a .npy file) before it is used.
        shapes = {_entry_file(opened, name, entries[name]): _file_shape(opened, name,
                                                                        entries[name])
                  for name in names}
        found = sum(math.prod(shape) for shape in shapes.values())
        if found != values:
            problem = "missing" if found < values else "unexpected"
            files = "; ".join(f"{file}: shape {shape}" for file, shape in shapes.items())
            raise ModelError(f"{manifest_path}: parameters {problem} for layer {index} "
                             f"({layers[index].kind}): it stores {values:,} values, its "
                             f"files hold {found:,} ({files})")


def _file_shape(opened: _Folder, name: str, entry) -> tuple[int, ...]:
    """Return the shape of the float32 array in the entry's file, from its header, after
    checking that its size is exactly header + values (a sparse or truncated file is refused
    here)."""
    filename = _entry_file(opened, name, entry)
    path = opened.path / filename
    f, size = opened.open_file(filename)
    with f:
        try:
            shape, _, header_end = _read_header(f, path)
        except OSError as exc:
            raise ModelError(f"{path}: unreadable ({_reason(exc)})") from None
    count = math.prod(shape)  # Python ints: a claimed 10**30 values does not overflow
    if size != header_end + 4 * count:
        raise ModelError(f"{path}: {size:,} bytes where {header_end + 4 * count:,} were "
                         f"expected for shape {shape} (truncated, or not this array)")
    return shape


def _entry_file(opened: _Folder, name: str, entry) -> str:
    """Return the file name of a manifest entry: a plain name ending .npy inside the folder."""
    manifest_path = opened.path / MANIFEST
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        raise ModelError(f"{manifest_path}: entry for {name!r} has no file name")
    filename = entry["file"]
    if not is_parameter_file(filename):
        raise ModelError(f"{manifest_path}: bad file name {filename[:80]!r} for {name!r}")
    return filename


def is_parameter_file(filename: str) -> bool:
    """Return whether `filename` is one a manifest may name: a plain name (no "../", no
    folder, no absolute path) ending .npy."""
    return (filename not in ("", ".", "..") and "/" not in filename and "\\" not in filename
            and "\0" not in filename and Path(filename).name == filename
            and filename.endswith(".npy") and filename != ".npy")


def _read_manifest(opened: _Folder) -> dict:
    path = opened.path / MANIFEST
    f, size = opened.open_file(MANIFEST, f"missing (is {opened.path} a model folder?)")
    with f:
        if size > MAX_MANIFEST_BYTES:
            raise ModelError(f"{path}: too large to be a model description")
        try:
            data = f.read(MAX_MANIFEST_BYTES + 1)
        except OSError as exc:
            raise ModelError(f"{path}: unreadable ({_reason(exc)})") from None
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


def _read_parameter(opened: _Folder, name: str, entry, target: np.ndarray) -> None:
    """Fill `target` (a view into the model's parameters) from the entry's .npy file."""
    filename = _entry_file(opened, name, entry)
    expected_sum = entry.get("sha256")
    path = opened.path / filename
    f, size = opened.open_file(filename)
    with f:
        try:
            shape, fortran_order, header_end = _read_header(f, path)
            if shape != target.shape:
                raise ModelError(f"{path}: shape {shape} does not fit the architecture "
                                 f"(expected {target.shape})")
            if size != header_end + target.nbytes:
                raise ModelError(f"{path}: {size:,} bytes where {header_end + target.nbytes:,} "
                                 "were expected (truncated, or not this array)")
            digest = _read_values(f, header_end, target, path)
        except OSError as exc:
            raise ModelError(f"{path}: unreadable ({_reason(exc)})") from None
    if not isinstance(expected_sum, str) or digest != expected_sum.lower():
        raise ModelError(f"{path}: checksum mismatch (the file is damaged or was changed)")
    if fortran_order:  # column-major on disk (never written by digitapp, valid .npy)
        target[...] = target.reshape(-1).reshape(shape, order="F").copy()
    if not np.isfinite(target).all():
        raise ModelError(f"{path}: contains NaN or infinite values")


def _read_header(f, path: Path) -> tuple[tuple[int, ...], bool, int]:
    """Return (shape, fortran_order, header length) of an .npy file of float32 values."""
    readers = {(1, 0): np.lib.format.read_array_header_1_0,
               (2, 0): np.lib.format.read_array_header_2_0}
    try:
        version = np.lib.format.read_magic(f)
        if version not in readers:
            raise ValueError(f".npy format version {version} is not supported")
        # The header is a Python literal of at most 10,000 characters, parsed without eval.
        shape, fortran_order, dtype = readers[version](f)
    except (ValueError, EOFError, SyntaxError, TypeError) as exc:
        raise ModelError(f"{path}: not a plain numeric array ({exc})") from None
    if dtype.hasobject:
        raise ModelError(f"{path}: not a plain numeric array (its values would need "
                         "unpickling, which digitapp never does)")
    if dtype != np.float32:
        raise ModelError(f"{path}: expected float32 values, found {dtype}")
    return tuple(int(d) for d in shape), bool(fortran_order), f.tell()


def _read_values(f, header_end: int, target: np.ndarray, path: Path) -> str:
    """Read the values into `target` and return the SHA-256 of the whole file."""
    digest = hashlib.sha256()
    f.seek(0)
    digest.update(_read_exactly(f, header_end, path))
    flat = target.reshape(-1)  # a view into the model's parameters: read in place
    if not np.shares_memory(flat, target):  # (not contiguous: read beside, then copy)
        flat = np.empty(target.size, dtype=np.float32)
    buffer = memoryview(flat.view(np.uint8))
    done = 0
    while done < len(buffer):
        count = f.readinto(buffer[done : done + CHUNK])
        if not count:
            raise ModelError(f"{path}: truncated (it shrank while being read)")
        digest.update(buffer[done : done + count])
        done += count
    if f.read(1):
        raise ModelError(f"{path}: longer than its header says (it grew while being read)")
    if not np.shares_memory(flat, target):
        target[...] = flat.reshape(target.shape)
    return digest.hexdigest()


def _read_exactly(f, count: int, path: Path) -> bytes:
    data = b""
    while len(data) < count:
        more = f.read(count - len(data))
        if not more:
            raise ModelError(f"{path}: truncated")
        data += more
    return data


def _check_statistics(model: Sequential, folder: Path, entries: dict) -> None:
    """Refuse BatchNorm running variances below zero (inference takes their square root)."""
    for index, layer in enumerate(model.layers):
        variances = layer.buffers.get("running_var")
        if variances is not None and (variances < 0).any():
            name = entries[f"layers.{index}.running_var"]["file"]
            raise ModelError(f"{folder / name}: negative BatchNorm variances (a variance "
                             "cannot be below 0)")
