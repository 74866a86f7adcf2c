"""Reading and tagging an article: the text view, spans, relations, entities, find."""
