"""Agreement and the statistics dashboard, computed off the window's thread."""
