"""The hint above the article for someone who has not tagged anything yet: what to select,
which keys tag it, and where help is. It goes for good once they make their first span."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.core.schema import LabelSchema


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on the ``#rrggbb`` background ``colour``."""
    try:
        red, green, blue = (int(colour[at : at + 2], 16) for at in (1, 3, 5))
    except ValueError:
        return "black"
    # perceived brightness (ITU-R BT.601 weights)
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "white"


def hint_text(schema: LabelSchema) -> str:
    """The hint as rich text: selecting, each label's key in its colour, F1 for help."""
    keys = " ".join(
        f'<span style="background:{escape(label.colour)}; color:{ink_on(label.colour)};">'
        f"&nbsp;<b>{escape(label.hotkey)}</b>&nbsp;{escape(label.name)}&nbsp;</span>"
        for label in schema.labels
        if label.hotkey
    )
    return (
        "<b>To tag:</b> select words in the article (drag with the mouse, or Shift+arrows; "
        "Ctrl+Shift+Right takes one more whole word), then press a label's key: "
        f"{keys or '(no label has a key yet: Ctrl+Shift+L edits the schema)'}"
        "<br>Tab steps through the spans, Ctrl+Z undoes, every change is saved at once. "
        "<b>F1</b> lists every key, <b>Shift+F1</b> shows the guidelines."
    )


class FirstRunHint(QFrame):
    """A card above the article; ``offer`` shows it to someone without spans, ``dismiss``
    hides it for the rest of the session (their first span, or its close button)."""

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunHint")
        # a frame, not a style sheet: a style sheet would keep the label's colours from
        # following a change of theme
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.dismissed = False
        self.label = QLabel(self)
        self.label.setObjectName("firstRunText")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this hint")
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 4, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.set_schema(schema)
        self.hide()

    def set_schema(self, schema: LabelSchema) -> None:
        """Name the schema's labels and keys."""
        self.label.setText(hint_text(schema))

    def offer(self, has_spans: bool) -> None:
        """Show the hint unless the annotator has spans already or it was dismissed."""
        self.setVisible(not has_spans and not self.dismissed)

    def dismiss(self) -> None:
        """Hide the hint and keep it hidden."""
        self.dismissed = True
        self.hide()
