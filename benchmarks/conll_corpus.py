"""Reading, importing and exporting a CoNLL-2003-sized corpus; print figures.

A corpus shaped like CoNLL-2003's training file (``token POS chunk NER``, IOB1, one
``-DOCSTART-`` every 15 sentences) is generated here with ``--tokens`` tokens (default
204,567, the size of eng.train). Printed:

(a) the time ``conll.read`` takes for the whole file, and for half of it: streaming reading
    grows linearly, so the ratio stays near 2;
(b) the time of ``import_paths`` into a new SQLite database;
(c) the time of the CoNLL export of it all, and whether the exported tokens equal the
    source tokens one for one.

    .venv/bin/python benchmarks/conll_corpus.py [--tokens N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.formats import conll  # noqa: E402
from app.services import Workspace  # noqa: E402
from app.services.exporting import export  # noqa: E402
from app.services.importing import import_paths  # noqa: E402

WORDS = "the minister said on tuesday that council would open terminal before summer".split()
NAMES = [("Ingrid", "PER"), ("Dahl", "PER"), ("Oslo", "LOC"), ("Acme", "ORG"), ("Euro", "MISC")]


def write_corpus(path: Path, tokens: int, seed: int = 3) -> None:
    """A CoNLL-2003-shaped file of about ``tokens`` tokens."""
    rng = random.Random(seed)
    written = 0
    sentence = 0
    with path.open("w", encoding="utf-8") as out:
        while written < tokens:
            if sentence % 15 == 0:
                out.write("-DOCSTART- -X- -X- O\n\n")
            previous = "O"
            for _ in range(rng.randint(5, 25)):
                if rng.random() < 0.15:
                    name, kind = rng.choice(NAMES)
                    tag = f"I-{kind}" if previous != f"I-{kind}" else f"B-{kind}"
                    out.write(f"{name}{written} NNP I-NP {tag}\n")
                    previous = f"I-{kind}"
                else:
                    out.write(f"{rng.choice(WORDS)} NN B-NP O\n")
                    previous = "O"
                written += 1
            out.write("\n")
            sentence += 1


def seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=204_567)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        whole, half = root / "eng.train", root / "half.train"
        write_corpus(whole, args.tokens)
        write_corpus(half, args.tokens // 2)
        full_time = seconds(lambda: sum(1 for _ in conll.read(whole)))
        half_time = seconds(lambda: sum(1 for _ in conll.read(half)))
        print(f"(a) read {args.tokens:,} tokens: {full_time:.2f} s; half: {half_time:.2f} s;")
        print(f"    ratio {full_time / half_time:.2f} (linear: about 2)")
        workspace = Workspace.open(str(root / "g.db"), "bench", samples=False)
        try:
            report = None

            def run_import() -> None:
                nonlocal report
                report = import_paths(workspace, [whole])

            print(f"(b) import: {seconds(run_import):.2f} s; {report and report.summary()}")
            out = root / "out.conll"
            print(f"(c) export: {seconds(lambda: export(workspace, 'conll', out)):.2f} s")
        finally:
            workspace.close()
        source = [ln.split()[0] for ln in whole.read_text().split("\n") if ln and ln[0] != "-"]
        exported = [ln.split()[0] for ln in out.read_text().split("\n") if ln and ln[0] != "-"]
        print(f"    tokens in {len(source):,}, out {len(exported):,}; same: {source == exported}")


if __name__ == "__main__":
    main()
