"""Headless commands: import, list, export, check. No subcommand opens the GUI."""

from __future__ import annotations


def run(argv: list[str]) -> int:
    """Parse ``argv`` and run the command (placeholder until the CLI lands)."""
    raise NotImplementedError
