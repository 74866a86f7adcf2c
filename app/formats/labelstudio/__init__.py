"""Label Studio JSON: a JSON array of tasks, each with its annotations and predictions.

A task reads ``{"id", "data": {"text": ..., "title": ...}, "annotations": [{"result": [...],
"completed_by": ...}], "predictions": [{"result": [...], "model_version": ...}]}``. In a
``result``:

- ``{"id", "from_name", "to_name", "type": "labels", "value": {"start", "end", "text",
  "labels": ["PERSON"]}}`` is a span (one per label when a region has several);
- ``{"type": "relation", "from_id", "to_id", "direction", "labels": ["speaker"]}`` is a
  relation (``direction: "left"`` runs from ``to_id`` to ``from_id``; ``"bi"`` is read as
  ``"right"``);
- ``choices``, ``textarea``, ``number``, ``rating``, ``taxonomy`` and ``datetime`` results
  with a region's ``id`` are attributes of that region's spans, named by ``from_name``; one
  without a region is a document-level answer kept in the metadata.

Reading. Annotations become spans with origin ``imported`` and predictions spans with origin
``suggested``; the annotator is the annotation's ``completed_by`` (e.g. an email) or
``created_username``, or a prediction's ``model_version``. Cancelled annotations and drafts are
skipped with a warning. ``data`` keys other than ``text`` become metadata. Current Label
Studio counts offsets in code points; older versions counted UTF-16 code units. The unit is
decided for the whole file from the regions' ``value.text``: when some region's text is found
only by counting UTF-16 units and none only by code points, every offset of the file is
mapped from UTF-16 and the report says so; a region whose text is found at neither is refused
with an ``InputError`` naming the file, the line, the task index (``tasks[3]``) and the region.
A ``\\r\\n`` in a text is mapped into the canonical text. The file is read and checked whole
before its first document is yielded.

Writing. Offsets count code points. Spans go to one annotation per annotator, spans with
origin ``suggested`` to one prediction per annotator (its ``model_version``); a relation goes
with its head span, and is left out with a warning when its tail sits in another annotation.
Attributes become per-region results: text as ``textarea``, a choice as ``choices`` with its
value, true/false as ``choices`` (values ``true`` and ``false``, read back as booleans), numbers
as ``number``. The labeling config is written beside the file (see ``export``): given the
project's schema it declares every label in the schema's colour, every relation type and each
attribute's control, so that every part of a split gets the same, whole config.
"""

from app.formats.labelstudio.config import (
    FORMAT_NAME,
    LABELS_CONTROL,
    OFFSET_UNIT,
    PALETTE,
    TEXT_OBJECT,
    LabelingConfig,
    config_path,
)
from app.formats.labelstudio.reading import MAX_FILE_BYTES, read, tasks
from app.formats.labelstudio.writing import export, task_json

__all__ = [
    "FORMAT_NAME",
    "LABELS_CONTROL",
    "MAX_FILE_BYTES",
    "OFFSET_UNIT",
    "PALETTE",
    "TEXT_OBJECT",
    "LabelingConfig",
    "config_path",
    "export",
    "read",
    "task_json",
    "tasks",
]
