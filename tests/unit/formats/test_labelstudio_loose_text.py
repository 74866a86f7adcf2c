"""Label Studio regions whose stated text writes white space differently from the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.errors import InputError
from app.formats import labelstudio
from app.formats.report import ReadReport

TEXT = "Ana said:\n\tthe port opens  soon."


def task_file(tmp_path: Path, shown: str, start: int, end: int) -> Path:
    region = {
        "id": "q",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": shown, "labels": ["QUOTE"]},
    }
    tasks = [{"id": 1, "data": {"text": TEXT}, "annotations": [{"result": [region]}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "shown",
    [
        "said:\\n\\tthe port opens  soon",  # escapes written out
        "said: the port opens soon",  # white space collapsed
        "said:\n the port opens  soon",  # a tab shown as a space
    ],
)
def test_an_escaped_region_text_is_placed_by_its_offsets(tmp_path: Path, shown: str) -> None:
    start, end = TEXT.index("said"), TEXT.index(".")
    report = ReadReport("labelstudio")

    [record] = labelstudio.read(task_file(tmp_path, shown, start, end), report)

    assert record.spans[0].text == TEXT[start:end]
    assert len(report.warnings) == 1
    assert "white space written differently" in report.warnings[0].message


def test_other_words_are_still_refused(tmp_path: Path) -> None:
    start, end = TEXT.index("said"), TEXT.index(".")
    with pytest.raises(InputError, match="is not at"):
        list(labelstudio.read(task_file(tmp_path, "said: the port closes soon", start, end)))
