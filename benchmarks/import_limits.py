"""Peak memory of the worst files an import is handed, against a bare baseline; print figures.

Each case runs in a child process of its own, which opens a workspace on a new SQLite file
(spaCy loaded, as a ``.spacy`` import loads it), imports one file through
``app.services.importing.import_paths`` and reports its peak resident set (``VmHWM`` of
``/proc/self/status``, else ``ru_maxrss``). The baseline child does the same without
importing anything; the figure that matters is each case's peak over it.

- ``docbin bomb``: a 1.5 MB ``.spacy`` file whose msgpack inflates to about 1.5 GB; refused
  after measuring (a chunk at a time, nothing kept), before spaCy reads it.
- ``deep meta``: a JSONL line whose ``meta`` is nested 985 levels; refused.
- ``deep array``: a JSONL line of 100,000 ``[``; refused.
- ``20 MiB article``: a ``.txt`` article just under ``MAX_DOCUMENT_BYTES``; imported.
- ``20 MiB + 1``: the same one byte over the limit; refused before it is read.

    .venv/bin/python benchmarks/import_limits.py [--bomb-mb N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.text import MAX_DOCUMENT_BYTES  # noqa: E402
from app.formats.spacy_checks import MAX_INFLATED_BYTES  # noqa: E402


def peak_rss_kib() -> int:
    """This process's peak resident set in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def child(case_file: str) -> None:
    """Open a workspace, import ``case_file`` (nothing for ``-``), print the figures as JSON."""
    import spacy  # noqa: F401 - loaded in the baseline too, as a .spacy import loads it

    from app.services import Workspace
    from app.services.importing import import_paths

    folder = Path(tempfile.mkdtemp())
    workspace = Workspace.open(str(folder / "limits.db"), "bench", samples=False)
    started = time.perf_counter()
    outcome = "baseline"
    if case_file != "-":
        report = import_paths(workspace, [Path(case_file)])
        outcome = (
            f"imported {len(report.imported)}"
            if report.ok
            else "refused: " + report.errors[0].message[:70]
        )
    seconds = time.perf_counter() - started
    workspace.close()
    print(json.dumps({"peak_kib": peak_rss_kib(), "seconds": seconds, "outcome": outcome}))


def docbin_bomb(path: Path, inflated: int) -> None:
    """A DocBin-shaped zlib stream whose one msgpack string inflates to ``inflated`` bytes."""
    import srsly

    head = srsly.msgpack_dumps({"attrs": [65], "strings": ["x" * 8]})[:-9]  # drop the string
    compressor = zlib.compressobj(9)
    block = b"x" * (1 << 20)
    with path.open("wb") as out:
        out.write(compressor.compress(head + b"\xdb" + inflated.to_bytes(4, "big")))
        for _ in range(inflated >> 20):
            out.write(compressor.compress(block))
        out.write(compressor.flush())


def nested_meta(path: Path, depth: int) -> None:
    meta = '{"x": ' * (depth - 1) + '{"leaf": 1}' + "}" * (depth - 1)
    path.write_text(f'{{"text": "Ann Varga said yes.", "meta": {meta}}}\n', encoding="utf-8")


def article(path: Path, size: int) -> None:
    sentence = b"The harbour council said the ferry terminal would open before summer. "
    with path.open("wb") as out:
        out.write(sentence * (size // len(sentence)) + b"x" * (size % len(sentence)))


def run(case_file: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", case_file],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--bomb-mb", type=int, default=1536, help="inflated size of the bomb")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    folder = Path(tempfile.mkdtemp())
    cases: dict[str, str] = {"baseline (no import)": "-"}
    bomb = folder / "bomb.spacy"
    docbin_bomb(bomb, args.bomb_mb << 20)
    cases[f"docbin bomb ({bomb.stat().st_size / 1e6:.1f} MB -> {args.bomb_mb} MiB)"] = str(bomb)
    under = folder / "under.spacy"
    docbin_bomb(under, MAX_INFLATED_BYTES - (2 << 20))
    cases[f"docbin just under the limit ({under.stat().st_size / 1e6:.1f} MB)"] = str(under)
    nested_meta(folder / "deep.jsonl", 985)
    cases["deep meta (985 levels)"] = str(folder / "deep.jsonl")
    (folder / "array.jsonl").write_text("[" * 100_000 + "\n", encoding="utf-8")
    cases["deep array (100,000 [)"] = str(folder / "array.jsonl")
    article(folder / "big.txt", MAX_DOCUMENT_BYTES - 1)
    cases["20 MiB article"] = str(folder / "big.txt")
    article(folder / "over.txt", MAX_DOCUMENT_BYTES + 1)
    cases["20 MiB + 1 byte article"] = str(folder / "over.txt")

    results = {name: run(path) for name, path in cases.items()}
    baseline = int(str(results["baseline (no import)"]["peak_kib"]))
    print(f"{'case':<42} {'peak MiB':>9} {'over base':>10} {'seconds':>8}  outcome")
    for name, figures in results.items():
        peak = int(str(figures["peak_kib"]))
        print(
            f"{name:<42} {peak / 1024:>9.1f} {(peak - baseline) / 1024:>+10.1f} "
            f"{float(str(figures['seconds'])):>8.2f}  {figures['outcome']}"
        )
    for path in folder.iterdir():
        os.remove(path)
    folder.rmdir()


if __name__ == "__main__":
    main()
