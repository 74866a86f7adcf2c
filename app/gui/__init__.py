"""The desktop window. The only package that imports PySide6."""

from __future__ import annotations

import sys

# Imported here, not inside main(): a Qt that cannot load fails at import, where the entry
# point reports it, rather than half way through opening the window.
from PySide6.QtWidgets import QApplication, QMessageBox


def main(database: str | None = None, annotator: str | None = None) -> int:
    """Open the window on ``database`` (default: the user's own) and run until it closes."""
    from app.gui.views.main_window import MainWindow
    from app.services import Workspace

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Glossa")
    try:
        workspace = Workspace.open(database, annotator)
    except Exception as exc:  # any failure to open is shown, whatever layer it comes from
        where = database or "the default database"
        QMessageBox.critical(
            None,
            "Glossa cannot open the database",
            f"Glossa could not open {where}.\n\n{type(exc).__name__}: {exc}",
        )
        return 1
    try:
        window = MainWindow(workspace)
        window.show()
        return app.exec()
    finally:
        workspace.close()


__all__ = ["main"]
