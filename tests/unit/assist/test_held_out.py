"""The held-out split, the per-label figures and the most-frequent-label baseline."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.assist.held_out import (
    MostFrequentLabel,
    TrainingDocument,
    band_of,
    calibrated,
    calibration,
    figures,
    split,
)
from app.assist.tagger import passages


def doc(
    key: str, text: str = "x", spans: tuple[tuple[int, int, str], ...] = ()
) -> TrainingDocument:
    return TrainingDocument(key, text, spans)


@given(st.sets(st.text(min_size=1, max_size=6), min_size=2, max_size=60))
def test_the_split_depends_on_document_ids_alone(keys: set[str]) -> None:
    documents = [doc(k) for k in sorted(keys)]

    training, held_out = split(documents)
    again = split(list(reversed(documents)))

    assert {d.key for d in held_out} == {d.key for d in again[1]}
    assert {d.key for d in training} | {d.key for d in held_out} == keys
    assert not {d.key for d in training} & {d.key for d in held_out}
    assert 1 <= len(held_out) <= len(keys) * 0.2 + 1


def test_an_old_held_out_document_leaves_only_for_a_new_one() -> None:
    before = {d.key for d in split([doc(str(i)) for i in range(100)])[1]}
    after = {d.key for d in split([doc(str(i)) for i in range(110)])[1]}

    newcomers = {k for k in after if int(k) >= 100}
    assert newcomers and before - after
    assert len(before - after) <= len(newcomers)


def test_figures_count_exact_spans_per_label_and_in_all() -> None:
    gold = [[(0, 4, "PERSON"), (10, 13, "ORG")], [(2, 5, "GPE")]]
    guessed = [[(0, 4, "PERSON"), (10, 12, "ORG")], [(2, 5, "GPE"), (7, 9, "GPE")]]

    rows = {row.label: row for row in figures(gold, guessed, ["PERSON", "ORG", "GPE", "LOC"])}

    assert (rows["PERSON"].precision, rows["PERSON"].recall) == (1.0, 1.0)
    assert (rows["ORG"].correct, rows["ORG"].f1) == (0, 0.0)
    assert rows["GPE"].precision == 0.5 and rows["GPE"].recall == 1.0
    assert rows["LOC"].gold == rows["LOC"].predicted == 0 and rows["LOC"].f1 == 0.0
    assert (rows["all"].gold, rows["all"].predicted, rows["all"].correct) == (3, 4, 2)


def test_the_baseline_tags_known_names_with_their_most_frequent_label() -> None:
    text = "Paris met Acme. Paris and Acme Bank. Paris"
    training = [
        doc("1", text, ((0, 5, "GPE"), (10, 14, "ORG"), (16, 21, "GPE"), (37, 42, "PERSON")))
    ]

    baseline = MostFrequentLabel(training)

    found = baseline.tag("In Paris, Acme Bank and acme said; Parisian news.")
    assert found == [(3, 8, "GPE"), (10, 14, "ORG")]
    assert MostFrequentLabel([]).tag("anything") == []


@given(
    st.text(alphabet="ab \n😀", max_size=80),
    st.lists(st.tuples(st.integers(0, 80), st.integers(1, 6)), max_size=8),
)
def test_passages_slice_the_text_and_keep_the_spans_inside_them(
    text: str, raw: list[tuple[int, int]]
) -> None:
    spans = [(s, s + n, "X") for s, n in raw if s + n <= len(text)]

    cut = list(passages(text, spans))

    for passage in cut:
        assert text[passage.start : passage.start + len(passage.text)] == passage.text
        assert passage.text.strip() and "\n" not in passage.text
        for s, e, _ in passage.spans:
            assert 0 <= s < e <= len(passage.text)
    kept = {(p.start + s, p.start + e) for p in cut for s, e, _ in p.spans}
    inside_a_line = {(s, e) for s, e, _ in spans if "\n" not in text[s:e] and text[s:e].strip()}
    assert inside_a_line <= kept | {(s, e) for s, e in inside_a_line if not text[s:e].strip()}


def test_confidence_is_calibrated_by_the_held_out_precision_of_its_band() -> None:
    gold = [[(0, 4, "PERSON"), (5, 9, "ORG")]]
    guessed = [[(0, 4, "PERSON", 0.99), (5, 9, "GPE", 0.97), (10, 12, "ORG", 0.6)]]

    bands = calibration(gold, guessed)

    assert [(b["spans"], b["correct"]) for b in bands] == [(0, 0), (1, 0), (0, 0), (2, 1)]
    assert calibrated(0.98, bands) == (1 + 2 * 0.98) / (2 + 2)  # about half were right
    assert calibrated(0.6, bands) == 2 * 0.6 / 3  # none right: pulled down
    assert calibrated(0.9, bands) == 0.9  # an empty band leaves it as it was
    assert calibrated(0.3, []) == 0.3
    assert band_of(1.0) == 3 and band_of(0.0) == 0 and band_of(0.95) == 3
