"""Time saved by suggestions, measured by the cost ledger on a scripted annotation.

One scripted annotator attributes the quotes of 20 PolNeAR train articles twice, each time
in a database of its own, through the same services the window calls:
- **off**: every quote, cue and source selected and tagged by hand, then linked (speaker, cue);
- **on**: ``glossa suggest --with quotes`` first; a suggestion overlapping a quote still to
  do is accepted (with its cue, speaker and relations), any other rejected; what the
  suggestions missed is then done by hand as before.
The time of each action comes from the keystroke-level model (Card, Moran and Newell:
keystroke 0.28 s, pointing 1.1 s, button press or release 0.1 s, hand between keyboard and
mouse 0.4 s, mental preparation 1.35 s), written into the event log, which the ledger reads as
it reads a person's. The baseline is the off run, in the same process. Suggestions are
accepted as they come: how many of them the gold marks a little differently is printed too.

    .venv/bin/python benchmarks/time_saved.py PATH [--articles 20]

PATH is a PolNeAR checkout or extract (the directory holding ``data/``); only train is read.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.services import documents as documents_service
from app.services import relations, spans

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quote_attribution import Gold, read_split  # noqa: E402

from app.core.errors import GlossaError  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.services.costs import CostReport, cost_report  # noqa: E402
from app.services.importing import import_paths  # noqa: E402
from app.services.pending import pending_suggestions, store_suggestions  # noqa: E402
from app.services.suggestion_actions import accept, reject  # noqa: E402

K, P, B, H, M = 0.28, 1.1, 0.1, 0.4, 1.35
TYPE_SPAN = M + H + P + B + P + B + H + K
"""Think, reach for the mouse, drag over the words, back to the keyboard, press the label."""
LINK = M + K + K
"""Think, S (or C), Enter on the partner offered first."""
ANSWER = M + K + K
"""Read the suggestion, step to it (Alt+Down), Enter or Del."""

Span = tuple[int, int]


class Clock:
    """The scripted annotator's time, stamped on each event as it is written."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self.stamps: dict[int, datetime] = {}
        self.seen = self._last()

    def _last(self) -> int:
        with self.workspace.database.reading() as uow:
            return uow.events.last_id()

    def spend(self, seconds: float, action: Callable[[], object]) -> bool:
        """Do ``action`` after ``seconds`` of work; False when the services refused it."""
        self.now += timedelta(seconds=seconds)
        try:
            action()
        except GlossaError:
            return False
        last = self._last()
        for event_id in range(self.seen + 1, last + 1):
            self.stamps[event_id] = self.now
        self.seen = last
        return True

    def write(self, path: Path) -> None:
        """Put the scripted times into the event log."""
        with sqlite3.connect(path) as db:
            db.executemany(
                "UPDATE events SET at = ? WHERE id = ?",
                [(at.strftime("%Y-%m-%d %H:%M:%S.%f"), i) for i, at in self.stamps.items()],
            )


def _by_hand(ws: Workspace, clock: Clock, document: int, attribution: tuple) -> None:
    content, cue, source = attribution
    ids: dict[str, int] = {}
    for label, span in (("QUOTE", content), ("CUE", cue), ("PERSON", source)):
        if span is None:
            continue

        def tag(label: str = label, span: Span = span) -> None:
            ids[label] = spans.add_span(ws, document, span[0], span[1], label).added[0].id

        clock.spend(TYPE_SPAN, tag)
    for relation, tail in (("speaker", "PERSON"), ("cue", "CUE")):
        if "QUOTE" in ids and tail in ids:
            head, end = ids["QUOTE"], ids[tail]
            clock.spend(LINK, lambda h=head, t=end, r=relation: relations.add_relation(ws, h, t, r))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def annotate(path: Path, articles: list[Gold], suggestions: bool) -> tuple[CostReport, dict]:
    """Run the scripted annotation into a new database at ``path``; its ledger and counts."""
    ws = Workspace.open(str(path), "scripted", samples=False)
    counts = {"accepted": 0, "accepted exactly": 0, "rejected": 0, "by hand": 0}
    try:
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for number, article in enumerate(articles):
                file = Path(folder) / f"{number:02d}.txt"
                file.write_text(article.text, encoding="utf-8", newline="")
                files.append(file)
            import_paths(ws, files)
        documents = sorted(documents_service.documents(ws), key=lambda s: s.id)
        ids = [s.id for s in documents]
        if suggestions:
            store_suggestions(ws, ids, ["quotes"])
        clock = Clock(ws)
        for document, article in zip(ids, articles, strict=True):
            to_do = list(article.attributions)
            for suggestion in pending_suggestions(ws, document) if suggestions else []:
                found = (suggestion.start, suggestion.end)
                match = next((a for a in to_do if _overlaps(a[0], found)), None)
                if match is None:
                    clock.spend(ANSWER, lambda s=suggestion: reject(ws, s))
                    counts["rejected"] += 1
                elif clock.spend(ANSWER, lambda s=suggestion: accept(ws, [s])):
                    to_do.remove(match)
                    counts["accepted"] += 1
                    counts["accepted exactly"] += match[0] == found
            for attribution in to_do:
                _by_hand(ws, clock, document, attribution)
                counts["by hand"] += 1
        clock.write(path)
        return cost_report(ws), counts
    finally:
        ws.close()


def _total(report: CostReport) -> float:
    return sum(entry.seconds for entry in report.entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=os.environ.get("POLNEAR"))
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    if not args.path:
        parser.error("give the PolNeAR folder (or set POLNEAR)")
    articles = [a for a in read_split(Path(args.path), "train") if a.attributions]
    articles = articles[: args.articles]
    quotes = sum(len(a.attributions) for a in articles)
    print(f"{len(articles)} PolNeAR train articles, {quotes} attributions")
    with tempfile.TemporaryDirectory() as folder:
        off, _ = annotate(Path(folder) / "off.db", articles, suggestions=False)
        on, counts = annotate(Path(folder) / "on.db", articles, suggestions=True)
    spent_off, spent_on = _total(off), _total(on)
    print(f"suggestions off: {spent_off / 60:6.1f} min over {len(off.entries)} spans and relations")
    print(f"suggestions on:  {spent_on / 60:6.1f} min over {len(on.entries)} spans and relations")
    print(f"time saved: {(spent_off - spent_on) / 60:.1f} min ({1 - spent_on / spent_off:.0%})")
    print(
        "ledger's own estimate (accepted vs typed, label by label):"
        f" {on.costs.seconds_saved / 60:.1f} min"
    )
    rate = on.costs.acceptance_rate
    print(
        f"suggestions accepted {counts['accepted']}, rejected {counts['rejected']}"
        f" (acceptance {rate:.0%}); attributions done by hand {counts['by hand']}"
    )
    print(f"accepted with the gold's exact quote boundaries: {counts['accepted exactly']}")
    fixes = counts["accepted"] - counts["accepted exactly"]
    fixed = spent_on + fixes * TYPE_SPAN
    print(
        f"with a drag to fix each of the other {fixes} quotes: saved"
        f" {(spent_off - fixed) / 60:.1f} min ({1 - fixed / spent_off:.0%})"
    )
    print("seconds per span (on):")
    for row in on.costs.rows:
        print(f"  {row.label:<8} {row.made:<20} {row.count:5d} spans {row.per_span:5.1f} s each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
