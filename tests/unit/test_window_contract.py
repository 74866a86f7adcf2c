"""The import contract that keeps the window's features off the main window covers them all.

The window package holds the main window, so its other modules are listed one by one in
pyproject.toml: a module added there (or a new package of app.gui) must be listed too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "Features of the window see a session, not the main window"
# the entry point, the main window itself, and the window package's own docstring-only
# __init__ (listing the package would take in the main window too)
EXEMPT = {"app.gui", "app.gui.window.main_window", "app.gui.window"}


def test_every_module_of_the_window_but_the_entry_point_is_a_source_of_the_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["name"] == CONTRACT]
    sources = contract["source_modules"]
    assert contract["forbidden_modules"] == ["app.gui.window.main_window"]
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "app" / "gui").rglob("*.py")
    }
    uncovered = {
        module
        for module in modules - EXEMPT
        if not any(module == source or module.startswith(source + ".") for source in sources)
    }
    assert uncovered == set()
