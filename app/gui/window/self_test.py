"""``glossa --self-test``: the real window, once, on a throwaway database, without a person.

It proves on a given machine (and display) that Qt loads, the window opens, a span tagged in
the window reaches the database with the right offsets and comes back, and the database
checks clean. Nothing of the user's is read or written: the database is a temporary file.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.core.errors import GlossaError
from app.gui.application import glossa_application
from app.services import documents as documents_service
from app.services import spans

SELF = "self-test"


def _round_trip(app: QApplication, folder: Path) -> str:
    """Open, tag, re-read, check and close; the ``self-test ok`` summary, or GlossaError."""
    from app.gui.window.main_window import MainWindow
    from app.services import Workspace
    from app.services.checking import check

    url = str(folder / "self-test.db")
    workspace = Workspace.open(url, SELF)  # a new database gets the sample articles
    try:
        # settings of its own: the self-test's window must not move the user's
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(workspace, settings=settings)
        window.show()
        app.processEvents()
        if window.document is None:
            raise GlossaError("the window opened no sample document")
        word = re.search(r"\w{4,}", window.document.text)
        if word is None:
            raise GlossaError("the sample shown has no word to tag")
        label = workspace.schema.labels[0].name
        window.article.select_range(word.start(), word.end())
        window.annotate(label)
        app.processEvents()

        tagged = window.article.selected_span()  # the window selects the span it tagged
        if tagged is None or tagged.label != label or window.spans.row_of(tagged.id) is None:
            raise GlossaError(f"the window does not show the {label} span just tagged")
        fresh = Workspace.open(url, SELF, samples=False)
        try:
            stored = {s.id: s for s in spans.spans(fresh, window.document.id)}.get(tagged.id)
            if stored is None or (stored.start, stored.end) != (tagged.start, tagged.end):
                raise GlossaError(f"the {label} span tagged in the window was not saved")
            words = documents_service.document(fresh, window.document.id).text[
                stored.start : stored.end
            ]
            problems = check(fresh)
        finally:
            fresh.close()
        if problems:
            raise GlossaError("the database check failed: " + "; ".join(problems[:3]))
        window.close()
        app.processEvents()
        documents = len(documents_service.documents(workspace))
    finally:
        workspace.close()
    return (
        f"self-test ok: platform {app.platformName()}, {documents} sample documents, "
        f"{label} span on '{words}' tagged in the window, saved, read back and checked"
    )


def self_test() -> int:
    """Run the self-test; print one ``self-test ok: ...`` line and return 0, or 1 and why."""
    app = glossa_application()
    outcome: list[str | BaseException] = []

    def run() -> None:
        try:
            with tempfile.TemporaryDirectory(prefix="glossa-self-test-") as folder:
                outcome.append(_round_trip(app, Path(folder)))
        except Exception as exc:  # any failure, whichever layer: the test reports it
            outcome.append(exc)
        finally:
            app.quit()

    # inside the event loop, as a user's session runs: shown, painted, then driven
    QTimer.singleShot(0, run)
    app.exec()
    if not outcome:
        print("self-test failed: the event loop ended before the test ran", file=sys.stderr)
        return 1
    result = outcome[0]
    if isinstance(result, BaseException):
        print(f"self-test failed: {type(result).__name__}: {result}", file=sys.stderr)
        return 1
    print(result)
    return 0
