"""CSV tables: a folder of ``documents.csv``, ``spans.csv`` and ``relations.csv``.

``documents.csv``  id, title, text, meta (a JSON object)
``spans.csv``      document_id, span_id, start, end, label, text, annotator, origin,
                   attributes (a JSON object)
``relations.csv``  document_id, relation_id, head, tail, label, annotator

``datapackage.json`` describes the three tables as a Frictionless Data Package: fields and
types, primary keys (``id``; ``document_id`` + ``span_id``; ``document_id`` +
``relation_id``) and foreign keys (spans and relations to their document, a relation's head
and tail to spans of the same document). Files are UTF-8 without a byte order mark, comma
separated, quoted where needed, ``\\r\\n`` between rows (RFC 4180); a cell may hold line
breaks. ``start`` and ``end`` count Unicode code points of the document's text, ``[start,
end)``. ``title`` repeats ``meta.title`` for people reading the table.

Formula injection. A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula. On export such a cell gets a single quote in front
(``=SUM(A1)`` is written ``'=SUM(A1)``), except the document texts and span texts: offsets
index those, and a quote in front would shift every span for any other reader
(``export(..., escape_all=True)`` escapes them too; the data package lists the cells left
verbatim). So that reading gives back exactly what was written, a cell that begins with
single quotes followed by one of those characters gets one more quote too (``'=x`` is
written ``''=x``). On import one leading quote is removed from a cell that begins with one
or more quotes followed by one of those characters, and from no other cell (``'hello``
stays ``'hello``), nor from the verbatim cells the data package lists (every cell of an
older export whose package lists none, and of tables without a package, as before).

Reading takes the folder, or its ``documents.csv``; ``spans.csv``, ``relations.csv`` and
``datapackage.json`` are read with ``documents.csv`` and yield nothing on their own. The
tables are read whole before the first document is yielded. A row with the wrong number of
cells, a duplicate id, a span of an unknown document, a span outside its text or whose text
differs from the text at its offsets, and a relation naming a missing span each raise
``InputError`` naming the file and the line where the row starts. Texts with ``\\r\\n`` (a
table edited elsewhere) are made canonical and their spans' offsets mapped.
"""

from app.formats.csv_tables.reading import MAX_FILE_BYTES, read
from app.formats.csv_tables.tables import (
    DATAPACKAGE,
    DOCUMENT_COLUMNS,
    DOCUMENTS,
    FORMAT_NAME,
    FORMULA_STARTS,
    OFFSET_UNIT,
    ORIGINS,
    RELATION_COLUMNS,
    RELATIONS,
    SPAN_COLUMNS,
    SPANS,
    datapackage,
    is_table_folder,
    neutralise,
    restore,
)
from app.formats.csv_tables.writing import export, export_escaped

__all__ = [
    "DATAPACKAGE",
    "DOCUMENTS",
    "DOCUMENT_COLUMNS",
    "FORMAT_NAME",
    "FORMULA_STARTS",
    "MAX_FILE_BYTES",
    "OFFSET_UNIT",
    "ORIGINS",
    "RELATIONS",
    "RELATION_COLUMNS",
    "SPANS",
    "SPAN_COLUMNS",
    "datapackage",
    "export",
    "export_escaped",
    "is_table_folder",
    "neutralise",
    "read",
    "restore",
]
