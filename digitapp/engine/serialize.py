"""Model folders: model.json plus one .npy per parameter, saved atomically, loaded safely.

    mlp-512/
      model.json          format version, architecture, preprocessing, training config,
                          metrics, and for every parameter its file, shape, dtype and SHA-256
      layers.0.W.npy      one array per parameter (np.save; loaded with allow_pickle=False)
      ...

Loading (model_load.py, reading model.json with model_manifest.py and each .npy with
npy_file.py) verifies everything before a single weight is used or anything is
allocated from what it read: the JSON's structure and size, the architecture's total size,
the arrays' headers against the architecture, every file's SHA-256, finite values. Any
problem raises ModelError with one line naming the file and what is wrong.
"""

from __future__ import annotations

# The loading side's public names, importable here.
from .model_format import FORMAT_VERSION, MANIFEST, ModelError  # noqa: F401
from .model_load import load_model, sha256_file  # noqa: F401
from .model_manifest import MAX_MANIFEST_BYTES, read_manifest  # noqa: F401

# Saving (model_save.py): the new model is written whole in a hidden sibling folder, flushed
# to disk, then put in place in one step (an exchange where the system has one), so a crash
# or a full disk leaves the old model or the new one, never half of one; only a model folder
# is ever replaced (a file or any other folder is refused with ModelError).
from .model_save import DiskFull, save_model  # noqa: F401
from .model_target import check_model_target  # noqa: F401
