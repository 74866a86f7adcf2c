"""The schema editor: labels (name, colour, hotkey, guideline, attributes) and relation types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InputError
from app.core.schema import AttributeSpec, Label, LabelSchema, RelationType
from app.gui.annotating.annotation_panel import swatch
from app.gui.commands import EditSchema
from app.gui.hub import ChangeHub
from app.gui.schema import schema_tables
from app.gui.schema.schema_tables import (
    ATTRIBUTE_COLUMNS,
    KEY_ROLE,
    KIND_NAMES,
    LABEL_COLUMNS,
    ORIGINAL_ROLE,
    RELATION_COLUMNS,
    cell,
    names,
)
from app.gui.widgets.plain_text import literal
from app.services import Workspace, schema_edits
from app.services.schema_checks import checked_schema
from app.services.schema_replacing import removed_names, used


class SchemaDialog(QDialog):
    """Edit the workspace's label schema; OK checks it and hands ``push`` one EditSchema."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        push: Callable[[EditSchema], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit label schema")
        self.setObjectName("schemaDialog")
        self.workspace = workspace
        self.hub = hub
        self.push = push
        self.schema = schema_edits.refresh_schema(workspace)
        self._colours: dict[int, str] = {}
        self._attributes: dict[int, list[AttributeSpec]] = {}
        self._next_key = 0
        self._filling = False

        self.labels = schema_tables.table(LABEL_COLUMNS, self)
        self.labels.setObjectName("schemaLabels")
        self.attributes = schema_tables.table(ATTRIBUTE_COLUMNS, self)
        self.attributes.setObjectName("schemaAttributes")
        self.relations = schema_tables.table(RELATION_COLUMNS, self)
        self.relations.setObjectName("schemaRelations")
        for label in self.schema.labels:
            self._add_label_row(label, original=label.name)
        for kind in self.schema.relations:
            self._add_relation_row(kind.name, kind.heads, kind.tails, original=kind.name)
        self.labels.currentCellChanged.connect(lambda row, *_: self._show_attributes(row))
        self.attributes.itemChanged.connect(lambda _item: self._store_attributes())

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Labels</b> (editing a name renames its spans)", self))
        layout.addWidget(self.labels, 3)
        layout.addLayout(
            schema_tables.buttons(
                self,
                ("Add label", self.add_label),
                ("Remove label", self.remove_label),
                ("Rename label", self.rename_label),
            )
        )
        layout.addWidget(QLabel("<b>Attributes</b> of the selected label", self))
        layout.addWidget(self.attributes, 2)
        layout.addLayout(
            schema_tables.buttons(
                self,
                ("Add choice", lambda: self.add_attribute("enum")),
                ("Add yes/no", lambda: self.add_attribute("bool")),
                ("Add text note", lambda: self.add_attribute("text")),
                ("Remove attribute", self.remove_attribute),
            )
        )
        layout.addWidget(
            QLabel("<b>Relation types</b> (heads and tails: comma-separated label names)", self)
        )
        layout.addWidget(self.relations, 2)
        layout.addLayout(
            schema_tables.buttons(
                self,
                ("Add relation type", self.add_relation),
                ("Remove relation type", self.remove_relation),
            )
        )
        layout.addWidget(buttons)
        # tall enough for every row of each table (they grow as rows are added)
        hint = self.sizeHint()
        room = self.screen().availableGeometry()
        self.resize(min(max(760, hint.width()), room.width()), min(hint.height(), room.height()))
        if self.labels.rowCount():
            self.labels.setCurrentCell(0, 0)

    # -- labels ----------------------------------------------------------------------

    def _add_label_row(self, label: Label, original: str = "") -> int:
        key = self._next_key
        self._next_key += 1
        self._colours[key] = label.colour
        self._attributes[key] = list(label.attributes)
        row = self.labels.rowCount()
        self.labels.insertRow(row)
        name = schema_tables.item(label.name)
        name.setData(ORIGINAL_ROLE, original)
        name.setData(KEY_ROLE, key)
        self.labels.setItem(row, 0, name)
        button = QPushButton(self.labels)
        button.clicked.connect(lambda _=False, key=key: self._pick_colour(key))
        self.labels.setCellWidget(row, 1, button)
        self.labels.setItem(row, 2, schema_tables.item(label.hotkey))
        self.labels.setItem(row, 3, schema_tables.item(label.guideline))
        self._show_colour(row)
        return row

    def _key(self, row: int) -> int:
        return int(cell(self.labels, row, 0).data(KEY_ROLE))

    def _row_of_key(self, key: int) -> int | None:
        return next((row for row in range(self.labels.rowCount()) if self._key(row) == key), None)

    def _show_colour(self, row: int) -> None:
        colour = self._colours[self._key(row)]
        button = self.labels.cellWidget(row, 1)
        if isinstance(button, QPushButton):
            button.setIcon(swatch(colour))
            button.setText(colour)

    def _pick_colour(self, key: int) -> None:
        chosen = QColorDialog.getColor(QColor(self._colours[key]), self, "Label colour")
        row = self._row_of_key(key)
        if chosen.isValid() and row is not None:
            self.set_colour(row, chosen.name())

    def set_colour(self, row: int, colour: str) -> None:
        """Give the label in ``row`` the colour ``#rrggbb``."""
        self._colours[self._key(row)] = colour
        self._show_colour(row)

    def label_row(self, name: str) -> int | None:
        """The row of the label now called ``name``."""
        return next(
            (
                row
                for row in range(self.labels.rowCount())
                if cell(self.labels, row, 0).text() == name
            ),
            None,
        )

    def add_label(self) -> None:
        """A new label with a free hotkey, its name ready to type."""
        taken = {cell(self.labels, row, 2).text().lower() for row in range(self.labels.rowCount())}
        hotkey = next((key for key in "1234567890qwertyuiop" if key not in taken), "")
        row = self._add_label_row(Label(f"LABEL{self.labels.rowCount() + 1}", "#808080", hotkey))
        self.labels.setCurrentCell(row, 0)
        self.labels.editItem(cell(self.labels, row, 0))

    def remove_label(self) -> None:
        """Remove the selected label (OK asks first when spans use it)."""
        row = self.labels.currentRow()
        if row >= 0:
            key = self._key(row)
            self.labels.removeRow(row)
            self._colours.pop(key, None)
            self._attributes.pop(key, None)
            self._show_attributes(self.labels.currentRow())

    def rename_label(self) -> None:
        """Start editing the selected label's name (its spans follow on OK)."""
        row = self.labels.currentRow()
        if row >= 0:
            self.labels.editItem(cell(self.labels, row, 0))

    # -- attributes ------------------------------------------------------------------

    def _show_attributes(self, row: int) -> None:
        self._filling = True
        try:
            self.attributes.setRowCount(0)
            if row < 0 or row >= self.labels.rowCount():
                return
            for spec in self._attributes[self._key(row)]:
                self._add_attribute_row(spec)
        finally:
            self._filling = False

    def _add_attribute_row(self, spec: AttributeSpec) -> None:
        row = self.attributes.rowCount()
        self.attributes.insertRow(row)
        self.attributes.setItem(row, 0, schema_tables.item(spec.name))
        kind = schema_tables.item(KIND_NAMES.get(spec.kind, spec.kind), editable=False)
        kind.setData(ORIGINAL_ROLE, spec.kind)
        self.attributes.setItem(row, 1, kind)
        self.attributes.setItem(
            row, 2, schema_tables.item(", ".join(spec.values), editable=spec.kind == "enum")
        )

    def _store_attributes(self) -> None:
        row = self.labels.currentRow()
        if self._filling or row < 0:
            return
        specs = []
        for at in range(self.attributes.rowCount()):
            name, kind_item, values_item = (self.attributes.item(at, c) for c in range(3))
            if name is None or kind_item is None or values_item is None:
                return  # a row being filled in
            kind = str(kind_item.data(ORIGINAL_ROLE))
            values = names(values_item.text()) if kind == "enum" else ()
            specs.append(AttributeSpec(name.text().strip(), kind, values))
        self._attributes[self._key(row)] = specs

    def add_attribute(self, kind: str, name: str = "", values: tuple[str, ...] = ()) -> None:
        """Give the selected label an attribute: ``enum`` (a choice), ``bool`` or ``text``."""
        row = self.labels.currentRow()
        if row < 0:
            return
        specs = self._attributes[self._key(row)]
        spec = AttributeSpec(name or f"{kind}{len(specs) + 1}", kind, values)
        specs.append(spec)
        self._show_attributes(row)
        self.attributes.setCurrentCell(self.attributes.rowCount() - 1, 0)

    def remove_attribute(self) -> None:
        """Remove the selected attribute of the selected label."""
        row = self.labels.currentRow()
        at = self.attributes.currentRow()
        if row >= 0 and at >= 0:
            del self._attributes[self._key(row)][at]
            self._show_attributes(row)

    # -- relation types --------------------------------------------------------------

    def _add_relation_row(
        self, name: str, heads: tuple[str, ...], tails: tuple[str, ...], original: str = ""
    ) -> int:
        row = self.relations.rowCount()
        self.relations.insertRow(row)
        item = schema_tables.item(name)
        item.setData(ORIGINAL_ROLE, original)
        self.relations.setItem(row, 0, item)
        self.relations.setItem(row, 1, schema_tables.item(", ".join(heads)))
        self.relations.setItem(row, 2, schema_tables.item(", ".join(tails)))
        return row

    def add_relation(self) -> None:
        """A new relation type, its name ready to type."""
        row = self._add_relation_row(f"relation{self.relations.rowCount() + 1}", (), ())
        self.relations.setCurrentCell(row, 0)
        self.relations.editItem(cell(self.relations, row, 0))

    def remove_relation(self) -> None:
        """Remove the selected relation type."""
        row = self.relations.currentRow()
        if row >= 0:
            self.relations.removeRow(row)

    # -- result ----------------------------------------------------------------------

    def edited(self) -> tuple[LabelSchema, dict[str, str], dict[str, str]]:
        """The schema as edited, label renames and relation type renames (old -> new)."""
        labels = []
        renames: dict[str, str] = {}
        for row in range(self.labels.rowCount()):
            name_item = cell(self.labels, row, 0)
            name = name_item.text().strip()
            original = str(name_item.data(ORIGINAL_ROLE) or "")
            if original and original != name:
                renames[original] = name
            key = self._key(row)
            labels.append(
                Label(
                    name,
                    self._colours[key],
                    cell(self.labels, row, 2).text().strip(),
                    cell(self.labels, row, 3).text().strip(),
                    tuple(self._attributes[key]),
                    _role(self.schema.label(original or name)),
                )
            )
        kinds = []
        relation_renames: dict[str, str] = {}
        for row in range(self.relations.rowCount()):
            name_item = cell(self.relations, row, 0)
            name = name_item.text().strip()
            original = str(name_item.data(ORIGINAL_ROLE) or "")
            if original and original != name:
                relation_renames[original] = name
            heads = self._renamed(names(cell(self.relations, row, 1).text()), renames, labels)
            tails = self._renamed(names(cell(self.relations, row, 2).text()), renames, labels)
            before = next((k for k in self.schema.relations if k.name == (original or name)), None)
            kinds.append(RelationType(name, heads, tails, before.role if before else ""))
        schema = LabelSchema(self.schema.name, tuple(labels), tuple(kinds))
        return schema, renames, relation_renames

    @staticmethod
    def _renamed(
        ends: tuple[str, ...], renames: dict[str, str], labels: list[Label]
    ) -> tuple[str, ...]:
        """Relation ends written with a label's old name, under its new one."""
        current = {label.name for label in labels}
        return tuple(renames[end] if end not in current and end in renames else end for end in ends)

    def confirm(self, question: str) -> bool:
        """Ask the user a yes/no question."""
        answer = QMessageBox.question(self, "Edit schema", literal(question))
        return answer == QMessageBox.StandardButton.Yes

    def command(self) -> EditSchema | None:
        """The EditSchema of what was edited; None (after saying why) when it cannot be."""
        try:
            schema, renames, relation_renames = self.edited()
            checked_schema(schema)
        except InputError as exc:
            QMessageBox.warning(self, "Edit schema", literal(f"The schema is not valid: {exc}"))
            return None
        new_labels = {label.name for label in schema.labels}
        new_kinds = {kind.name for kind in schema.relations}
        old_labels = tuple(label.name for label in self.schema.labels)
        old_kinds = tuple(kind.name for kind in self.schema.relations)
        uses = [
            f"{used(count, 'span')} {name}"
            for name in removed_names(old_labels, new_labels, renames)
            if (count := schema_edits.label_usage(self.workspace, name))
        ] + [
            f"{used(count, 'relation')} {name}"
            for name in removed_names(old_kinds, new_kinds, relation_renames)
            if (count := schema_edits.relation_usage(self.workspace, name))
        ]
        if uses and not self.confirm("; ".join(uses) + "; delete them?"):
            return None
        return EditSchema(
            self.workspace,
            self.hub,
            schema,
            renames,
            relation_renames,
            delete_used=bool(uses),
        )

    def accept(self) -> None:
        """Check the schema, ask before deleting used labels, and push the edit."""
        command = self.command()
        if command is not None:
            self.push(command)
            super().accept()


def _role(label: Label | None) -> str:
    """The role a label keeps through an edit (its name may change, its meaning does not)."""
    return label.role if label is not None else ""
