"""The desktop window. The only package that imports PySide6."""

from __future__ import annotations

# Imported here, not inside main(): a Qt that cannot load fails at import, where the entry
# point reports it, rather than half way through opening the window.
from PySide6.QtWidgets import QMessageBox


def main(database: str | None = None, annotator: str | None = None) -> int:
    """Open the window on ``database`` (default: the user's own) and run until it closes.

    Without ``annotator`` (nor ``GLOSSA_ANNOTATOR``, nor one remembered from last time) a
    dialog asks who is annotating, once: the answer is remembered.
    """
    from app.core.errors import GlossaError
    from app.gui.application import glossa_application
    from app.gui.team import annotators
    from app.gui.widgets.plain_text import literal
    from app.gui.window.first_paint import report_first_paint
    from app.gui.window.main_window import MainWindow
    from app.services import Workspace
    from app.services.annotator_choice import given_annotator, remember_annotator
    from app.services.live import mask_password
    from app.services.workspace import annotator_names, is_new_database, open_database

    app = glossa_application()
    name = given_annotator(annotator)
    if name is None and is_new_database(database):
        # nobody has annotated there yet: ask first, so that Cancel leaves no database behind
        name = annotators.ask_annotator([])
        if name is None:
            return 0
        remember_annotator(name)
    try:
        opened = open_database(database)
        if name is None:
            name = annotators.ask_annotator(annotator_names(opened))
            if name is None:  # the dialog was cancelled: nothing to open
                opened.dispose()
                return 0
            remember_annotator(name)
        workspace = Workspace.on_database(opened, name)
    except GlossaError as exc:  # storage failures are GlossaErrors: each says why in words
        where = mask_password(database) if database else "the default database"
        QMessageBox.critical(
            None,
            "Glossa cannot open the database",
            literal(f"Glossa could not open {where}.\n\n{exc}"),
        )
        return 1
    try:
        window = MainWindow(workspace)
        report_first_paint(window)
        window.show()
        return app.exec()
    finally:
        workspace.close()


__all__ = ["main"]
