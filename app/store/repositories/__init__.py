"""Repositories: read and write rows inside a unit of work, returning core values.

They never commit; the service that opened the unit of work does.
"""

from app.store.repositories._shared import fragments_json
from app.store.repositories.annotators import Annotators, Events, Projects
from app.store.repositories.bulk import SPAN_VALUES, BulkReads, BulkWrites
from app.store.repositories.documents import Documents
from app.store.repositories.entities import Entities
from app.store.repositories.spans import Spans, insert_spans_returning_ids

__all__ = [
    "SPAN_VALUES",
    "Annotators",
    "BulkReads",
    "BulkWrites",
    "Documents",
    "Entities",
    "Events",
    "Projects",
    "Spans",
    "fragments_json",
    "insert_spans_returning_ids",
]
