"""`digitapp handwriting add|list|remove|export|import` on a throw-away data folder."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from digitapp.cli import main
from digitapp.data.mnist import load_mnist
from digitapp.store.handwriting import HandwritingStore


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def digit_files(folder, count: int, offset: int = 0) -> list:
    """PNG files of MNIST test digits, dark ink on white and 3x larger, as a scan."""
    test = load_mnist("test")
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(offset, offset + count):
        image = Image.fromarray(255 - test.images[i]).resize((84, 84), Image.BILINEAR)
        path = folder / f"scan-{i}-{test.labels[i]}.png"
        image.save(path)
        paths.append(path)
    return paths


def test_add_list_remove_export_import(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(tmp_path / "data"))
    files = digit_files(tmp_path / "scans", 3)
    code, out, err = cli(capsys, "handwriting", "add", "--label", "7", *files)
    assert code == 0, err
    assert out.count("kept as #") == 3 and "a 7 (the model reads" in out
    code, out, _ = cli(capsys, "handwriting", "list", "--json")
    listing = json.loads(out)
    assert listing["count"] == 3 and listing["per_digit"][7] == 3
    assert {d["source"] for d in listing["drawings"]} == {"file"}
    assert all(d["model"] == "cnn" for d in listing["drawings"])
    stored = HandwritingStore(tmp_path / "data" / "handwriting.sqlite3").get(1)
    assert stored.picture.startswith(b"\x89PNG") and stored.strokes is None
    # What the network sees of the file is what is kept.
    from digitapp.data.preprocess import preprocess_file
    assert np.abs(stored.image28 - preprocess_file(files[0])).max() <= 0.5 / 255 + 1e-7

    code, out, _ = cli(capsys, "handwriting", "list")
    assert "3 drawings" in out and "7: 3" in out and "#1" in out

    code, out, err = cli(capsys, "handwriting", "remove", "2", "99")
    assert code == 1 and "removed 1 drawing" in out and "no drawing with id #99" in err
    assert "Traceback" not in err

    code, out, _ = cli(capsys, "handwriting", "export", tmp_path / "moved")
    assert code == 0 and "exported 2 drawings" in out
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(tmp_path / "other machine"))
    code, out, _ = cli(capsys, "handwriting", "import", tmp_path / "moved")
    assert code == 0 and "imported 2 drawings" in out
    code, out, _ = cli(capsys, "handwriting", "list", "--json")
    assert json.loads(out)["per_digit"][7] == 2


def test_bad_input_is_one_line_and_good_files_are_still_kept(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(tmp_path / "data"))
    good = digit_files(tmp_path / "scans", 1)[0]
    blank = tmp_path / "blank.png"
    Image.new("L", (50, 50), 255).save(blank)
    not_image = tmp_path / "notes.png"
    not_image.write_text("hello")
    code, out, err = cli(capsys, "handwriting", "add", "--label", "3", blank, not_image, good)
    assert code == 1 and "Traceback" not in err
    assert "blank.png: no digit found" in err and "notes.png" in err
    assert out.count("kept as #") == 1
    code, out, err = cli(capsys, "handwriting", "import", tmp_path / "scans")
    assert code == 1 and "no drawings.csv" in err and len(err.strip().splitlines()) == 1


def test_usage_errors_are_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(tmp_path / "data"))
    for argv in (("handwriting", "add", "--label", "12", "x.png"),
                 ("handwriting", "remove", "abc"),
                 ("handwriting",)):
        try:
            main(list(argv))
        except SystemExit as exc:
            assert exc.code == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and err.startswith("digitapp: ")
        assert "(see digitapp handwriting" in err and "error:" not in err


def test_a_damaged_collection_is_kept_aside_with_a_note(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "handwriting.sqlite3").write_bytes(b"damaged" * 1000)
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(data))
    code, out, err = cli(capsys, "handwriting", "list")
    assert code == 0 and "0 drawings" in out
    assert "digitapp: note: The handwriting collection could not be read" in err
    assert len(list(data.glob("handwriting.damaged-*.sqlite3"))) == 1
