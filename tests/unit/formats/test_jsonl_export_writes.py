"""The native JSONL export gathers lines and labels before writing and counting them: the
file and the counts must be those of one document at a time, wherever a bunch ends."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.records import DocumentRecord, SpanRecord
from app.formats import jsonl
from tests.unit.formats.strategies import documents
from tests.unit.formats.test_jsonl_golden import _reference


@st.composite
def linked_documents(draw: st.DrawFn) -> DocumentRecord:
    """A document whose spans may name entities, so both shapes of span object go out."""
    record = draw(documents())
    spans = tuple(
        span._replace(entity=draw(st.sampled_from(["", "", "e1", "e22"]))) for span in record.spans
    )
    return DocumentRecord(record.id, record.text, record.meta, spans, record.relations)


@settings(max_examples=100, deadline=None)
@given(
    records=st.lists(linked_documents(), max_size=8),
    written_at=st.integers(0, 600),
    counted_at=st.integers(0, 12),
)
def test_export_writes_each_document_once_in_order(
    records: list[DocumentRecord], written_at: int, counted_at: int
) -> None:
    with (
        TemporaryDirectory() as folder,
        mock.patch.object(jsonl, "_WRITTEN_AT", written_at),
        mock.patch.object(jsonl, "_LABELS_COUNTED_AT", counted_at),
    ):
        out = Path(folder) / "out.jsonl"
        report = jsonl.export(records, out)
        written = out.read_bytes()

    assert written == _reference(records).encode("utf-8")
    assert report.documents == len(records)
    assert report.kept == Counter(s.label for r in records for s in r.spans)


def test_a_large_export_is_the_documents_line_by_line(tmp_path: Path) -> None:
    """Past the real limits: several writes of gathered lines, several label counts."""
    text = "Ingrid Dahl met Tor Ås in Halden. " * 6
    labels = ("PERSON", "PERSON", "LOC", "ORG")
    records = [
        DocumentRecord(
            id=str(n),
            text=text,
            meta={"title": f"Article {n}"},
            spans=tuple(
                SpanRecord(f"{n}.{i}", 0, 11, label, text[:11], "ann", entity="e1" if i else "")
                for i, label in enumerate(labels)
            ),
        )
        for n in range(3000)
    ]
    out = tmp_path / "out.jsonl"

    report = jsonl.export(records, out)

    assert out.stat().st_size > 4 * jsonl._WRITTEN_AT
    assert out.read_bytes() == _reference(records).encode("utf-8")
    assert report.documents == 3000
    assert report.kept == {"PERSON": 6000, "LOC": 3000, "ORG": 3000}
