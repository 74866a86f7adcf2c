"""Editing the label schema and reading its guidelines."""
