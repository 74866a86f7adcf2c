"""Pieces shared by every part: plain text for data, background work."""
