"""Training the project's own model from one annotator's spans or the gold layer.

The model learns the schema's entity-like labels (those playing the entity role or no role,
not quotes, claims or cues) and is kept per project in the user data
folder, where the model suggester finds it. Training reads the database in a few units of
work and writes nothing to it, so it can run on a worker thread while the window goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable
from pathlib import Path

import appdirs

from app.assist.held_out import TrainingDocument
from app.assist.model import MIN_DOCUMENTS, ModelCard, train_model
from app.assist.tagger import installed_pipelines
from app.core.errors import GlossaError, InputError
from app.core.schema import LabelSchema
from app.services import schema_edits
from app.services.exporting import document_records
from app.services.live import mask_password
from app.services.selection import GOLD_ANNOTATOR, Layer, Selection
from app.services.workspace import Workspace

DEFAULT_PASSES = 10
STOP_CHECK_S = 0.2
"""How often a training in a child process looks whether it should stop."""
_OTHER_ROLES = ("quote", "claim", "cue")


def model_folder(workspace: Workspace) -> Path:
    """The folder of the project's model: under the user data folder, named after the
    project and a digest of the database and project it belongs to."""
    database = workspace.database
    where = str(database.path.resolve()) if database.path else mask_password(database.url)
    digest = hashlib.sha256(f"{where}\n{workspace.project_id}".encode()).hexdigest()[:16]
    name = re.sub(r"[^\w-]+", "-", workspace.schema.name).strip("-")[:40] or "project"
    return Path(appdirs.user_data_dir("Glossa")) / "models" / f"{name}-{digest}"


def entity_labels(schema: LabelSchema) -> tuple[str, ...]:
    """The labels a model learns: those playing the entity role or none (a label added by
    an import, say GPE, has none), not quotes, claims or cues."""
    return tuple(lab.name for lab in schema.labels if lab.role not in _OTHER_ROLES)


def training_documents(
    workspace: Workspace, annotator: str | None = None, gold: bool = False
) -> tuple[list[TrainingDocument], str]:
    """The documents ``annotator`` (the workspace's by default) or the gold layer annotated,
    with those spans, and how the source is named in messages."""
    if gold and annotator not in (None, GOLD_ANNOTATOR):
        raise InputError(
            f"the gold layer is the annotator {GOLD_ANNOTATOR!r}; it cannot be combined "
            f"with --annotator {annotator}"
        )
    selection = (
        Selection(layer=Layer.GOLD)
        if gold
        else Selection(annotator=annotator or workspace.annotator)
    )
    source = "gold layer" if gold else f"documents of annotator {selection.annotator}"
    documents = [
        TrainingDocument(
            record.id,
            record.text,
            tuple((span.start, span.end, span.label) for span in record.spans),
        )
        for record in document_records(workspace, selection)
    ]
    return documents, source


def check_base(base: str) -> None:
    """Refuse a starting pipeline that is neither installed nor a pipeline folder."""
    if not base or Path(base, "config.cfg").is_file():
        return
    installed = installed_pipelines()
    if base not in installed:
        known = ", ".join(installed) or "none is installed"
        raise InputError(f"no spaCy pipeline called {base!r} (installed: {known})")


def train(
    workspace: Workspace,
    annotator: str | None = None,
    *,
    gold: bool = False,
    base: str = "",
    passes: int = DEFAULT_PASSES,
    apart: bool = False,
    stop: Callable[[], bool] | None = None,
) -> ModelCard:
    """Train the project's model on ``annotator``'s spans (or the gold layer's), measure it
    on its held-out documents, save it where the model suggester finds it; its card.

    ``apart`` trains in a child process at a lower priority, so that a window waiting on
    this call from a worker thread keeps the interpreter (and its input latency) to itself;
    when ``stop()`` turns true meanwhile (the window quits), the child is ended and the
    previous model stays.
    """
    if passes < 1:
        raise InputError(f"--passes must be 1 or more, not {passes}")
    check_base(base)
    documents, source = training_documents(workspace, annotator, gold)
    labels = entity_labels(schema_edits.refresh_schema(workspace))
    if not labels:
        raise InputError("the project's schema has no entity label for a model to learn")
    folder = model_folder(workspace)
    options = {"source": source, "base": base, "passes": passes}
    if not apart or sum(1 for d in documents if d.spans) < MIN_DOCUMENTS:
        return train_model(
            documents, labels, folder, source=source, base=base, passes=passes, stop=stop
        )
    spawn = multiprocessing.get_context("spawn")  # a fork would copy the window's threads
    with spawn.Pool(1, initializer=_lower_priority) as pool:
        job = pool.apply_async(train_model, (documents, labels, folder), options)
        while not job.ready():
            job.wait(STOP_CHECK_S)
            if stop is not None and stop():
                pool.terminate()
                raise GlossaError("the training was stopped; the previous model stays")
        card: ModelCard = job.get()
        return card


def _lower_priority() -> None:
    with contextlib.suppress(OSError):  # not allowed here: it trains at the window's priority
        os.nice(10)


def current_model(workspace: Workspace) -> ModelCard | None:
    """The card of the project's model, if one was trained."""
    return ModelCard.read(model_folder(workspace))
