"""brat events, discontinuous spans, attributes on anything, notes, normalisations and
equivalences: what they become on import, and the exact ``.ann`` lines an export writes back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import brat
from app.formats.report import ReadReport
from tests.unit.formats.brat_lines import check_ann
from tests.unit.formats.test_tokens import text_with_any_spans

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "brat"


def read_one(folder: Path) -> tuple[DocumentRecord, ReadReport]:
    report = ReadReport("brat")
    (doc,) = brat.read(folder, report)
    return doc, report


def by_brat_id(doc: DocumentRecord) -> dict[str, SpanRecord]:
    return {str(s.attributes["brat_id"]): s for s in doc.spans if "brat_id" in s.attributes}


def links(doc: DocumentRecord) -> set[tuple[str, str, str]]:
    """Relations as (head text, label, tail text)."""
    text = {s.id: s.text for s in doc.spans}
    return {(text[r.head], r.label, text[r.tail]) for r in doc.relations}


def ann_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.mark.parametrize("folder", ["golden", "attribution", "bionlp"])
def test_export_writes_back_the_same_ann_lines(tmp_path: Path, folder: str) -> None:
    source = DATA / folder
    docs = list(brat.read(source))
    brat.export(docs, tmp_path)
    for doc in docs:
        original = ann_lines(source / f"{doc.id}.ann")
        written = ann_lines(tmp_path / f"{doc.id}.ann")
        assert sorted(written) == sorted(original)
        check_ann(written, doc.text)
        assert (tmp_path / f"{doc.id}.txt").read_bytes() == (source / f"{doc.id}.txt").read_bytes()


def test_an_event_is_its_trigger_span_and_one_relation_per_role() -> None:
    doc, report = read_one(DATA / "attribution")
    spans = by_brat_id(doc)
    trigger = spans["E4 T18"]
    assert (trigger.label, trigger.text) == ("Speech", "told")
    assert trigger.attributes["brat"] == "event"  # marks an event trigger
    assert "brat" not in spans["T1"].attributes
    assert {
        ("told", "Source", "Díaz"),
        ("told", "Content", "she was “confident”"),
        ("told", "Addressee", "reporters"),
        ("said", "Source", "Minister Ana Díaz"),
    } <= links(doc)
    # the cue span said (T2) and the trigger said (T15) are two spans with their own labels
    assert spans["T2"].label == "Cue" and spans["E1 T15"].label == "Speech"
    vitamin = spans["T9"]
    assert vitamin.fragments == ((145, 152), (159, 160))
    assert not any("discontinuous" in w.message for w in report.warnings)


def test_attributes_notes_and_normalizations_stay_on_what_they_annotate() -> None:
    doc, _ = read_one(DATA / "attribution")
    spans = by_brat_id(doc)
    assert spans["E1 T15"].attributes["QuoteType"] == "mixed"
    assert spans["E4 T18"].attributes["Uncertain"] is True
    assert spans["E2 T16"].attributes["note"] == "sarcastic"
    assert spans["T1"].attributes["note"] == "Minister of Transport"
    assert spans["T1"].attributes["normalization"] == [
        "Reference Wikidata:Q1000001 Ana Díaz",
        "Reference Wikipedia:534366 Ana Díaz (politician)",
    ]
    assert spans["T4"].attributes["normalization"] == "Reference Wikidata:Q1000002 Zoë Quist"
    # relations hold no attributes: what is said of R lines stays in the document metadata
    kept = doc.meta["brat"]
    assert kept["lines"] == [
        "A2\tstatement R1",
        "#3\tAnnotatorNotes R2\tsame person",
        "*\tEquiv T1 T11",
    ]
    assert kept["relations"]["R2"] == ["Coreference", "Anaphor", "T11", "Antecedent", "T1", "\t"]
    assert ("said", "Cue-of", "said") in links(doc)  # R1 names event E1: its trigger span


def test_events_sharing_a_trigger_and_events_as_arguments() -> None:
    doc, report = read_one(DATA / "bionlp")
    spans = by_brat_id(doc)
    first, second = spans["E1 T9"], spans["E2 T9"]
    assert (first.start, first.end) == (second.start, second.end) and first.id != second.id
    assert first.attributes["Negation"] is True and second.attributes["Negation"] is True
    heads = {(r.head, r.label, r.tail) for r in doc.relations}
    cause = spans["E6 T11"]
    assert (cause.id, "Theme", spans["E4 T12"].id) in heads
    assert (cause.id, "Cause", spans["E3 T10"].id) in heads
    assert (first.id, "Theme2", spans["T3"].id) in heads
    messages = [w.message for w in report.warnings]
    assert (
        "3 event(s) share a trigger with an earlier event; each has a trigger span of its own"
        in messages
    )


def test_a_discontinuous_span_is_one_span_with_its_fragments() -> None:
    doc, report = read_one(DATA / "bionlp")
    (receptor,) = [s for s in doc.spans if s.attributes.get("brat_id") == "T8"]
    assert (receptor.start, receptor.end, receptor.label) == (132, 161, "Protein")
    assert receptor.fragments == ((132, 143), (150, 161))
    assert [doc.text[s:e] for s, e in receptor.fragments] == ["interleukin", "4 receptors"]
    assert receptor.text == doc.text[132:161]  # the covering text, as native records keep it
    assert not any(r.label == "fragment" for r in doc.relations)
    assert not any("discontinuous" in w.message for w in report.warnings)


def test_pieces_in_any_order_or_touching_read_as_the_characters_they_cover(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("vitamin and C and D", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tNutrient 12 13;0 7\tC vitamin\nT2\tNutrient 0 3;3 7\tvit amin\n",
        encoding="utf-8",
    )
    doc, _ = read_one(tmp_path)
    first, second = doc.spans
    assert (first.start, first.end, first.fragments) == (0, 13, ((0, 7), (12, 13)))
    assert (second.start, second.end, second.fragments) == (0, 7, ())
    out = tmp_path / "out"
    brat.export([doc], out)
    assert ann_lines(out / "a.ann") == [
        "T1\tNutrient 0 7;12 13\tvitamin C",
        "T2\tNutrient 0 7\tvitamin",
    ]


def test_fragments_apart_only_by_a_line_break_stay_one_span(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Harbour\nauthority and vitamin C", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tORG 0 7;8 17\tHarbour authority\nT2\tProtein 0 7;30 31\tHarbour C\n",
        encoding="utf-8",
    )
    doc, _ = read_one(tmp_path)
    assert [(s.start, s.end, s.label, s.fragments) for s in doc.spans] == [
        (0, 17, "ORG", ()),
        (0, 31, "Protein", ((0, 7), (30, 31))),
    ]
    out = tmp_path / "out"
    brat.export([doc], out)
    assert ann_lines(out / "a.ann") == ann_lines(tmp_path / "a.ann")


def test_export_of_spans_made_in_glossa_as_an_event(tmp_path: Path) -> None:
    text = "Quist said it was a fantasy."
    record = DocumentRecord(
        "made",
        text,
        spans=(
            SpanRecord("s", 0, 5, "Source", "Quist"),
            SpanRecord("c", 6, 10, "Speech", "said", attributes={"brat": "event"}),
            SpanRecord("q", 11, 27, "Content", "it was a fantasy"),
        ),
        relations=(
            RelationRecord("1", "c", "s", "Source"),
            RelationRecord("2", "c", "q", "Content"),
        ),
    )
    brat.export([record], tmp_path)
    written = ann_lines(tmp_path / "made.ann")
    assert written == [
        "T1\tSource 0 5\tQuist",
        "T2\tSpeech 6 10\tsaid",
        "T3\tContent 11 27\tit was a fantasy",
        "E1\tSpeech:T2 Source:T1 Content:T3",
    ]
    check_ann(written, text)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "[events]\nSpeech\tContent*:Content, Source*:Source\n" in conf
    assert "\nSpeech\n" not in conf.split("[events]")[0]  # a trigger type is not an entity


def test_lines_about_annotations_deleted_since_are_left_out_with_a_warning(tmp_path: Path) -> None:
    doc, _ = read_one(DATA / "attribution")
    # the relation R2 and span T11 were deleted in Glossa after the import
    t11 = by_brat_id(doc)["T11"].id
    spans = tuple(s for s in doc.spans if s.id != t11)
    relations = tuple(r for r in doc.relations if t11 not in (r.head, r.tail))
    edited = DocumentRecord(doc.id, doc.text, doc.meta, spans, relations)
    report = brat.export([edited], tmp_path)
    written = ann_lines(tmp_path / "harbour.ann")
    check_ann(written, doc.text)
    assert not any("Equiv" in line or "same person" in line for line in written)
    assert "*\tEquiv T1 T11" not in written
    messages = [w.message for w in report.warnings]
    assert "#3 left out: it names R2, no longer written" in messages


def test_orphans_are_skipped_with_warnings_and_a_bad_file_refuses_only_itself() -> None:
    report = ReadReport("brat")
    docs = {d.id: d for d in brat.read(DATA / "orphans", report)}
    assert sorted(docs) == ["good", "unannotated"]
    assert docs["unannotated"].spans == ()
    assert [s.text for s in docs["good"].spans] == ["Ana Díaz"]
    messages = [w.describe() for w in report.warnings]
    assert any(m.endswith("lone.ann: no lone.txt beside this file; skipped") for m in messages)
    assert any(
        m.endswith("unannotated.txt: no unannotated.ann beside this file; a document without spans")
        for m in messages
    )
    assert any(m.endswith("good.ann:2: 2 line(s) of an unknown kind skipped") for m in messages)
    (refused,) = report.refused
    assert refused.source.endswith("bad.ann") and refused.line == 2
    assert "relation R1 names T7" in refused.message
    assert report.documents == 2


def test_an_attribute_on_an_annotation_glossa_cannot_hold_is_a_counted_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("Ana Díaz spoke.", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tPERSON 0 8\tAna Díaz\nA1\tNegated T1\n"
        "A2\tConfidence A1 high\n#1\tAnnotatorNotes A1\tx\n",
        encoding="utf-8",
    )
    doc, report = read_one(tmp_path)
    assert doc.spans[0].attributes == {"brat_id": "T1", "Negated": True}
    (notice,) = report.warnings
    assert notice.message == "2 attribute(s) or note(s) on A annotations skipped"
    assert notice.line == 3


def test_a_text_column_that_runs_over_several_lines_is_joined(tmp_path: Path) -> None:
    # older brat versions wrote a span's line breaks into its text column
    text = "Ana said:\n\nthe harbour will open.\nZoë agreed."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tContent 10 33\t\nthe harbour will open.\n"
        "T2\tContent 0 33\tAna said:\n\nthe harbour will open.\nT3\tSource 34 37\tZoë\n",
        encoding="utf-8",
    )
    doc, report = read_one(tmp_path)
    assert [s.text for s in doc.spans] == [
        "\nthe harbour will open.",
        "Ana said:\n\nthe harbour will open.",
        "Zoë",
    ]
    (notice,) = [w for w in report.warnings if "runs on" in w.message]
    assert notice.message == (
        "2 line(s) whose text runs on over the next lines of the file, joined"
    )
    assert notice.line == 1
    out = tmp_path / "out"
    brat.export([doc], out)
    check_ann(ann_lines(out / "a.ann"), text)


def test_a_t_line_without_its_text_column_is_read_unchecked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ana Díaz spoke.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 8\n", encoding="utf-8")
    doc, report = read_one(tmp_path)
    assert doc.spans[0].text == "Ana Díaz"
    assert report.warnings[0].message.endswith("their offsets are not checked")


BROKEN = [
    ("T1\n", 1, "a T line has 3 tab-separated fields"),
    ("T1\tPERSON 0 3\tAna\nE1\tSpeech:T9 Source:T1\n", 2, "event E1 names trigger T9"),
    ("T1\tPERSON 0 3\tAna\nE1\tSpeech:T1 Source\n", 2, "expected ROLE:ID, found 'Source'"),
    ("T1\tPERSON 0 3\tAna\nE1\tSpeech:T1 Source:E7\n", 2, "event E1 names E7"),
    ("T1\tPERSON 0 3\tAna\nE1\tSpeech\n", 2, "expected 'E<n><TAB>TYPE:T<n> ROLE:ID ...'"),
    ("T1\tPERSON 0 3\tAna\n*\tEquiv T1 T2\n", 2, "equivalence * names T2"),
    (
        "T1\tPERSON 0 3\tAna\nN1\tReference T1\tAna\n",
        2,
        "expected 'N<n><TAB>TYPE ID DB:ID<TAB>TEXT'",
    ),
]


@pytest.mark.parametrize(("ann", "line", "message"), BROKEN)
def test_broken_lines_name_their_file_and_line(
    tmp_path: Path, ann: str, line: int, message: str
) -> None:
    (tmp_path / "a.txt").write_text("Ana spoke.", encoding="utf-8")
    (tmp_path / "a.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(brat.read(tmp_path / "a.ann"))
    assert info.value.source == str(tmp_path / "a.ann")
    assert info.value.line == line
    assert message in info.value.message


def test_a_corpus_folder_reads_its_sub_folders(tmp_path: Path) -> None:
    for name in ("attribution", "bionlp"):
        shutil.copytree(DATA / name, tmp_path / name)
    report = ReadReport("brat")
    ids = sorted(d.id for d in brat.read(tmp_path, report))
    assert ids == ["attribution/harbour", "bionlp/PMID-0000001"]
    assert report.refused == []


def test_bionlp_a1_and_a2_files_are_read_as_one_annotation_file(tmp_path: Path) -> None:
    folder = DATA / "bionlp-st"
    doc, report = read_one(folder)
    assert doc.id == "PMID-0000002"
    spans = by_brat_id(doc)
    assert spans["T1"].text == "IL-2" and spans["E6 T11"].label == "Positive_regulation"
    brat.export([doc], tmp_path)
    given = ann_lines(folder / "PMID-0000002.a1") + ann_lines(folder / "PMID-0000002.a2")
    assert sorted(ann_lines(tmp_path / "PMID-0000002.ann")) == sorted(given)
    assert report.refused == []


def test_a_bad_line_in_an_a1_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("IL-2 binds.", encoding="utf-8")
    (tmp_path / "d.a1").write_text(
        "T1\tProtein 0 4\tIL-2\nT2\tProtein 0 4\tIL-4\n", encoding="utf-8"
    )
    (tmp_path / "d.a2").write_text("T3\tBinding 5 10\tbinds\n", encoding="utf-8")
    report = ReadReport("brat")
    assert list(brat.read(tmp_path, report)) == []
    (refused,) = report.refused
    assert (refused.source, refused.line) == (str(tmp_path / "d.a1"), 2)


@st.composite
def structured(draw: st.DrawFn) -> DocumentRecord:
    """A document whose spans may be event triggers, fragments of one span, or have notes."""
    text, spans = draw(text_with_any_spans())
    marked = []
    for span in spans:
        attributes = draw(
            st.sampled_from(
                [{}, {"brat": "event"}, {"note": "check"}, {"normalization": "Ref db:1 x"}]
            )
        )
        marked.append(span._replace(attributes=attributes))
    relations = []
    if marked:
        ids = st.sampled_from([s.id for s in marked])
        labels = st.sampled_from(["fragment", "Theme", "speaker"])
        for number, (head, tail, label) in enumerate(
            draw(st.lists(st.tuples(ids, ids, labels), max_size=6))
        ):
            relations.append(RelationRecord(f"r{number}", head, tail, label))
    return DocumentRecord("doc", text, spans=tuple(marked), relations=tuple(relations))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(structured())
def test_what_an_export_writes_reads_back_and_is_written_the_same(
    tmp_path: Path, record: DocumentRecord
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        shutil.rmtree(folder, ignore_errors=True)
    brat.export([record], first)
    written = ann_lines(first / "doc.ann")
    check_ann(written, record.text)
    linked = {end for r in record.relations if r.label == "fragment" for end in (r.head, r.tail)}
    triggers = [s for s in record.spans if s.attributes.get("brat") == "event"]
    # a trigger that is no fragment of another span is an event of its own
    alone = [s for s in triggers if s.id not in linked]
    assert len(alone) <= sum(line.startswith("E") for line in written) <= len(triggers)
    (doc,) = brat.read(first)
    brat.export([doc], second)
    assert sorted(ann_lines(second / "doc.ann")) == sorted(written)
