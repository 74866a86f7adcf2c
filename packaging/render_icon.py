"""Render the scalable icon to the 48 px PNG that menus without SVG support show.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icon.py

Run again after changing resources/desktop/org.glossa.Glossa.svg; both files are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

DESKTOP = Path(__file__).resolve().parents[1] / "resources" / "desktop"
SIZE = 48


def render(svg: Path, png: Path, size: int = SIZE) -> None:
    """Paint ``svg`` on a transparent ``size`` x ``size`` image saved as ``png``."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"{png}: cannot be written")


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    render(DESKTOP / "org.glossa.Glossa.svg", DESKTOP / "org.glossa.Glossa.png")
