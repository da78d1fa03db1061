"""Move a handwriting collection through a folder: PNG files and one CSV.

    DIR/drawings.csv          one row per drawing (COLUMNS below)
    DIR/0012-7.png            its 28x28, white ink on black, as the network saw it
    DIR/0012-7-picture.png    its full picture, when it has one

The 28x28 PNG holds exactly the stored bytes, so export then import gives the same
collection. Import also takes a folder a person made: a CSV with only `image` and `label`
columns (its drawings are marked as imported). Every row is checked before anything is
written, files are read only from inside the folder (plain names, regular files, sizes
checked before decoding), and all good rows are added in one transaction; bad rows are
skipped with a reason each. Export writes into a new or empty folder only, through a
hidden folder of its own that is renamed into place at the end: a failure leaves nothing.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ..data.regular_file import open_regular_file
from ..store.drawing_rows import (
    IMAGE_BYTES,
    MAX_PICTURE_BYTES,
    MAX_STROKES_TEXT,
    SIDE,
    SOURCES,
    Drawing,
    image_array,
    png_size,
    strokes_from_json,
    strokes_json,
)
from ..store.handwriting import HandwritingStore
from ..store.run_rows import BadRow

CSV_NAME = "drawings.csv"
COLUMNS = ("image", "label", "picture", "added", "predicted", "confidence", "model",
           "source", "strokes")
MAX_CSV_BYTES = 256_000_000
MAX_ROWS = 200_000
MAX_IMAGE_FILE = 65_536  # bytes of one 28x28 PNG (ours are ~0.5 KB)
MAX_SKIPPED_LISTED = 20  # reasons kept for the report; the rest are counted

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0  # rows equal to a drawing already in the collection
    skipped: list[str] = field(default_factory=list)  # "row 7: label 'x' is not a digit"
    skipped_count: int = 0

    def text(self) -> str:
        parts = [f"imported {self.added:,} drawing{'' if self.added == 1 else 's'}"]
        if self.duplicates:
            parts.append(f"{self.duplicates:,} already in the collection")
        if self.skipped_count:
            parts.append(f"{self.skipped_count:,} skipped")
        return ", ".join(parts)


def export_collection(store: HandwritingStore, folder: str | os.PathLike,
                      progress: Progress | None = None) -> int:
    """Write every readable drawing to `folder` (new, or an empty folder); return how many.

    Raises ValueError (a folder that is not empty, a file) or OSError before or while
    writing; whatever was written is removed then, and `folder` is left as it was.
    """
    target = Path(folder)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ValueError(f"{target} is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise ValueError(f"{target} is not empty: export into a new or empty folder")
    if not target.parent.is_dir():
        raise ValueError(f"{target.parent} does not exist")
    drawings, _ = store.full_drawings()
    work = target.parent / f".{target.name}.export-{os.getpid()}"
    work.mkdir()  # ours from here on: removed on any failure
    try:
        _write(work, drawings, progress)
        if target.is_dir():
            target.rmdir()  # empty (checked above); rename needs the name free everywhere
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return len(drawings)


def _write(folder: Path, drawings: list[Drawing], progress: Progress | None) -> None:
    with open(folder / CSV_NAME, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n, d in enumerate(drawings):
            stem = f"{d.id:04d}-{d.label}"
            image = Image.fromarray(np.rint(d.image28 * 255).astype(np.uint8), "L")
            image.save(folder / f"{stem}.png", "PNG")
            picture = ""
            if d.picture is not None:
                picture = f"{stem}-picture.png"
                (folder / picture).write_bytes(d.picture)
            writer.writerow([
                f"{stem}.png", d.label, picture, d.added, _blank(d.predicted),
                _blank(d.confidence), d.model, d.source,
                "" if d.strokes is None else strokes_json(d.strokes)])
            if progress is not None:
                progress(n + 1, len(drawings))


def _blank(value) -> str:
    return "" if value is None else str(value)


def import_collection(store: HandwritingStore, folder: str | os.PathLike,
                      progress: Progress | None = None) -> ImportReport:
    """Add the drawings of an exported (or hand-made) folder; return what happened.

    Raises ValueError with a one-line reason if the folder has no usable drawings.csv.
    """
    folder = Path(folder)
    rows = _read_csv(folder)
    report = ImportReport()
    known = {(d.image28.tobytes(), d.label, d.added) for d in store.listing().drawings}
    found: list[Drawing] = []
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            drawing = _drawing(folder, row)
        except (ValueError, BadRow, OSError) as exc:
            report.skipped_count += 1
            if len(report.skipped) < MAX_SKIPPED_LISTED:
                report.skipped.append(f"row {n}: {exc}")
            continue
        key = (drawing.image28.tobytes(), drawing.label, drawing.added)
        if drawing.added and key in known:
            report.duplicates += 1
        else:
            known.add(key)
            found.append(drawing)
        if progress is not None:
            progress(n - 1, len(rows))
    if found:
        store.add_many(found)
    report.added = len(found)
    return report


def _read_csv(folder: Path) -> list[dict]:
    path = folder / CSV_NAME
    try:
        with open_regular_file(path) as raw:
            size = os.fstat(raw.fileno()).st_size
            if size > MAX_CSV_BYTES:
                raise ValueError(f"{path} is too large ({size:,} bytes)")
            text = raw.read(MAX_CSV_BYTES + 1).decode("utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"{folder} has no {CSV_NAME}: not a folder made by Export") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    csv.field_size_limit(max(csv.field_size_limit(), MAX_STROKES_TEXT + 1024))  # strokes
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        names = reader.fieldnames or []
        if "image" not in names or "label" not in names:
            raise ValueError(f"{path} needs the columns image and label")
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ValueError(f"{path} has more than {MAX_ROWS:,} rows")
    except csv.Error as exc:
        raise ValueError(f"{path} is not a readable CSV ({exc})") from None
    return rows


def _drawing(folder: Path, row: dict) -> Drawing:
    label = _digit(row.get("label"), "label")
    image = _image28(folder, row.get("image"))
    picture_name = row.get("picture") or ""
    picture = None
    if picture_name:
        picture = _file_bytes(folder, picture_name, MAX_PICTURE_BYTES)
        png_size(picture)
    source = row.get("source") or "import"
    if source not in SOURCES:
        raise ValueError(f"source {source[:40]!r} is not one of {', '.join(SOURCES)}")
    predicted = row.get("predicted") or ""
    confidence = row.get("confidence") or ""
    try:
        confidence_value = float(confidence) if confidence else None
    except ValueError:
        raise ValueError(f"confidence {confidence[:40]!r} is not a number") from None
    strokes = row.get("strokes") or None
    return Drawing(
        label=label, image28=image, picture=picture,
        strokes=strokes_from_json(strokes) if strokes else None,
        predicted=_digit(predicted, "predicted") if predicted else None,
        confidence=confidence_value, model=(row.get("model") or "")[:200],
        source=source, added=(row.get("added") or "")[:64])


def _digit(text, name: str) -> int:
    if text is None or text.strip() not in tuple("0123456789"):
        raise ValueError(f"{name} {str(text)[:40]!r} is not a digit 0-9")
    return int(text)


def _image28(folder: Path, name) -> np.ndarray:
    data = _file_bytes(folder, name, MAX_IMAGE_FILE)
    try:
        with Image.open(io.BytesIO(data)) as im:
            size = im.size  # from the header: checked before decoding
            gray = (np.asarray(im.convert("L"), dtype=np.uint8) if size == (SIDE, SIDE)
                    else None)
    except Exception:  # the decoders report damaged files with many types: all "unreadable"
        raise ValueError(f"{name} is not a readable image (damaged, or not a PNG)") from None
    if gray is None or gray.size != IMAGE_BYTES:
        raise ValueError(f"{name} is {size[0]}x{size[1]}, not 28x28 (for pictures of any "
                         "size use `digitapp handwriting add`)")
    return image_array(gray.tobytes())


def _file_bytes(folder: Path, name, limit: int) -> bytes:
    """Return the bytes of `name`, a plain file name inside `folder`, of at most `limit`."""
    if not name or not isinstance(name, str) or name in (".", "..") \
            or "/" in name or "\\" in name or "\0" in name:
        raise ValueError(f"{str(name)[:60]!r} is not a file name in the folder")
    path = folder / name
    try:
        with open_regular_file(path, follow_links=False) as raw:
            size = os.fstat(raw.fileno()).st_size
            if size > limit:
                raise ValueError(f"{name} is too large ({size:,} bytes; limit {limit:,})")
            return raw.read(limit + 1)
    except FileNotFoundError:
        raise ValueError(f"{name} is missing") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError(f"{name} is a link (only files inside the folder are read)"
                             ) from None
        raise ValueError(f"{name}: {exc.strerror or 'not a regular file'}") from None
