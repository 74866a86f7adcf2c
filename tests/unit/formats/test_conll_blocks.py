"""Reading a CoNLL file a run of lines at a time gives what reading it line by line gives.

The reference here reads each line on its own, as the reader did before it read blocks:
single-line pieces from ``_lines``, no block ever taken at once, chunks found tag by tag
(conlleval's loop), repairs counted over whole sentences and offsets counted token by token.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.formats import conll_lines, conll_reading
from app.formats.conll_documents import Document
from app.formats.conll_lines import LineReader
from app.formats.report import ReadReport
from app.formats.tag_schemes import EXAMPLES_KEPT, OUTSIDE, SchemeTally, Tag, chunks, problems

# -- the reference: one line, one tag, one token at a time -------------------------------


def _tag_by_tag(tags: Sequence[Tag], runs: object = None) -> list[tuple[int, int, str]]:
    """conlleval's reading of one sentence's tags, tag by tag."""
    found: list[tuple[int, int, str]] = []
    start = -1
    previous = OUTSIDE
    for i, tag in enumerate(tags):
        ends = previous.prefix in "ES" or tag.prefix in "OBS" or previous.type != tag.type
        if start >= 0 and previous.prefix != "O" and ends:
            found.append((start, i, previous.type))
            start = -1
        if tag.prefix != "O":
            opens = (
                start < 0
                or tag.prefix in "BS"
                or previous.prefix in "OES"
                or previous.type != tag.type
            )
            if opens:
                if start >= 0:
                    found.append((start, i, previous.type))
                start = i
        previous = tag
    if start >= 0:
        found.append((start, len(tags), previous.type))
    return found


def _tally_whole(
    self: SchemeTally, tags: Sequence[Tag], lines: Sequence[int], runs: object = None
) -> None:
    self.prefixes.update(tag.prefix for tag in tags)
    for scheme, examples in self.examples.items():
        for i, what in problems(tags, scheme):
            self.counts[scheme] += 1
            if len(examples) < EXAMPLES_KEPT:
                examples.append((lines[i], what))


def _token_by_token(
    self: Document,
    tokens: Sequence[str],
    found: Sequence[Sequence[tuple[int, int, str]]],
    columns: dict[str, list[str]],
) -> None:
    if self.pieces:
        self.pieces.append("\n")
        self.length += 1
    starts: list[int] = []
    ends: list[int] = []
    for i, token in enumerate(tokens):
        if i:
            self.pieces.append(" ")
            self.length += 1
        starts.append(self.length)
        self.pieces.append(token)
        self.length += len(token)
        ends.append(self.length)
    for layer in found:
        self.spans.extend((starts[a], ends[b - 1], kind) for a, b, kind in layer)
    self.tokens.append([len(token) for token in tokens])
    for number, values in columns.items():
        self.columns.setdefault(number, []).append(list(values))


def _one_line_pieces(path: Path) -> Iterator[tuple[int, str]]:
    return ((number, line + "\n") for number, line in conll_reading._lines(path))


def outcome(path: Path, *, line_by_line: bool, **options: Any) -> tuple[Any, ...]:
    """What reading ``path`` gives: the documents and warnings, or the refusal."""
    with ExitStack() as stack:
        if line_by_line:
            stack.enter_context(patch.object(LineReader, "block", lambda *_, **__: False))
            stack.enter_context(patch.object(conll_reading, "_texts", _one_line_pieces))
            stack.enter_context(patch.object(conll_lines, "chunks", _tag_by_tag))
            stack.enter_context(patch.object(SchemeTally, "add", _tally_whole))
            stack.enter_context(patch.object(Document, "add", _token_by_token))
        report = ReadReport("conll")
        try:
            documents = list(conll_reading.read(path, report, **options))
        except InputError as exc:
            return ("refused", str(exc))
        return ("read", documents, [w.describe() for w in report.warnings], report.documents)


# -- generated files ---------------------------------------------------------------------

TOKENS = ("Ann", "Berg", "said", ".", "#", "#1", "ünï", "𝄞", "a-b", "1", "O", "\u00a0", "x\ty")
TAGS = st.sampled_from(
    ["O"] * 6
    + ["B-PER", "I-PER", "E-PER", "S-PER", "L-LOC", "U-LOC", "B-LOC", "I-LOC"]
    + ["I-creative-work", "B-O", "I-O", "PER", "junk", "*", "name=B-PER", ""]
)
ODD_LINES = (
    "# a comment",
    "# newdoc id = n1",
    "#begin document (a); part 000",
    "-DOCSTART- -X- O O",
    "-DOCSTART-\tO",
    "1-2\tdu\t_\tO",
    "   ",
    "\t",
    "\u3000",
)


@st.composite
def conll_files(draw: st.DrawFn) -> tuple[bytes, dict[str, Any]]:
    separator = draw(st.sampled_from(["\t", " "]))
    indexed = draw(st.booleans())
    extra = draw(st.integers(0, 2))
    layers = draw(st.integers(0, 2))  # no tag column: a file of tokens alone
    extra_last = draw(st.booleans())  # other columns after the tags, as UNER adds them
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(ODD_LINES)))
            continue
        for i in range(draw(st.integers(1, 7))):
            token = draw(st.sampled_from(TOKENS))
            columns = [str(i + 1)] if indexed else []
            others = ["NN", "B-NP"][:extra]
            tags = [draw(TAGS) for _ in range(layers)]
            columns += [token, *tags, *others] if extra_last else [token, *others, *tags]
            shape = draw(st.integers(0, 30))
            if shape == 0:
                columns.pop()  # a column short
            elif shape == 1:
                columns.append("B-PER")  # a column more
            elif shape == 2:
                columns[1 if indexed else 0] = ""  # an empty token
            line = separator.join(columns)
            if shape == 3:
                line += draw(st.sampled_from(["\t", " ", "  "]))
            elif shape == 4:
                line = " " + line
            lines.append(line)
        blanks = draw(st.integers(1, 3))
        lines.extend(draw(st.sampled_from(["", "  ", "\t"])) for _ in range(blanks))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r\r\n"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    options: dict[str, Any] = draw(
        st.sampled_from([{}, {}, {"scheme": "iob1"}, {"scheme": "io"}, {"tag_column": 2}])
    )
    return (bom + text).encode("utf-8"), options


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conll_files(), st.sampled_from([7, 64, 1024 * 1024]))
def test_runs_of_lines_read_as_the_lines_one_by_one(
    generated: tuple[bytes, dict[str, Any]], read_bytes: int
) -> None:
    content, options = generated
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.conll"
        path.write_bytes(content)
        with patch.object(conll_reading, "READ_BYTES", read_bytes):
            at_once = outcome(path, line_by_line=False, **options)
        one_by_one = outcome(path, line_by_line=True, **options)
    assert at_once == one_by_one


def test_a_plain_file_is_read_a_run_of_lines_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "plain.conll"
    path.write_text("Ann\tB-PER\nBerg\tI-PER\nsaid\tO\n\nHe\tO\nleft\tO\n", encoding="utf-8")
    taken: list[int] = []
    block = LineReader.block

    def counted(self: LineReader, number: int, text: str, lines: list[str], whole: bool) -> bool:
        done = block(self, number, text, lines, whole)
        taken.extend([number] if done else [])
        return done

    with patch.object(LineReader, "block", counted):
        (document,) = conll_reading.read(path)
    assert taken == [1, 5]
    assert [(s.label, s.text) for s in document.spans] == [("PER", "Ann Berg")]
    assert outcome(path, line_by_line=False) == outcome(path, line_by_line=True)


SENTENCE_TAGS = st.lists(
    st.one_of(
        st.sampled_from([OUTSIDE, Tag("O", "")]),  # an O made anew is read as OUTSIDE
        st.builds(Tag, st.sampled_from("BIES"), st.sampled_from(["PER", "LOC"])),
    ),
    max_size=20,
)


@given(SENTENCE_TAGS)
def test_runs_of_tags_read_as_the_tags_one_by_one(tags: list[Tag]) -> None:
    lines = list(range(10, 10 + len(tags)))
    by_runs, one_by_one = SchemeTally(), SchemeTally()
    by_runs.add(tags, lines)
    _tally_whole(one_by_one, tags, lines)
    assert chunks(tags) == _tag_by_tag(tags)
    assert by_runs.counts == one_by_one.counts
    assert by_runs.examples == one_by_one.examples
    assert by_runs.prefixes == one_by_one.prefixes


REAL = Path(__file__).resolve().parents[2] / "data" / "formats" / "conll"


@pytest.mark.parametrize(
    "path", sorted(p for p in REAL.glob("*/*") if p.is_file()), ids=lambda p: p.name
)
def test_each_real_shaped_file_reads_the_same_at_once_and_line_by_line(path: Path) -> None:
    """The corpora's own layouts (index columns, offsets, tags before tokens, comments,
    OntoNotes brackets, CoNLL-U) and the broken files refused the same way."""
    with patch.object(conll_reading, "READ_BYTES", 64):
        at_once = outcome(path, line_by_line=False)
    assert at_once == outcome(path, line_by_line=True)
