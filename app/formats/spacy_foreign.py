"""What a ``.spacy`` file that Glossa did not write may hold that a document here holds
otherwise, or not at all.

- ``\\r\\n`` line breaks (a Doc made from a Windows text file): the text is read with ``\\n``,
  as every import makes it, and the spans' offsets are mapped into it (a span cannot end
  between ``\\r`` and ``\\n``: spaCy makes the pair one white-space token). The documents so
  read are counted in one warning.
- token annotations (fine-grained tags, parts of speech, lemmas, dependencies, morphology,
  as ``spacy convert`` makes them from a treebank): Glossa keeps no token layer, so they are
  not imported, and how many documents held each is one warning.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import NewlineShift
from app.formats.report import ReadReport

TOKEN_LAYERS = (
    ("TAG", "tag_", "tags"),
    ("POS", "pos_", "parts of speech"),
    ("LEMMA", "lemma_", "lemmas"),
    ("DEP", "dep_", "dependencies"),
    ("MORPH", "morph", "morphology"),
)
"""spaCy's token annotations: ``Doc.has_annotation`` name, token attribute, the words a
warning uses."""
PLACEHOLDERS = frozenset({"", "-", "_"})
"""Values that hold nothing: ``spacy convert`` gives every token of a NER file the tag ``-``."""


class ForeignParts:
    """What the documents of one file held that was mapped or left out, to report once."""

    def __init__(self) -> None:
        self.crlf_documents = 0
        self.layers: Counter[str] = Counter()

    def note_tokens(self, doc: Any) -> None:
        """Count the token annotations ``doc`` holds."""
        for attribute, value, name in TOKEN_LAYERS:
            if doc.has_annotation(attribute) and any(
                str(getattr(token, value)) not in PLACEHOLDERS for token in doc
            ):
                self.layers[name] += 1

    def mapped(self, record: DocumentRecord, text: str, where: str) -> DocumentRecord:
        """``record`` (read from its text with ``\\r\\n``) with ``text``, that text made
        canonical, and its spans' offsets in it."""
        shift = NewlineShift(record.text)
        spans = []
        for span in record.spans:
            start, end = shift.map(span.start), shift.map(span.end)
            if start is None or end is None:
                raise InputError(
                    f"span {span.id} ({span.label}) starts or ends between \\r and \\n",
                    source=where,
                )
            spans.append(span._replace(start=start, end=end, text=text[start:end]))
        self.crlf_documents += 1
        return DocumentRecord(
            id=record.id,
            text=text,
            meta=record.meta,
            spans=tuple(spans),
            relations=record.relations,
            source=record.source,
            line=record.line,
        )

    def report_to(self, report: ReadReport, source: str) -> None:
        """Put what was mapped or left out into ``report``, one warning each."""
        if self.crlf_documents:
            report.warn(
                f"{self.crlf_documents} document(s) hold \\r\\n line breaks: read with \\n, "
                "their spans' offsets mapped",
                source,
            )
        if self.layers:
            held = ", ".join(f"{name} in {count}" for name, count in self.layers.items())
            report.warn(
                f"token annotations not imported (Glossa keeps no token layer): {held} document(s)",
                source,
            )
