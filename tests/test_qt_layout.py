"""No clipped text and no overlapping widgets, in every tab, at the sizes people use (issue 18).

The checker (testkit/layout_check.py) is tried first on small made-up layouts, so that a
window passing it means something; then the whole window at 960x640 (the default),
1280x800 and its minimum size, every tab, the Draw tab in number mode too.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.audit.task_status import TaskStatus
from digitapp.gui.main_window import DEFAULT_SIZE
from testkit.layout_check import layout_problems
from testkit.mouse_drawing import draw, on_sheet
from testkit.shown_predictions import answer_after
from testkit.stroke_digits import TEMPLATES

SIZES = [DEFAULT_SIZE, (1280, 800)]
SMALLER_THAN_ANY_MINIMUM = (640, 420)  # the window: the minimum must win
WORK_MS = 180_000  # a tab's first evaluation or map; a loaded machine is slow


@pytest.fixture
def shown(qtbot):
    """Return a factory of shown, fixed-size top-level widgets around a layout."""

    def make(layout, width: int, height: int) -> QWidget:
        root = QWidget()
        root.setLayout(layout)
        qtbot.addWidget(root)
        root.setFixedSize(width, height)
        root.show()
        qtbot.waitExposed(root)
        return root

    return make


def _problems_of(root: QWidget) -> list[str]:
    return [f"{p.widget}: {p.problem}" for p in layout_problems(root, "test")]


# -- the checker ---------------------------------------------------------------------------
def test_text_that_fits_is_not_reported(shown):
    column = QVBoxLayout()
    for widget in (QLabel("Brush"), QPushButton("&Undo"), QCheckBox("Show right answers"),
                   QLabel("<b>cnn</b>: 99.68% right")):
        column.addWidget(widget)
    combo = QComboBox()
    combo.addItems(["any", "Most confident first"])
    column.addWidget(combo)
    assert _problems_of(shown(column, 400, 300)) == []


@pytest.mark.parametrize("make", [
    lambda: QLabel("Seed recipe (784-512-10, 40 epochs)"),
    lambda: QLabel("<b>Seed recipe</b> (784-512-10, <i>40 epochs</i>)"),
    lambda: QPushButton("Use the trained model in the Draw tab"),
    lambda: QCheckBox("shift, turn, zoom, stroke changes"),
])
def test_a_narrow_widget_cuts_its_text(shown, make):
    widget = make()
    widget.setMinimumWidth(0)
    widget.setFixedWidth(60)  # far less than any of these texts
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    problems = _problems_of(shown(row, 400, 100))
    assert len(problems) == 1 and "needs" in problems[0], problems


def test_a_combo_box_too_narrow_for_its_current_text(shown):
    combo = QComboBox()
    combo.addItems(["any", "Step (x factor every N epochs)"])
    combo.setFixedWidth(90)
    row = QHBoxLayout()
    row.addWidget(combo)
    row.addStretch(1)
    root = shown(row, 400, 100)
    assert _problems_of(root) == []  # "any" fits
    combo.setCurrentIndex(1)
    problems = _problems_of(root)
    assert len(problems) == 1 and "current text needs" in problems[0], problems


def test_a_wrapped_label_too_low_for_its_lines(shown):
    label = QLabel("Bars: accuracy in each confidence bin; dashed: perfect calibration; "
                   "grey, under the axis: how many digits a bin holds.")
    label.setWordWrap(True)
    label.setFixedSize(150, 20)  # room for one line of about five
    column = QVBoxLayout()
    column.addWidget(label)
    column.addStretch(1)
    problems = _problems_of(shown(column, 300, 200))
    assert any("px high" in p for p in problems), problems


def test_overlapping_siblings_are_reported_by_name(shown):
    column = QVBoxLayout()
    root = shown(column, 300, 200)
    first, second = QPushButton("Undo", root), QLabel("What the network sees", root)
    first.setObjectName("undoButton")
    first.setGeometry(10, 10, 120, 30)
    second.setGeometry(60, 30, 200, 30)  # 70x10 px on top of the button
    first.show()
    second.show()
    problems = _problems_of(root)
    assert problems == ["undoButton 'Undo': overlaps QLabel 'What the network sees' by 70x10 px"]


def test_a_scroll_area_may_hide_what_it_scrolls_to(qtbot, shown):
    inner = QWidget()
    inner_column = QVBoxLayout(inner)
    for i in range(30):
        inner_column.addWidget(QLabel(f"Field number {i} with a long enough caption"))
    area = QScrollArea()
    area.setWidget(inner)
    column = QVBoxLayout()
    column.addWidget(area)
    root = shown(column, 200, 150)
    assert _problems_of(root) == []  # both scroll bars reach everything
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    qtbot.wait(50)  # the scroll area's new layout
    problems = _problems_of(root)
    assert problems and all("cut off by its ancestor qt_scrollarea_viewport" in p
                            for p in problems), problems


# -- the window ----------------------------------------------------------------------------
def _settle(qtbot, window, tab: QWidget) -> None:
    """Wait until `tab` has finished what its first look starts (an evaluation, a map): a
    task's status line showing its progress bar is work still going, and it changes the
    layout when it goes."""
    def idle() -> bool:
        return not any(status.bar.isVisible() for status in tab.findChildren(TaskStatus))

    qtbot.waitUntil(idle, timeout=WORK_MS)
    qtbot.wait(50)  # the layout's last pass after the status line changed


def _window_problems(qtbot, window, size: str) -> list[str]:
    problems = []
    for index in range(window.tabs.count()):
        tab = window.tabs.widget(index)
        name = window.tabs.tabText(index)
        window.tabs.setCurrentIndex(index)
        _settle(qtbot, window, tab)
        problems += layout_problems(window, f"{name} at {size}")
        if tab is window.draw_tab:
            tab.number_action.trigger()  # as Ctrl+N (enabled only while the tab is shown)
            qtbot.wait(50)
            assert tab.number_mode()
            problems += layout_problems(window, f"{name} (number mode) at {size}")
            tab.number_action.trigger()
            qtbot.wait(50)
            assert not tab.number_mode()
    return [str(problem) for problem in problems]


def _all_sizes_problems(qtbot, window, state: str) -> list[str]:
    """Return the problems of every tab at the usual sizes, then at the window's minimum."""
    problems = []
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width, h=height: (window.width(), window.height()) == (w, h))
        problems += _window_problems(qtbot, window, f"{width}x{height}, {state}")

    window.resize(*SMALLER_THAN_ANY_MINIMUM)  # the window keeps its minimum size
    qtbot.wait(100)
    minimum = window.minimumSize()
    assert window.size() == minimum, f"{window.size()} is not the minimum {minimum}"
    assert minimum.width() <= DEFAULT_SIZE[0] and minimum.height() <= DEFAULT_SIZE[1]
    problems += _window_problems(qtbot, window,
                                 f"the minimum {minimum.width()}x{minimum.height()}, {state}")
    return problems


def _fill(qtbot, window) -> None:
    """Give the tabs their longer texts: a digit drawn and kept (the verdict, the kept line,
    a drawing in My handwriting), a mistake opened in the Mistakes tab (its detail)."""
    tab = window.draw_tab
    window.tabs.setCurrentWidget(tab)
    canvas = tab.ui.canvas
    answer = answer_after(qtbot, tab, lambda: draw(
        canvas, on_sheet(canvas, TEMPLATES[7][0], 0.6, (0.5, 0.5))))
    assert answer is not None
    tab.corrections.keep(7)
    assert tab.ui.kept_label.text()
    mistakes = window.audit_tabs.mistakes
    mistakes.view.setCurrentIndex(mistakes.model.index(0))
    assert mistakes.detail.image_index is not None


@pytest.fixture
def collection_emptied(fresh_main_window):
    """The session's handwriting collection (shared by tests) empty before and after."""
    made = []

    def make(width: int, height: int):
        window = fresh_main_window(width, height)
        window.draw_tab.corrections.collection.clear()
        made.append(window)
        return window

    yield make
    for window in made:
        window.draw_tab.corrections.collection.clear()


def test_every_tab_readable_at_the_usual_sizes_and_the_minimum(qtbot, collection_emptied):
    window = collection_emptied(*DEFAULT_SIZE)
    problems = _all_sizes_problems(qtbot, window, "first look")
    _fill(qtbot, window)
    problems += _all_sizes_problems(qtbot, window, "in use")
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems)


def test_the_inside_window_readable_at_its_default_and_minimum_size(qtbot, fresh_main_window):
    window = fresh_main_window(*DEFAULT_SIZE)
    tab = window.draw_tab
    answer = answer_after(qtbot, tab, lambda: draw(
        tab.ui.canvas, on_sheet(tab.ui.canvas, TEMPLATES[7][0], 0.6, (0.5, 0.5))))
    assert answer is not None
    inside = window.show_inside()
    qtbot.waitUntil(lambda: inside.views is not None and inside.updates > 0, timeout=WORK_MS)
    problems = layout_problems(inside, f"Inside at {inside.width()}x{inside.height()}")
    inside.resize(*SMALLER_THAN_ANY_MINIMUM)  # the window keeps its minimum size
    qtbot.wait(100)
    problems += layout_problems(inside, f"Inside at its minimum {inside.width()}x"
                                        f"{inside.height()}")
    assert not problems, "\n".join(str(problem) for problem in problems)
