"""Importing a brat folder on the command line: orphans warned, a bad document refused alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.runner import glossa

DATA = Path(__file__).resolve().parents[1] / "data" / "formats" / "brat"


def test_a_bad_brat_document_is_refused_and_the_rest_of_the_folder_imported(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "orphans"
    shutil.copytree(DATA / "orphans", folder)

    result = glossa("--db", tmp_path / "glossa.db", "import", folder)

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {folder / 'bad.ann'}:2: relation R1 names T7, which is not a T or E line here"
    ]
    assert f"warning: {folder / 'lone.ann'}: no lone.txt beside this file; skipped" in (
        result.stderr
    )
    assert result.stdout == "imported 2 document(s) with 1 span(s), 1 file(s) refused\n"
