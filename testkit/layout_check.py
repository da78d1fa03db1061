"""Find what a person would see as a broken layout: cut-off text and widgets on top of each other.

`layout_problems(root, where)` walks every visible widget under `root` (a tab, a window) and
returns one `LayoutProblem` per fault, each naming the widget (objectName or class, and its
text) so that a person can find it:

1. Clipped text. A QLabel, QPushButton, QToolButton, QCheckBox, QRadioButton or QComboBox
   whose text (its font metrics plus the style's decorations: icon, check box, menu arrow,
   frame) is wider than the room the widget has; for a word-wrapped QLabel, taller too.
   Rich text is measured as Qt lays it out (a QTextDocument in the label's font).
2. Cut off by an ancestor. A text widget that sticks out of a parent that cannot scroll
   to it (a scroll area's viewport can, in a direction whose scroll bar is not off).
3. Squeezed. Any widget smaller than its own minimumSizeHint (a layout given less room than
   it needs, as the brush slider at 640x420).
4. Overlap. Two visible siblings (same parent) whose rectangles share pixels.

Qt's own internals (objectName "qt_*": scroll bars' containers, a tab widget's stack) and the
inside of plots (pyqtgraph draws its items, they are not widgets) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from itertools import combinations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QToolButton,
    QWidget,
)

TEXT_WIDGETS = (QLabel, QPushButton, QToolButton, QCheckBox, QRadioButton, QComboBox)
SLACK_PX = 1  # rounding between font metrics (fractional) and widget sizes (whole pixels)


@dataclass(frozen=True)
class LayoutProblem:
    where: str  # the tab or window, e.g. "Draw at 960x640"
    widget: str  # objectName or class, and its text
    problem: str  # what is wrong, with the sizes

    def __str__(self) -> str:
        return f"{self.where}: {self.widget}: {self.problem}"


def layout_problems(root: QWidget, where: str) -> list[LayoutProblem]:
    """Return every clipped text, cut-off, squeezed or overlapping widget shown under `root`."""
    problems = []
    for widget in _shown_widgets(root):
        faults = []
        if isinstance(widget, TEXT_WIDGETS):
            faults += _clipped_text(widget)
            cut_by = _cut_off_by(widget, root)
            if cut_by is not None:
                faults.append(f"cut off by its ancestor {describe(cut_by)}")
        faults += _squeezed(widget)
        problems += [LayoutProblem(where, describe(widget), fault) for fault in faults]
    problems += _overlaps(root, where)
    return problems


def describe(widget: QWidget) -> str:
    """Return how a person finds `widget`: objectName or class, its text, its parent's name."""
    name = widget.objectName() or type(widget).__name__
    text = _shown_text(widget)
    if text:
        name += f" {text[:60]!r}"
    parent = widget.parentWidget()
    if not widget.objectName() and parent is not None and parent.objectName():
        name += f" in {parent.objectName()}"
    return name


def _shown_widgets(root: QWidget) -> list[QWidget]:
    """Return the visible widgets under `root` in the same window, outside Qt's internals."""
    shown = []
    for widget in root.findChildren(QWidget):
        if (not widget.isVisibleTo(root) or widget.isWindow() or _in_qt_internals(widget, root)
                or widget.width() <= 0 or widget.height() <= 0):
            continue
        shown.append(widget)
    return shown


def _in_qt_internals(widget: QWidget, root: QWidget) -> bool:
    """True for a widget Qt builds inside another (a tab bar's scroll arrows, a spin box's line
    edit, a view's header): its owner is checked instead."""
    if widget.objectName().startswith("qt_") and widget.objectName() not in _QT_CONTAINERS:
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if parent.objectName().startswith("qt_") and parent.objectName() not in _QT_CONTAINERS:
            return True
        parent = parent.parentWidget()
    return False


# Qt's containers of the application's own widgets: their children are checked.
_QT_CONTAINERS = {"qt_scrollarea_viewport", "qt_tabwidget_stackedwidget"}


def _shown_text(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, (QLabel, QAbstractButton)):
        return _plain(widget.text(), _is_rich(widget))
    return ""


def _is_rich(widget: QWidget) -> bool:
    if not isinstance(widget, QLabel):
        return False
    text_format = widget.textFormat()
    return text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(widget.text()))


def _plain(text: str, rich: bool) -> str:
    if rich:
        return unescape(re.sub(r"<[^>]*>", "", text))
    return text


def _without_mnemonic(text: str) -> str:
    """"&Undo" is shown "Undo" (underlined U); "&&" is a literal "&"."""
    return re.sub(r"&(.)", r"\1", text)


def _clipped_text(widget: QWidget) -> list[str]:
    if isinstance(widget, QLabel):
        return _clipped_label(widget)
    if isinstance(widget, QComboBox):
        return _clipped_combo(widget)
    if isinstance(widget, QPushButton):
        return _clipped_push_button(widget)
    return _clipped_by_hint(widget)  # tool buttons, check boxes, radio buttons


def _clipped_label(label: QLabel) -> list[str]:
    if not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
        return []
    room = label.contentsRect()
    inset = 2 * label.margin() + max(label.indent(), 0)
    room_width, room_height = room.width() - inset, room.height() - 2 * label.margin()
    text = label.text()
    if label.buddy() is not None:
        text = _without_mnemonic(text)
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    if _is_rich(label):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    if label.wordWrap():
        document.setTextWidth(room_width)
    needed_width = document.idealWidth()
    needed_height = document.size().height()
    faults = []
    if needed_width > room_width + SLACK_PX:
        faults.append(f"text needs {needed_width:.0f} px wide, has {room_width}")
    if needed_height > room_height + SLACK_PX:
        faults.append(f"text needs {needed_height:.0f} px high, has {room_height}")
    return faults


def _clipped_combo(combo: QComboBox) -> list[str]:
    text = combo.currentText()
    if not text:
        return []
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    needed = combo.fontMetrics().horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        needed += combo.iconSize().width() + 4  # QComboBox's gap after the icon
    if needed > field.width() + SLACK_PX:
        return [f"current text needs {needed} px, its field has {field.width()}"]
    return []


def _clipped_push_button(button: QPushButton) -> list[str]:
    text = _without_mnemonic(button.text())
    if not text:
        return []
    option = QStyleOptionButton()
    button.initStyleOption(option)
    style = button.style()
    room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    needed = button.fontMetrics().horizontalAdvance(text)
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4  # the style's gap between icon and text
    if button.menu() is not None:
        needed += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    faults = []
    if needed > room.width() + SLACK_PX:
        faults.append(f"text needs {needed} px, has {room.width()}")
    if button.fontMetrics().height() > room.height() + SLACK_PX:
        faults.append(f"text needs {button.fontMetrics().height()} px high, has {room.height()}")
    return faults


def _clipped_by_hint(button: QAbstractButton) -> list[str]:
    """A check box's, radio button's or tool button's size hint is its indicator or icon, the
    gap and the text, with no minimum added: less than that cuts the text."""
    if not button.text():
        return []
    hint = button.sizeHint()
    faults = []
    if hint.width() > button.width() + SLACK_PX:
        faults.append(f"needs {hint.width()} px for its text, has {button.width()}")
    if button.fontMetrics().height() > button.height() + SLACK_PX:
        faults.append(f"text needs {button.fontMetrics().height()} px high, "
                      f"has {button.height()}")
    return faults


def _cut_off_by(widget: QWidget, root: QWidget) -> QWidget | None:
    """Return the ancestor (up to `root`) that hides part of `widget` and cannot scroll to it."""
    rect = QRect(0, 0, widget.width(), widget.height())  # in `child`'s coordinates
    child = widget
    while child is not root and child.parentWidget() is not None:
        ancestor = child.parentWidget()
        rect = rect.translated(child.pos())
        inside = ancestor.rect()
        area = _scroll_area_of_viewport(ancestor)
        if area is not None:  # a scroll area shows any part the user scrolls to
            can_across = area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            can_down = area.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if can_across:
                inside.setLeft(min(inside.left(), rect.left()))
                inside.setRight(max(inside.right(), rect.right()))
            if can_down:
                inside.setTop(min(inside.top(), rect.top()))
                inside.setBottom(max(inside.bottom(), rect.bottom()))
        if not inside.contains(rect):
            return ancestor
        rect = rect.intersected(ancestor.rect())
        if rect.isEmpty():  # scrolled out of sight: nothing more to cut
            return None
        child = ancestor
    return None


def _scroll_area_of_viewport(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:
        return parent
    return None


def _squeezed(widget: QWidget) -> list[str]:
    """A widget given less than its minimumSizeHint, where the layout cannot honour it."""
    if isinstance(widget, (QHeaderView, QScrollBar)):
        return []  # sized by their view, which scrolls
    hint = widget.minimumSizeHint()
    if not hint.isValid() or _scroll_area_of_viewport(widget.parentWidget() or widget):
        return []  # no wish, or the content of a scroll area (it scrolls)
    lacks = []
    if widget.width() + SLACK_PX < hint.width() and _honours_width(widget):
        lacks.append(f"{widget.width()} px wide, needs {hint.width()}")
    if widget.height() + SLACK_PX < hint.height() and _honours_height(widget):
        lacks.append(f"{widget.height()} px high, needs {hint.height()}")
    return [f"squeezed: {', '.join(lacks)}"] if lacks else []


def _honours_width(widget: QWidget) -> bool:
    """False when the widget asked to be given any width (Ignored policy, a fixed maximum)."""
    policy = widget.sizePolicy().horizontalPolicy()
    return (policy != QSizePolicy.Policy.Ignored
            and widget.maximumWidth() >= widget.minimumSizeHint().width())


def _honours_height(widget: QWidget) -> bool:
    policy = widget.sizePolicy().verticalPolicy()
    return (policy != QSizePolicy.Policy.Ignored
            and widget.maximumHeight() >= widget.minimumSizeHint().height())


def _overlaps(root: QWidget, where: str) -> list[LayoutProblem]:
    """Return one problem per pair of visible siblings sharing pixels."""
    shown = _shown_widgets(root)
    by_parent: dict[int, list[QWidget]] = {}
    for widget in shown:
        by_parent.setdefault(id(widget.parentWidget()), []).append(widget)
    problems = []
    for siblings in by_parent.values():
        for first, second in combinations(siblings, 2):
            common = first.geometry().intersected(second.geometry())
            if not common.isEmpty():
                problems.append(LayoutProblem(
                    where, describe(first),
                    f"overlaps {describe(second)} by {common.width()}x{common.height()} px"))
    return problems
