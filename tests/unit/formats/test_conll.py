"""CoNLL IOB2: the written file as seqeval reads it, round trips, the report."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2, Entities

from app.core.records import DocumentRecord, SpanRecord
from app.formats import conll
from app.formats.report import DropReason, ReadReport
from app.formats.tokens import TokenBounds, flat_layer, regex_tokenization, tokenize
from tests.unit.formats.test_tokens import text_with_token_spans

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "conll"
FAST = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def record(text: str, *spans: tuple[int, int, str], id_: str = "doc") -> DocumentRecord:
    return DocumentRecord(
        id=id_,
        text=text,
        spans=tuple(
            SpanRecord(str(i), s, e, label, text[s:e]) for i, (s, e, label) in enumerate(spans, 1)
        ),
    )


def exported(records: list[DocumentRecord], tokenizer=tokenize) -> tuple[str, conll.ExportReport]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    report = conll.write(records, out, tokenizer=tokenizer)
    return out.getvalue(), report


def parse(content: str) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, tag), read the plain way (not with our reader)."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in content.split("\n"):
        if line.startswith("-DOCSTART-"):
            documents.append([])
        elif not line:
            if sentence:
                documents[-1].append(sentence)
            sentence = []
        else:
            token, tag = line.split("\t")
            sentence.append((token, tag))
    assert not sentence, "the file must end with a blank line"
    return documents


def kept_layer(doc: DocumentRecord) -> set[tuple[int, int, str]]:
    """What the tag column must hold: the flat layer of token-aligned spans."""
    bounds = TokenBounds(tokenize(doc.text).tokens)
    aligned = [s for s in doc.spans if bounds.token_range(s.start, s.end) is not None]
    kept, _ = flat_layer(aligned)
    return {(s.start, s.end, s.label) for s in kept}


# -- writing --------------------------------------------------------------------------------

GOLDEN_TEXT = (
    "Harbour chief Zoe\u0308 Lindqvist said the terminal “will open before the summer”. "
    "The ministry declined.\n"
    "Kaijō Marine (海洋技研) claimed 4.5 metres! 🚢"
)


def golden_record() -> DocumentRecord:
    t = GOLDEN_TEXT
    quote = (t.index("“"), t.index("”") + 1, "QUOTE")
    return record(
        t,
        (t.index("Zoe"), t.index(" said"), "PERSON"),
        (t.index("Lindqvist"), t.index(" said"), "PERSON"),  # nested in the first PERSON
        quote,
        (t.index("summer"), t.index("summer") + 6, "CLAIM"),  # nested in the quote
        (t.index("ministry"), t.index("ministry") + 8, "ORG"),
        (t.index("Kaij"), t.index(" ("), "ORG"),
        (t.index("Kaij"), t.index(" ("), "ORG"),  # a twin
        (t.index("Mar"), t.index("Mar") + 3, "ORG"),  # not on token boundaries
        (t.index("海"), t.index(")"), "ORG"),
    )


def test_golden_file() -> None:
    content, report = exported([golden_record()], regex_tokenization)
    assert content == (DATA / "news.conll").read_text(encoding="utf-8")
    assert report.documents == 1
    assert dict(report.kept) == {"PERSON": 1, "QUOTE": 1, "ORG": 3}
    assert report.dropped_counts() == {
        "PERSON": {DropReason.NESTED: 1},
        "CLAIM": {DropReason.NESTED: 1},
        "ORG": {DropReason.SAME_EXTENT: 1, DropReason.UNALIGNED: 1},
    }
    assert report.tokenizer == regex_tokenization("x").tokenizer
    assert any("left out 1 CLAIM" in line for line in report.summary())


def test_sentences_split_at_line_breaks_and_end_marks() -> None:
    text = "It rained. the end? No! Really.\nNext line"
    content, _ = exported([record(text)], regex_tokenization)
    sentences = [[tok for tok, _ in s] for s in parse(content)[0]]
    assert sentences == [
        ["It", "rained", ".", "the", "end", "?"],
        ["No", "!"],
        ["Really", "."],
        ["Next", "line"],
    ]


def test_a_span_keeps_its_sentences_together() -> None:
    text = "He said: Go. Now.\nThen stop. Done."
    quote = (text.index("Go"), text.index(" Done"), "QUOTE")
    content, _ = exported([record(text, quote)], regex_tokenization)
    sentences = parse(content)[0]
    tags = [tag for tag in (tag for s in sentences for _, tag in s) if tag != "O"]
    assert tags[0] == "B-QUOTE" and set(tags[1:]) == {"I-QUOTE"}
    assert [tok for tok, _ in sentences[-1]] == ["Done", "."]
    assert len(sentences) == 2


@FAST
@given(st.lists(text_with_token_spans(), min_size=1, max_size=3))
def test_seqeval_reads_exactly_the_kept_layer(
    docs: list[tuple[str, tuple[SpanRecord, ...]]],
) -> None:
    records = [DocumentRecord(id=str(i), text=t, spans=s) for i, (t, s) in enumerate(docs)]
    content, report = exported(records)
    parsed = parse(content)
    assert len(parsed) == len(records) == report.documents
    for doc, sentences in zip(records, parsed, strict=True):
        tokens = tokenize(doc.text).tokens
        assert [tok for s in sentences for tok, _ in s] == [doc.text[a:b] for a, b in tokens]
        tag_lists = [[tag for _, tag in s] for s in sentences]
        firsts = [sum(len(s) for s in sentences[:i]) for i in range(len(sentences))]
        strict = {
            (
                tokens[firsts[e.sent_id] + e.start][0],
                tokens[firsts[e.sent_id] + e.end - 1][1],
                e.tag,
            )
            for e in (e for group in Entities(tag_lists, IOB2).entities for e in group)
        }
        lenient = {
            (tokens[first + a][0], tokens[first + b][1], label)
            for first, tags in zip(firsts, tag_lists, strict=True)
            for label, a, b in get_entities(tags)
        }
        assert strict == lenient == kept_layer(doc)
    kept_total = sum(len(kept_layer(r)) for r in records)
    assert report.kept.total() == kept_total
    assert kept_total + len(report.dropped) == sum(len(r.spans) for r in records)


@FAST
@given(st.lists(text_with_token_spans(), min_size=1, max_size=3))
def test_round_trip_keeps_labelled_token_spans(
    tmp_path: Path, docs: list[tuple[str, tuple[SpanRecord, ...]]]
) -> None:
    records = [DocumentRecord(id=str(i), text=t, spans=s) for i, (t, s) in enumerate(docs)]
    path = tmp_path / "out.conll"
    conll.export(records, path)
    back = list(conll.read(path))
    assert len(back) == len(records)
    for original, imported in zip(records, back, strict=True):
        tokens = tokenize(original.text).tokens
        assert imported.text.split() == [original.text[a:b] for a, b in tokens]
        for span in imported.spans:
            assert imported.text[span.start : span.end] == span.text
        # compare as token index ranges: the rebuilt text spaces tokens differently
        ours = TokenBounds(tokens)
        theirs = TokenBounds(regex_like_split(imported.text))
        expected = {(ours.token_range(s, e), label) for s, e, label in kept_layer(original)}
        got = {(theirs.token_range(s.start, s.end), s.label) for s in imported.spans}
        assert got == expected


def regex_like_split(text: str) -> list[tuple[int, int]]:
    """Token offsets of a rebuilt text: its tokens are separated by single white spaces."""
    tokens, position = [], 0
    for piece in text.replace("\n", " ").split(" "):
        tokens.append((position, position + len(piece)))
        position += len(piece) + 1
    return tokens


# -- reading --------------------------------------------------------------------------------


def test_reading_rebuilds_text_and_spans(tmp_path: Path) -> None:
    path = tmp_path / "two.conll"
    path.write_text(
        "-DOCSTART- -X- O O\n\nZoë\tB-PERSON\nLindqvist\tI-PERSON\nspoke\tO\n.\tO\n\n"
        "She\tO\nleft\tO\n\n-DOCSTART- -X- O O\n\n🚢\tB-ORG\n",
        encoding="utf-8",
    )
    report = ReadReport("conll")
    first, second = conll.read(path, report)
    assert first.text == "Zoë Lindqvist spoke .\nShe left"
    assert [(s.text, s.label) for s in first.spans] == [("Zoë Lindqvist", "PERSON")]
    assert first.id == "two-1" and second.id == "two-2"
    assert second.text == "🚢" and second.spans[0].end == 1
    assert report.documents == 2


def test_reading_skips_an_empty_document_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "gap.conll"
    path.write_text("-DOCSTART- -X- O O\n\n-DOCSTART- -X- O O\n\nA\tO\n", encoding="utf-8")
    report = ReadReport("conll")
    (only,) = conll.read(path, report)
    assert only.text == "A"
    assert [w.line for w in report.warnings if "no tokens" in w.message] == [1]


def test_space_separated_columns_are_read(tmp_path: Path) -> None:
    path = tmp_path / "spaces.conll"
    path.write_text("EU B-ORG\nsaid O\r\n", encoding="utf-8")
    (doc,) = conll.read(path)
    assert doc.text == "EU said" and doc.spans[0].text == "EU"


def test_the_other_columns_of_a_corpus_come_back_on_export(tmp_path: Path) -> None:
    source = DATA / "real" / "conll2003.txt"
    records = list(conll.read(source))
    path = tmp_path / "again.conll"

    conll.export(records, path)

    written = path.read_text(encoding="utf-8").splitlines()
    assert written[2:4] == ["EU\tNNP\tB-NP\tB-ORG", "rejects\tVBZ\tB-VP\tO"]
    back = list(conll.read(path))
    assert [r.text for r in back] == [r.text for r in records]
    assert [r.meta["source_columns"] for r in back] == [r.meta["source_columns"] for r in records]
    assert [[(s.start, s.end, s.label) for s in r.spans] for r in back] == [
        [(s.start, s.end, s.label) for s in r.spans] for r in records
    ]
    # token for token, column for column, as the source had them (its tags in IOB2 now)
    original = [line.split()[:3] for line in source.read_text().splitlines() if line.strip()]
    again = [line.split("\t")[:3] for line in written if line.strip()]
    assert again == [row if row[0] != "-DOCSTART-" else again[0] for row in original]
    # columns that no longer fit the kept tokens are left out, never shifted
    first = records[0]
    broken = dataclasses.replace(first, meta={**first.meta, "source_columns": {"2": [["NNP"]]}})
    lines, _ = exported([broken])
    assert lines.splitlines()[2] == "EU\tB-ORG"
