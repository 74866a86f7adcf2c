"""The review table over a million generated spans: open, filter, sort, scroll; print figures.

Every figure is set against a bare SQL query of the same rows (the ``sqlite3`` module on the
same file, in the same run): the count plus one page of 200 rows, with the same filter,
order and offset. The review table's own steps read the count and the page through the
services, and add the context, speaker and entity of the page's rows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/review_table.py [--spans N]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QGuiApplication  # noqa: E402

from app.core.review import Column, Review, ReviewQuery  # noqa: E402
from app.gui.models.review import COLUMNS, KEPT_PAGES, PAGE_SIZE, ReviewTableModel  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.services.review import ReviewActions  # noqa: E402

WORDS = (
    "the minister said on tuesday that harbour council would open new terminal before "
    "summer while opposition leaders disputed figures and police reported calm streets "
    "across city as officials from ministry declined comment on budget talks"
).split()
LABELS = ("PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM")
ORIGINS = ("manual", "imported", "suggested")
REVIEWS = ("unreviewed", "unreviewed", "accepted", "rejected")
ANNOTATORS = ("ana", "ben", "chloe", "dmitri", "gold")
DOCUMENTS = 2_000
REPEATS = 5
VISIBLE_ROWS = 40
"""Rows a table shows at once: the first view asks for these."""


def rss_mb() -> float:
    """Resident memory of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def generate(path: Path, spans: int, seed: int = 5) -> None:
    """A Glossa database (migrated) holding ``spans`` spans over ``DOCUMENTS`` articles."""
    Workspace.open(str(path), "reviewer", samples=False).close()
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    indexes = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    names = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for (name,) in names:
        db.execute(f"DROP INDEX {name}")
    project = db.execute("SELECT id FROM projects").fetchone()[0]
    db.executemany(
        "INSERT INTO annotators (name, resume) VALUES (?, '{}')", [(a,) for a in ANNOTATORS]
    )
    annotator_ids = [
        db.execute("SELECT id FROM annotators WHERE name = ?", (a,)).fetchone()[0]
        for a in ANNOTATORS
    ]
    now = "2026-01-01 00:00:00"
    per_document = spans // DOCUMENTS
    span_id = relation_id = 0
    for document in range(1, DOCUMENTS + 1):
        words = [rng.choice(WORDS) for _ in range(700)]
        text = " ".join(words)
        db.execute(
            "INSERT INTO documents (id, project_id, external_id, title, meta, sha256, length,"
            " position, created_at) VALUES (?, ?, '', ?, '{}', ?, ?, ?, ?)",
            (
                document,
                project,
                f"Article {document:05d}",
                f"{document:064x}",
                len(text),
                document,
                now,
            ),
        )
        db.execute("INSERT INTO document_texts VALUES (?, ?)", (document, text))
        offsets, position = [], 0
        for word in words:
            offsets.append((position, position + len(word)))
            position += len(word) + 1
        rows, people, quotes = [], [], []
        count = per_document + (1 if document <= spans % DOCUMENTS else 0)
        for _ in range(count):
            first = rng.randrange(len(offsets) - 6)
            label = rng.choice(LABELS)
            start = offsets[first][0]
            end = offsets[first + (rng.randint(2, 5) if label in ("QUOTE", "CLAIM") else 0)][1]
            span_id += 1
            rows.append(
                (
                    span_id, document, start, end, label, text[start:end],
                    rng.choice(annotator_ids), rng.choice(ORIGINS), rng.choice(REVIEWS), "{}", now,
                )
            )  # fmt: skip
            (people if label == "PERSON" else quotes if label == "QUOTE" else []).append(span_id)
        db.executemany(
            'INSERT INTO spans (id, document_id, start, "end", label, text, annotator_id,'
            " origin, review, attributes, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        if people:
            links = []
            for quote in quotes:
                relation_id += 1
                links.append(
                    (relation_id, document, quote, rng.choice(people), "speaker", annotator_ids[0])
                )
            db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?)", links)
    for (sql,) in indexes:
        db.execute(sql)
    db.execute("ANALYZE")
    db.commit()
    db.close()


BARE_COLUMNS = (
    'SELECT s.id, s.document_id, d.title, s.start, s."end", s.label, s.text, a.name,'
    " s.origin, s.review FROM spans s JOIN documents d ON d.id = s.document_id"
    " JOIN annotators a ON a.id = s.annotator_id"
)


def bare(db: sqlite3.Connection, where: str, order: str, offset: int) -> Callable[[], None]:
    """The count and one page of rows, in plain SQL."""

    def run() -> None:
        db.execute(f"SELECT count(*) FROM spans s {where}").fetchone()
        db.execute(
            f"{BARE_COLUMNS} {where} ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {offset}"
        ).fetchall()

    return run


def table(model: ReviewTableModel, query: ReviewQuery, first_row: int) -> Callable[[], None]:
    """What the review table does: read the count, then show the rows of a screen."""

    def run() -> None:
        model.set_query(query)
        for row in range(first_row, min(first_row + VISIBLE_ROWS, model.rowCount())):
            for column in range(len(COLUMNS)):
                model.index(row, column).data()

    return run


def median_ms(step: Callable[[], None]) -> float:
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        step()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    spans = parser.parse_args().spans
    QGuiApplication.instance() or QGuiApplication([])

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.db"
        began = time.perf_counter()
        generate(path, spans)
        took = time.perf_counter() - began
        size = path.stat().st_size / 1e6
        print(
            f"generated {spans:,} spans on {DOCUMENTS:,} documents in {took:.1f} s ({size:.0f} MB)"
        )

        db = sqlite3.connect(path)
        workspace = Workspace.open(str(path), "reviewer", samples=False)
        before = rss_mb()
        model = ReviewTableModel(ReviewActions(workspace), {})
        began = time.perf_counter()
        table(model, ReviewQuery(), 0)()
        first_open = (time.perf_counter() - began) * 1000
        after = rss_mb()
        held = model.rows_in_memory()

        middle = spans // 2
        by_document = "s.document_id, s.start, s.id"
        quotes = ReviewQuery(labels=frozenset({"QUOTE"}), reviews=frozenset({Review.UNREVIEWED}))
        unreviewed_quotes = "WHERE s.label = 'QUOTE' AND s.review = 'unreviewed'"
        titled = "(SELECT id FROM documents WHERE lower(title) LIKE '%budget talks%')"
        cases = [
            ("open (count + first screen)", ReviewQuery(), 0, "", by_document),
            ("filter label + state", quotes, 0, unreviewed_quotes, by_document),
            (
                "sort by label (descending)",
                ReviewQuery().sorted_by(Column.LABEL, descending=True),
                0,
                "",
                "s.label DESC, s.review DESC, s.document_id DESC, s.start DESC, s.id DESC",
            ),
            ("sort by annotator", ReviewQuery().sorted_by(Column.ANNOTATOR), 0, "", "a.name, s.id"),
            (
                "sort by review state",
                ReviewQuery().sorted_by(Column.REVIEW),
                0,
                "",
                "s.review, s.id",
            ),
            (
                "filter + sort by text",
                quotes.sorted_by(Column.TEXT),
                0,
                unreviewed_quotes,
                "s.text, s.id",
            ),
            (f"scroll to row {middle:,}", ReviewQuery(), middle, "", by_document),
            (
                "sort by speaker",
                ReviewQuery().sorted_by(Column.SPEAKER),
                0,
                "",
                "coalesce((SELECT min(t.text) FROM relations r JOIN spans t ON t.id = r.tail_id"
                " WHERE r.head_id = s.id AND r.label IN ('speaker', 'claimant')), ''), s.id",
            ),
            (
                "free text 'budget talks'",
                ReviewQuery(text="budget talks"),
                0,
                f"WHERE lower(s.text) LIKE '%budget talks%' OR s.document_id IN {titled}",
                by_document,
            ),
        ]
        print(f"\nmedian of {REPEATS} runs; bare = sqlite3 count + {PAGE_SIZE} rows, same query")
        print(f"{'step':<30} {'table ms':>9} {'bare ms':>9} {'ratio':>6}")
        for name, query, first_row, where, order in cases:
            offset = first_row // PAGE_SIZE * PAGE_SIZE
            ours = median_ms(table(model, query, first_row))
            theirs = median_ms(bare(db, where, order, offset))
            print(f"{name:<30} {ours:>9.1f} {theirs:>9.1f} {ours / theirs:>6.2f}")
        print(f"\nfirst open, cold: {first_open:.0f} ms")
        print(
            f"memory: RSS {before:.0f} MB before the model, {after:.0f} MB after opening "
            f"(+{after - before:.1f} MB); rows held: {held}"
        )
        # the most the model keeps: KEPT_PAGES pages, read while scrolling through the table
        model.set_query(ReviewQuery())
        for row in range(0, KEPT_PAGES * PAGE_SIZE * 2, PAGE_SIZE):
            model.index(row, 0).data()
        print(
            f"after scrolling {2 * KEPT_PAGES} pages: RSS {rss_mb():.0f} MB, "
            f"rows held: {model.rows_in_memory()}"
        )
        workspace.close()
        db.close()


if __name__ == "__main__":
    main()
