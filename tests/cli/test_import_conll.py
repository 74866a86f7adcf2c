"""``glossa import`` of CoNLL corpora: detection without flags, --tag-column and --scheme."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.runner import glossa

REAL = Path(__file__).resolve().parents[1] / "data" / "formats" / "conll" / "real"


def test_a_conll2003_txt_imports_without_flags(tmp_path: Path) -> None:
    database = tmp_path / "g.db"
    path = shutil.copyfile(REAL / "conll2003.txt", tmp_path / "eng.train")

    done = glossa("--db", database, "import", path)

    assert done.returncode == 0, done.stderr
    assert "imported 2 document(s) with 13 span(s)" in done.stdout
    assert "read as IOB1 (detected from the tags)" in done.stderr
    assert "added labels: MISC, PER" in done.stdout
    listed = json.loads(glossa("--db", database, "list", "--json").stdout)
    assert len(listed) == 2


def test_tag_column_and_scheme_override_detection(tmp_path: Path) -> None:
    database = tmp_path / "g.db"

    done = glossa(
        "--db", database, "import", REAL / "conll2003.txt", "--tag-column", "3", "--scheme", "iob2"
    )

    assert done.returncode == 0, done.stderr
    assert "read as IOB2 (as asked)" in done.stderr
    assert "added labels: NP, VP, PP, SBAR" in done.stdout


def test_a_bad_scheme_is_refused_by_the_parser(tmp_path: Path) -> None:
    done = glossa("--db", tmp_path / "g.db", "import", REAL / "bioes.bio", "--scheme", "bilou")

    assert done.returncode == 2
    assert "invalid choice: 'bilou'" in done.stderr
