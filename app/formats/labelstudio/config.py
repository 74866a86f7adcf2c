"""The labeling config of a Label Studio export, and the names reading and writing share."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.schema import LabelSchema
from app.formats.report import ExportReport

FORMAT_NAME = "labelstudio"
OFFSET_UNIT = "unicode code points"

LABELS_CONTROL = "label"
TEXT_OBJECT = "text"
PALETTE = (
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
    "#808000", "#ffd8b1", "#000075", "#a9a9a9",
)  # fmt: skip
"""Background colours given to labels in the written config, in turn."""

VALUE_KEYS = {
    "choices": "choices",
    "textarea": "text",
    "number": "number",
    "rating": "rating",
    "taxonomy": "taxonomy",
    "datetime": "datetime",
}
"""Result types read as attributes, and the ``value`` key that holds each one's answer."""

SCHEMA_KINDS = {"enum": "choices", "bool": "choices", "text": "textarea"}
"""The control each kind of schema attribute becomes."""
YES_NO = ("true", "false")

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def config_path(path: Path) -> Path:
    """Where ``export`` writes the labeling config for a JSON file at ``path``."""
    if path.suffix.lower() == ".xml":
        return path.with_name(path.stem + ".config.xml")
    return path.with_suffix(".xml")


@dataclass
class LabelingConfig:
    """Labels, relations and attribute controls for the labeling config: the project's
    schema when it is known (every label in its colour, every relation and attribute, even
    those no span of a file uses), and whatever else the spans use."""

    labels: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    attributes: dict[str, str] = field(default_factory=dict)
    """Attribute name -> result type (``choices``, ``textarea`` or ``number``)."""
    order: list[str] = field(default_factory=list)
    """The schema's labels in its order (the palette's); others follow by name."""
    colours: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    """The values of each ``choices`` attribute."""
    scopes: dict[str, list[str]] = field(default_factory=dict)
    """The labels whose spans carry each attribute, as the schema says."""

    @classmethod
    def of_schema(cls, schema: LabelSchema) -> LabelingConfig:
        """The config that declares everything ``schema`` holds."""
        config = cls()
        for label in schema.labels:
            config.labels.add(label.name)
            config.order.append(label.name)
            config.colours[label.name] = label.colour
            for spec in label.attributes:
                kind = SCHEMA_KINDS.get(spec.kind, "textarea")
                if config.attributes.setdefault(spec.name, kind) != kind:
                    continue  # another label's attribute of that name is of another kind
                config.scopes.setdefault(spec.name, []).append(label.name)
                if kind == "choices":
                    values = spec.values if spec.kind == "enum" else YES_NO
                    config._add_choices(spec.name, values)
        config.relations.update(kind.name for kind in schema.relations)
        return config

    def _add_choices(self, name: str, values: Any) -> None:
        known = self.choices.setdefault(name, [])
        known.extend(value for value in values if value not in known)

    def kind(self, name: str, value: Any) -> str | None:
        """The result type of an attribute value, or None when it has none here."""
        declared = self.attributes.get(name)
        if declared == "choices" and isinstance(value, str):
            self._add_choices(name, [value])  # a value the schema no longer lists
            return declared
        if isinstance(value, bool):
            kind = "choices"
        elif isinstance(value, (int, float)):
            kind = "number"
        elif isinstance(value, str) or (
            isinstance(value, list) and value and all(isinstance(x, str) for x in value)
        ):
            kind = "textarea"
        else:
            return None
        if self.attributes.setdefault(name, kind) != kind:
            return None  # the name was first written with another type
        if kind == "choices":
            self._add_choices(name, YES_NO)
        return kind

    def xml(self, report: ExportReport) -> str:
        """The ``<View>`` labeling config (without a ``<Labels>`` control when there is no
        label at all: the text alone, to add labels to in Label Studio)."""
        view = ET.Element("View")
        if self.labels:  # Label Studio refuses a <Labels> control without a label
            labels = ET.SubElement(view, "Labels", name=LABELS_CONTROL, toName=TEXT_OBJECT)
            others = sorted(self.labels - set(self.order))
            for number, label in enumerate([*self.order, *others]):
                colour = self.colours.get(label) or PALETTE[number % len(PALETTE)]
                ET.SubElement(labels, "Label", value=_xml_safe(label, report), background=colour)
        ET.SubElement(view, "Text", name=TEXT_OBJECT, value=f"${TEXT_OBJECT}")
        if self.relations:
            relations = ET.SubElement(view, "Relations")
            for name in sorted(self.relations):
                ET.SubElement(relations, "Relation", value=_xml_safe(name, report))
        for name, kind in sorted(self.attributes.items()):
            common = {"name": _xml_safe(name, report), "toName": TEXT_OBJECT, "perRegion": "true"}
            scope = self.scopes.get(name, [])
            if len(scope) == 1:  # shown for the spans of the label that has it
                common |= {"visibleWhen": "region-selected", "whenLabelValue": scope[0]}
            if kind == "choices":
                choices = ET.SubElement(view, "Choices", common, choice="single")
                for value in self.choices.get(name, YES_NO):
                    ET.SubElement(choices, "Choice", value=_xml_safe(value, report))
            elif kind == "textarea":
                ET.SubElement(view, "TextArea", common, editable="true")
            else:
                ET.SubElement(view, "Number", common)
        ET.indent(view)
        return ET.tostring(view, encoding="unicode") + "\n"


def _xml_safe(value: str, report: ExportReport) -> str:
    """``value`` without the characters XML 1.0 cannot hold (each becomes ``?``)."""
    safe = _XML_INVALID.sub("?", value)
    if safe != value:
        report.warn(f"{value!r} is written as {safe!r} in the labeling config (XML)")
    return safe
