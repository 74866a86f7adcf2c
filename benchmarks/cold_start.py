"""Cold start: process start to the window's first paint, for Glossa and a bare Qt baseline.

Each start is a new process, measured from just before it is started to its first paint
(the app prints the monotonic clock then, with GLOSSA_FIRST_PAINT=1, and quits):

- baseline: ``python -c "import PySide6.QtWidgets"`` and an empty QWidget shown;
- ``python main.py`` on a database made beforehand (the samples, as a new user has);
- the bundle ``dist/glossa/glossa`` (``make dist``) when it has been built.

    xvfb-run -a env QT_QPA_PLATFORM=xcb .venv/bin/python benchmarks/cold_start.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/cold_start.py --runs 9

Target: Glossa's median at most 1.5 s on the project's machines. "processor" is the median
processor time of a start (user and system, to its exit): on a machine shared with other
work, wall times stretch with the load while it barely moves.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "glossa" / "glossa"
TARGET = 1.5
STAMP = re.compile(r"first paint after [\d.]+ s \(clock ([\d.]+)\)")

# The same report as app.gui.window.first_paint, without Glossa: the floor Qt itself sets.
BASELINE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False

def report():
    print(f"first paint after 0 s (clock {time.monotonic():.6f})", flush=True)
    app.quit()

app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1200, 800)
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def cpu_of_children() -> float:
    """Processor seconds (user and system) of the children that have ended so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def first_paint(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting ``command`` to the first paint it reports, and the processor
    seconds it used up to its exit (on a busy shared machine, nearer its time alone)."""
    cpu = cpu_of_children()
    started = time.monotonic()
    try:
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"{' '.join(command)}: no first paint in 120 s (an old bundle?)") from None
    found = STAMP.search(result.stdout)
    if result.returncode != 0 or found is None:
        raise SystemExit(
            f"{' '.join(command)}: no first paint (exit {result.returncode})\n{result.stderr}"
        )
    return float(found.group(1)) - started, cpu_of_children() - cpu


def measure(name: str, command: list[str], env: dict[str, str], runs: int) -> float:
    """Print the median, fastest and slowest of ``runs`` starts; return the median."""
    starts = [first_paint(command, env) for _ in range(runs)]
    times = [wall for wall, _ in starts]
    median = statistics.median(times)
    cpu = statistics.median(cpu for _, cpu in starts)
    print(
        f"{name:<16} median {median:6.3f} s  fastest {min(times):6.3f} s  "
        f"slowest {max(times):6.3f} s  processor {cpu:6.3f} s  ({runs} starts)"
    )
    return median


def main() -> int:
    """Measure the baseline, ``python main.py`` and the bundle; exit 1 over the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="starts of each (default 5)")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the bundle's program")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="glossa-cold-start-") as folder:
        env = {
            **os.environ,
            "GLOSSA_FIRST_PAINT": "1",
            "HOME": folder,  # nothing of the user's is read or written
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "XDG_DATA_HOME": str(Path(folder) / "data"),
        }
        # a user's Python keeps compiled modules (pip compiles them at install): a setting
        # that turns that off would measure compiling Glossa's sources at every start
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not env.get("QT_QPA_PLATFORM") and not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        database = ["--db", str(Path(folder) / "cold-start.db"), "--annotator", "bench"]
        glossa = [sys.executable, str(ROOT / "main.py"), *database]
        # the database with the samples made once, outside the figures; it warms the
        # page cache too, so every subject starts from files already read and compiled
        first_paint(glossa, env)

        print(f"cold start to first paint, platform {env.get('QT_QPA_PLATFORM', 'xcb')}")
        measure("baseline (Qt)", [sys.executable, "-c", BASELINE], env, args.runs)
        medians = [measure("python main.py", glossa, env, args.runs)]
        if args.bundle.is_file():
            medians.append(measure("bundle", [str(args.bundle), *database], env, args.runs))
        else:
            print(f"bundle           not built ({args.bundle}): make dist")
    over = max(medians) > TARGET
    print(f"target {TARGET} s: {'missed' if over else 'met'}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
