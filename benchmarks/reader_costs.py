"""What each reader costs per span: importing the same corpus from each format's export.

The generated corpus of ``import_export.py`` (``--documents`` articles of about 3,000
characters, 10 spans each) is imported once from native JSONL, then exported as CoNLL,
brat, Prodigy, doccano and Label Studio, and each export is imported into a fresh database
through ``import_paths`` (what ``glossa import`` runs). Printed per format: seconds, spans
imported per second, and the cost per span against native JSONL's, measured in the same run
(best of ``--runs``; the formats take turns in each run). The readers are meant to cost about
what JSONL costs per span: within 2x. CoNLL and Prodigy files carry every token (about 50 per
span here), so their tokens read per second are printed too.

    .venv/bin/python benchmarks/reader_costs.py [--documents 2000] [--runs 3]
                                                [--formats conll,prodigy] [--profile]

``--formats`` times JSONL and the formats named; ``--profile`` prints the top of a cProfile of
each format's last import. Below the table, the bare parsing of each file (``json.loads`` of
every line; for CoNLL, ``str.split`` of every line) shows the floor of what a reader costs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
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


def timed_import(
    source: Path, format_name: str, database: Path, profiler: cProfile.Profile | None = None
) -> tuple[float, int]:
    """Wall time of importing ``source`` into a fresh database, and the spans read."""
    workspace = Workspace.open(str(database), "bench", samples=False)
    try:
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        report = import_paths(workspace, [source], format_name=format_name)
        seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
        return seconds, report.spans
    finally:
        workspace.close()


def best_imports(
    exports: dict[str, Path], folder: Path, runs: int, profile: bool
) -> dict[str, tuple[float, int]]:
    """Best time and spans of each format's import; the formats take turns in each run, so
    that a busy moment of the machine does not fall on one of them alone."""
    best: dict[str, tuple[float, int]] = {}
    profilers = {name: cProfile.Profile() for name in exports} if profile else {}
    for run in range(runs):
        for format_name, out in exports.items():
            last = run == runs - 1
            seconds, spans = timed_import(
                out,
                format_name,
                folder / f"{format_name}-{run}.db",
                profilers.get(format_name) if last else None,
            )
            if format_name not in best or seconds < best[format_name][0]:
                best[format_name] = (seconds, spans)
    for format_name, profiler in profilers.items():
        print(f"-- {format_name}")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return best


def tokens_in(path: Path, format_name: str) -> int:
    """Tokens a CoNLL or Prodigy export holds (0 for the other formats)."""
    if format_name == "conll":
        with path.open(encoding="utf-8") as lines:
            return sum(1 for line in lines if line.strip() and not line.startswith("-DOCSTART-"))
    if format_name == "prodigy":
        with path.open(encoding="utf-8") as lines:
            return sum(len(json.loads(line).get("tokens", [])) for line in lines if line.strip())
    return 0


def _json_lines(data: bytes) -> None:
    for line in data.splitlines():
        json.loads(line)


def _split_columns(data: bytes) -> None:
    for line in data.decode("utf-8").split("\n"):
        line.split("\t")


BARE = {
    "jsonl": ("json.loads of every line", _json_lines),
    "conll": ("decoding, then str.split of every line at its tabs", _split_columns),
    "prodigy": ("json.loads of every line", _json_lines),
}
"""The least a reader of each format does: parse the file, nothing checked or built."""


def bare_time(parse: Callable[[bytes], None], path: Path) -> float:
    """Seconds ``parse`` takes over the bytes of ``path`` (read before timing)."""
    data = path.read_bytes()
    started = time.perf_counter()
    parse(data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS_TIMED[1:]))
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    timed = ("jsonl", *(f for f in args.formats.split(",") if f in FORMATS_TIMED[1:]))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpus = folder / "corpus.jsonl"
        documents = make_documents(args.documents)
        corpus.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
        source = Workspace.open(str(folder / "source.db"), "bench", samples=False)
        try:
            import_paths(source, [corpus])
            exports = {}
            for format_name in timed:
                fmt = FORMATS[format_name]
                out = folder / (format_name + ("" if fmt.folder else fmt.suffixes[0]))
                export(source, format_name, out)
                exports[format_name] = out
        finally:
            source.close()
        print(f"{args.documents:,} generated articles, best of {args.runs}")
        base = 0.0
        for format_name, (seconds, spans) in best_imports(
            exports, folder, args.runs, args.profile
        ).items():
            out = exports[format_name]
            per_span = seconds / max(spans, 1)
            base = base or per_span
            tokens = tokens_in(out, format_name)
            per_token = f"  {tokens:9,} tokens {tokens / seconds:9,.0f} tokens/s" if tokens else ""
            print(
                f"  {format_name:<12} {seconds:6.2f} s  {spans:8,} spans"
                f"  {spans / seconds:9,.0f} spans/s  {per_span / base:5.2f}x JSONL per span"
                + per_token
            )
        print("bare parsing of the same files, no Glossa code (best of runs):")
        for format_name, out in exports.items():
            if format_name in BARE:
                what, parse = BARE[format_name]
                seconds = min(bare_time(parse, out) for _ in range(args.runs))
                print(f"  {format_name:<12} {seconds:6.2f} s  {what}")


if __name__ == "__main__":
    main()
