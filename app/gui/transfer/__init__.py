"""Importing files and exporting datasets from the window."""
