"""Quote attribution quality on PolNeAR, and suggester throughput; print figures.

PolNeAR (github.com/networkdynamics/PolNeAR) annotates attributions in US election news
as brat standoff: Source, Cue and Content spans joined by an Attribution event. Only its
train and dev parts are read (never test): rules are tuned on train, figures are for dev.

    .venv/bin/python benchmarks/quote_attribution.py PATH   (or POLNEAR=PATH)
        [--split dev|train] [--errors N]

PATH is a PolNeAR checkout or extract (the directory holding ``data/``). Figures:
precision, recall and F1 of QUOTE content, CUE and speaker (Source) spans, exact and by
overlap (same label, overlapping, matched one to one), for direct quotes (gold content
opening with a double quotation mark or the doubled apostrophes some papers use;
suggested kind direct) and for all attributions.
Discontinuous PolNeAR spans count as their envelope, and so does a suggested quote with a
continuation. Articles with several annotators count once (the first annotator by id).
Throughput: the quote and known-names suggesters over 1 MB of PolNeAR train text.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.assist.known_names import KnownNamesSuggester  # noqa: E402
from app.assist.quotes import QuoteSuggester  # noqa: E402
from app.assist.suggester import ProjectContext, Suggestion  # noqa: E402

_OPENERS = '“"„«»'
Span = tuple[int, int]


@dataclass
class Gold:
    """One article's gold attributions: (content, cue, source or None) envelopes."""

    text: str
    attributions: list[tuple[Span, Span | None, Span | None]] = field(default_factory=list)


def _envelope(offsets: str) -> Span:
    pieces = [tuple(int(x) for x in p.split()) for p in offsets.split(";")]
    return min(p[0] for p in pieces), max(p[1] for p in pieces)


def read_split(root: Path, split: str) -> list[Gold]:
    """The articles of one PolNeAR split with their attributions."""
    base = root / "data" / split
    chosen: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    articles = []
    for stem, ann in sorted(chosen.items()):
        gold = Gold((base / "text" / f"{stem}.txt").read_text(encoding="utf-8"))
        spans: dict[str, Span] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 2 or not cols[0].startswith("T"):
                continue
            label, _, offsets = cols[1].partition(" ")
            if label in ("Source", "Cue", "Content"):
                spans[cols[0]] = _envelope(offsets)
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 2 or not cols[0].startswith("E"):
                continue
            roles = dict(arg.split(":", 1) for arg in cols[1].split() if ":" in arg)
            content = spans.get(roles.get("Content", ""))
            if content is None:
                continue
            gold.attributions.append(
                (content, spans.get(roles.get("Cue", "")), spans.get(roles.get("Source", "")))
            )
        articles.append(gold)
    return articles


def _is_direct(text: str, span: Span) -> bool:
    opening = text[span[0] : span[1]].strip()
    return opening[:1] in _OPENERS or opening.startswith("''")


def _predicted(
    text: str, suggestions: list[Suggestion]
) -> list[tuple[Span, Span | None, Span | None, str]]:
    rows = []
    for s in suggestions:
        start, end = s.start, s.end
        for part in s.parts:
            if part.role == "continuation":
                start, end = min(start, part.start), max(end, part.end)
        cue, speaker = s.part("cue"), s.part("speaker")
        rows.append(
            (
                (start, end),
                (cue.start, cue.end) if cue else None,
                (speaker.start, speaker.end) if speaker else None,
                str(s.attributes.get("kind", "")),
            )
        )
    return rows


@dataclass
class Score:
    """Counts for one span kind: true positives exact and by overlap, predicted, gold."""

    exact: int = 0
    overlap: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: set[Span], gold: set[Span]) -> None:
        """Count one article's spans."""
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.exact += len(predicted & gold)
        pairs = sorted(
            (
                (min(p[1], g[1]) - max(p[0], g[0]), p, g)
                for p in predicted
                for g in gold
                if p[0] < g[1] and g[0] < p[1]
            ),
            reverse=True,
        )
        used_p: set[Span] = set()
        used_g: set[Span] = set()
        for _, p, g in pairs:
            if p not in used_p and g not in used_g:
                used_p.add(p)
                used_g.add(g)
        self.overlap += len(used_p)

    def overlap_prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1 by overlap."""
        p = self.overlap / self.predicted if self.predicted else 0.0
        r = self.overlap / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self, name: str) -> str:
        """P, R and F1, exact and by overlap."""
        cells = []
        for tp in (self.exact, self.overlap):
            p = tp / self.predicted if self.predicted else 0.0
            r = tp / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            cells.append(f"P {p:.3f} R {r:.3f} F1 {f:.3f}")
        counts = f"(pred {self.predicted}, gold {self.gold})"
        return f"  {name:<9} exact {cells[0]}   overlap {cells[1]}   {counts}"


def evaluate(articles: list[Gold], errors: int) -> dict[str, dict[str, Score]]:
    """Print the scores of the quote suggester on ``articles`` and return them."""
    suggester = QuoteSuggester()
    context = ProjectContext()
    scores: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    shown = 0
    for art in articles:
        rows = _predicted(art.text, suggester.suggest(art.text, context))
        for scope in ("direct", "all"):
            if scope == "direct":
                gold = [a for a in art.attributions if _is_direct(art.text, a[0])]
                pred = [r for r in rows if r[3] == "direct"]
            else:
                gold, pred = art.attributions, [(*r[:3], "") for r in rows]
            for i, name in enumerate(("QUOTE", "CUE", "speaker")):
                scores[scope][name].add(
                    {r[i] for r in pred if r[i] is not None},
                    {g[i] for g in gold if g[i] is not None},
                )
        if shown < errors:
            shown += _show_errors(art, rows)
    for scope, title in (("direct", "Direct quotes"), ("all", "All attributions")):
        print(title)
        for name in ("QUOTE", "CUE", "speaker"):
            print(scores[scope][name].line(name))
    return scores


def targets(scores: dict[str, dict[str, Score]]) -> None:
    """Print each target with the figure measured against it."""
    print("Targets (overlap)")
    direct_f = scores["direct"]["QUOTE"].overlap_prf()[2]
    print(f"  direct quotes F1 >= 0.90: {direct_f:.3f} {_met(direct_f >= 0.90)}")
    for scope in ("direct", "all"):
        p, r, _ = scores[scope]["speaker"].overlap_prf()
        met = _met(p >= 0.90 and r >= 0.70)
        print(f"  speaker P >= 0.90 at R >= 0.70 ({scope}): P {p:.3f} R {r:.3f} {met}")
    all_f = scores["all"]["QUOTE"].overlap_prf()[2]
    print(f"  all attributions F1 >= 0.70: {all_f:.3f} {_met(all_f >= 0.70)}")


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _show_errors(art: Gold, rows: list[tuple[Span, Span | None, Span | None, str]]) -> int:
    t = art.text
    gold = {g[0] for g in art.attributions}
    n = 0
    for content, _cue, _speaker, kind in rows:
        if not any(content[0] < g[1] and g[0] < content[1] for g in gold):
            print("FP", kind, repr(t[content[0] : content[1]][:150]))
            n += 1
    for g in art.attributions:
        if not any(r[0][0] < g[0][1] and g[0][0] < r[0][1] for r in rows):
            src = t[g[2][0] : g[2][1]] if g[2] else None
            cue = t[g[1][0] : g[1][1]] if g[1] else None
            print("FN", repr(src), repr(cue), repr(t[g[0][0] : g[0][1]][:150]))
            n += 1
    return n


def throughput(articles: list[Gold]) -> None:
    """Time the quote and known-names suggesters over 1 MB of article text.

    CPU time of this process is printed beside wall time: the machine may be shared, and
    the CPU time is what the suggesters cost. The known-names suggester builds its pattern
    once per set of names; that build is timed apart from the scan.
    """
    text = ""
    for art in articles:
        text += art.text + "\n\n"
        if len(text) >= 1_000_000:
            break
    text = text[:1_000_000]
    names: set[tuple[str, str]] = set()
    for art in articles:
        for _, _, source in art.attributions:
            if source and art.text[source[0] : source[1]][:1].isupper():
                names.add((art.text[source[0] : source[1]], "PERSON"))
    context = ProjectContext.build(accepted=sorted(names))
    print(f"  {len(text):,} characters; {len(context.known_names):,} known names")
    known = KnownNamesSuggester()
    _timed("known names: build", lambda: known.suggest("", context))
    _timed("known names: scan", lambda: known.suggest(text, context))
    quotes = QuoteSuggester()
    _timed("quotes", lambda: quotes.suggest(text, context))
    _timed(
        "both, one pass each", lambda: quotes.suggest(text, context) + known.suggest(text, context)
    )


def _timed(name: str, run: Callable[[], list[Suggestion]]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    found = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  {name:<22} {cpu:.3f} s CPU, {wall:.3f} s wall, {len(found):,} suggestions")


def main() -> int:
    """Run the benchmark on the PolNeAR checkout given as argument or POLNEAR."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=os.environ.get("POLNEAR", ""))
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--errors", type=int, default=0, help="print N false positives/negatives")
    args = parser.parse_args()
    root = Path(args.path) if args.path else None
    if root is None or not (root / "data" / args.split / "attributions").is_dir():
        print(
            "PolNeAR not found: give the path of a checkout of "
            "github.com/networkdynamics/PolNeAR (the directory holding data/) as argument "
            "or in POLNEAR.",
            file=sys.stderr,
        )
        return 2
    articles = read_split(root, args.split)
    print(
        f"PolNeAR {args.split}: {len(articles)} articles, "
        f"{sum(len(a.attributions) for a in articles)} attributions"
    )
    targets(evaluate(articles, args.errors))
    print("Throughput (target: rule and name suggesters over 1 MB in at most 1 s)")
    throughput(read_split(root, "train"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
