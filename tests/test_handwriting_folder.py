"""Export to a folder and import from one (store/handwriting_folder.py): a collection moves
to another machine unchanged; a hostile folder adds nothing bad and breaks nothing."""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pytest
from PIL import Image

from digitapp.app.handwriting_folder import CSV_NAME, export_collection, import_collection
from digitapp.store.drawing_rows import Drawing
from digitapp.store.handwriting import HandwritingStore


def png(side: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (side, side), 200).save(out, "PNG")
    return out.getvalue()


def filled(path, count: int = 25) -> HandwritingStore:
    store = HandwritingStore(path)
    rng = np.random.default_rng(1)
    store.add_many([
        Drawing(k % 10, rng.random((28, 28)).astype(np.float32),
                picture=png(40 + k) if k % 2 else None,
                strokes=[(0.05, rng.random((4, 2)).astype(np.float32))] if k % 3 else None,
                predicted=None if k % 4 == 0 else (k + 3) % 10,
                confidence=None if k % 4 == 0 else 0.25 + k / 100,
                model="cnn", source="canvas" if k % 5 else "file")
        for k in range(count)])
    return store


def same(a: Drawing, b: Drawing) -> bool:
    strokes_equal = (a.strokes is None and b.strokes is None) or (
        a.strokes is not None and b.strokes is not None and len(a.strokes) == len(b.strokes)
        and all(p[0] == q[0] and np.array_equal(p[1], q[1])
                for p, q in zip(a.strokes, b.strokes, strict=True)))
    return (np.array_equal(a.image28, b.image28) and a.label == b.label
            and a.picture == b.picture and a.added == b.added and a.predicted == b.predicted
            and a.confidence == b.confidence and a.model == b.model and a.source == b.source
            and strokes_equal)


def test_export_then_import_into_an_empty_collection_round_trips(tmp_path):
    source = filled(tmp_path / "a.sqlite3")
    seen = []
    assert export_collection(source, tmp_path / "moved", lambda d, t: seen.append(d)) == 25
    assert seen[-1] == 25
    names = sorted(os.listdir(tmp_path / "moved"))
    assert CSV_NAME in names and len([n for n in names if n.endswith("-picture.png")]) == 12
    target = HandwritingStore(tmp_path / "b.sqlite3")
    report = import_collection(target, tmp_path / "moved")
    assert (report.added, report.duplicates, report.skipped) == (25, 0, [])
    before, _ = source.full_drawings()
    after, _ = target.full_drawings()
    assert len(after) == 25 and all(same(a, b) for a, b in zip(before, after, strict=True))
    # Importing the same folder again adds nothing.
    again = import_collection(target, tmp_path / "moved")
    assert (again.added, again.duplicates) == (0, 25)


def test_export_refuses_a_folder_with_files_and_leaves_it_alone(tmp_path):
    store = filled(tmp_path / "a.sqlite3", 3)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        export_collection(store, folder)
    assert os.listdir(folder) == ["thesis.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export_collection(store, empty) == 3


def test_a_failing_export_leaves_nothing_behind(tmp_path, monkeypatch):
    store = filled(tmp_path / "a.sqlite3", 5)

    def fail(done, total):
        if done == 3:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        export_collection(store, tmp_path / "out", fail)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite3"]


def write_rows(folder, rows, header=("image", "label")):
    folder.mkdir(exist_ok=True)
    with open(folder / CSV_NAME, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def test_a_hand_made_folder_imports_and_bad_rows_are_skipped_with_reasons(tmp_path):
    folder = tmp_path / "made"
    folder.mkdir()
    Image.fromarray(np.full((28, 28), 255, np.uint8)).save(folder / "one.png")
    Image.fromarray(np.zeros((64, 64), np.uint8)).save(folder / "big.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    (folder / "huge.png").write_bytes(b"0" * 100_000)
    outside = tmp_path / "secret.png"
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(outside)
    os.symlink(outside, folder / "link.png")
    os.mkfifo(folder / "fifo.png")
    write_rows(folder, [
        ("one.png", "4"),
        ("one.png", "x"),  # not a digit
        ("big.png", "1"),  # not 28x28
        ("broken.png", "1"),
        ("huge.png", "1"),  # too large to be a 28x28 PNG
        ("../secret.png", "1"),  # outside the folder
        ("link.png", "1"),  # a link out of it
        ("fifo.png", "1"),  # would block
        ("missing.png", "1"),
    ])
    store = HandwritingStore(tmp_path / "h.sqlite3")
    report = import_collection(store, folder)
    assert report.added == 1 and report.skipped_count == 8
    text = " | ".join(report.skipped)
    for reason in ("not a digit", "not 28x28", "not a readable image", "too large",
                   "not a file name", "missing", "is a link", "not a regular file"):
        assert reason in text
    kept = store.listing().drawings
    assert [d.label for d in kept] == [4] and kept[0].source == "import"
    assert np.array_equal(kept[0].image28, np.ones((28, 28), np.float32))


@pytest.mark.parametrize("content, message", [
    (None, "no drawings.csv"),
    (b"\xff\xfe garbage", "not UTF-8"),
    (b"name,digit\nx.png,1\n", "columns image and label"),
])
def test_a_folder_without_a_usable_csv_is_one_clear_error(tmp_path, content, message):
    folder = tmp_path / "f"
    folder.mkdir()
    if content is not None:
        (folder / CSV_NAME).write_bytes(content)
    store = HandwritingStore(tmp_path / "h.sqlite3")
    with pytest.raises(ValueError, match=message):
        import_collection(store, folder)
    assert store.listing().drawings == []
