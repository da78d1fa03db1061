"""The configuration form: architecture, hyperparameters and data of a run, with presets.

Every text field refuses a bad value as it is typed (red frame, the reason listed under the
form); `job()` is None until the whole form describes a valid TrainingJob, and the Train
tab keeps Start disabled until then.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.architectures import default_workers
from digitapp.app.presets import PRESETS, preset_name
from digitapp.app.training import TrainingJob
from digitapp.data.augment import AugmentConfig
from digitapp.engine import TrainConfig
from digitapp.gui.train.fields import CheckedField, layer_sizes, real, whole

CUSTOM = "Custom"
MNIST_TRAIN = 60_000
NETWORKS = {"MLP (784-hidden-10)": "mlp", "CNN (conv 32, conv 64, dense 256)": "cnn",
            "CNN, 3 blocks (conv 32, 64, 128, dense 256; as shipped)": "cnn3"}
OPTIMIZERS = {"Adam": "adam", "SGD with momentum": "sgd"}
SCHEDULES = {"Constant": "constant", "Step (x factor every N epochs)": "step",
             "Cosine": "cosine"}

# key -> (label, parser, placeholder). Order is the form's order (combos slot in between).
FIELDS = {
    "hidden": ("Hidden layers", layer_sizes(), "e.g. 512 or 256, 128"),
    "dropout": ("Dropout", real(0.0, 0.9, example="0.1"), "0 to 0.9"),
    "epochs": ("Epochs", whole(1, 1000), ""),
    "batch_size": ("Batch size", whole(1, 8192), ""),
    "lr": ("Learning rate", real(0.0, float("inf"), low_open=True, example="0.001"), ""),
    "momentum": ("Momentum", real(0.0, 1.0, high_open=True, example="0.9"), "SGD only"),
    "l2": ("L2 penalty λ", real(0.0, float("inf"), example="0.01"), ""),
    "weight_decay": ("Weight decay", real(0.0, 1.0, high_open=True, example="0.0005"), ""),
    "seed": ("Seed", whole(0, 2**32 - 1), ""),
    "step_every": ("  every N epochs", whole(1, 1000), "step schedule"),
    "step_factor": ("  times factor", real(0.0, 1.0, low_open=True, high_open=True,
                                           example="0.8"), "step schedule"),
    "aug_shift": ("  max shift (px)", real(0.0, 8.0, example="2"), ""),
    "aug_rotation": ("  max turn (degrees)", real(0.0, 90.0, example="12"), ""),
    "aug_scale": ("  max zoom change", real(0.0, 0.5, example="0.1"), "0.1 = 0.9x to 1.1x"),
    "aug_thickness": ("  stroke change chance", real(0.0, 1.0, example="0.3"), "0 to 1"),
    "train_size": ("Training images", whole(10, MNIST_TRAIN - 10, blank=None), "all"),
    "val_size": ("Validation images", whole(0, 30_000), ""),
}


class TrainForm(QWidget):
    """Fields for a TrainingJob; `changed` fires on every edit, `job()` reads the form."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainForm")
        self.setStyleSheet('QLineEdit[invalid="true"] { border: 2px solid #d0342c; }')
        self.preset = QComboBox()
        self.preset.setObjectName("presetCombo")
        self.preset.addItems([*PRESETS, CUSTOM])
        self.fields = {key: CheckedField(label, parse, hint)
                       for key, (label, parse, hint) in FIELDS.items()}
        for key, field in self.fields.items():
            field.setObjectName(f"field_{key}")
        self.network = QComboBox()
        self.network.setObjectName("networkCombo")
        self.network.addItems(list(NETWORKS))
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        for combo in (self.preset, self.network, self.optimizer, self.schedule):
            # Let the combos be narrower than their longest entry (the form is a column).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.augment = QCheckBox("shift, turn, zoom, stroke")
        self._augment_config = AugmentConfig()  # the strengths used when ticked
        self.problems = QLabel()
        self.problems.setObjectName("formProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d0342c;")
        self._lay_out()

        self._loading = False
        self.preset.currentTextChanged.connect(self._preset_chosen)
        for field in self.fields.values():
            field.textChanged.connect(self._edited)
        self.network.currentTextChanged.connect(self._edited)
        self.optimizer.currentTextChanged.connect(self._edited)
        self.schedule.currentTextChanged.connect(self._edited)
        self.augment.toggled.connect(self._edited)
        self.set_job(next(iter(PRESETS.values()))())

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Preset", self.preset)
        # A field key, or (label, widget) for the controls that are not text fields.
        rows = [("Network", self.network), "hidden", "dropout", "epochs", "batch_size",
                ("Optimizer", self.optimizer), "lr", "momentum", ("Schedule", self.schedule),
                "step_every", "step_factor", "l2", "weight_decay",
                ("Augmentation", self.augment), "aug_shift", "aug_rotation", "aug_scale",
                "aug_thickness", "train_size", "val_size", "seed"]
        for row in rows:
            if isinstance(row, str):
                form.addRow(self.fields[row].name, self.fields[row])
            else:
                form.addRow(*row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.problems)

    # -- reading and writing ---------------------------------------------------------------
    def set_job(self, job: TrainingJob) -> None:
        """Fill the form from `job` (the preset menu follows)."""
        self._loading = True
        try:
            c = self.fields
            self.network.setCurrentText(_label(NETWORKS, job.arch))
            c["hidden"].setText(", ".join(str(h) for h in job.hidden))
            c["dropout"].setText(f"{job.dropout:g}")
            c["epochs"].setText(str(job.config.epochs))
            c["batch_size"].setText(str(job.config.batch_size))
            c["lr"].setText(f"{job.config.lr:g}")
            c["momentum"].setText(f"{job.config.momentum:g}")
            c["l2"].setText(f"{job.config.l2:g}")
            c["weight_decay"].setText(f"{job.config.weight_decay:g}")
            c["seed"].setText(str(job.config.seed))
            c["train_size"].setText("" if job.train_size is None else str(job.train_size))
            c["val_size"].setText(str(job.val_size))
            self.optimizer.setCurrentText(_label(OPTIMIZERS, job.config.optimizer))
            self.schedule.setCurrentText(_label(SCHEDULES, job.config.schedule))
            c["step_every"].setText(str(job.config.step_every))
            c["step_factor"].setText(f"{job.config.step_factor:g}")
            self.augment.setChecked(job.augment is not None)
            # Slant and width have no fields: a job's own (a preset's) are kept.
            self._augment_config = augment = job.augment or AugmentConfig()
            c["aug_shift"].setText(f"{augment.max_shift:g}")
            c["aug_rotation"].setText(f"{augment.max_rotation:g}")
            c["aug_scale"].setText(f"{augment.scale_range[1] - 1:g}")
            c["aug_thickness"].setText(f"{augment.thickness_prob:g}")
        finally:
            self._loading = False
        self._edited()

    def job(self) -> TrainingJob | None:
        """Return the job the form describes, or None while any value is refused."""
        if self.problem_list():
            return None
        job = self._build()
        try:
            job.validate()
        except ValueError as exc:  # the fields' ranges should make this unreachable
            self.problems.setText(str(exc))
            self.problems.show()
            return None
        return job

    def problem_list(self) -> list[str]:
        """Return every refused value as 'Field: reason' (empty when the form is valid)."""
        return [f"{f.name}: {f.problem}" for f in self.fields.values()
                if f.problem and f.isEnabledTo(self)]

    def _build(self) -> TrainingJob:
        v = {key: field.value() for key, field in self.fields.items()
             if field.problem is None and field.isEnabledTo(self)}
        sgd = OPTIMIZERS[self.optimizer.currentText()] == "sgd"
        defaults = TrainConfig()  # what fields that do not apply (disabled) stand for
        config = TrainConfig(
            epochs=v["epochs"], batch_size=v["batch_size"],
            optimizer=OPTIMIZERS[self.optimizer.currentText()], lr=v["lr"],
            momentum=v["momentum"] if sgd else defaults.momentum,
            schedule=SCHEDULES[self.schedule.currentText()],
            step_every=v.get("step_every", defaults.step_every),
            step_factor=v.get("step_factor", defaults.step_factor),
            l2=v["l2"], weight_decay=v["weight_decay"],
            seed=v["seed"], workers=default_workers(NETWORKS[self.network.currentText()]))
        augment = None
        if self.augment.isChecked():
            kept = self._augment_config
            augment = AugmentConfig(
                max_shift=v["aug_shift"], max_rotation=v["aug_rotation"],
                scale_range=(1.0 - v["aug_scale"], 1.0 + v["aug_scale"]),
                thickness_prob=v["aug_thickness"], max_shear=kept.max_shear,
                max_aspect=kept.max_aspect)
            if _same_strengths(augment, kept):
                augment = kept  # exactly the preset's (no float round trip through text)
        arch = NETWORKS[self.network.currentText()]
        # The CNN's layers are fixed (digitapp.app.architectures.cnn_config): no hidden
        # sizes; keep the MLP default so that the job stays valid and comparable.
        hidden = v["hidden"] if arch == "mlp" else [512]
        return TrainingJob(hidden=hidden, dropout=v["dropout"], arch=arch, config=config,
                           augment=augment,
                           train_size=v["train_size"], val_size=v["val_size"],
                           command="digitapp (Train tab)")

    # -- reactions ---------------------------------------------------------------------------
    def _preset_chosen(self, name: str) -> None:
        if name in PRESETS and not self._loading:
            self.set_job(PRESETS[name]())

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self.fields["momentum"].setEnabled(OPTIMIZERS[self.optimizer.currentText()] == "sgd")
        step = SCHEDULES[self.schedule.currentText()] == "step"
        for key in ("step_every", "step_factor"):
            self.fields[key].setEnabled(step)
        for key in ("aug_shift", "aug_rotation", "aug_scale", "aug_thickness"):
            self.fields[key].setEnabled(self.augment.isChecked())
        self.fields["hidden"].setEnabled(NETWORKS[self.network.currentText()] == "mlp")
        self._check_sizes()
        problems = self.problem_list()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        name = None if problems else preset_name(self._build())
        self.preset.blockSignals(True)
        self.preset.setCurrentText(name or CUSTOM)
        self.preset.blockSignals(False)
        self.changed.emit()

    def _check_sizes(self) -> None:
        """Refuse a training-set size larger than what the validation split leaves."""
        train, val = self.fields["train_size"], self.fields["val_size"]
        train.check()
        if train.problem or val.problem or train.value() is None:
            return
        left = MNIST_TRAIN - val.value()
        if train.value() > left:
            train.set_problem(f"at most {left:,} (60,000 minus the validation images), "
                              "or empty for all")


def _same_strengths(a: AugmentConfig, b: AugmentConfig) -> bool:
    """Return True if two augmentations agree to the digits the form shows."""
    def shown(c: AugmentConfig):
        return [f"{v:g}" for v in (c.max_shift, c.max_rotation, c.scale_range[0],
                                   c.scale_range[1], c.thickness_prob)]
    return shown(a) == shown(b) and (a.max_shear, a.max_aspect) == (b.max_shear, b.max_aspect)


def _label(choices: dict[str, str], value: str) -> str:
    """Return the menu label of an internal value (e.g. 'adam' -> 'Adam')."""
    return next((label for label, v in choices.items() if v == value), next(iter(choices)))
