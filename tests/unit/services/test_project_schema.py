"""The newest schema read is the one the workspace keeps, whatever order reads finish in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from app.core.schema import LabelSchema
from app.services.project_schema import ProjectSchema, schema_in
from app.store.unit_of_work import UnitOfWork


def _schema(name: str) -> LabelSchema:
    return LabelSchema.from_dict(
        {"name": name, "labels": [{"name": "PERSON", "colour": "#112233", "hotkey": "1"}]}
    )


@dataclass
class Holder:
    project_schema: ProjectSchema = field(
        default_factory=lambda: ProjectSchema(1, _schema("v1"), 1)
    )


class Projects:
    """A project's stored schema as one unit of work saw it."""

    def __init__(self, version: int) -> None:
        self.version = version

    def schema_version(self, project_id: int) -> int:
        return self.version

    def schema_of(self, project_id: int) -> tuple[dict[str, Any], int]:
        return _schema(f"v{self.version}").to_dict(), self.version


def _unit(version: int) -> UnitOfWork:
    class Unit:
        projects = Projects(version)

    return cast(UnitOfWork, Unit())


def test_a_read_that_began_earlier_and_finished_later_does_not_undo_a_newer_one() -> None:
    holder = Holder()

    assert schema_in(holder, _unit(3)).name == "v3"
    assert (holder.project_schema.schema.name, holder.project_schema.version) == ("v3", 3)

    # a unit of work that began before the edit to version 3 finishes now: it gets the
    # schema its own transaction saw, and the holder keeps the newer one
    assert schema_in(holder, _unit(2)).name == "v2"
    assert (holder.project_schema.schema.name, holder.project_schema.version) == ("v3", 3)


def test_an_unchanged_version_reads_nothing_more() -> None:
    holder = Holder()
    kept = holder.project_schema.schema

    assert schema_in(holder, _unit(1)) is kept
