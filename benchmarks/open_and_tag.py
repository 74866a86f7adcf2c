"""Open a 1 MB article with 10k and 50k spans, and tag one more span; print figures.

Opening goes the window's way: the open document model reads the article in one snapshot
on a worker thread, and the article view shows it when it arrives.

Each measurement runs in a child process of its own so that memory is measured cleanly:
the bare baseline (a QPlainTextEdit loading and painting the same text) and Glossa (spans
read from SQLite through the services, highlighted by the ArticleView, first paint).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/open_and_tag.py
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.services import documents
from app.services import spans as spans_service

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = (
    "the minister said on tuesday that harbour council would open new terminal before "
    "summer while opposition leaders disputed figures and police reported calm streets "
    "across city as officials from ministry declined comment on budget talks"
).split()
LABELS = ("PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM")
REPEATS = 5


def make_article(target_bytes: int = 1_000_000, seed: int = 7) -> str:
    """About 150k words in paragraphs of 60-140 words, a few emoji sprinkled in."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < target_bytes:
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 140))]
        if rng.random() < 0.1:
            words.insert(rng.randrange(len(words)), "🎉")
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs)


def make_spans(text: str, count: int, seed: int = 11) -> list[dict[str, object]]:
    """``count`` word spans; every fifth also gets an enclosing multi-word span (nesting)."""
    rng = random.Random(seed)
    words, position = [], 0
    for word in text.split(" "):
        words.append((position, position + len(word)))
        position += len(word) + 1
    chosen = sorted(rng.sample(range(len(words) - 8), count))
    spans: list[dict[str, object]] = []
    for n, index in enumerate(chosen):
        if len(spans) >= count:
            break
        start, end = words[index]
        if n % 5 == 0 and len(spans) + 1 < count:
            outer_end = words[index + 4][1]
            spans.append({"start": start, "end": outer_end, "label": "QUOTE"})
        spans.append({"start": start, "end": end, "label": rng.choice(LABELS)})
    for i, span in enumerate(spans):
        span["id"] = str(i)
        span["text"] = text[span["start"] : span["end"]]  # type: ignore[misc]
    return spans


def rss_mb() -> float:
    """Resident memory of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_bare(text_file: str) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication([])
    text = Path(text_file).read_text(encoding="utf-8")
    times = []
    for _ in range(REPEATS):
        edit = QPlainTextEdit()
        edit.resize(1000, 800)
        started = time.perf_counter()
        edit.setPlainText(text)
        edit.show()
        app.processEvents()
        edit.grab()
        times.append(time.perf_counter() - started)
        edit.close()
        app.processEvents()
    edit = QPlainTextEdit()
    edit.resize(1000, 800)
    edit.setPlainText(text)
    edit.show()
    edit.grab()
    repaint = []
    for _ in range(20):
        started = time.perf_counter()
        edit.viewport().grab()
        repaint.append(time.perf_counter() - started)
    return {
        "open_ms": statistics.median(times) * 1000,
        "repaint_ms": statistics.median(repaint) * 1000,
        "rss_mb": rss_mb(),
    }


def child_glossa(db_url: str) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.gui.annotating.article_view import ArticleView
    from app.gui.models.open_document import LayerView, OpenDocument
    from app.services import Workspace

    app = QApplication([])
    workspace = Workspace.open(db_url, "bench", samples=False)
    document_id = documents.documents(workspace)[0].id
    colours = {label.name: label.colour for label in workspace.schema.labels}
    # as the window opens it: read in one snapshot on a worker thread, shown when it comes
    opened = OpenDocument(workspace, LayerView.mine("bench"))
    arrived = QEventLoop()
    opened.opened.connect(lambda _scroll: arrived.quit())
    opened.failed.connect(lambda message: sys.exit(message))
    times = []
    view = None
    for _ in range(REPEATS):
        if view is not None:
            view.close()
            app.processEvents()
            gc.collect()  # the view of the round before: the memory is that of one view
        view = ArticleView()
        view.resize(1000, 800)
        started = time.perf_counter()
        opened.open(document_id)
        arrived.exec()
        assert opened.document is not None
        layers = opened.layers
        view.show_document(opened.document.text, layers.spans, colours, layers.relations)
        view.show()
        app.processEvents()  # whatever the view left for the event loop counts too
        view.grab()
        times.append(time.perf_counter() - started)
    assert view is not None
    # honest figures only: the first screen has its spans formatted
    first = view.document().findBlockByNumber(view.visible_blocks().start)
    assert first.layout().formats(), "the visible spans are not highlighted"
    text = documents.document(workspace, document_id).text
    # tag words in the visible first paragraph, as a user would
    offsets = [i + 1 for i, ch in enumerate(text[:3000]) if ch == " "][:40]
    tag = []
    for a, b in zip(offsets[::2], offsets[1::2], strict=False):
        started = time.perf_counter()
        change = spans_service.add_span(workspace, document_id, a, b - 1, "PERSON")
        view.add_span(change.added[0])
        view.viewport().grab()
        tag.append(time.perf_counter() - started)
    repaint = []
    for _ in range(20):
        started = time.perf_counter()
        view.viewport().grab()
        repaint.append(time.perf_counter() - started)
    return {
        "open_ms": statistics.median(times) * 1000,
        "tag_ms": statistics.median(tag) * 1000,
        "tag_max_ms": max(tag) * 1000,
        "repaint_ms": statistics.median(repaint) * 1000,
        "rss_mb": rss_mb(),
        "spans": len(spans_service.spans(workspace, document_id)),
    }


def build_database(folder: Path, text: str, count: int) -> str:

    from app.services import Workspace
    from app.services.importing import import_paths

    source = folder / f"article-{count}.jsonl"
    record = {"id": "bench", "text": text, "meta": {"title": f"{count} spans"}}
    record["spans"] = make_spans(text, count)
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(folder / f"bench-{count}.db")
    workspace = Workspace.open(db, "bench", samples=False)
    report = import_paths(workspace, [source])
    if not report.ok:
        raise SystemExit(f"import failed: {report.errors}")
    workspace.close()
    return db


def run_child(*args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    text = make_article()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text_file = folder / "article.txt"
        text_file.write_text(text, encoding="utf-8")
        print(
            f"article: {len(text.encode()):,} bytes, {len(text.split()):,} words, "
            f"{text.count(chr(10)) + 1:,} paragraphs"
        )
        bare = run_child("bare", str(text_file))
        print(
            f"bare QPlainTextEdit: open+paint {bare['open_ms']:.1f} ms, "
            f"repaint {bare['repaint_ms']:.1f} ms, RSS {bare['rss_mb']:.0f} MB"
        )
        for count in (10_000, 50_000):
            db = build_database(folder, text, count)
            glossa = run_child("glossa", db)
            print(
                f"Glossa {count:>6,} spans: open {glossa['open_ms']:.1f} ms "
                f"({glossa['open_ms'] / bare['open_ms']:.1f}x bare; budget 300 ms), "
                f"tag one span {glossa['tag_ms']:.1f} ms median / {glossa['tag_max_ms']:.1f} max "
                f"(budget 16 ms), repaint {glossa['repaint_ms']:.1f} ms "
                f"({glossa['repaint_ms'] / max(bare['repaint_ms'], 0.01):.1f}x bare), "
                f"memory +{glossa['rss_mb'] - bare['rss_mb']:.0f} MB over bare (budget 150 MB)"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "bare":
        print(json.dumps(child_bare(sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == "glossa":
        print(json.dumps(child_glossa(sys.argv[2])))
    else:
        main()
