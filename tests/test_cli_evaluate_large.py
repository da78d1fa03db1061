"""`digitapp evaluate` on a large valid dataset stays within the hostile-input memory budget."""

from __future__ import annotations

import numpy as np
from hostile import run_cli

from digitapp.data.idx import write_idx
from digitapp.paths import weights_path


def test_evaluating_200000_images_stays_under_500_mb(tmp_path):
    # 200,000 blank images: 157 MB as uint8, 627 MB if turned into float32 inputs at once
    # (which is what ran out of memory under the cap before evaluation went in chunks).
    count = 200_000
    images, labels = tmp_path / "images.idx.gz", tmp_path / "labels.idx.gz"
    write_idx(images, np.zeros((count, 28, 28), np.uint8))
    write_idx(labels, (np.arange(count) % 10).astype(np.uint8))
    outcome = run_cli("evaluate", weights_path("mlp-512"), "--json",
                      "--images", images, "--labels", labels)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert '"count": 200000' in outcome.stdout
