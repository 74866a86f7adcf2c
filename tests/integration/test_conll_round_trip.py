"""A CoNLL corpus imported and exported again keeps its tokens, sentences and entities."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report, f1_score
from seqeval.metrics.sequence_labeling import get_entities

from app.formats.conll import SOURCE_TOKENIZER
from app.formats.tag_schemes import encode
from app.services import Workspace
from app.services.exporting import export
from app.services.importing import import_paths
from tests.unit.formats.test_conll_reading import REAL

Sentence = list[tuple[str, str]]


def sentences(path: Path) -> list[Sentence]:
    """(token, tag) per sentence, read the plain way: first column and last column."""
    found: list[Sentence] = []
    current: Sentence = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        columns = line.split()
        if not columns or columns[0] == "-DOCSTART-":
            if current:
                found.append(current)
            current = []
            continue
        current.append((columns[0], columns[-1]))
    if current:
        found.append(current)
    return found


@pytest.fixture
def fresh(database_url: str) -> Iterator[Workspace]:
    ws = Workspace.open(database_url, "tester", samples=False)
    yield ws
    ws.close()


def round_trip(workspace: Workspace, source: Path, out: Path) -> tuple[list[Sentence], str]:
    report = import_paths(workspace, [source])
    assert report.ok, [e.describe() for e in report.errors]
    written = export(workspace, "conll", out)
    return sentences(out), written.tokenizer


def assert_same_corpus(source: list[Sentence], exported: list[Sentence]) -> None:
    assert [[tok for tok, _ in s] for s in exported] == [[tok for tok, _ in s] for s in source]
    truth = [[tag for _, tag in s] for s in source]
    tags = [[tag for _, tag in s] for s in exported]
    # seqeval's default reading is conlleval's: IOB1 source and IOB2 export name one set
    assert get_entities(tags) == get_entities(truth)
    assert classification_report(tags, tags) == classification_report(truth, truth)
    assert f1_score(truth, tags) == 1.0


def test_conll2003_round_trips_token_for_token(fresh: Workspace, tmp_path: Path) -> None:
    source = REAL / "conll2003.txt"

    exported, tokenizer = round_trip(fresh, source, tmp_path / "out.conll")

    assert tokenizer == SOURCE_TOKENIZER
    assert_same_corpus(sentences(source), exported)
    # the export holds the tags as IOB2
    assert [tag for s in exported for _, tag in s][:3] == ["B-ORG", "O", "B-MISC"]


TOKENS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
    min_size=1,
    max_size=6,
    # a first column counting 1, 2, 3 is an index (CoNLL-U, GermEval): leave numbers out
).filter(lambda t: t != "-DOCSTART-" and not t.startswith("#") and not t.isdigit())


@st.composite
def corpora(draw: st.DrawFn) -> list[list[tuple[list[str], list[tuple[int, int, str]]]]]:
    """Documents of sentences: tokens and their chunks."""
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        document = []
        for _ in range(draw(st.integers(1, 4))):
            tokens = draw(st.lists(TOKENS, min_size=1, max_size=8))
            chunks: list[tuple[int, int, str]] = []
            i = 0
            while i < len(tokens):
                if draw(st.booleans()):
                    stop = draw(st.integers(i + 1, len(tokens)))
                    chunks.append((i, stop, draw(st.sampled_from(["PER", "LOC", "MISC"]))))
                    i = stop
                else:
                    i += 1
            document.append((tokens, chunks))
        documents.append(document)
    return documents


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(corpus=corpora(), scheme=st.sampled_from(["iob1", "iob2", "bioes"]))
def test_any_corpus_round_trips_in_any_scheme(
    tmp_path_factory: pytest.TempPathFactory,
    corpus: list[list[tuple[list[str], list[tuple[int, int, str]]]]],
    scheme: str,
) -> None:
    folder = tmp_path_factory.mktemp("corpus")
    lines: list[str] = []
    for number, document in enumerate(corpus):
        lines += [f"-DOCSTART- -X- -X- O {number}", ""]
        for tokens, chunks in document:
            tags = encode(len(tokens), chunks, scheme)
            lines += [f"{tok} POS {tag}" for tok, tag in zip(tokens, tags, strict=True)] + [""]
    source = folder / "corpus.conll"
    source.write_text("\n".join(lines), encoding="utf-8")
    workspace = Workspace.open(str(folder / "g.db"), "tester", samples=False)
    try:
        exported, _ = round_trip(workspace, source, folder / "out.conll")
    finally:
        workspace.close()
    original = sentences(source)
    assert [[tok for tok, _ in s] for s in exported] == [[tok for tok, _ in s] for s in original]
    expected = [
        [(tokens[a], tokens[b - 1], kind) for a, b, kind in chunks]
        for document in corpus
        for tokens, chunks in document
    ]
    found = [
        [(s[a][0], s[b][0], kind) for kind, a, b in get_entities([tag for _, tag in s])]
        for s in exported
    ]
    assert found == expected
