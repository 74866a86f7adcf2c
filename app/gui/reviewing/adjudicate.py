"""Review > Adjudicate… (Ctrl+Shift+J): the adjudication dialog on the open document.

Opening the dialog overlays every layer in the article (when it showed only the user's own),
so that the versions a row names can be selected there.
"""

from __future__ import annotations

from PySide6.QtCore import SignalInstance

from app.gui.annotating.layers import LayerChoice, Layers, Mode
from app.gui.reviewing.adjudication_view import AdjudicationDialog
from app.gui.session import Session


def install_adjudication(
    session: Session, layers: Layers, document_activated: SignalInstance
) -> None:
    """Add "Adjudicate…" (Ctrl+Shift+J) to the Review menu: it opens the dialog on the open
    document (``document_activated``: the document list's, which the dialog follows).
    Installing twice adds nothing."""
    if session.actions.bound("adjudicate"):
        return
    dialogs: list[AdjudicationDialog] = []

    def open_dialog() -> None:
        if session.document_id is None:
            session.say("Open a document to adjudicate first.", 4000)
            return
        if not dialogs:
            dialogs.append(AdjudicationDialog(session, document_activated))
        dialog = dialogs[0]
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

        def show_document() -> None:
            document_id = session.document_id
            if document_id is None:
                return
            if dialog.document_id != document_id:
                dialog.show_document(document_id)
            else:
                dialog.reload()
            dialog.tree.setFocus()

        if layers.choice.mode is Mode.MINE:  # every layer, once read
            layers.show_layers(LayerChoice(Mode.OVERLAID), then=show_document)
        else:
            show_document()

    session.actions.bind("adjudicate", open_dialog)


__all__ = ["install_adjudication"]
