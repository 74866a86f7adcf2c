"""Hypothesis strategies for documents as they travel through files."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from app.core.records import DocumentRecord, RelationRecord, SpanRecord

# Pieces chosen for the ways offsets go wrong: astral characters (UTF-16 pairs), ZWJ
# sequences and skin tones (one glyph, many code points), combining marks, right-to-left
# scripts, and characters that some APIs treat as line breaks (U+2028/9, VT, FF, NEL).
PIECES = (
    "The",
    " minister",
    " said",
    ", ",
    ".",
    '"',
    "«",
    "»",
    " ",
    "\t",
    "\n",
    "\n\n",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\x85",
    "\u00a0",
    "\ufeff",
    "\u200d",
    "e\u0301",
    "Zoe\u0308",
    "😀",
    "👨‍👩‍👧",
    "👍🏽",
    "🇺🇦",
    "𝔘𝔫𝔦",
    "漢字",
    "東京",
    "שלום",
    "יעל לוי",
    "مرحبا",
    "رنا خوري",
)

SPAN_LABELS = ("PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM")
ANNOTATORS = ("ann", "Zoë", "יעל", "😀 bot")
ORIGINS = ("manual", "imported", "suggested")

# no NUL: it is refused at the door (PostgreSQL stores none in text)
_any_character = st.characters(exclude_categories=["Cs"], exclude_characters="\r\x00")

texts = (
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(_any_character, min_size=1, max_size=3)),
        min_size=1,
        max_size=25,
    )
    .map("".join)
    .filter(lambda text: text.strip() != "")
)
"""Canonical texts: no ``\\r``, no lone surrogates, not blank."""

_json_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.text(_any_character, max_size=8),
    st.sampled_from(PIECES),
)
_DECLARED: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "QUOTE": {"kind": st.sampled_from(("direct", "indirect", "mixed"))},
    "CLAIM": {"check_worthy": st.booleans(), "note": st.text(_any_character, max_size=8)},
}
"""The news schema's attributes, with the values it allows (importing refuses others)."""


def attributes(label: str) -> st.SearchStrategy[dict[str, Any]]:
    """Attributes of a ``label`` span: the ones its label declares hold values the schema
    allows; the same names on other labels, which the schema leaves be, hold anything."""
    declared = _DECLARED.get(label, {})
    names = ("kind", "note", "check_worthy")
    return st.fixed_dictionaries(
        {}, optional={name: declared.get(name, _json_scalars) for name in names}
    )


RELATION_TYPES = (
    ("speaker", ("QUOTE",), ("PERSON", "ORG")),
    ("cue", ("QUOTE",), ("CUE",)),
    ("claimant", ("CLAIM",), ("PERSON", "ORG")),
)


@st.composite
def documents(draw: st.DrawFn, *, text: str | None = None) -> DocumentRecord:
    """A document with valid, possibly nested or overlapping spans and relations."""
    body = text if text is not None else draw(texts)
    spans = []
    for number in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(body) - 1))
        end = draw(st.integers(start + 1, len(body)))
        label = draw(st.sampled_from(SPAN_LABELS))
        spans.append(
            SpanRecord(
                id=f"s{number}",
                start=start,
                end=end,
                label=label,
                text=body[start:end],
                annotator=draw(st.sampled_from(ANNOTATORS)),
                origin=draw(st.sampled_from(ORIGINS)),
                attributes=draw(attributes(label)),
            )
        )
    relations = []
    for number in range(draw(st.integers(0, 4)) if spans else 0):
        # only links the news schema allows, so that a database holding them passes check
        name, heads, tails = draw(st.sampled_from(RELATION_TYPES))
        head_ids = [span.id for span in spans if span.label in heads]
        tail_ids = [span.id for span in spans if span.label in tails]
        if not head_ids or not tail_ids:
            continue
        relations.append(
            RelationRecord(
                id=f"r{number}",
                head=draw(st.sampled_from(head_ids)),
                tail=draw(st.sampled_from(tail_ids)),
                label=name,
                annotator=draw(st.sampled_from(ANNOTATORS)),
            )
        )
    meta: dict[str, Any] = {"title": draw(st.text(_any_character, min_size=1, max_size=20))}
    meta.update(draw(st.dictionaries(st.sampled_from(("source", "lang", "n")), _json_scalars)))
    return DocumentRecord(
        id=draw(st.text(_any_character, max_size=6)),
        text=body,
        meta=meta,
        spans=tuple(spans),
        relations=tuple(relations),
    )


@st.composite
def fragmented(draw: st.DrawFn, record: DocumentRecord) -> DocumentRecord:
    """``record`` with some of its spans cut into discontinuous fragments (gaps inside the
    span's range, so the covering range stays)."""
    spans = []
    for span in record.spans:
        inner = list(range(span.start + 1, span.end))
        if len(inner) >= 2 and draw(st.booleans()):
            cuts = sorted(draw(st.sets(st.sampled_from(inner), min_size=2, max_size=4)))
            cuts = cuts[: len(cuts) // 2 * 2]
            edges = [span.start, *cuts, span.end]
            pieces = tuple((edges[i], edges[i + 1]) for i in range(0, len(edges), 2))
            span = span._replace(fragments=pieces)
        spans.append(span)
    return DocumentRecord(
        record.id, record.text, record.meta, tuple(spans), record.relations, record.source
    )


def documents_with_fragments(**kwargs: Any) -> st.SearchStrategy[DocumentRecord]:
    """Documents as ``documents`` draws them, some spans discontinuous."""
    return documents(**kwargs).flatmap(fragmented)
