"""What each reader costs per span: importing the same corpus from each format's export.

The generated corpus of ``import_export.py`` (``--documents`` articles of about 3,000
characters, 10 spans each) is imported once from native JSONL, then exported as CoNLL,
brat, Prodigy, doccano and Label Studio, and each export is imported into a fresh database
through ``import_paths`` (what ``glossa import`` runs). Printed per format: seconds, spans
imported per second, and the cost per span against native JSONL's, measured in the same run
(best of ``--runs``). The readers are meant to cost about what JSONL costs per span: within
2x.

    .venv/bin/python benchmarks/reader_costs.py [--documents 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_export import make_documents  # noqa: E402

from app.formats import FORMATS  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.services.exporting import export  # noqa: E402
from app.services.importing import import_paths  # noqa: E402

FORMATS_TIMED = ("jsonl", "conll", "brat", "prodigy", "doccano", "labelstudio")


def timed_import(source: Path, format_name: str, folder: Path, runs: int) -> tuple[float, int]:
    """Best wall time of importing ``source`` into a fresh database, and the spans read."""
    best, spans = float("inf"), 0
    for run in range(runs):
        workspace = Workspace.open(str(folder / f"{format_name}-{run}.db"), "bench", samples=False)
        try:
            started = time.perf_counter()
            report = import_paths(workspace, [source], format_name=format_name)
            best = min(best, time.perf_counter() - started)
            spans = report.spans
        finally:
            workspace.close()
    return best, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpus = folder / "corpus.jsonl"
        documents = make_documents(args.documents)
        corpus.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
        source = Workspace.open(str(folder / "source.db"), "bench", samples=False)
        try:
            import_paths(source, [corpus])
            exports = {}
            for format_name in FORMATS_TIMED:
                fmt = FORMATS[format_name]
                out = folder / (format_name + ("" if fmt.folder else fmt.suffixes[0]))
                export(source, format_name, out)
                exports[format_name] = out
        finally:
            source.close()
        print(f"{args.documents:,} generated articles, best of {args.runs}")
        base = 0.0
        for format_name, out in exports.items():
            seconds, spans = timed_import(out, format_name, folder, args.runs)
            per_span = seconds / max(spans, 1)
            base = base or per_span
            print(
                f"  {format_name:<12} {seconds:6.2f} s  {spans:8,} spans"
                f"  {spans / seconds:9,.0f} spans/s  {per_span / base:5.2f}x JSONL per span"
            )


if __name__ == "__main__":
    main()
