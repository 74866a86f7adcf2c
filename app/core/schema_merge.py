"""Merging a schema edit into a schema that someone else changed in the meantime.

An edit is made on the schema as its window last read it (the base). When the stored schema
has moved on since (a colleague added a label), writing the edited schema as it is would
undo the colleague's change. Instead, what the edit changed from its base is applied to the
stored schema: labels and relation types added, changed, renamed or removed by the edit,
and everything else as the stored schema has it. An edit of a label or relation type that
the colleague changed or removed too is a conflict: it is refused, never overwriting theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from app.core.errors import ConflictError
from app.core.schema import LabelSchema

Item = TypeVar("Item")


def _merged_items(
    base: Sequence[Item],
    ours: Sequence[Item],
    theirs: Sequence[Item],
    renames: Mapping[str, str],
    name: Callable[[Item], str],
    what: str,
) -> tuple[Item, ...]:
    """``theirs`` with the changes from ``base`` to ``ours`` applied, item by name;
    ``ConflictError`` when both changed the same ``what`` (a label, a relation type)."""
    ours_by_name = {name(item): item for item in ours}
    result = {name(item): item for item in theirs}  # dicts keep the stored order
    from_base: set[str] = set()
    for item in base:
        before = name(item)
        after = renames.get(before, before)
        from_base.add(after)
        edited = ours_by_name.get(after)
        if edited != item and result.get(before) != item:
            gone = before not in result
            raise ConflictError(
                f"the {what} {before} was {'removed' if gone else 'changed'} by someone else "
                "meanwhile; the schema has been read again: make your change once more"
            )
        if edited is None:  # the edit removed it
            result.pop(before, None)
        elif edited != item and before in result:  # changed or renamed by the edit
            result = {
                (after if key == before else key): (edited if key == before else value)
                for key, value in result.items()
            }
    for item in ours:
        if name(item) not in from_base:  # added by the edit
            result[name(item)] = item
    return tuple(result.values())


def merged_schema(
    base: LabelSchema,
    ours: LabelSchema,
    theirs: LabelSchema,
    renames: Mapping[str, str],
    relation_renames: Mapping[str, str],
) -> LabelSchema:
    """The stored schema ``theirs`` with the edit from ``base`` to ``ours`` applied.

    ``renames`` and ``relation_renames`` map names of ``base`` to names of ``ours``. When
    ``theirs`` is ``base`` (nobody else changed it), the result is ``ours``.
    """
    if theirs == base:
        return ours
    return LabelSchema(
        ours.name if ours.name != base.name else theirs.name,
        _merged_items(base.labels, ours.labels, theirs.labels, renames, lambda x: x.name, "label"),
        _merged_items(
            base.relations,
            ours.relations,
            theirs.relations,
            relation_renames,
            lambda x: x.name,
            "relation type",
        ),
    )
