"""Glossa: a desktop workbench for annotating news articles."""

__version__ = "0.1.0"
