"""An import of web pages says which program found their text: trafilatura or Glossa's own."""

from __future__ import annotations

from pathlib import Path

from app.formats import html
from app.services import Workspace
from app.services.importing import import_paths
from tests.cli.runner import glossa

PAGE = "<html><head><title>Budget</title></head><body><article><p>{}</p></article></body></html>"


def pages(folder: Path, count: int) -> list[Path]:
    written = []
    for number in range(count):
        path = folder / f"page{number}.html"
        path.write_text(PAGE.format(f"Article number {number} says yes."), encoding="utf-8")
        written.append(path)
    return written


def extractor_in_use() -> str:
    module, _ = html.trafilatura_module()
    return f"trafilatura {module.__version__}" if module else html.FALLBACK_EXTRACTOR


def test_the_report_counts_pages_per_extractor(workspace: Workspace, tmp_path: Path) -> None:
    text = tmp_path / "plain.txt"
    text.write_text("Not a web page.", encoding="utf-8")

    report = import_paths(workspace, [*pages(tmp_path, 2), text])

    assert len(report.imported) == 3
    assert report.notes() == [f"HTML text extracted by {extractor_in_use()} (2 file(s))"]


def test_no_note_without_web_pages(workspace: Workspace, tmp_path: Path) -> None:
    text = tmp_path / "plain.txt"
    text.write_text("Not a web page.", encoding="utf-8")

    assert import_paths(workspace, [text]).notes() == []


def test_the_cli_prints_the_extractor(tmp_path: Path) -> None:
    result = glossa("import", *pages(tmp_path, 1), "--db", tmp_path / "g.db")

    assert result.returncode == 0
    assert f"note: HTML text extracted by {extractor_in_use()} (1 file(s))" in result.stderr
