"""Reading real CoNLL-style corpora: their layouts, schemes, repairs, documents and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.formats import conll
from app.formats.conll_reading import SENTENCES_PER_DOCUMENT, SOURCE_COLUMNS, SOURCE_TOKENS
from app.formats.report import ReadReport

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "conll"
REAL = DATA / "real"


def read(path: Path, **options: object) -> tuple[list[DocumentRecord], list[str]]:
    report = ReadReport("conll")
    documents = list(conll.read(path, report, **options))  # type: ignore[arg-type]
    for doc in documents:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text
    return documents, [w.describe() for w in report.warnings]


def spans(doc: DocumentRecord) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in doc.spans]


EXPECTED = {
    "conll2003.txt": [
        [("ORG", "EU"), ("MISC", "German"), ("MISC", "British"), ("PER", "Peter Blackburn")],
        [
            ("LOC", "BRUSSELS"),
            ("ORG", "European Commission"),
            ("MISC", "German"),
            ("MISC", "British"),
            ("LOC", "Germany"),
            ("ORG", "the European Union"),
            ("PER", "Werner Zwingmann"),
            ("PER", "Hendrix"),
            ("PER", "Peter Kaiser"),
        ],
    ],
    "wnut17.conll": [
        [
            ("location", "Empire State Building"),
            ("location", "ESB"),
            ("group", "AHFA"),
            ("person", "Steve Jobs"),
            ("creative-work", "The Lost Interview"),
        ]
    ],
    "germeval2014.tsv": [
        [
            ("LOC", "Australien"),
            ("ORG", "Deutsche Bank"),
            ("LOCderiv", "Deutsche"),
            ("LOC", "Frankfurt am Main"),
            ("LOC", "Main"),
            ("LOCderiv", "deutsche"),
            ("PER", "Joachim Löw"),
        ]
    ],
    "bioes.bio": [
        [
            ("PER", "Zoë"),
            ("LOC", "New York City"),
            ("ORG", "UN"),
            ("LOC", "La Paz"),
            ("ORG", "Acme Corp"),
            ("ORG", "Beta"),
            ("ORG", "Gamma"),
        ]
    ],
    "ioe.iob": [[("ORG", "Kaijō Marine"), ("ORG", "Acme"), ("ORG", "Beta Ltd"), ("ORG", "Gamma")]],
    "io-bare.txt": [[("PER", "Zoë Lindqvist"), ("LOC", "Oslo"), ("ORG", "ministry")]],
    "ontonotes.conll": [
        [
            ("PERSON", "Pierre Vinken"),
            ("DATE", "61 years old"),
            ("DATE", "Nov. 29"),
            ("PERSON", "Vinken"),
            ("ORG", "Elsevier N.V."),
            ("NORP", "Dutch"),
        ],
        [
            ("PERSON", "Rudolph Agnew"),
            ("DATE", "55 years old"),
            ("ORG", "Consolidated Gold Fields PLC"),
            ("NORP", "British"),
        ],
    ],
    "ontonotes-2012.gold_conll": [
        [
            ("PERSON", "Pierre Vinken"),
            ("DATE", "61 years old"),
            ("DATE", "Nov. 29"),
            ("PERSON", "Vinken"),
            ("ORG", "Elsevier N.V."),
            ("NORP", "Dutch"),
        ]
    ],
    "norne-misc.conllu": [
        [("PER", "Lam"), ("PER", "Olsen"), ("GPE_LOC", "Oslo"), ("ORG", "Statoil ASA")]
    ],
    "uner.iob2": [
        [("ORG", "AP"), ("PER", "Bush"), ("PER", "Shaikh Abdullah al-Ani"), ("LOC", "Qaim")],
        [],
    ],
    "conllu-ner.conll": [[("PER", "Wolff"), ("LOC", "Argentina"), ("ORG", "Real Madrid")]],
    "hipe2020.tsv": [
        [("org.adm", "Bundesrat"), ("loc.adm.town", "Bern"), ("pers.ind", "Herr Zemp")]
    ],
    "header.tsv": [[("PER", "Ada Lovelace"), ("LOC", "London")]],
    "mit-restaurant.bio": [
        [
            ("Rating", "5 star"),
            ("Cuisine", "thai"),
            ("Location", "near downtown"),
            ("Restaurant_Name", "café zöe"),
            ("Hours", "open late"),
            ("Dish", "pho"),
        ]
    ],
    "offsets-columns.conll": [
        [
            ("Pathological_formation", "Chronic gastritis"),
            ("Organ", "antrum"),
            ("Tissue", "biopsies"),
            ("Organ", "Lymph nodes"),
            ("Cancer", "metastatic carcinoma"),
        ]
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_shape_reads_with_exact_offsets(name: str) -> None:
    documents, _ = read(REAL / name)
    assert [spans(doc) for doc in documents] == EXPECTED[name]


@pytest.mark.parametrize("name", ["hipe2020.tsv", "header.tsv"])
def test_a_first_line_naming_the_columns_is_no_token_and_is_counted(name: str) -> None:
    (doc,), warnings = read(REAL / name)
    assert not doc.text.lower().startswith("token")
    assert f"{REAL / name}: 1 line(s) naming the columns were not read as tokens (lines 1)" in (
        warnings
    )


def test_tag_columns_of_another_tag_set_are_kept_and_said_so() -> None:
    """HIPE's coarse and metonymic columns beside the fine one it reads as spans."""
    (doc,), warnings = read(REAL / "hipe2020.tsv")
    assert doc.meta[SOURCE_COLUMNS]["2"][0] == ["O", "B-org", "O", "B-loc", "O"]
    assert (
        f"{REAL / 'hipe2020.tsv'}: column(s) 2, 3 hold tags of other types too: kept with the "
        "tokens, not read as spans (--tag-column N reads one of them)"
    ) in warnings


def test_offset_columns_after_the_token_are_kept_not_taken_for_an_index() -> None:
    """As corpora converted from standoff have it: token, start, end, tag. The start offsets
    climb, by one now and then, but they number characters, not the tokens."""
    (doc,), _ = read(REAL / "offsets-columns.conll")
    assert doc.text.startswith("[ Chronic gastritis of the antrum ] was seen")
    assert doc.meta[SOURCE_COLUMNS]["2"][0][:3] == ["0", "1", "9"]
    assert doc.meta[SOURCE_COLUMNS]["3"][1][-1] == "103"


def test_conll2003_text_documents_scheme_and_kept_columns() -> None:
    (first, second), warnings = read(REAL / "conll2003.txt")
    assert first.text == "EU rejects German call to boycott British lamb .\nPeter Blackburn"
    assert second.text.startswith("BRUSSELS 1996-08-22\nThe European Commission said")
    assert (first.line, second.line) == (1, 16)
    assert first.meta[SOURCE_TOKENS] == [[2, 7, 6, 4, 2, 7, 7, 4, 1], [5, 9]]
    assert first.meta[SOURCE_COLUMNS] == {
        "2": [["NNP", "VBZ", "JJ", "NN", "TO", "VB", "JJ", "NN", "."], ["NNP", "NNP"]],
        "3": [
            ["B-NP", "B-VP", "B-NP", "I-NP", "B-VP", "I-VP", "B-NP", "I-NP", "O"],
            ["B-NP", "I-NP"],
        ],
    }
    assert not any("column" in w and "not imported" in w for w in warnings)
    assert any("read as IOB1 (detected" in w for w in warnings)
    assert not any("repaired" in w for w in warnings)


def test_wnut17_inconsistent_inside_tag_is_a_counted_repair() -> None:
    _, warnings = read(REAL / "wnut17.conll")
    assert any("read as IOB2" in w for w in warnings)
    assert any("1 tag(s) in column 2 break the IOB2 scheme" in w for w in warnings)
    assert any(
        w.endswith("wnut17.conll:39: repaired: I-creative-work after I-person starts a new span")
        for w in warnings
    )


def test_germeval_comments_are_counted_and_both_tag_columns_are_layers() -> None:
    (doc,), warnings = read(REAL / "germeval2014.tsv")
    assert doc.text.startswith("Aborigines in Australien und die Deutsche Bank")
    assert any("2 comment line(s)" in w and "(lines 1, 15)" in w for w in warnings)
    assert any("column 3 read as IOB2" in w for w in warnings)
    assert any("column 4 read as IOB2" in w for w in warnings)


def test_uner_lines_of_two_widths_and_multiword_tokens() -> None:
    """UNER writes ``index token tag - annotator`` for names and ``index token O`` else."""
    (first, second), warnings = read(REAL / "uner.iob2")
    assert first.text.startswith("From the AP comes this story :\nPresident Bush met")
    assert second.text == "I do n't know ."
    assert any("7 line(s) with 5 columns instead of 3 were read" in w for w in warnings)
    assert any("1 tag(s) of the type O (B-O, I-O) were read as O (lines 4)" in w for w in warnings)
    assert any("1 multiword-token" in w and "(lines 28)" in w for w in warnings)


def test_forced_scheme_counts_repairs_of_that_scheme(tmp_path: Path) -> None:
    documents, warnings = read(REAL / "conll2003.txt", scheme="iob2")
    assert [spans(d) for d in documents] == EXPECTED["conll2003.txt"]
    assert any("read as IOB2 (as asked)" in w for w in warnings)
    assert any("12 tag(s) in column 4 break the IOB2 scheme" in w for w in warnings)


def test_forced_tag_column_reads_that_column(tmp_path: Path) -> None:
    (first, _), _ = read(REAL / "conll2003.txt", tag_column=3)
    assert spans(first)[:2] == [("NP", "EU"), ("VP", "rejects")]
    assert set(first.meta[SOURCE_COLUMNS]) == {"2", "4"}


def test_forced_tag_column_outside_the_lines_is_refused() -> None:
    with pytest.raises(InputError) as info:
        list(conll.read(REAL / "conll2003.txt", tag_column=9))
    assert info.value.line == 3 and "--tag-column 9" in info.value.message


def test_a_long_file_without_documents_is_cut_into_documents(tmp_path: Path) -> None:
    path = tmp_path / "tweets.conll"
    sentences = SENTENCES_PER_DOCUMENT * 2 + 5
    path.write_text(
        "".join(f"tweet\tO\nnumber{i}\tB-X\n\n" for i in range(sentences)), encoding="utf-8"
    )
    documents, _ = read(path)
    assert [len(d.text.split("\n")) for d in documents] == [100, 100, 5]
    assert [d.id for d in documents] == ["tweets-1", "tweets-2", "tweets-3"]
    assert documents[2].spans[0].text == "number200"
    assert documents[1].line == 301


def test_documents_marked_by_docstart_are_never_cut(tmp_path: Path) -> None:
    path = tmp_path / "long.conll"
    body = "".join("a O\nb B-X\n\n" for _ in range(SENTENCES_PER_DOCUMENT + 20))
    path.write_text("-DOCSTART- -X- -X- O\n\n" + body, encoding="utf-8")
    (doc,), _ = read(path)
    assert len(doc.text.split("\n")) == SENTENCES_PER_DOCUMENT + 20


def test_other_widths_are_read_and_counted_when_the_tags_can_be_found(tmp_path: Path) -> None:
    path = tmp_path / "wide.conll"
    path.write_text("EU NNP B-ORG\nsaid VBD O\nNew York NNP B-LOC\n. . O\n", encoding="utf-8")
    (doc,), warnings = read(path)
    assert spans(doc) == [("ORG", "EU"), ("LOC", "New")]
    assert any("1 line(s) with 4 columns instead of 3 were read (lines 3)" in w for w in warnings)


def test_short_lines_are_read_when_the_tags_are_last(tmp_path: Path) -> None:
    """As in a real CoNLL-2003-shaped corpus: a line with its token (and POS) missing."""
    path = tmp_path / "gaps.conll"
    path.write_text(
        "The DT I-NP O\nAflunov NNP I-NP I-Drug\n  I-NP O\nLOCAL NNP I-NP I-AE\n"
        "EU I-ORG\nsaid VBD I-VP O\n",
        encoding="utf-8",
    )
    (doc,), warnings = read(path)
    assert doc.text == "The Aflunov LOCAL EU said"
    assert spans(doc) == [("Drug", "Aflunov"), ("AE", "LOCAL"), ("ORG", "EU")]
    assert any("1 line(s) with 3 columns instead of 4 were read (lines 3)" in w for w in warnings)
    assert any("1 line(s) with 2 columns instead of 4 were read (lines 5)" in w for w in warnings)
    assert any("1 line(s) with an empty token were skipped (lines 3)" in w for w in warnings)


def test_values_in_the_tag_column_that_are_no_tags_read_as_outside(tmp_path: Path) -> None:
    lines = [f"w{i}\tO" for i in range(200)] + ["Acme\tB-ORG", "odd\tB-", "Corp\tI-ORG"]
    path = tmp_path / "odd.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (doc,), warnings = read(path)
    assert spans(doc) == [("ORG", "Acme"), ("ORG", "Corp")]
    assert any("1 value(s) in a tag column that are no tag" in w for w in warnings)


def test_tokens_with_spaces_keep_offsets_exact(tmp_path: Path) -> None:
    path = tmp_path / "spaced.conll"
    path.write_text("New York\tB-LOC\nCity\tI-LOC\n\u00a0\tO\n#tag\tO\n", encoding="utf-8")
    (doc,), _ = read(path)
    assert doc.text == "New York City \u00a0 #tag"
    assert spans(doc) == [("LOC", "New York City")]
    assert doc.meta[SOURCE_TOKENS] == [[8, 4, 1, 4]]


BROKEN = [
    ("one-column.conll", 2, "expected 2 columns"),
    ("short-line.tsv", 3, "expected 4 columns"),
    ("bare-label.conll", 1, "no column holds tags"),
    ("bad-utf8.conll", 2, "not valid UTF-8"),
    ("no-tokens.conll", None, "holds no tokens"),
]


@pytest.mark.parametrize(("name", "line", "message"), BROKEN)
def test_lines_that_cannot_be_read_are_refused_naming_file_and_line(
    name: str, line: int | None, message: str
) -> None:
    path = DATA / "broken" / name
    with pytest.raises(InputError) as info:
        list(conll.read(path))
    assert info.value.source == str(path)
    assert info.value.line == line
    assert message in info.value.message


def test_a_first_column_of_numbers_is_an_index_only_when_it_counts_tokens(tmp_path: Path) -> None:
    path = tmp_path / "numbers.conll"
    path.write_text("1996 CD O\n3 CD B-X\n7 CD O\n\n12 CD O\n", encoding="utf-8")
    (doc,), _ = read(path)
    assert doc.text == "1996 3 7\n12"
    assert spans(doc) == [("X", "3")]


def test_ontonotes_brackets_after_document_part_and_word_number() -> None:
    (doc,), warnings = read(REAL / "ontonotes-2012.gold_conll")
    assert doc.text.startswith("Pierre Vinken , 61 years old , will join")
    assert any("column 11 read as OntoNotes brackets" in w for w in warnings)
    assert list(doc.meta[SOURCE_COLUMNS]) == ["5", "6", "7", "8", "9", "10", "12", "13"]


def test_conllu_misc_tags_and_newdoc_comments(tmp_path: Path) -> None:
    (doc,), warnings = read(REAL / "norne-misc.conllu")
    assert doc.text == "Lam og Olsen bor i Oslo .\nStatoil ASA vant ."
    assert any("tags of column 10 (name=) read as IOB2" in w for w in warnings)
    path = tmp_path / "two.conllu"
    content = (REAL / "norne-misc.conllu").read_text(encoding="utf-8")
    path.write_text("# newdoc id = a\n" + content + "# newdoc id = b\n" + content)
    first, second = read(path)[0]
    assert (first.id, second.id, first.line, second.line) == ("two-1", "two-2", 1, 19)


def test_tokens_without_tags_import_as_text(tmp_path: Path) -> None:
    """GermEval's unlabelled test file: an index and the token; or one token a line."""
    numbered = tmp_path / "NER-de-test-unlabeled.tsv"
    numbered.write_text(
        "#\thttp://de.wikipedia.org/wiki/X\t[2009-10-23]\t\n1\t1951\n2\tbis\n3\t1953\n\n"
        "1\tDann\n2\tnicht\n",
        encoding="utf-8",
    )
    plain = tmp_path / "tokens.conll"
    plain.write_text("Harbour\nchief\n\nShe\nleft\n", encoding="utf-8")
    (first,), warnings = read(numbered)
    (second,), _ = read(plain)
    assert (first.text, first.spans) == ("1951 bis 1953\nDann nicht", ())
    assert (second.text, second.spans) == ("Harbour chief\nShe left", ())
    assert any("the tokens were imported without spans" in w for w in warnings)
