"""Where a doccano line's labels come from: a label export beside the file (doccano 1.0 names
labels by id) and the label keys of an entity object.

An entity holds ``"label"``; Label Studio's JSON-MIN export, read as doccano lines (an array
of ``{"text", "label": [{"start", "end", "text", "labels": [...]}]}``), holds ``"labels"``,
one span a label.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.core.errors import InputError

LABEL_FILES = ("labels.json", "label_config.json", "label.json")


def label_names(path: Path) -> dict[str, str] | None:
    """doccano's label ids -> names from a label export beside ``path``, if there is one."""
    for name in (f"{path.stem}.labels.json", *LABEL_FILES):
        candidate = path.with_name(name)
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            raise InputError("not a doccano label export (JSON)", source=str(candidate)) from None
        if isinstance(data, list) and all(isinstance(item, dict) for item in data):
            return {str(item.get("id")): str(item.get("text")) for item in data if "text" in item}
    return None


def entity_labels(item: dict[str, Any]) -> list[Any]:
    """The label values of an entity object (checked by the caller): its ``label``, else each
    of its ``labels`` (Label Studio), else one missing label."""
    labels = item.get("labels")
    if "label" not in item and isinstance(labels, list) and labels:
        return labels
    return [item.get("label")]
