"""The small CNN ("cnn-small"): the fastest of the architectures to 99% (issue 17)."""

from __future__ import annotations

import numpy as np

from digitapp.app.architectures import ARCHITECTURES, CONVOLUTIONAL, architecture_config, build
from digitapp.app.run_history import architecture
from digitapp.app.training import TrainingJob
from digitapp.data.mnist import load_mnist
from digitapp.engine import Control, TrainConfig, train
from digitapp.engine.model import describe_architecture


def test_cnn_small_is_a_narrower_cnn_with_the_same_blocks():
    small = architecture_config("cnn-small", [], 0.0)
    assert "cnn-small" in ARCHITECTURES and "cnn-small" in CONVOLUTIONAL
    assert describe_architecture(small) == "CNN c16-c32-128-10"
    assert architecture(TrainingJob(arch="cnn-small", dropout=0.0)) == "CNN c16-c32-128-10"
    kinds = [layer["type"] for layer in small["layers"]]
    assert kinds == [layer["type"] for layer in architecture_config("cnn", [], 0.0)["layers"]]
    # About a quarter of the two-block CNN's weights.
    assert build("cnn-small", [], 0.0, 0).num_parameters() * 3 < \
        build("cnn", [], 0.0, 0).num_parameters()


def test_cnn_small_learns_on_a_few_hundred_images():
    train_set = load_mnist("train")
    x, y = train_set.inputs()[:600], train_set.labels[:600].astype(np.int64)
    model = build("cnn-small", [], 0.0, seed=1)
    inputs = x.reshape(-1, 28, 28, 1)
    before = float((model.predict(inputs) == y).mean())
    config = TrainConfig(epochs=4, batch_size=32, lr=3e-3, schedule="cosine", seed=1,
                         workers=2, keep_best=False)
    events = list(train(model, inputs, y, inputs[:0], y[:0], config, Control()))
    assert type(events[-1]).__name__ == "Finished"
    after = float((model.predict(inputs) == y).mean())
    assert after > max(before + 0.3, 0.8)
    assert np.isfinite(model.params.values).all()


def test_the_99_percent_preset_is_offered_in_the_train_form(qtbot):
    from digitapp.app.presets import PRESETS, fast_99, preset_name
    from digitapp.gui.train.form import TrainForm

    job = fast_99()
    assert job.arch == "cnn-small" and job.config.epochs == 2 and job.augment is None
    assert preset_name(job) == "99% fast (2 epochs)" and "99% fast (2 epochs)" in PRESETS
    form = TrainForm()
    qtbot.addWidget(form)
    form.preset.setCurrentText("99% fast (2 epochs)")
    shown = form.job()
    assert shown.arch == "cnn-small" and shown.config == job.config
    assert shown.val_size == job.val_size and shown.dropout == job.dropout
