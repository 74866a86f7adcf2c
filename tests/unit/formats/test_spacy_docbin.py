"""spaCy DocBin: what spaCy loads back, a round trip, and a tiny NER model trained on it."""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import GlossaError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import decode_article
from app.formats import spacy_docbin
from app.formats.report import DropReason, ReadReport
from app.formats.tokens import TokenBounds, flat_layer, tokenize
from tests.unit.formats.test_tokens import text_with_any_spans, text_with_token_spans

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc, DocBin  # noqa: E402
from spacy.training import Example  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"
FAST = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


NLP = spacy.blank("en")


def load(path: Path) -> list[object]:
    return list(DocBin().from_disk(path).get_docs(NLP.vocab))


def aligned(record: DocumentRecord) -> list[SpanRecord]:
    bounds = TokenBounds(tokenize(record.text).tokens)
    return [s for s in record.spans if bounds.token_range(s.start, s.end) is not None]


def offsets(spans: object) -> Counter[tuple[int, int, str]]:
    return Counter((s.start_char, s.end_char, s.label_) for s in spans)  # type: ignore[attr-defined]


def check_docbin(records: list[DocumentRecord], path: Path) -> None:
    """Texts equal, ents = the flat layer, "sc" = every aligned span, user_data intact."""
    report = spacy_docbin.export(records, path)
    docs = load(path)
    assert len(docs) == len(records) == report.documents
    for record, doc in zip(records, docs, strict=True):
        assert doc.text == record.text  # type: ignore[attr-defined]
        kept, _ = flat_layer(aligned(record))
        assert offsets(doc.ents) == Counter((s.start, s.end, s.label) for s in kept)  # type: ignore[attr-defined]
        assert offsets(doc.spans["sc"]) == Counter(  # type: ignore[attr-defined]
            (s.start, s.end, s.label) for s in aligned(record)
        )
        for span in doc.spans["sc"]:  # type: ignore[attr-defined]
            assert span.text == record.text[span.start_char : span.end_char]
        data = doc.user_data["glossa"]  # type: ignore[attr-defined]
        assert data["id"] == record.id
        assert [r["head"] for r in data["relations"]] == [r.head for r in record.relations]
        assert data["attributes"] == {s.id: s.attributes for s in record.spans if s.attributes}
    written = sum(len(flat_layer(aligned(r))[0]) for r in records)
    assert report.kept.total() == written
    assert written + len(report.dropped) == sum(len(r.spans) for r in records)


def with_extras(text: str, spans: tuple[SpanRecord, ...], doc_id: str) -> DocumentRecord:
    """A record whose first spans carry attributes and a relation, as news annotations do."""
    attributes = [{"mode": "direct"}, {"check_worthy": True, "note": "two words\nand a line"}]
    spans = tuple(
        SpanRecord(s.id, s.start, s.end, s.label, s.text, "ann", attributes=attributes[i])
        if i < len(attributes)
        else s
        for i, s in enumerate(spans)
    )
    relations = (
        (RelationRecord("r1", spans[0].id, spans[-1].id, "speaker", "ann"),) if spans else ()
    )
    return DocumentRecord(doc_id, text, {"title": "t", "tags": ["a", 1]}, spans, relations)


@FAST
@given(st.lists(st.one_of(text_with_token_spans(), text_with_any_spans()), min_size=1, max_size=3))
def test_spacy_loads_texts_layers_and_user_data(
    tmp_path: Path, docs: list[tuple[str, tuple[SpanRecord, ...]]]
) -> None:
    records = [with_extras(t, s, f"d{i}") for i, (t, s) in enumerate(docs)]
    check_docbin(records, tmp_path / "out.spacy")


@FAST
@given(st.lists(st.one_of(text_with_token_spans(), text_with_any_spans()), min_size=1, max_size=3))
def test_round_trip_through_our_reader(
    tmp_path: Path, docs: list[tuple[str, tuple[SpanRecord, ...]]]
) -> None:
    records = [with_extras(t, s, f"d{i}") for i, (t, s) in enumerate(docs)]
    path = tmp_path / "out.spacy"
    spacy_docbin.export(records, path)
    back = list(spacy_docbin.read(path))
    assert [(r.id, r.text, r.meta, r.spans, r.relations) for r in back] == [
        (r.id, r.text, r.meta, r.spans, r.relations) for r in records
    ]


def unicode_record() -> DocumentRecord:
    """The unicode traps sample, decoded from CRLF, with spans on its hardest names."""
    text = decode_article((DATA / "unicode-traps-crlf.txt").read_bytes())
    assert "\r" not in text
    names = [
        ("Zoe\u0308 Lindqvist", "PERSON"),
        ("יוסף כהן", "PERSON"),
        ("مريم حداد", "PERSON"),
        ("Kaijō Marine", "ORG"),
        ("海洋技研", "ORG"),
        ("👨‍👩‍👧", "EMOJI"),
        ("🚢🎉", "EMOJI"),
    ]
    spans = [(text.index(name), text.index(name) + len(name), label) for name, label in names]
    quote_start = text.index("“We")
    spans.append((quote_start, text.index("”", quote_start) + 1, "QUOTE"))
    # across a line break that was \r\n in the file
    spans.append((text.index("🚢"), text.index("Opposition") + len("Opposition"), "ACROSS"))
    spans.append((text.index("Zoe\u0308"), text.index("Zoe\u0308") + 2, "BROKEN"))  # inside Zoë
    return DocumentRecord(
        "traps",
        text,
        spans=tuple(
            SpanRecord(str(i), s, e, label, text[s:e]) for i, (s, e, label) in enumerate(spans)
        ),
    )


def test_unicode_traps_sample(tmp_path: Path) -> None:
    record = unicode_record()
    path = tmp_path / "traps.spacy"
    check_docbin([record], path)
    (doc,) = load(path)
    got = {(e.text, e.label_) for e in doc.ents}  # type: ignore[attr-defined]
    assert ("👨‍👩‍👧", "EMOJI") in got
    assert ("יוסף כהן", "PERSON") in got
    assert ("Zoe\u0308 Lindqvist", "PERSON") in got
    assert ("🚢🎉\nOpposition", "ACROSS") in {(s.text, s.label_) for s in doc.spans["sc"]}  # type: ignore[attr-defined]
    report = spacy_docbin.export([record], path)
    assert report.dropped_counts() == {
        "BROKEN": {DropReason.UNALIGNED: 1},
        "EMOJI": {DropReason.NESTED: 1},  # 🚢🎉 inside ACROSS: in "sc", not in ents
    }


def test_whitespace_runs_become_tokens_and_text_stays_exact(tmp_path: Path) -> None:
    text = "  Two  spaces,\n\n\ta tab\u00a0and\u2028more \n"
    words, spaces = spacy_docbin.words_and_spaces(text, tokenize(text).tokens)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text
    record = DocumentRecord("ws", text, spans=(SpanRecord("1", 2, 13, "X", text[2:13]),))
    check_docbin([record], tmp_path / "ws.spacy")


def test_reading_a_docbin_made_by_spacy(tmp_path: Path) -> None:
    doc = NLP.make_doc("Acme Corp hired Omar Haddad.")
    doc.ents = [doc.char_span(0, 9, "ORG"), doc.char_span(16, 27, "PERSON")]
    doc.spans["sc"] = [doc.char_span(16, 27, "PERSON"), doc.char_span(21, 27, "SURNAME")]
    path = tmp_path / "plain.spacy"
    DocBin(docs=[doc]).to_disk(path)
    (record,) = spacy_docbin.read(path)
    assert record.id == "plain-1" and record.text == doc.text
    assert [(s.text, s.label) for s in record.spans] == [
        ("Acme Corp", "ORG"),
        ("Omar Haddad", "PERSON"),
        ("Haddad", "SURNAME"),
    ]


def test_writing_without_spacy_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(GlossaError, match="pip install spacy"):
        spacy_docbin.export([DocumentRecord("d", "text")], tmp_path / "x.spacy")


def test_the_bundle_without_spacy_says_where_spacy_files_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # as in the bundle of make dist
    with pytest.raises(GlossaError, match="self-contained Glossa leaves out") as caught:
        spacy_docbin.export([DocumentRecord("d", "text")], tmp_path / "x.spacy")
    assert "installed with pip" in str(caught.value)


NEWS = [
    ("Zoë Lindqvist met Acme Corp in Oslo.", [("Zoë Lindqvist", "PERSON"), ("Acme Corp", "ORG")]),
    ("Acme Corp hired Omar Haddad.", [("Acme Corp", "ORG"), ("Omar Haddad", "PERSON")]),
    ("Omar Haddad left Harbour Board.", [("Omar Haddad", "PERSON"), ("Harbour Board", "ORG")]),
    (
        "Harbour Board thanked Zoë Lindqvist.",
        [("Harbour Board", "ORG"), ("Zoë Lindqvist", "PERSON")],
    ),
]


def test_a_tiny_ner_model_trains_from_the_export(tmp_path: Path) -> None:
    records = []
    for i, (text, names) in enumerate(NEWS):
        spans = tuple(
            SpanRecord(str(j), text.index(n), text.index(n) + len(n), label, n)
            for j, (n, label) in enumerate(names)
        )
        records.append(DocumentRecord(f"n{i}", text, spans=spans))
    path = tmp_path / "train.spacy"
    spacy_docbin.export(records, path)

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in ("PERSON", "ORG"):
        ner.add_label(label)  # type: ignore[attr-defined]
    gold = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in gold]
    optimizer = nlp.initialize(lambda: examples)
    history = []
    for _ in range(10):
        losses: dict[str, float] = {}
        nlp.update(examples, sgd=optimizer, losses=losses, drop=0.0)
        history.append(losses["ner"])
    assert all(math.isfinite(loss) for loss in history)
    predicted = [ent.label_ for ent in nlp(NEWS[0][0]).ents]
    assert history[-1] < history[0] or predicted


def test_relations_and_categories_are_what_spacy_reads_as_doc_rel_and_cats(
    tmp_path: Path,
) -> None:
    text = 'Ann Lee said "the harbour opens" today.'
    doc_record = DocumentRecord(
        id="d1",
        text=text,
        meta={"title": "Harbour", "cats": {"POLITICS": 1.0, "SPORT": 0.0}},
        spans=(
            SpanRecord("p", 0, 7, "PERSON", "Ann Lee"),
            SpanRecord("c", 8, 12, "CUE", "said"),
            SpanRecord("q", 13, 32, "QUOTE", '"the harbour opens"'),
            SpanRecord("h", 18, 25, "LOC", "harbour"),
        ),
        relations=(
            RelationRecord("r1", "q", "p", "speaker"),
            RelationRecord("r2", "q", "c", "cue"),
            RelationRecord("r3", "h", "p", "near"),  # "harbour" is nested: not in doc.ents
        ),
    )
    path = tmp_path / "out.spacy"

    report = spacy_docbin.export([doc_record], path)

    [doc] = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)
    if not Doc.has_extension("rel"):
        Doc.set_extension("rel", default={})
    starts = {ent.label_: ent.start for ent in doc.ents}
    assert doc._.rel == {
        (starts["QUOTE"], starts["PERSON"]): {"speaker": 1.0},
        (starts["QUOTE"], starts["CUE"]): {"cue": 1.0},
    }
    assert doc.cats == {"POLITICS": 1.0, "SPORT": 0.0}
    assert any("1 relation(s) join spans outside doc.ents" in w for w in report.summary())


def test_doc_rel_and_cats_of_another_tool_come_in(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    doc = nlp("Ann Lee works for Acme in Oslo.")
    doc.ents = [doc.char_span(0, 7, "PERSON"), doc.char_span(18, 22, "ORG")]
    doc.cats = {"BUSINESS": 1.0}
    if not Doc.has_extension("rel"):
        Doc.set_extension("rel", default={})
    doc._.rel = {
        (0, 4): {"works_for": 0.9, "located": 0.1},
        (4, 0): {"works_for": 0.0},
        (0, 6): {"lives_in": 1.0},  # token 6 ("Oslo") starts no span
    }
    path = tmp_path / "theirs.spacy"
    DocBin(docs=[doc], store_user_data=True).to_disk(path)
    report = ReadReport("spacy")

    [record] = list(spacy_docbin.read(path, report))

    by_id = {s.id: s.text for s in record.spans}
    assert [(by_id[r.head], by_id[r.tail], r.label) for r in record.relations] == [
        ("Ann Lee", "Acme", "works_for")
    ]
    assert record.meta["cats"] == {"BUSINESS": 1.0}
    assert record.meta["title"] == "Ann Lee works for Acme in Oslo."
    assert any("1 relation(s) of Doc._.rel name no span" in w.message for w in report.warnings)


def test_a_conll_corpus_keeps_its_own_tokens_in_the_docbin(tmp_path: Path) -> None:
    from app.formats import conll

    records = list(conll.read(DATA / "conll" / "real" / "conll2003.txt"))
    path = tmp_path / "corpus.spacy"

    report = spacy_docbin.export(records, path)

    docs = load(path)
    for doc, record in zip(docs, records, strict=True):
        assert [t.text for t in doc if not t.is_space] == record.text.split()  # type: ignore[attr-defined]
    assert "CoNLL file" in report.tokenizer


def test_a_doc_made_from_a_windows_text_comes_in_with_its_spans_mapped(tmp_path: Path) -> None:
    """A Doc of a text with \\r\\n (spaCy makes each pair one white-space token)."""
    doc = NLP("Ana Lučić left Split 🚆.\r\nThen Zagreb.")
    doc.ents = [doc.char_span(0, 9, "PERSON"), doc.char_span(30, 36, "GPE")]
    doc.spans["sc"] = [doc.char_span(0, 20, "EVENT")]
    doc.cats = {"TRAVEL": 1.0}
    path = tmp_path / "windows.spacy"
    DocBin(docs=[doc]).to_disk(path)

    report = ReadReport("spacy")
    (record,) = spacy_docbin.read(path, report)

    assert record.text == "Ana Lučić left Split 🚆.\nThen Zagreb."
    assert [(s.label, s.text) for s in record.spans] == [
        ("PERSON", "Ana Lučić"),
        ("EVENT", "Ana Lučić left Split"),
        ("GPE", "Zagreb"),
    ]
    assert all(record.text[s.start : s.end] == s.text for s in record.spans)
    assert record.meta["cats"] == {"TRAVEL": 1.0}
    assert [w.describe() for w in report.warnings] == [
        f"{path}: 1 document(s) hold \\r\\n line breaks: read with \\n, their spans' offsets mapped"
    ]


def test_token_annotations_of_a_converted_treebank_are_counted_as_not_imported(
    tmp_path: Path,
) -> None:
    """As ``spacy convert`` makes a DocBin of a treebank, and of a NER file (tags ``-``)."""
    tagged = Doc(NLP.vocab, words=["Oslo", "wakes"], pos=["PROPN", "VERB"], lemmas=["Oslo", "wake"])
    placeholder = Doc(NLP.vocab, words=["Bergen", "sleeps"], tags=["-", "-"])
    path = tmp_path / "converted.spacy"
    DocBin(docs=[tagged, placeholder]).to_disk(path)

    report = ReadReport("spacy")
    assert len(list(spacy_docbin.read(path, report))) == 2

    assert [w.describe() for w in report.warnings] == [
        f"{path}: token annotations not imported (Glossa keeps no token layer): "
        "parts of speech in 1, lemmas in 1 document(s)"
    ]
