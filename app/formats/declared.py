"""Label schemas that come with the data: brat's ``annotation.conf``, a Label Studio labeling
config, a Glossa schema JSON.

Each is read into a ``SchemaDraft`` (labels, relation types with the labels they join,
attributes) that an import adds to the project's schema. ``declared_schema`` finds the one
beside a file being imported; ``read_schema_file`` reads one named by the user.

brat's ``annotation.conf`` (found in the folder of the files or the nearest folder above):
``[entities]`` lists labels (indented children too; a leading ``!`` marks a label that is
only a group and is left out), ``[relations]`` lines ``name Arg1:A|B, Arg2:C`` (``<ENTITY>``
and ``<ANY>`` stand for every label; ``<OVERLAP>`` and ``<REL-TYPE>`` settings are not
relations), ``[attributes]`` lines ``name Arg:A|B, Value:x|y`` (an enum) or ``name Arg:A``
(yes/no). ``<NAME>=A|B`` defines a macro; ``#`` starts a comment; events are not read.

A Label Studio config (``NAME.xml`` beside ``NAME.json``, or the folder's one ``<View>``
file): every ``<Label value=...>`` of a ``Labels`` control (its
``background`` colour when ``#rrggbb``), every ``<Relation value=...>`` (joining any
labels), and each ``perRegion`` ``Choices`` (enum), ``TextArea``, ``Number``, ``Rating``
control as an attribute of every label.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from app.core.errors import InputError
from app.core.schema import AttributeSpec, Label, LabelSchema
from app.core.schema_growth import SchemaDraft

BRAT_CONFIG = "annotation.conf"
_CONFIG_DEPTH = 3
"""Folders above the files looked at for an ``annotation.conf``, as brat looks upwards."""
_ANY = frozenset({"<ENTITY>", "<ANY>"})
_MACRO = re.compile(r"^(<[^>]+>)\s*=\s*(.*)$")
_LABEL_TAGS = ("Labels", "HyperTextLabels", "ParagraphLabels")
_TEXT_ATTRIBUTES = ("TextArea", "Number", "Rating", "DateTime", "Taxonomy")


def declared_schema(path: Path, format_name: str) -> SchemaDraft:
    """What the companion files of ``path`` (read as ``format_name``) declare; empty when
    there are none. Raises ``InputError`` naming a companion file that cannot be read."""
    if format_name == "brat":
        conf = find_brat_config(path)
        return read_brat_config(conf) if conf is not None else SchemaDraft()
    if format_name == "labelstudio":
        config = labelstudio_config_beside(path)
        if config is not None:
            return read_labelstudio_config(config)
    return SchemaDraft()


def labelstudio_config_beside(path: Path) -> Path | None:
    """The labeling config of a Label Studio export: ``NAME.xml`` beside ``NAME.json``, else
    the only ``.xml`` file of the folder that holds a ``<View>``."""
    named = path.with_suffix(".xml")
    if named.is_file():
        return named
    views = []
    for candidate in sorted(path.parent.glob("*.xml")):
        try:
            with candidate.open("rb") as handle:
                head = handle.read(512).lstrip()
        except OSError:
            continue
        if head.startswith(b"<View") or (head.startswith(b"<?xml") and b"<View" in head):
            views.append(candidate)
    return views[0] if len(views) == 1 else None


def read_schema_file(path: Path) -> SchemaDraft:
    """A Glossa schema JSON, a brat ``annotation.conf`` or a Label Studio XML config, told
    apart by content. Raises ``InputError`` naming the file."""
    text = _text(path)
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return labelstudio_config(text, str(path))
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", source=str(path)) from None
        if not isinstance(data, dict):
            raise InputError("a schema is a JSON object", source=str(path))
        data.setdefault("name", path.stem)
        return SchemaDraft.of(LabelSchema.from_dict(data, source=str(path)))
    if "[entities]" in text or "[relations]" in text:
        return brat_config(text, str(path))
    raise InputError(
        "not a label schema: expected Glossa schema JSON, a brat annotation.conf or a "
        "Label Studio XML config",
        source=str(path),
    )


def find_brat_config(path: Path) -> Path | None:
    """The ``annotation.conf`` nearest to ``path`` (its folder, then up to three above)."""
    folder = path if path.is_dir() else path.parent
    for candidate in [folder, *folder.parents][: _CONFIG_DEPTH + 1]:
        conf = candidate / BRAT_CONFIG
        if conf.is_file():
            return conf
    return None


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from None


def read_brat_config(path: Path) -> SchemaDraft:
    """The labels, relation types and attributes an ``annotation.conf`` declares."""
    return brat_config(_text(path), str(path))


def brat_config(text: str, source: str = "") -> SchemaDraft:
    """Parse the text of an ``annotation.conf`` (see the module docstring)."""
    sections: dict[str, list[tuple[int, str]]] = {}
    macros: dict[str, str] = {}
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
            continue
        macro = _MACRO.match(stripped)
        if macro:
            macros[macro.group(1)] = macro.group(2).strip()
            continue
        sections.setdefault(section, []).append((number, stripped))
    draft = SchemaDraft()
    for _, line in sections.get("entities", []):
        name = line.split()[0]
        if not name.startswith("!") and name not in _ANY:
            draft.add_label(name)
    entity_labels = list(draft.labels)

    def names(value: str) -> list[str]:
        for macro, meaning in macros.items():
            value = value.replace(macro, meaning)
        found: list[str] = []
        for name in value.split("|"):
            name = name.strip()
            if name in _ANY:
                found.extend(entity_labels)
            elif name and not name.startswith("<"):  # <EVENT> and the like: not span labels
                found.append(name)
        return found

    for number, line in sections.get("relations", []):
        name, _, rest = line.partition("\t") if "\t" in line else line.partition(" ")
        name = name.strip()
        if name.startswith("<") or name.startswith("!"):
            continue  # <OVERLAP> and the like are settings, not relation types
        arguments = _arguments(rest)
        if "Arg1" not in arguments or "Arg2" not in arguments:
            raise InputError(
                f"relation {name}: expected 'NAME Arg1:LABEL, Arg2:LABEL'",
                source=source,
                line=number,
            )
        draft.add_relation(name, names(arguments["Arg1"]), names(arguments["Arg2"]))
    for _, line in sections.get("attributes", []):
        name, _, rest = line.partition("\t") if "\t" in line else line.partition(" ")
        name = name.strip()
        arguments = _arguments(rest)
        values = tuple(v.strip() for v in arguments.get("Value", "").split("|") if v.strip())
        spec = AttributeSpec(name, "enum", values) if values else AttributeSpec(name, "bool")
        for label in names(arguments.get("Arg", "<ENTITY>")):
            if label in draft.labels:  # an attribute of events is not ours to keep
                draft.add_attribute(label, spec)
    return draft


def _arguments(rest: str) -> dict[str, str]:
    """``Arg1:A|B, Arg2:C`` as ``{"Arg1": "A|B", "Arg2": "C"}``."""
    found: dict[str, str] = {}
    for part in rest.split(","):
        key, colon, value = part.strip().partition(":")
        if colon:
            found[key.strip()] = value.strip()
    return found


def read_labelstudio_config(path: Path) -> SchemaDraft:
    """The labels, relations and per-region attributes a labeling config declares."""
    return labelstudio_config(_text(path), str(path))


def labelstudio_config(text: str, source: str = "") -> SchemaDraft:
    """Parse a Label Studio ``<View>`` labeling config (see the module docstring)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"not a Label Studio config (XML): {exc}", source=source) from None
    draft = SchemaDraft()
    for tag in _LABEL_TAGS:
        for control in root.iter(tag):
            for item in control.iter("Label"):
                name = item.get("value")
                if not name:
                    continue
                draft.add_label(name)
                colour = (item.get("background") or "").strip()
                if re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
                    draft.looks.setdefault(name, Label(name, colour.lower(), ""))
    labels = list(draft.labels)
    for relation in root.iter("Relation"):
        name = relation.get("value")
        if name:
            draft.add_relation(name, labels, labels)
    for control in root.iter():
        if (control.get("perRegion") or "").lower() != "true" or not control.get("name"):
            continue
        name = str(control.get("name"))
        if control.tag == "Choices":
            values = tuple(str(c.get("value")) for c in control.iter("Choice") if c.get("value"))
            spec = AttributeSpec(name, "enum", values) if values else AttributeSpec(name, "text")
        elif control.tag in _TEXT_ATTRIBUTES:
            spec = AttributeSpec(name, "text")
        else:
            continue
        for label in labels:
            draft.add_attribute(label, spec)
    return draft
