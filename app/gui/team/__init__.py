"""Working together: annotators, team databases, merging, others' changes, time."""
