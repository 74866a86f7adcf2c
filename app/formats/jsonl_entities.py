"""The entity table beside a native JSONL file: the cross-document entities its spans name.

``NAME.entities.jsonl`` beside ``NAME.jsonl`` (``entities.jsonl`` in a folder): one entity
per line, ``{"id", "name", "type", "aliases": [...], "external_id"}``. A span's ``"entity"``
is the id of its entity in this table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from app.core.errors import InputError
from app.core.limits import check_entity, refuse_constant
from app.core.records import EntityRecord
from app.formats.opening import read_file

MAX_TABLE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest entity table we read (2 GiB, as for the JSONL file it goes with)."""
ENTITY_TABLE_SUFFIX = ".entities.jsonl"


def entity_table_path(path: Path) -> Path:
    """Where the entity table of the JSONL file ``path`` lives: ``NAME.entities.jsonl``."""
    name = path.name[: -len(".jsonl")] if path.name.endswith(".jsonl") else path.name
    return path.with_name(name + ENTITY_TABLE_SUFFIX)


def is_entity_table(path: Path) -> bool:
    """True for an entity table, which is not a file of documents."""
    return path.name.endswith(ENTITY_TABLE_SUFFIX) or path.name == "entities.jsonl"


def write_entities(entities: Iterable[EntityRecord], path: Path) -> int:
    """Write an entity table, one entity per line; return how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for entity in entities:
            line = {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "aliases": list(entity.aliases),
                "external_id": entity.external_id,
            }
            out.write(json.dumps(line, ensure_ascii=False))
            out.write("\n")
            count += 1
    return count


def read_entities(path: Path) -> list[EntityRecord]:
    """Read an entity table, raising ``InputError`` at the first bad line."""
    source = str(path)
    try:
        table = read_file(path, MAX_TABLE_BYTES).decode("utf-8-sig").split("\n")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the entity table: {exc}", source=source) from None
    found: list[EntityRecord] = []
    for number, raw in enumerate(table, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw, parse_constant=refuse_constant)
        except (ValueError, RecursionError):
            raise InputError("not JSON", source=source, line=number) from None
        if not isinstance(data, dict):
            raise InputError("an entity must be a JSON object", source=source, line=number)
        name, kind, aliases = data.get("name"), data.get("type"), data.get("aliases") or []
        if not isinstance(name, str) or not name.strip() or not isinstance(kind, str):
            raise InputError("an entity needs a name and a type", source=source, line=number)
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError('"aliases" must be a list of strings', source=source, line=number)
        found.append(
            EntityRecord(
                str(data.get("id", number)),
                name,
                kind,
                tuple(aliases),
                str(data.get("external_id") or ""),
            )
        )
        check_entity(found[-1], source, number)
    return found
