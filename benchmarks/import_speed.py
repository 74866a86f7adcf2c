"""Whole-process ``glossa import`` against a bare stdlib script doing the same work; print both.

The corpus: 10,000 generated news articles (about 3,000 characters each) with 300,000 spans
(30 per article: quotes, their speakers and cues, people, organisations and places), 12 % of
them nested inside a quote, and 40,000 relations (each article's two quotes linked to their
speaker and to their cue). It is written as native JSONL and as a Label Studio JSON export
of the same documents.

Measured in the same run, each as its own process, best of ``--runs``:

- ``raw``: a stdlib script (``--raw FILE DB``) that parses the JSONL with ``json.loads``
  and inserts the same documents, texts, spans and relations with ``sqlite3.executemany``
  into a new database of Glossa's schema (made beforehand, not timed) with Glossa's pragmas;
- ``glossa import`` of the JSONL into a new database, the whole process from start to exit
  (start-up, opening and creating the database, reading, checking, writing);
- ``glossa import`` of the Label Studio export of the same documents.

Target: the JSONL import within twice the raw script. Every process runs with its modules'
bytecode cached (in a temporary folder, made by one unmeasured import first), as an
installed Glossa does, even where the environment says not to write bytecode.

    .venv/bin/python benchmarks/import_speed.py [--documents N] [--runs N] [--profile]

``--profile`` runs the JSONL import once more under cProfile and prints where time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import json
import os
import pstats
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"

WORDS = (
    "the minister said on tuesday that harbour council would open new terminal before "
    "summer while opposition leaders disputed figures and police reported calm streets "
    "across city as officials from ministry declined comment on budget talks"
).split()
PEOPLE = ("Ingrid Dahl", "Tor Ås", "Maren Solberg", "Jonas Berg", "Åse Lind")
ORGS = ("Acme Shipping", "Nordkai", "Harbour Council", "Statkraft")
PLACES = ("Halden", "Bergen", "Tromsø", "Oslo")
CUES = ("said", "told reporters", "added", "warned")
SPANS_PER_DOCUMENT = 30
RELATIONS_PER_DOCUMENT = 4
RAW = "raw script (json + sqlite3.executemany)"


class _Article:
    """Text built piece by piece, with the spans placed as it grows."""

    def __init__(self, title: str) -> None:
        self.text = title
        self.spans: list[dict[str, Any]] = []

    def add(self, piece: str, label: str | None = None) -> str:
        start = len(self.text)
        self.text += piece
        if label is None:
            return ""
        span_id = str(len(self.spans) + 1)
        self.spans.append(
            {"id": span_id, "start": start, "end": len(self.text), "label": label, "text": piece}
        )
        return span_id


def make_documents(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` articles of 30 spans and 4 relations each; 12 % of all spans are nested."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        article = _Article(f"Article {number}: harbour news\n")
        relations = []
        nested_here = 4 if number % 10 < 6 else 3  # 3.6 per article: 12 % of 30
        plain = SPANS_PER_DOCUMENT - 6 - nested_here  # 2 quotes, 2 speakers, 2 cues
        for quote_number in range(2):
            article.add(" ".join(rng.choices(WORDS, k=rng.randint(25, 40))).capitalize() + ". ")
            speaker = article.add(rng.choice(PEOPLE), "PERSON")
            article.add(" ")
            cue = article.add(rng.choice(CUES), "CUE")
            article.add(' "')
            start = len(article.text)
            inside = nested_here // 2 + (quote_number == 0 and nested_here % 2)
            for _ in range(inside):
                article.add(" ".join(rng.choices(WORDS, k=rng.randint(4, 9))) + " ")
                name = rng.choice(ORGS + PLACES)
                article.add(name, "ORG" if name in ORGS else "LOC")
                article.add(" ")
            article.add(" ".join(rng.choices(WORDS, k=rng.randint(5, 12))))
            quote_text = article.text[start:]
            quote = str(len(article.spans) + 1)
            article.spans.append(
                {
                    "id": quote,
                    "start": start,
                    "end": len(article.text),
                    "label": "QUOTE",
                    "text": quote_text,
                }
            )
            article.add('".\n')
            relations.append(
                {"id": f"r{len(relations) + 1}", "head": quote, "tail": speaker, "label": "speaker"}
            )
            relations.append(
                {"id": f"r{len(relations) + 1}", "head": quote, "tail": cue, "label": "cue"}
            )
        for _ in range(plain):
            article.add(" ".join(rng.choices(WORDS, k=rng.randint(8, 16))).capitalize() + " ")
            name = rng.choice(PEOPLE + ORGS + PLACES)
            label = "PERSON" if name in PEOPLE else "ORG" if name in ORGS else "LOC"
            article.add(name, label)
            article.add(".\n" if rng.random() < 0.2 else ". ")
        assert len(article.spans) == SPANS_PER_DOCUMENT and len(relations) == 4
        documents.append(
            {
                "id": f"a{number}",
                "text": article.text,
                "meta": {"title": f"Article {number}: harbour news"},
                "spans": article.spans,
                "relations": relations,
            }
        )
    return documents


def write_jsonl(path: Path, documents: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")


def write_labelstudio(path: Path, documents: list[dict[str, Any]]) -> None:
    tasks = []
    for number, document in enumerate(documents, start=1):
        result: list[dict[str, Any]] = [
            {
                "id": f"s{s['id']}",
                "type": "labels",
                "from_name": "label",
                "to_name": "text",
                "value": {
                    "start": s["start"],
                    "end": s["end"],
                    "text": s["text"],
                    "labels": [s["label"]],
                },
            }
            for s in document["spans"]
        ]
        result.extend(
            {
                "type": "relation",
                "from_id": f"s{r['head']}",
                "to_id": f"s{r['tail']}",
                "direction": "right",
                "labels": [r["label"]],
            }
            for r in document["relations"]
        )
        tasks.append(
            {
                "id": number,
                "data": {"text": document["text"]},
                "annotations": [{"completed_by": {"email": "bench@example.org"}, "result": result}],
            }
        )
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")


def raw_import(source: Path, db: Path) -> None:
    """The floor: parse the JSONL and executemany the same rows (the script's whole work)."""
    connection = sqlite3.connect(db)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(
        "INSERT INTO projects (id, name, schema, created_at) VALUES (1, 'bench', '{}', ?)",
        (datetime.now(UTC).isoformat(),),
    )
    connection.execute("INSERT INTO annotators (id, name, resume) VALUES (1, 'bench', '{}')")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    documents, texts, spans, relations = [], [], [], []
    span_number = 0
    with source.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            data = json.loads(line)
            text = data["text"]
            title = data["meta"]["title"]
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            documents.append(
                (
                    number,
                    1,
                    data["id"],
                    title,
                    json.dumps(data["meta"]),
                    digest,
                    len(text),
                    number,
                    now,
                )
            )
            texts.append((number, text))
            ids = {}
            for s in data["spans"]:
                span_number += 1
                ids[s["id"]] = span_number
                spans.append(
                    (span_number, number, s["start"], s["end"], s["label"], s["text"], 1,
                     "imported", "unreviewed", "{}", now)
                )  # fmt: skip
            relations.extend(
                (number, ids[r["head"]], ids[r["tail"]], r["label"], 1) for r in data["relations"]
            )
    connection.executemany(
        "INSERT INTO documents (id, project_id, external_id, title, meta, sha256, length,"
        " position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        documents,
    )
    connection.executemany("INSERT INTO document_texts (document_id, text) VALUES (?, ?)", texts)
    connection.executemany(
        'INSERT INTO spans (id, document_id, start, "end", label, text, annotator_id, origin,'
        " review, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        spans,
    )
    connection.executemany(
        "INSERT INTO relations (document_id, head_id, tail_id, label, annotator_id)"
        " VALUES (?, ?, ?, ?, ?)",
        relations,
    )
    connection.commit()
    connection.close()


def run(command: list[str], environment: dict[str, str]) -> float:
    """Seconds a whole process takes, start to exit; it must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def empty_glossa_schema(db: Path) -> None:
    """A new database holding Glossa's tables (by its migrations), nothing else."""
    sys.path.insert(0, str(ROOT))
    from app.store import Database

    Database(f"sqlite:///{db}").dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="best of this many (default 3)")
    parser.add_argument("--profile", action="store_true", help="cProfile the JSONL import")
    parser.add_argument("--raw", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.raw:
        raw_import(Path(options.raw[0]), Path(options.raw[1]))
        return
    documents = make_documents(options.documents)
    span_count = sum(len(d["spans"]) for d in documents)
    relation_count = sum(len(d["relations"]) for d in documents)
    nested = sum(
        1
        for d in documents
        for s in d["spans"]
        if s["label"] != "QUOTE"
        and any(
            q["start"] <= s["start"] and s["end"] <= q["end"]
            for q in d["spans"]
            if q["label"] == "QUOTE"
        )
    )
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        jsonl, studio = root / "articles.jsonl", root / "articles.json"
        write_jsonl(jsonl, documents)
        write_labelstudio(studio, documents)
        documents.clear()
        print(
            f"{options.documents:,} documents, {span_count:,} spans ({nested / span_count:.0%} "
            f"nested), {relation_count:,} relations; JSONL {jsonl.stat().st_size / 1e6:.1f} MB, "
            f"Label Studio {studio.stat().st_size / 1e6:.1f} MB; best of {options.runs}"
        )
        # as an installed Glossa runs: its modules compiled once, not at every start
        environment = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(root / "bytecode"),
        }
        tiny = root / "tiny.jsonl"
        write_jsonl(tiny, make_documents(1))
        run([python, str(MAIN), "--db", str(root / "warm.db"), "import", str(tiny)], environment)
        times: dict[str, float] = {}
        for attempt in range(max(1, options.runs)):
            raw_db = root / f"raw{attempt}.db"
            empty_glossa_schema(raw_db)
            glossa = [python, str(MAIN), "--db"]
            measured = {
                RAW: [python, __file__, "--raw", str(jsonl), str(raw_db)],
                "glossa import JSONL": [
                    *glossa,
                    str(root / f"j{attempt}.db"),
                    "import",
                    str(jsonl),
                ],
                "glossa import Label Studio": [
                    *glossa,
                    str(root / f"s{attempt}.db"),
                    "import",
                    str(studio),
                ],
            }
            for name, command in measured.items():
                elapsed = run(command, environment)
                times[name] = min(times.get(name, elapsed), elapsed)
        raw = times[RAW]
        for name, elapsed in times.items():
            print(f"    {name:42} {elapsed:6.2f} s  {span_count / elapsed:9,.0f} spans/s", end="")
            print(f"  {elapsed / raw:5.2f}x raw")
        ratio = times["glossa import JSONL"] / raw
        verdict = "met" if ratio <= 2 else "MISSED"
        print(f"    JSONL import / raw script: {ratio:.2f}x (target <= 2x: {verdict})")
        if options.profile:
            sys.path.insert(0, str(ROOT))
            sys.argv = ["glossa", "--db", str(root / "profiled.db"), "import", str(jsonl)]
            from app.__main__ import main as glossa_main

            profiler = cProfile.Profile()
            profiler.enable()
            with contextlib.suppress(SystemExit):
                glossa_main()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
