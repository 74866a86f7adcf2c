"""Reviewing: the review table and adjudication, with their undoable steps."""
