"""The configuration form: architecture, hyperparameters and data of a run, with presets.

The fields sit in foldable groups (Network, Optimisation, Regularisation, Augmentation,
Data; form_fields.GROUPS), each with a tooltip saying what it does, its range and its
effect. Every text field refuses a bad value as it is typed: a red frame and the reason in
a small red line under it; `problems` is the one-line status the Train tab shows beside
Start ("Start is off: ..."). `job()` is None until the whole form describes a valid
TrainingJob, and the tab keeps Start disabled until then. The values are remembered
across restarts (form_memory); a first start shows the quick default preset.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.presets import DEFAULT_PRESET, PRESET_NOTES, PRESETS, preset_name
from digitapp.app.training import TrainingJob
from digitapp.data.augment import AugmentConfig
from digitapp.gui.train.fields import CheckedField
from digitapp.gui.train.form_fields import (
    FIELDS,
    GROUPS,
    HELP,
    MENU_HELP,
    MNIST_TRAIN,
    NETWORKS,
    OPTIMIZERS,
    SCHEDULES,
)
from digitapp.gui.train.form_group import REFUSED_STYLE, FormGroup
from digitapp.gui.train.form_job import form_job, form_values
from digitapp.gui.train.form_memory import recalled_form, remember_form

__all__ = ["FIELDS", "NETWORKS", "OPTIMIZERS", "SCHEDULES", "TrainForm"]

CUSTOM = "Custom"
STATUS_OK = ""  # the status line is hidden while Start can be pressed


class TrainForm(QWidget):
    """Fields for a TrainingJob; `changed` fires on every edit, `job()` reads the form."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainForm")
        self.setStyleSheet('QLineEdit[invalid="true"] { border: 2px solid #d0342c; }')
        self.preset = _menu("presetCombo", [*PRESETS, CUSTOM], PRESET_NOTES)
        self.preset.setItemData(len(PRESETS), "Values of your own (no preset has them all).",
                                Qt.ItemDataRole.ToolTipRole)
        self.fields = {key: CheckedField(label.strip(), parse, hint)
                       for key, (label, parse, hint) in FIELDS.items()}
        for key, field in self.fields.items():
            field.setObjectName(f"field_{key}")
        self.network = _menu("networkCombo", list(NETWORKS), MENU_HELP)
        self.optimizer = _menu("optimizerCombo", list(OPTIMIZERS), MENU_HELP)
        self.schedule = _menu("scheduleCombo", list(SCHEDULES), MENU_HELP)
        self.augment = QCheckBox("Augment the training images")
        self.augment.setObjectName("augmentCheck")
        self._augment_config = AugmentConfig()  # the strengths used when ticked
        # The status line: why Start is off, in one line (the tab places it beside Start).
        self.problems = QLabel()
        self.problems.setObjectName("formProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(REFUSED_STYLE.replace("font-size: small;", ""))
        self.groups: dict[str, FormGroup] = {}
        self._lay_out()

        self._loading = False
        self.preset.currentTextChanged.connect(self._preset_chosen)
        for field in self.fields.values():
            field.textChanged.connect(self._edited)
        for combo in (self.network, self.optimizer, self.schedule):
            combo.currentTextChanged.connect(self._edited)
        self.augment.toggled.connect(self._edited)
        if not self.restore(recalled_form()):
            self.set_job(PRESETS[DEFAULT_PRESET]())
        for group in self.groups.values():
            group.toggled.connect(self._remember)

    def _lay_out(self) -> None:
        preset_label = QLabel("Preset")
        preset_label.setBuddy(self.preset)
        preset_label.setToolTip(HELP["preset"])
        self.preset.setToolTip(HELP["preset"])
        preset_row = QHBoxLayout()
        preset_row.addWidget(preset_label)
        preset_row.addWidget(self.preset, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(preset_row)
        controls = {"network": self.network, "optimizer": self.optimizer,
                    "schedule": self.schedule}
        for title, (rows, open_, tooltip) in GROUPS.items():
            group = FormGroup(title, tooltip)
            for key in rows:
                if key == "augment":
                    group.add_wide_row(self.augment, HELP[key])
                elif key in controls:
                    group.add_row(key.capitalize(), controls[key], HELP[key])
                else:
                    group.add_row(FIELDS[key][0], self.fields[key], HELP[key])
            group.set_open(open_)
            self.groups[title] = group
            layout.addWidget(group)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        # One label column for every group, so that the fields line up down the form.
        labels = [label for group in self.groups.values() for label in group.labels]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    def column_width(self) -> int:
        """Return the width the form needs to show everything unclipped, every group open,
        plus a vertical scroll bar (the tab sizes the form's column with it)."""
        parts = [self.preset.minimumSizeHint().width() + 60]
        for group in self.groups.values():
            margins = group.rows.contentsMargins()
            parts.append(group.body.minimumSizeHint().width() + margins.left())
            parts.append(group.header.sizeHint().width())
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return max(parts) + scroll_bar + 8

    def start_blocker(self) -> str | None:
        """Return why Start is off, in one line ("Start is off: ..."), or None if it is not."""
        return self.problems.text() or None

    # -- reading and writing ---------------------------------------------------------------
    def set_job(self, job: TrainingJob) -> None:
        """Fill the form from `job` (the preset menu follows)."""
        self._show(form_values(job))
        # Slant and width have no fields: a job's own (a preset's) are kept.
        self._augment_config = job.augment or AugmentConfig()
        self._edited()

    def _show(self, values: dict) -> None:
        """Show form values (form_job.form_values' shape) without reacting field by field."""
        self._loading = True
        try:
            for key, text in values["texts"].items():
                self.fields[key].setText(text)
            for combo, choices, key in ((self.network, NETWORKS, "network"),
                                        (self.optimizer, OPTIMIZERS, "optimizer"),
                                        (self.schedule, SCHEDULES, "schedule")):
                combo.setCurrentText(_label(choices, values["menus"][key]))
            self.augment.setChecked(values["augment"])
        finally:
            self._loading = False

    def job(self) -> TrainingJob | None:
        """Return the job the form describes, or None while any value is refused."""
        if self.problem_list():
            return None
        job = self._build()
        try:
            job.validate()
        except ValueError as exc:  # e.g. a network too large to save: no one field is wrong
            self._set_status(str(exc))
            return None
        return job

    def problem_list(self) -> list[str]:
        """Return every refused value as 'Field: reason' (empty when the form is valid)."""
        return [f"{f.name}: {f.problem}" for f in self.fields.values()
                if f.problem and f.isEnabledTo(self)]

    def _build(self) -> TrainingJob:
        values = {key: field.value() for key, field in self.fields.items()
                  if field.problem is None and field.isEnabledTo(self)}
        return form_job(values, self._menus(), self.augment.isChecked(),
                        self._augment_config)

    def _menus(self) -> dict[str, str]:
        """Return the menus' internal values ({"network": "mlp", ...})."""
        return {"network": NETWORKS[self.network.currentText()],
                "optimizer": OPTIMIZERS[self.optimizer.currentText()],
                "schedule": SCHEDULES[self.schedule.currentText()]}

    # -- remembering -----------------------------------------------------------------------
    def state(self) -> dict:
        """Return what the form shows, as plain JSON-able values (see form_memory)."""
        return {"texts": {key: field.text() for key, field in self.fields.items()},
                "menus": self._menus(), "augment": self.augment.isChecked(),
                "open": [title for title, group in self.groups.items() if group.is_open()]}

    def restore(self, state: dict | None) -> bool:
        """Show a `state()` again; return False (the form then to be reset) if it is
        missing, incomplete, or does not describe a valid job."""
        if state is None or set(state["texts"]) != set(FIELDS):
            return False
        choices = {"network": NETWORKS, "optimizer": OPTIMIZERS, "schedule": SCHEDULES}
        if set(state["menus"]) != set(choices) or any(
                value not in choices[key].values() for key, value in state["menus"].items()):
            return False
        self._show(state)
        self._augment_config = AugmentConfig()
        self._edited()
        if self.job() is None:
            return False
        for title, group in self.groups.items():
            group.set_open(title in state["open"])
        return True

    @Slot()
    def _remember(self) -> None:
        """Keep the form for the next start, only while it describes a valid job."""
        if not self._loading and not self.problem_list():
            remember_form(self.state())

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
        for group in self.groups.values():
            group.show_refusals()  # enabling a field shows (or hides) its reason
            if group.has_refusal():
                group.set_open(True)  # never a reason hidden in a folded group
        self._summarise()
        problems = self.problem_list()
        self._set_status(problems[0] if problems else STATUS_OK, len(problems) - 1)
        name = None if problems else preset_name(self._build())
        self.preset.blockSignals(True)
        self.preset.setCurrentText(name or CUSTOM)
        self.preset.blockSignals(False)
        self._remember()
        self.changed.emit()

    def _summarise(self) -> None:
        """Give the groups that start folded a gist a newcomer should not miss."""
        self.groups["Augmentation"].set_summary("on" if self.augment.isChecked() else "off")
        train = self.fields["train_size"]
        size = None if train.problem else train.value()  # None: all that validation leaves
        self.groups["Data"].set_summary(
            "" if train.problem else f"{'all' if size is None else f'{size:,}'} training images")

    def _set_status(self, problem: str, others: int = 0) -> None:
        """Say on the status line why Start is off (`others`: further refused values)."""
        text = f"Start is off: {problem}" if problem else ""
        if others > 0:
            text += f" (and {others} more)"
        self.problems.setText(text)
        self.problems.setVisible(bool(text))

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


def _label(choices: dict[str, str], value: str) -> str:
    """Return the menu label of an internal value (e.g. 'adam' -> 'Adam')."""
    return next((label for label, v in choices.items() if v == value), next(iter(choices)))


def _menu(name: str, labels: list[str], notes: dict[str, str]) -> QComboBox:
    """Return a combo box of `labels`, each entry with its note as tooltip.

    It is as wide as its longest entry (never elided): the entries are kept short.
    """
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItems(labels)
    for index, label in enumerate(labels):
        if label in notes:
            combo.setItemData(index, notes[label], Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo
