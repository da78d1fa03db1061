"""The handwriting collection (store/handwriting.py): what is kept comes back, nothing read is
trusted, a damaged file is kept aside, a killed writer leaves the file as it was."""

from __future__ import annotations

import io
import multiprocessing
import os
import sqlite3

import numpy as np
import pytest
from PIL import Image

from digitapp.store.database import StoreError
from digitapp.store.drawing_rows import Drawing
from digitapp.store.handwriting import HandwritingStore


def png(side: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("L", (side, side), 255).save(out, "PNG")
    return out.getvalue()


def drawing(label: int, seed: int = 0, **extra) -> Drawing:
    image = np.random.default_rng(seed).random((28, 28)).astype(np.float32)
    return Drawing(label, image, **extra)


@pytest.fixture
def store(tmp_path) -> HandwritingStore:
    return HandwritingStore(tmp_path / "handwriting.sqlite3")


def test_a_kept_drawing_comes_back_whole(store):
    strokes = [(0.04, np.array([[0.1, 0.2], [0.3, 0.45], [0.5, 0.5]], np.float32)),
               (0.06, np.array([[0.7, 0.1], [0.7, 0.9]], np.float32))]
    original = drawing(7, picture=png(), strokes=strokes, predicted=1, confidence=0.93,
                       model="cnn")
    ident = store.add(original)
    back = store.get(ident)
    assert back.label == 7 and back.predicted == 1 and back.confidence == pytest.approx(0.93)
    assert back.model == "cnn" and back.source == "canvas" and back.added
    # Kept as MNIST keeps digits: steps of 1/255, at most half a step away.
    assert np.abs(back.image28 - original.image28).max() <= 0.5 / 255 + 1e-7
    assert back.picture == png()
    assert len(back.strokes) == 2 and back.strokes[0][0] == pytest.approx(0.04)
    assert np.allclose(back.strokes[1][1], strokes[1][1])


def test_listing_counts_per_digit_and_training_arrays_match(store):
    store.add_many([drawing(k % 10, seed=k) for k in range(23)])
    listing = store.listing()
    assert listing.counts().tolist() == [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]
    ids, images, labels = store.training_arrays()
    assert images.shape == (23, 28, 28) and images.dtype == np.float32
    assert labels.tolist() == [k % 10 for k in range(23)]
    assert ids.tolist() == [d.id for d in listing.drawings]


def test_remove_then_restore_gives_back_the_same_ids(store):
    ids = store.add_many([drawing(d, seed=d, picture=png()) for d in range(5)])
    removed = store.remove([ids[1], ids[3]])
    assert sorted(d.id for d in removed) == [ids[1], ids[3]]
    assert [d.id for d in store.listing().drawings] == [ids[0], ids[2], ids[4]]
    store.add_many(removed, keep_ids=True)
    assert [d.id for d in store.listing().drawings] == ids
    assert store.get(ids[1]).picture == png()


@pytest.mark.parametrize("bad, reason", [
    (Drawing(10, np.zeros((28, 28))), "label"),
    (Drawing(3, np.zeros((27, 28))), "28x28"),
    (Drawing(3, np.full((28, 28), np.nan)), "finite"),
    (Drawing(3, np.full((28, 28), 2.0)), "0 to 1"),
    (Drawing(3, np.zeros((28, 28)), picture=b"not a png"), "PNG"),
    (Drawing(3, np.zeros((28, 28)), confidence=1.5), "confidence"),
    (Drawing(3, np.zeros((28, 28)), source="somewhere"), "source"),
])
def test_values_we_would_not_store_are_refused_before_writing(store, bad, reason):
    with pytest.raises(ValueError, match=reason):
        store.add_many([drawing(1), bad])  # all or none
    assert store.listing().drawings == []


def test_rows_written_by_someone_else_are_skipped_and_counted(store):
    good = store.add(drawing(4))
    con = sqlite3.connect(store.path)
    with con:
        rows = [
            (11, "t", os.urandom(784), None, None, "", "canvas"),  # label out of range
            (2, "t", b"short", None, None, "", "canvas"),  # image not 784 bytes
            (2, "t", os.urandom(784), None, 7.5, "", "canvas"),  # confidence > 1
            ("two", "t", os.urandom(784), None, None, "", "canvas"),  # label not a number
            (2, "t", os.urandom(784), None, None, "", "elsewhere"),  # unknown source
            (2, "t", os.urandom(10_000_000), None, None, "", "canvas"),  # huge image
        ]
        con.executemany("INSERT INTO drawings (label, added, image28, predicted, confidence,"
                        " model, source) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("INSERT INTO drawings (label, added, image28, source, strokes) "
                    "VALUES (3, 't', ?, 'canvas', '[[0.1, [1e999, 2]]]')", (os.urandom(784),))
    con.close()
    listing = store.listing()
    bad_strokes = max(row[0] for row in sqlite3.connect(store.path).execute(
        "SELECT id FROM drawings"))
    # The listing does not read strokes: that row's image and label are fine there.
    assert [d.id for d in listing.drawings] == [good, bad_strokes]
    assert listing.unreadable == 6 and "6 drawings could not be read" in listing.note()
    with pytest.raises(StoreError, match="cannot be read"):
        store.get(bad_strokes)


def test_a_damaged_file_is_kept_aside_and_a_fresh_collection_started(tmp_path):
    path = tmp_path / "handwriting.sqlite3"
    path.write_bytes(b"not a database at all\n" * 400)
    store = HandwritingStore(path)
    assert store.problem is None
    assert "handwriting collection could not be read" in store.notice
    kept = list(tmp_path.glob("handwriting.damaged-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")
    store.add(drawing(2))
    assert len(store.listing().drawings) == 1


def _add_then_die(path: str) -> None:
    """Start adding 50 drawings in one transaction and die (no commit, no cleanup) midway."""
    store = HandwritingStore(path)
    original = store._session

    class Dying:
        def __init__(self, timeout):
            self.inner = original(timeout)

        def __enter__(self):
            con = self.inner.__enter__()
            real = con.execute

            def execute(sql, *args):
                result = real(sql, *args)
                if sql.startswith("INSERT") and real("SELECT count(*) FROM drawings"
                                                     ).fetchone()[0] >= 12:
                    os._exit(3)  # killed in the middle of the save
                return result

            class Wrapped:
                def __getattr__(self, name):
                    return execute if name == "execute" else getattr(con, name)

            return Wrapped()

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

    store._session = Dying
    store.add_many([drawing(k % 10, seed=k) for k in range(50)])


def test_a_writer_killed_mid_transaction_leaves_the_collection_as_it_was(tmp_path):
    path = tmp_path / "handwriting.sqlite3"
    store = HandwritingStore(path)
    store.add_many([drawing(k % 10, seed=100 + k) for k in range(10)])
    process = multiprocessing.get_context("fork").Process(target=_add_then_die,
                                                          args=(str(path),))
    process.start()
    process.join(60)
    assert process.exitcode == 3  # it really died inside the transaction
    listing = HandwritingStore(path).listing()
    assert len(listing.drawings) == 10 and listing.unreadable == 0
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_a_newer_format_is_not_touched(tmp_path):
    path = tmp_path / "handwriting.sqlite3"
    HandwritingStore(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    store = HandwritingStore(path)
    assert "newer digitapp" in store.problem
    with pytest.raises(StoreError, match="newer digitapp"):
        store.add(drawing(1))


def test_counts_per_digit_come_from_one_query_and_skip_foreign_labels(store):
    store.add_many([drawing(k % 10, seed=k) for k in range(23)])
    con = sqlite3.connect(store.path)
    with con:
        con.execute("INSERT INTO drawings (label, added, image28, source) "
                    "VALUES ('seven', 't', ?, 'canvas')", (os.urandom(784),))
        con.execute("INSERT INTO drawings (label, added, image28, source) "
                    "VALUES (12, 't', ?, 'canvas')", (os.urandom(784),))
    con.close()
    assert store.counts().tolist() == [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]
    assert store.counts().tolist() == store.listing().counts().tolist()
