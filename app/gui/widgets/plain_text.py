"""Data from the database shown as the text it is, never as markup or as a live link.

Qt guesses: a QLabel, a QMessageBox and every tooltip render their text as HTML when
``Qt.mightBeRichText`` finds a tag in it, so a title ``<img src=...>`` would load an image
and ``<b>`` would bold. Labels that show data are set to plain text; where a text is only
ever guessed at (tooltips, message boxes, dialog prompts) it goes through ``literal``.
Links open only on the web (http, https), and only after the user saw the address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, Qt  # QtGui's Qt adds the rich-text functions
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

WEB_SCHEMES = ("http", "https")


def literal(text: str) -> str:
    """``text`` such that a widget guessing its format shows it character for character.

    Left as it is when Qt would show it as plain text anyway (so ordinary text keeps its
    line breaks and spacing); otherwise escaped into rich text that displays it verbatim.
    """
    if not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def plain(label: QLabel) -> QLabel:
    """``label``, set to show its text as plain text whatever it contains."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_box(box: QMessageBox) -> QMessageBox:
    """``box``, set to show its message as plain text whatever it contains."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def is_web_link(url: str) -> bool:
    """True for an http(s) address with a host: the only links Glossa opens."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def open_web_link(parent: QWidget | None, url: str) -> bool:
    """Open ``url`` in the browser after the user confirmed it; True when it was opened.

    Anything but an http(s) address is refused without asking: a document's URL comes
    from whoever wrote the imported file.
    """
    if not is_web_link(url):
        return False
    box = plain_box(
        QMessageBox(
            QMessageBox.Icon.Question,
            "Open link",
            f"Open this address in your web browser?\n\n{url}",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            parent,
        )
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    if box.exec() != QMessageBox.StandardButton.Open:
        return False
    return QDesktopServices.openUrl(QUrl(url.strip()))
