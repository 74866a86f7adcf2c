"""Import and export throughput against the bare floor of the same work; print figures.

(a) Import 10,000 news-sized articles (native JSONL, about 10 spans each, generated here)
    through ``app.services.importing.import_paths`` into a new SQLite database, against raw
    ``sqlite3.executemany`` of the same rows (documents, texts, spans) into another new
    database with the same schema and pragmas, in the same run. Target: at least a quarter
    of the raw throughput.
(b) Export the 100,000 spans of (a) to JSONL through ``app.services.exporting.export``,
    against bare ``json.dumps`` of the same records (already in memory) to a file. Target:
    within twice the bare time. The time to read the records from the database alone is
    printed too, so the share of the reading and of the writing shows. Each run measures
    every side once, one after the other, and the figures are medians over the runs: on a
    shared machine the load moves from one second to the next.

    .venv/bin/python benchmarks/import_export.py [--documents N] [--runs N] [--profile]
                                                 [--export-only]

``--profile`` prints the top of a cProfile of the Glossa side of each measurement.
``--export-only`` imports the articles once, unmeasured, and measures (b) alone.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.text import text_sha256  # noqa: E402
from app.formats import jsonl  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.services.exporting import document_records, export  # noqa: E402
from app.services.importing import import_paths  # noqa: E402
from app.store import Database  # noqa: E402
from app.store.database import BUSY_TIMEOUT_MS  # noqa: E402

WORDS = (
    "the minister said on tuesday that harbour council would open new terminal before "
    "summer while opposition leaders disputed figures and police reported calm streets "
    "across city as officials from ministry declined comment on budget talks"
).split()
NAMES = ("Ingrid Dahl", "Tor Ås", "Maren Solberg", "Acme Shipping", "Nordkai", "Halden")
LABELS = {"Ingrid Dahl": "PERSON", "Tor Ås": "PERSON", "Maren Solberg": "PERSON"}
SPANS_PER_DOCUMENT = 10


def make_documents(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """``count`` articles of about 3,000 characters with 10 spans each, all texts distinct."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        pieces: list[str] = [f"Article {number}: harbour news"]
        spans: list[dict[str, Any]] = []
        position = len(pieces[0]) + 1
        for paragraph in range(6):
            words = [rng.choice(WORDS) for _ in range(rng.randint(70, 90))]
            sentence = " ".join(words)
            mentions = []
            if paragraph < 5:
                for _ in range(2):
                    name = rng.choice(NAMES)
                    mentions.append(name)
            text = sentence.capitalize()
            for name in mentions:
                start = position + len(text) + 1
                text += f" {name}"
                spans.append(
                    {
                        "id": str(len(spans) + 1),
                        "start": start,
                        "end": start + len(name),
                        "label": LABELS.get(name, "ORG" if name.startswith("Acme") else "LOC"),
                        "annotator": "bench",
                    }
                )
            text += "."
            pieces.append(text)
            position += len(text) + 1
        body = "\n".join(pieces)
        for span in spans:
            span["text"] = body[span["start"] : span["end"]]
        assert len(spans) == SPANS_PER_DOCUMENT
        documents.append({"text": body, "meta": {"title": pieces[0]}, "spans": spans})
    return documents


def timed(action: Callable[[], object], profile: bool, label: str) -> float:
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    action()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler:
        print(f"--- profile: {label}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return elapsed


def raw_insert(path: Path, documents: list[dict[str, Any]]) -> float:
    """Seconds to executemany the same rows into a new database of the same schema."""
    Database(f"sqlite:///{path}").dispose()  # the schema, by the same migrations
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute(
        "INSERT INTO projects (id, name, schema, created_at) VALUES (1, 'bench', '{}', ?)",
        (datetime.now(UTC).isoformat(),),
    )
    connection.execute("INSERT INTO annotators (id, name, resume) VALUES (1, 'bench', '{}')")
    connection.commit()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores it
    constant = ("unreviewed", "{}", now)
    rows, texts, spans = [], [], []
    for number, document in enumerate(documents, start=1):
        text = document["text"]
        title = document["meta"]["title"]
        meta = json.dumps(document["meta"])
        rows.append((number, 1, "", title, meta, text_sha256(text), len(text), number, now))
        texts.append((number, text))
        spans.extend(
            (number, s["start"], s["end"], s["label"], s["text"], 1, "imported", *constant)
            for s in document["spans"]
        )
    started = time.perf_counter()
    connection.executemany(
        "INSERT INTO documents (id, project_id, external_id, title, meta, sha256, length,"
        " position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.executemany("INSERT INTO document_texts (document_id, text) VALUES (?, ?)", texts)
    connection.executemany(
        'INSERT INTO spans (document_id, start, "end", label, text, annotator_id, origin,'
        " review, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        spans,
    )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def best(runs: int, measure: Callable[[int], float]) -> float:
    """The shortest of ``runs`` measurements (the one least disturbed by the machine)."""
    return min(measure(run) for run in range(runs))


def measure_import(
    root: Path, source: Path, documents: list[dict[str, Any]], runs: int, profile: bool
) -> None:
    """(a): raw executemany against ``import_paths`` of the same articles, best of ``runs``."""
    count = len(documents)
    span_count = sum(len(d["spans"]) for d in documents)
    raw = best(runs, lambda run: raw_insert(root / f"raw{run}.db", documents))

    def one_import(run: int) -> float:
        workspace = Workspace.open(str(root / f"glossa{run}.db"), "bench", samples=False)
        try:

            def run_import() -> None:
                report = import_paths(workspace, [source])
                assert report.ok and len(report.imported) == count, report.summary()

            return timed(run_import, profile and run == 0, "import")
        finally:
            workspace.close()

    glossa = best(runs, one_import)
    print("(a) import")
    print(f"    raw executemany  {raw:7.2f} s  {count / raw:9,.0f} docs/s", end="")
    print(f"  {span_count / raw:10,.0f} spans/s")
    print(f"    import_paths     {glossa:7.2f} s  {count / glossa:9,.0f} docs/s", end="")
    print(f"  {span_count / glossa:10,.0f} spans/s")
    ratio = raw / glossa
    verdict = "met" if ratio >= 0.25 else "MISSED"
    print(f"    throughput ratio {ratio:.2f} of raw (target >= 0.25: {verdict})")


def read_records(workspace: Workspace) -> float:
    """Seconds to read every record as ``export()`` does: batch by batch, collector paused."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        for _ in document_records(workspace):
            pass
        return time.perf_counter() - started
    finally:
        if collecting:
            gc.enable()


def dump(path: Path, rows: list[Any], convert: Callable[[Any], Any]) -> float:
    """Seconds to write ``json.dumps(convert(row))`` of each row, one per line."""
    started = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(convert(row), ensure_ascii=False))
            out.write("\n")
    return time.perf_counter() - started


def measure_export(root: Path, workspace: Workspace, count: int, runs: int, profile: bool) -> None:
    """(b): ``export()`` against bare dumps of the same records, interleaved run by run.

    The load of a shared machine moves from one second to the next: each run measures every
    side once, one after the other, and the figures are medians over the runs (the ratio is
    also given run by run). The in-memory copies for the bare dumps are made after each
    run's export and dropped before the next, so that ``export()`` never runs beside them.
    """
    times: dict[str, list[float]] = {"export": [], "read": [], "bare": [], "converted": []}
    cpu: dict[str, list[float]] = {"export": [], "bare": []}
    exported_spans = 0
    for run in range(runs):

        def run_export(run: int = run) -> None:
            report = export(workspace, "jsonl", root / f"export{run}.jsonl")
            assert report.documents == count

        started = time.process_time()
        times["export"].append(timed(run_export, profile and run == 0, "export"))
        cpu["export"].append(time.process_time() - started)
        times["read"].append(read_records(workspace))
        records = list(document_records(workspace))
        dicts = [jsonl.to_json(r) for r in records]
        exported_spans = sum(len(r["spans"]) for r in dicts)
        started = time.process_time()
        times["bare"].append(dump(root / f"bare{run}.jsonl", dicts, lambda d: d))
        cpu["bare"].append(time.process_time() - started)
        times["converted"].append(dump(root / f"converted{run}.jsonl", records, jsonl.to_json))
        del records, dicts
        for name in (f"export{run}.jsonl", f"bare{run}.jsonl", f"converted{run}.jsonl"):
            (root / name).unlink()
    median = {name: statistics.median(found) for name, found in times.items()}
    fastest = {name: min(found) for name, found in times.items()}
    ours, bare, reading = median["export"], median["bare"], median["read"]
    per_run = sorted(e / b for e, b in zip(times["export"], times["bare"], strict=True))

    def row(title: str, name: str) -> str:
        return f"    {title:<40}{median[name]:5.2f} s (best {fastest[name]:4.2f})"

    print(f"(b) export of {exported_spans:,} spans to JSONL: medians of {runs} interleaved runs")
    print(row("bare json.dumps of the JSON objects", "bare"), end="")
    print(f"  {exported_spans / bare:9,.0f} spans/s")
    print(row("json.dumps(to_json(record)) per record", "converted"), end="")
    print(f"  {exported_spans / median['converted']:9,.0f} spans/s")
    print(row("export()", "export"), end="")
    print(f"  {exported_spans / ours:9,.0f} spans/s")
    print(row("of which reading the records", "read"), end="")
    print(f"  (app.services.exporting.document_records; {reading / bare:.2f}x the bare dumps)")
    print(f"    {'export() less the reading':<40}{ours - reading:5.2f} s", end="")
    print(f"  ({(ours - reading) / bare:.2f}x the bare dumps)")
    verdict = "met" if ours <= 2 * bare else "MISSED"
    print(f"    time ratio {ours / bare:.2f}x the bare dumps (target <= 2x: {verdict});", end="")
    print(f" {ours / median['converted']:.2f}x dumps of the records")
    print(f"    run by run {per_run[0]:.2f}x to {per_run[-1]:.2f}x the bare dumps of the same run")
    # the processor time of this process, which another's work on the machine moves less
    spent = {name: statistics.median(found) for name, found in cpu.items()}
    ratio = spent["export"] / spent["bare"]
    print(f"    processor time: export() {spent['export']:.2f} s,", end="")
    print(f" bare dumps {spent['bare']:.2f} s, {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument(
        "--runs", type=int, default=3, help="import: best of this many; export: median (default 3)"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile of Glossa's side")
    parser.add_argument(
        "--export-only", action="store_true", help="import once, unmeasured; measure (b) alone"
    )
    options = parser.parse_args()
    count, runs = options.documents, max(1, options.runs)
    documents = make_documents(count)
    span_count = sum(len(d["spans"]) for d in documents)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "articles.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for document in documents:
                out.write(json.dumps(document, ensure_ascii=False) + "\n")
        size_mb = source.stat().st_size / 1e6
        print(f"{count:,} documents, {span_count:,} spans, {size_mb:.1f} MB of JSONL, {runs} runs")

        if options.export_only:
            workspace = Workspace.open(str(root / "glossa0.db"), "bench", samples=False)
            try:
                assert import_paths(workspace, [source]).ok
            finally:
                workspace.close()
        else:
            measure_import(root, source, documents, runs, options.profile)
        documents.clear()

        workspace = Workspace.open(str(root / "glossa0.db"), "bench", samples=False)
        try:
            measure_export(root, workspace, count, runs, options.profile)
        finally:
            workspace.close()


if __name__ == "__main__":
    main()
