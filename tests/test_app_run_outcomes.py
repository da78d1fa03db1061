"""run_training keeps what a run earned: a run that diverges after an epoch saves its best
weights; the RunRecorder turns the stream into the row the Runs table shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from digitapp.app import training
from digitapp.app.run_history import RunRecorder, job_as_dict, job_from_dict
from digitapp.app.training import ModelSaved, TrainingJob, run_training
from digitapp.data.augment import AugmentConfig
from digitapp.engine import BatchDone, EpochDone, Failed, TrainConfig, load_model


def test_a_run_diverging_after_an_epoch_saves_its_best_weights(tmp_path, monkeypatch):
    real_train = training.train

    def diverging_train(model, *args, **kwargs):
        # One real epoch, then the engine's divergence verdict (weights left as they are).
        events = list(real_train(model, *args, **kwargs))
        epochs = [e for e in events if isinstance(e, EpochDone)]
        yield from (e for e in events if isinstance(e, (BatchDone, EpochDone)))
        yield Failed("diverged", "the loss became huge: lower the learning rate", 1, 1.0,
                     epochs)

    monkeypatch.setattr(training, "train", diverging_train)
    job = TrainingJob(hidden=[16], config=TrainConfig(epochs=1, batch_size=20),
                      train_size=1000, val_size=100)
    recorder = RunRecorder(job)
    for event in run_training(job, tmp_path / "model"):
        recorder.feed(event)
    run = recorder.record()

    assert isinstance(event, ModelSaved)
    model, manifest = load_model(tmp_path / "model")
    assert manifest["training"]["status"] == "diverged"
    assert manifest["training"]["best_epoch"] == 0
    assert model.predict(np.zeros((2, 784), np.float32)).shape == (2,)
    assert run.status == "diverged" and "lower the learning rate" in run.message
    assert run.model_path == str(tmp_path / "model") and run.test_accuracy > 0.5
    assert len(run.batch_loss) == 50 and run.batches_per_epoch == 50


def test_a_job_survives_the_trip_through_the_database_as_json():
    job = TrainingJob(hidden=[256, 128], dropout=0.2, augment=AugmentConfig(max_shift=1.5),
                      config=TrainConfig(epochs=3, schedule="cosine"), train_size=1000)
    assert job_from_dict(job_as_dict(job)) == job
    slanted = TrainingJob(arch="cnn", augment=AugmentConfig(max_shear=0.3, max_aspect=0.1))
    assert job_from_dict(job_as_dict(slanted)) == slanted
    # A run recorded before slant existed has no such keys: they are off.
    old = job_as_dict(job)
    del old["augment"]["max_shear"], old["augment"]["max_aspect"]
    assert job_from_dict(old) == job


def test_runs_and_model_folders_name_every_architecture():
    import datetime as dt

    from digitapp.app.run_history import architecture
    from digitapp.app.training import new_model_folder

    when = dt.datetime(2026, 1, 2, 3, 4, 5)
    mlp = TrainingJob(hidden=[256, 64])
    cnn = TrainingJob(arch="cnn", dropout=0.3)
    cnn3 = TrainingJob(arch="cnn3", dropout=0.3)
    assert architecture(mlp) == "784-256-64-10"
    assert architecture(cnn) == "CNN c32-c64-256-10"
    assert architecture(cnn3) == "CNN c32-c64-c128-256-10"
    names = [new_model_folder(Path("/nowhere"), job, when).name for job in (mlp, cnn, cnn3)]
    assert names == ["mlp-256-64-20260102-030405", "cnn-20260102-030405",
                     "cnn3-20260102-030405"]
