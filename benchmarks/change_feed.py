"""The change feed's poll on a team database: how long one look costs, and what it reads.

A PostgreSQL database is filled with a million spans and a hundred thousand events (with
``generate_series``, on the server), then the window's look every few seconds, a
``ChangeFeed.read`` that finds nothing new, is timed through the services, against the bare
query of the same rows with psycopg in the same run. The plan of the feed's query is
printed, to show it reads the events' primary key and never the spans table.

    GLOSSA_BENCH_DATABASE_URL=postgresql+psycopg://user:pass@localhost/empty_db \\
        .venv/bin/python benchmarks/change_feed.py [--spans N] [--events N]

``GLOSSA_TEST_DATABASE_URL`` is used when the first is not set. The database is emptied.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.services import Workspace  # noqa: E402
from app.services.feed import FEED_PAGE, ChangeFeed  # noqa: E402
from tests.conftest import empty_postgres  # noqa: E402

REPEATS = 200
BARE = "SELECT id, annotator, action, payload FROM events WHERE id > %s ORDER BY id LIMIT %s"


def median_ms(step: Callable[[], object]) -> float:
    """The median time of ``REPEATS`` runs of ``step``, in milliseconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(connection: psycopg.Connection, spans: int, events: int) -> None:
    """Documents, spans and events made on the server, as an annotated project holds them."""
    documents = max(1, spans // 500)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM projects")
        (project,) = cursor.fetchone() or (1,)
        cursor.execute("INSERT INTO annotators (name, resume) VALUES ('ana', '{}') RETURNING id")
        (annotator,) = cursor.fetchone() or (1,)
        cursor.execute(
            "INSERT INTO documents (project_id, external_id, title, meta, sha256, length, "
            "position, created_at) SELECT %s, '', 'doc ' || n, '{}', md5(n::text) || "
            "md5(n::text), 5000, n, now() FROM generate_series(1, %s) AS n",
            (project, documents),
        )
        cursor.execute(
            'INSERT INTO spans (document_id, start, "end", label, text, annotator_id, origin, '
            "review, attributes, created_at) SELECT d.id, (n %% 450) * 10, (n %% 450) * 10 + 5, "
            "'PERSON', 'words', %s, 'manual', 'unreviewed', '{}', now() "
            "FROM generate_series(0, %s) AS n JOIN documents d ON d.position = n / 500 + 1",
            (annotator, spans - 1),
        )
        cursor.execute(
            "INSERT INTO events (at, annotator, action, payload) SELECT now(), 'ana', "
            "'add_span', json_build_object('document', n %% %s + 1, 'added', json_build_array(n))"
            " FROM generate_series(1, %s) AS n",
            (documents, events),
        )
    connection.commit()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("GLOSSA_BENCH_DATABASE_URL") or os.environ.get("GLOSSA_TEST_DATABASE_URL")
    if not url:
        sys.exit("set GLOSSA_BENCH_DATABASE_URL to an empty PostgreSQL database")
    empty_postgres(url)
    workspace = Workspace.open(url, "ben", samples=False)
    parsed = make_url(url).set(drivername="postgresql")
    dsn = parsed.render_as_string(hide_password=False)
    with psycopg.connect(dsn) as connection:
        start = time.perf_counter()
        fill(connection, args.spans, args.events)
        print(
            f"filled {args.spans:,} spans, {args.events:,} events in "
            f"{time.perf_counter() - start:.1f} s"
        )
        feed = ChangeFeed(workspace)
        position = feed.position
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + BARE, (position, FEED_PAGE + 1))
            plan = [row[0] for row in cursor.fetchall()]

            def bare() -> object:
                cursor.execute(BARE, (position, FEED_PAGE + 1))
                return cursor.fetchall()

            bare_ms = median_ms(bare)
        feed_ms = median_ms(feed.read)
    workspace.close()
    print("plan of the feed's query:")
    for line in plan:
        print("   ", line)
    print(f"reads the spans table: {'yes' if any('spans' in line for line in plan) else 'no'}")
    print(f"bare query (psycopg): {bare_ms:.2f} ms median of {REPEATS}")
    print(
        f"ChangeFeed.read:      {feed_ms:.2f} ms median of {REPEATS} "
        f"({feed_ms / bare_ms:.1f}x bare; budget 5 ms)"
    )


if __name__ == "__main__":
    main()
