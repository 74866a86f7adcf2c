"""Review queries and rows as plain values: presets, filters, and a row's one-line context."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.annotations import Origin, Status
from app.core.review import (
    CONTEXT_CHARS,
    Column,
    Review,
    ReviewQuery,
    ReviewRow,
    claims_not_reviewed,
    quotes_attributed_to,
)


def row(
    text: str = "Ana Ruiz", left: str = "Mayor ", right: str = " said", start: int = 6
) -> ReviewRow:
    return ReviewRow(
        span_id=1,
        document_id=2,
        document_title="Harbour vote",
        start=start,
        end=start + len(text),
        label="PERSON",
        text=text,
        left=left,
        right=right,
        annotator="ana",
        origin=Origin.IMPORTED,
        review=Review.ACCEPTED,
        speaker="",
        entity="Ana Ruiz",
    )


def test_presets_are_one_filter_away() -> None:
    assert claims_not_reviewed() == ReviewQuery(
        labels=frozenset({"CLAIM"}), reviews=frozenset({Review.UNREVIEWED})
    )
    assert quotes_attributed_to("  Ruiz ") == ReviewQuery(
        labels=frozenset({"QUOTE"}), speaker="Ruiz"
    )


def test_only_an_empty_query_is_unfiltered() -> None:
    assert not ReviewQuery().is_filtered
    assert not ReviewQuery(text="   ", speaker=" ").is_filtered
    assert not ReviewQuery().sorted_by(Column.TEXT, descending=True).is_filtered
    for query in (
        ReviewQuery(labels=frozenset({"ORG"})),
        ReviewQuery(annotators=frozenset({"ana"})),
        ReviewQuery(origins=frozenset({Origin.MANUAL})),
        ReviewQuery(reviews=frozenset({Review.REJECTED})),
        ReviewQuery(document_status=Status.NEW),
        ReviewQuery(entity_id=3),
        ReviewQuery(entity="Ruiz"),
        ReviewQuery(speaker="Ruiz"),
        ReviewQuery(text="ferry"),
        ReviewQuery(ids=frozenset({1})),
    ):
        assert query.is_filtered, query


def test_sorting_keeps_the_filters() -> None:
    query = claims_not_reviewed().sorted_by(Column.SPEAKER, descending=True)
    assert (query.sort, query.descending) == (Column.SPEAKER, True)
    assert query.labels == frozenset({"CLAIM"})


def test_each_column_shows_its_value() -> None:
    shown = {column: row().value(column) for column in Column}
    assert shown == {
        Column.DOCUMENT: "Harbour vote",
        Column.LABEL: "PERSON",
        Column.TEXT: "Mayor [Ana Ruiz] said",
        Column.ANNOTATOR: "ana",
        Column.ORIGIN: "imported",
        Column.REVIEW: "✓",
        Column.SPEAKER: "",
        Column.ENTITY: "Ana Ruiz",
    }


def test_cut_context_is_marked_with_an_ellipsis() -> None:
    left = "x" * CONTEXT_CHARS
    right = "y" * CONTEXT_CHARS
    assert row(left=left, right=right, start=100).in_context() == f"…{left}[Ana Ruiz]{right}…"
    # context that reaches the start or the end of the text is whole
    assert row(left=left, right="!", start=CONTEXT_CHARS).in_context() == f"{left}[Ana Ruiz]!"


# without "…" itself, which would read as the mark
texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="…"), max_size=CONTEXT_CHARS
)


@given(texts, texts, texts.filter(str.strip), st.integers(0, 500))
def test_context_is_one_line_around_the_span(left: str, right: str, text: str, extra: int) -> None:
    shown = row(text=text, left=left, right=right, start=len(left) + extra).in_context()
    assert "\n" not in shown and "\r" not in shown
    assert f"[{' '.join(text.split())}]" in shown
    assert shown.startswith("…") == (extra > 0 and bool(left.strip()))
    assert shown.endswith("…") == (len(right) == CONTEXT_CHARS and bool(right.strip()))
    # a space between the span and its context shows, and only then
    assert (f" [{' '.join(text.split())}]" in shown) == (left[-1:].isspace() and bool(left.strip()))
