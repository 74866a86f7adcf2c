"""Pure Python heart of Glossa: text, offsets, spans, schema. Imports nothing of ours."""
