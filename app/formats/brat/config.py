"""The ``annotation.conf`` written beside an export: every type, role and attribute used."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _names(names: set[str]) -> str:
    return "|".join(sorted(names))


@dataclass
class Config:
    """Labels, relations, events and attributes seen while writing, for ``annotation.conf``."""

    entities: set[str] = field(default_factory=set)
    relations: dict[str, tuple[tuple[str, str], set[str], set[str]]] = field(default_factory=dict)
    """Relation type -> (argument names, head labels, tail labels)."""
    events: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """Event type -> role (without brat's number) -> argument labels."""
    attributes: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)

    def relation(self, name: str, arguments: tuple[str, str], head: str, tail: str) -> None:
        """Note one relation of type ``name`` from a ``head`` to a ``tail`` label."""
        _, heads, tails = self.relations.setdefault(name, (arguments, set(), set()))
        heads.add(head)
        tails.add(tail)

    def event(self, name: str, roles: list[tuple[str, str]]) -> None:
        """Note one event of type ``name`` with its ``(role, argument label)`` pairs."""
        declared = self.events.setdefault(name, {})
        for role, label in roles:
            # brat numbers a repeated role (Theme2, Theme3) and declares it once
            declared.setdefault(re.sub(r"\d+$", "", role) or role, set()).add(label)

    def text(self) -> str:
        """The file's content."""
        lines = ["[entities]", *sorted(self.entities), "", "[relations]"]
        for name, ((first, second), heads, tails) in sorted(self.relations.items()):
            lines.append(f"{name}\t{first}:{_names(heads)}, {second}:{_names(tails)}")
        # Glossa spans may nest and overlap; brat refuses that unless told
        lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
        lines += ["", "[events]"]
        for name, roles in sorted(self.events.items()):
            declared = ", ".join(
                f"{role}*:{_names(labels)}" for role, labels in sorted(roles.items())
            )
            lines.append(f"{name}\t{declared}" if declared else name)
        lines += ["", "[attributes]"]
        for name, (labels, values) in sorted(self.attributes.items()):
            declared = f", Value:{_names(values)}" if values else ""
            lines.append(f"{name}\tArg:{_names(labels)}{declared}")
        return "\n".join(lines) + "\n"
