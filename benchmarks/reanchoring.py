"""Re-anchoring spans across revisions of an article: how many land where they should, and how fast.

Revision pairs are built from the sample articles (``resources/samples`` and, when present,
``/work/shared/samples``): an article is a run of their sentences (halves of two sentences
joined, so that a long article does not repeat itself), split into paragraphs. An edit script
of the kinds NewsEdits reports for news updates is applied to it: sentences added, removed,
changed (a typo fixed, a word replaced, a clause appended), moved, and paragraphs split. Spans
of one to four words are generated on the old text (some nested, some overlapping), and each
is followed through the edits, so its true place in the new text (or its removal) is known.

Printed: the share of spans re-anchored exactly, to a changed text, queued and lost (no
outcome at all); for unchanged spans the share found exactly at the right place; for spans
changed by at most 20 % of their characters the share found at the right place; spans whose
sentence was removed that were wrongly placed somewhere; and the time for one 50 KB article
with 2,000 spans.

    .venv/bin/python benchmarks/reanchoring.py [--articles N] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.anchoring import AnchorSpan, Outcome, changed_share, reanchor  # noqa: E402

SAMPLE_FOLDERS = (ROOT / "resources" / "samples", Path("/work/shared/samples"))
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


@dataclass
class Piece:
    """A sentence of the article being edited, with the spans inside it (offsets in it)."""

    text: str
    spans: list[tuple[int, int, int]]  # (span number, start, end)
    paragraph_end: bool = False


def sentence_pool() -> list[str]:
    """Sentences of the sample articles, and halves of two of them joined."""
    sentences: list[str] = []
    for folder in SAMPLE_FOLDERS:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8")
            sentences += [m.group().strip() for m in _SENTENCE.finditer(text)]
    sentences = [s for s in sentences if len(s.split()) >= 5]
    mixed = []
    for first in sentences:
        for second in sentences:
            a, b = first.split(), second.split()
            if first != second:
                mixed.append(" ".join(a[: len(a) // 2] + b[len(b) // 2 :]))
    return sentences + mixed


def article(pool: list[str], rng: random.Random, size: int) -> tuple[list[Piece], list[str]]:
    """About ``size`` characters of sentences in paragraphs, no half of a sentence repeated
    (an article seldom repeats four words in a row), and the unused sentences for additions."""
    pieces: list[Piece] = []
    chosen = rng.sample(pool, len(pool))
    used: set[str] = set()
    spare: list[str] = []
    total = 0
    for sentence in chosen:
        words = sentence.split()
        shingles = {" ".join(words[i : i + 4]) for i in range(max(1, len(words) - 3))}
        if used & shingles:
            continue
        used |= shingles
        if total >= size:
            spare.append(sentence)
            if len(spare) > 40:
                break
            continue
        pieces.append(Piece(sentence, [], rng.random() < 0.3))
        total += len(sentence) + 1
    return pieces, spare


def text_of(pieces: list[Piece]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The article's text and each span's place in it."""
    parts: list[str] = []
    places: dict[int, tuple[int, int]] = {}
    at = 0
    for piece in pieces:
        for number, start, end in piece.spans:
            places[number] = (at + start, at + end)
        separator = "\n\n" if piece.paragraph_end else " "
        parts.append(piece.text + separator)
        at += len(piece.text) + len(separator)
    return "".join(parts), places


def annotate(pieces: list[Piece], rng: random.Random, count: int) -> None:
    """``count`` spans of one to four words, some nested or overlapping, on random sentences."""
    for number in range(count):
        piece = rng.choice(pieces)
        words = [m.span() for m in re.finditer(r"\w[\w'’-]*", piece.text)]
        if not words:
            continue
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randrange(4))
        piece.spans.append((number, words[first][0], words[last][1]))


def edit(pieces: list[Piece], pool: list[str], rng: random.Random, edits: int) -> set[int]:
    """Apply an edit script; return the spans whose sentence was removed."""
    removed: set[int] = set()
    for _ in range(edits):
        kind = rng.choice(("add", "remove", "change", "move", "split"))
        index = rng.randrange(len(pieces))
        if kind == "add":
            if pool:
                pieces.insert(index, Piece(pool.pop(), [], rng.random() < 0.3))
        elif kind == "remove" and len(pieces) > 2:
            removed.update(number for number, _, _ in pieces.pop(index).spans)
        elif kind == "change":
            _change(pieces[index], rng)
        elif kind == "move":
            piece = pieces.pop(index)
            pieces.insert(rng.randrange(len(pieces) + 1), piece)
        elif kind == "split":
            pieces[index].paragraph_end = not pieces[index].paragraph_end
    return removed


def _change(piece: Piece, rng: random.Random) -> None:
    """A typo fixed or made, a word replaced, or a clause appended; spans follow."""
    words = [m.span() for m in re.finditer(r"\w+", piece.text)]
    inside = [w for w in words if any(s <= w[0] < e for _, s, e in piece.spans)]
    words = inside or words  # edits of annotated words are the ones that matter here
    kind = rng.choice(("typo", "word", "clause"))
    if kind == "clause" or not words:
        piece.text = piece.text[:-1] + ", officials said" + piece.text[-1:]
        return
    start, end = rng.choice(words)
    old = piece.text[start:end]
    if kind == "typo" and len(old) > 3:
        cut = rng.randrange(1, len(old) - 1)
        replacement = old[:cut] + old[cut + 1 :] if rng.random() < 0.5 else old + old[-1]
    else:
        replacement = rng.choice(("ministers", "Tuesday", "the council", "residents"))
    delta = len(replacement) - len(old)
    piece.text = piece.text[:start] + replacement + piece.text[end:]
    moved = []
    for number, s, e in piece.spans:
        if s >= end:
            s += delta
        if e >= end:
            e += delta
        moved.append((number, s, max(e, s + 1)))
    piece.spans = moved


def run_pair(pool: list[str], rng: random.Random, size: int, spans: int, edits: int) -> dict:
    pieces, spare = article(pool, rng, size)
    annotate(pieces, rng, spans)
    old, before = text_of(pieces)
    removed = edit(pieces, spare, rng, edits)
    new, after = text_of(pieces)
    given = [AnchorSpan(s, e, "X", str(n)) for n, (s, e) in sorted(before.items())]
    started = time.perf_counter()
    results = reanchor(old, new, given)
    elapsed = time.perf_counter() - started
    tally = dict.fromkeys(
        (
            "spans exact moved queued lost unchanged unchanged_right changed changed_right "
            "removed removed_placed wrong"
        ).split(),
        0,
    )
    tally["spans"] = len(given)
    tally["lost"] = len(given) - len(results)
    for result in results:
        number = int(result.span.id)
        tally[result.outcome.value] += 1
        place = (result.start, result.end)
        if number in removed:
            tally["removed"] += 1
            tally["removed_placed"] += result.outcome is not Outcome.QUEUED
            continue
        truth = after[number]
        old_text, new_text = old[before[number][0] : before[number][1]], new[slice(*truth)]
        if old_text == new_text:
            tally["unchanged"] += 1
            tally["unchanged_right"] += place == truth and result.outcome is Outcome.EXACT
        elif changed_share(old_text, new_text) <= 0.2:
            tally["changed"] += 1
            tally["changed_right"] += place == truth
        if result.outcome is not Outcome.QUEUED and place != truth:
            tally["wrong"] += 1
    tally["seconds"] = elapsed
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pool = sentence_pool()
    rng = random.Random(args.seed)
    total: dict[str, float] = {}
    for _ in range(args.articles):
        tally = run_pair(pool, rng, rng.randrange(1500, 8000), rng.randrange(20, 120), 6)
        for key, value in tally.items():
            total[key] = total.get(key, 0) + value
    n = total["spans"]
    print(f"{args.articles} revision pairs, {int(n)} spans, {len(pool)} sentences in the pool")
    for key in ("exact", "moved", "queued", "lost"):
        print(f"  {key:<8} {total[key] / n:7.2%}  ({int(total[key])})")
    unchanged = total["unchanged_right"] / total["unchanged"]
    print(f"unchanged spans exact at the right place: {unchanged:.2%} of {int(total['unchanged'])}")
    if total["changed"]:
        print(
            f"spans changed by <= 20 % at the right place: "
            f"{total['changed_right'] / total['changed']:.2%} of {int(total['changed'])}"
        )
    print(
        f"spans of removed sentences placed somewhere (should be queued): "
        f"{int(total['removed_placed'])} of {int(total['removed'])}"
    )
    print(f"spans placed at a wrong place: {int(total['wrong'])}")
    big = [run_pair(pool, random.Random(args.seed + i), 50_000, 2000, 20) for i in range(5)]
    times = sorted(t["seconds"] for t in big)
    print(
        f"50 KB article, 2,000 spans, 20 edits: median {times[2] * 1000:.0f} ms "
        f"(min {times[0] * 1000:.0f}, max {times[-1] * 1000:.0f}); "
        f"unchanged exact {sum(t['unchanged_right'] for t in big)}"
        f"/{sum(t['unchanged'] for t in big)}"
    )


if __name__ == "__main__":
    main()
