"""Retraining the project's model on 100 annotated articles; print time and held-out figures.

A project of ``--articles`` generated news articles (PERSON, ORG and GPE spans, names drawn
from pools so that most held-out names are new) is imported into a fresh SQLite database,
and the model is trained on annotator ana's spans as ``glossa train`` does. Printed:

(a) the wall time of the training (reading the database, training, measuring, saving),
    with the CPU time of its thread and the load average (on a shared machine the wall
    time is mostly waiting), against a baseline in the same run: the same reading and
    measuring with the most-frequent-label baseline as the "model", which costs no
    learning; the target is at most 30 s for 100 articles;
(b) the held-out precision, recall and F1 per label of the model and of the baseline;
(c) how late a 10 ms timer fires on the main thread while training runs on a worker
    thread, and while a worker thread waits for a training in a child process (as the
    window trains), against the same timer with nothing running: what a window waiting
    on its event loop would feel (95th percentile);
(d) with ``--conll FILE`` (an IOB2 file such as UNER's English-EWT dev part, tokens in the
    second column and tags in the third, documents by ``# newdoc`` lines), the same
    figures on real text.

    .venv/bin/python benchmarks/model_training.py [--articles N] [--passes N] [--conll FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.assist.held_out import (  # noqa: E402
    MostFrequentLabel,
    TrainingDocument,
    figures,
    split,
)
from app.assist.model import ModelCard, loaded, train_model  # noqa: E402
from app.services import Workspace, schema_edits  # noqa: E402
from app.services.importing import import_paths  # noqa: E402
from app.services.training import (  # noqa: E402
    entity_labels,
    model_folder,
    train,
    training_documents,
)
from tests.generated_news import write_project  # noqa: E402

TARGET_S = 30.0
CPU_SECONDS: list[float] = []
"""CPU time of each measured training's thread: what it costs when the machine is shared."""


def show_card(card: ModelCard) -> None:
    print(f"  {card.describe()}")
    print(f"  {'LABEL':8} {'HELD-OUT':>8} {'P':>6} {'R':>6} {'F1':>6}   BASE P BASE R BASE F1")
    for label, gold, p, r, f1, bp, br, bf1 in card.rows():
        print(f"  {label:8} {gold:>8} {p:>6} {r:>6} {f1:>6}   {bp:>6} {br:>6} {bf1:>7}")


def baseline_seconds(workspace: Workspace) -> float:
    """Read the documents, build the most-frequent-label baseline, tag the held-out part."""
    started = time.perf_counter()
    documents, _ = training_documents(workspace, "ana")
    training, held_out = split(documents)
    baseline = MostFrequentLabel(training)
    labels = entity_labels(schema_edits.refresh_schema(workspace))
    figures([d.spans for d in held_out], [baseline.tag(d.text) for d in held_out], labels)
    return time.perf_counter() - started


def timer_lateness(duration: float, busy: threading.Event | None = None) -> list[float]:
    """How late (ms) a 10 ms sleep wakes, repeatedly, for ``duration`` s or while ``busy``."""
    late = []
    end = time.perf_counter() + duration
    while time.perf_counter() < end if busy is None else not busy.is_set():
        asked = time.perf_counter()
        time.sleep(0.01)
        late.append((time.perf_counter() - asked - 0.01) * 1000)
    return late


def measured(work: Callable[[], ModelCard]) -> tuple[ModelCard, float, list[float]]:
    """Run ``work`` on a worker thread: its card, its wall time, and the main thread's
    timer lateness meanwhile."""
    done = threading.Event()
    result: list[tuple[ModelCard, float, float]] = []

    def run() -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            card = work()
            result.append((card, time.perf_counter() - started, time.thread_time() - cpu))
        finally:
            done.set()

    worker = threading.Thread(target=run)
    worker.start()
    late = timer_lateness(0, done)
    worker.join()
    card, seconds, cpu = result[0]
    CPU_SECONDS.append(cpu)
    return card, seconds, late


def tagging(folder: Path, documents: list[TrainingDocument], held_out: tuple[str, ...]) -> str:
    """The model's precision per band of its raw confidence, and how fast it tags."""
    found = loaded(folder)
    assert found is not None
    card, tagger = found
    texts = [d.text for d in documents if d.key in held_out]
    started = time.perf_counter()
    for text in texts:
        tagger.tag(text)
    rate = sum(map(len, texts)) / 1000 / max(time.perf_counter() - started, 1e-9)
    return (
        f"  held-out spans right per band of raw confidence: {card.bands()}\n"
        f"  tagging speed: {rate:.0f} KB of text per second"
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else float("nan")


def read_iob2(path: Path) -> list[TrainingDocument]:
    """Documents of an IOB2 file: tokens joined by spaces, sentences by line breaks."""
    documents: list[TrainingDocument] = []
    key, text, spans = "", "", []
    entity: list[object] | None = None

    def close() -> None:
        nonlocal entity
        if entity is not None:
            spans.append((int(str(entity[0])), int(str(entity[1])), str(entity[2])))
            entity = None

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            close()
            if key:
                documents.append(TrainingDocument(key, text, tuple(spans)))
            key, text, spans = line.split("=", 1)[1].strip(), "", []
        elif line.startswith("#"):
            continue
        elif not line.strip():
            close()
            text += "\n" if text and not text.endswith("\n") else ""
        else:
            columns = line.split("\t")
            token, tag = columns[1], columns[2]
            text += " " if text and not text.endswith("\n") else ""
            start = len(text)
            text += token
            if tag.startswith("B-") or (
                tag.startswith("I-") and (entity is None or entity[2] != tag[2:])
            ):
                close()
                entity = [start, len(text), tag[2:]]
            elif tag.startswith("I-") and entity is not None:
                entity[1] = len(text)
            else:
                close()
    close()
    if key:
        documents.append(TrainingDocument(key, text, tuple(spans)))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--sentences", type=int, default=25, help="per article")
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--conll", type=Path, help="an IOB2 file of real text to measure on")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_DATA_HOME"] = str(Path(folder) / "data")  # the models go there
        source = write_project(Path(folder) / "news.jsonl", args.articles, sentences=args.sentences)
        workspace = Workspace.open(str(Path(folder) / "g.db"), "ana", samples=False)
        import_paths(workspace, [source])
        words = sum(len(d.text.split()) for d in training_documents(workspace, "ana")[0])
        print(f"{args.articles} generated articles, {words} words, annotator ana")

        documents = training_documents(workspace, "ana")[0]
        folder_of_model = model_folder(workspace)
        base_s = baseline_seconds(workspace)
        idle = timer_lateness(2.0)
        card, seconds, in_thread = measured(lambda: train(workspace, "ana", passes=args.passes))
        _, apart_s, apart = measured(
            lambda: train(workspace, "ana", passes=args.passes, apart=True)
        )
        workspace.close()
        verdict = "ok" if seconds <= TARGET_S else "OVER TARGET"
        print(
            f"(a) train: {seconds:.1f} s wall (target <= {TARGET_S:.0f} s: {verdict}), "
            f"{CPU_SECONDS[0]:.1f} s CPU of its thread, load average "
            f"{os.getloadavg()[0]:.1f}; baseline (read, count, measure, no learning): "
            f"{base_s:.2f} s; {card.passes} pass(es), {card.training_spans} spans learnt"
        )
        print("(b) held-out figures (exact spans, %):")
        show_card(card)
        print(tagging(folder_of_model, documents, card.held_out))
        print(
            f"(c) 10 ms timer lateness, 95th percentile: {p95(idle):.2f} ms idle; "
            f"{p95(in_thread):.2f} ms while training on a worker thread of this process; "
            f"{p95(apart):.2f} ms while a worker thread waits for a training in a child "
            f"process, as the window does ({apart_s:.1f} s, the child's start included)"
        )
        if args.conll:
            documents = read_iob2(args.conll)
            labels = sorted({s[2] for d in documents for s in d.spans})
            started = time.perf_counter()
            real = train_model(
                documents,
                labels,
                Path(folder) / "real",
                source=f"documents of {args.conll.name}",
                passes=args.passes,
            )
            words = sum(len(d.text.split()) for d in documents)
            print(
                f"(d) {args.conll.name}: {len(documents)} documents, {words} words, "
                f"{time.perf_counter() - started:.1f} s"
            )
            show_card(real)
            print(tagging(Path(folder) / "real", documents, real.held_out))


if __name__ == "__main__":
    main()
