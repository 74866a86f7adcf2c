"""Merging a colleague's work: another Glossa database, or files of any format Glossa imports.

Each annotator of the source becomes an annotator here with the same name (or all of them
the one named by ``as_annotator``). Documents are matched by the SHA-256 of their canonical
text, whatever their titles; documents we lack are added, or skipped when asked.

Nothing of the local work changes: the annotator of this workspace is never written to, and
no span, relation or status already here is edited or removed. A source span identical to
one here (same document, offsets, label and annotator) is skipped, and so are identical
relations: merging the same source again adds only what is new in it. Statuses only move
forward (new, in progress, done). The whole merge is one transaction: all or nothing.
The source is only read (``app.services.merge_sources``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from app.core.annotations import Status
from app.core.entities import Entity, entity_type_problem
from app.core.errors import GlossaError, InputError
from app.core.records import EntityRecord
from app.core.schema_growth import SchemaDraft
from app.core.text import first_line_title, text_sha256
from app.services.merge_report import MergeReport as MergeReport
from app.services.merge_sources import (
    SourceDocument,
    is_database,
    read_database,
    read_files,
    source_database,
)
from app.services.schema_edits import grow_schema
from app.services.workspace import Workspace
from app.store.repositories import fragments_json
from app.store.repositories.merging import RelationKey, SpanKey
from app.store.unit_of_work import UnitOfWork

DocumentChoice = Literal["add", "skip"]
REVIEW_STATES = frozenset({"unreviewed", "accepted", "rejected"})
_ORIGINS = frozenset({"manual", "imported", "suggested"})


class NeedsAnnotator(InputError):
    """The source's work needs another annotator name (``as_annotator``) to be merged."""


def merge_database(
    workspace: Workspace,
    path_or_url: str | Path,
    *,
    as_annotator: str | None = None,
    documents: DocumentChoice = "add",
) -> MergeReport:
    """Merge the work held in another Glossa database (a file, or a database URL)."""
    with source_database(str(path_or_url), workspace.database) as (database, shown):
        source = read_database(database, shown)
    return merge_documents(workspace, source, shown, as_annotator=as_annotator, documents=documents)


def merge_files(
    workspace: Workspace,
    paths: Path | Sequence[Path],
    *,
    as_annotator: str | None = None,
    documents: DocumentChoice = "add",
) -> MergeReport:
    """Merge files or folders of any format Glossa imports: native JSONL exports (with their
    entity tables, when beside them), a brat folder, CoNLL, doccano, Label Studio, Prodigy,
    spaCy, CSV tables.

    Every file is read and checked before anything is written. The labels, relation types
    and attributes the files declare or use (native JSONL's excepted) join the schema in the
    merge's transaction; what the readers left out is listed in the report's warnings.
    """
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    source = read_files(files)
    shown = ", ".join(str(path) for path in files)
    report = merge_documents(
        workspace,
        source.documents,
        shown,
        as_annotator=as_annotator,
        documents=documents,
        schema=source.schema,
    )
    report.warnings.extend(source.warnings)
    return report


merge_jsonl = merge_files
"""Native JSONL exports are merged as every other format's files are."""


def merge_path(
    workspace: Workspace,
    path_or_url: str | Path,
    *,
    as_annotator: str | None = None,
    documents: DocumentChoice = "add",
) -> MergeReport:
    """Merge a Glossa database (a URL, or an SQLite file), else files of any format Glossa
    imports (``merge_files``)."""
    target = str(path_or_url)
    if is_database(target):
        return merge_database(workspace, target, as_annotator=as_annotator, documents=documents)
    return merge_files(workspace, Path(target), as_annotator=as_annotator, documents=documents)


# -- writing ------------------------------------------------------------------------------


def _annotators(
    workspace: Workspace, source: Sequence[SourceDocument], shown: str, as_annotator: str | None
) -> dict[str, str]:
    """Local name by source annotator name, for every source annotator with work."""
    names: set[str] = set()
    for item in source:
        names.update(span.annotator for span in item.record.spans)
        # a relation naming no annotator is its head span's annotator's
        names.update(relation.annotator for relation in item.record.relations if relation.annotator)
        names.update(annotator for annotator, status in item.statuses if status is not Status.NEW)
    if as_annotator is not None:
        as_annotator = as_annotator.strip()
        if not as_annotator:
            raise InputError("the name to merge the work as is empty", source=shown)
        if as_annotator == workspace.annotator:
            raise InputError(
                f"{as_annotator!r} is your own annotator name here, and merging never "
                "changes your own work; choose another name",
                source=shown,
            )
        return {name: as_annotator for name in names}
    if "" in names:
        raise NeedsAnnotator(
            "some spans name no annotator; say whose work this is with --as NAME",
            source=shown,
        )
    if workspace.annotator in names:
        raise NeedsAnnotator(
            f"it holds work by {workspace.annotator!r}, which is your own annotator name here, "
            "and merging never changes your own work; merge it under another name with "
            "--as NAME",
            source=shown,
        )
    return {name: name for name in names}


def merge_documents(
    workspace: Workspace,
    source: Sequence[SourceDocument],
    shown: str,
    *,
    as_annotator: str | None = None,
    documents: DocumentChoice = "add",
    schema: SchemaDraft | None = None,
) -> MergeReport:
    """Merge documents read from a source named ``shown``, in one transaction.

    ``schema`` notes labels, relation types and attributes to add to the schema first, in
    the same transaction (an import as another annotator brings its file's labels).
    """
    if documents not in ("add", "skip"):
        raise GlossaError(f"documents must be 'add' or 'skip', not {documents!r}")
    names = _annotators(workspace, source, shown, as_annotator)
    report = MergeReport(shown)
    former = workspace.schema
    try:
        with workspace.database.unit_of_work() as uow:
            if schema:  # first: on SQLite, holding the project must come before any read
                grown, report.schema_growth = grow_schema(workspace, uow, schema)
                workspace.project_schema.keep(grown)
            _merge(workspace, uow, source, shown, names, documents, report)
    except BaseException:
        workspace.project_schema.keep(former)  # the grown schema was never committed
        raise
    return report


def _merge(
    workspace: Workspace,
    uow: UnitOfWork,
    source: Sequence[SourceDocument],
    shown: str,
    names: dict[str, str],
    documents: DocumentChoice,
    report: MergeReport,
) -> None:
    """The work of ``merge_documents`` inside ``uow``, committed at the end."""
    by_digest = {
        digest: document_id
        for document_id, digest in uow.bulk_reads.hashes_by_document(workspace.project_id).items()
    }
    digests = [text_sha256(item.record.text) for item in source]
    fresh: list[tuple[SourceDocument, dict[str, Any]]] = []
    for item, digest in zip(source, digests, strict=True):
        if digest in by_digest:
            # -1: a text the source holds twice, added once
            report.documents_matched += by_digest[digest] >= 0
        elif documents == "skip":
            report.documents_skipped += 1
        else:
            title = item.record.title or first_line_title(item.record.text)
            row = {
                "title": title,
                "text": item.record.text,
                "sha256": digest,
                "meta": {**item.record.meta, "title": title},
                "external_id": item.record.id,
            }
            by_digest[digest] = -1
            fresh.append((item, row))
    added = uow.bulk_writes.add_documents(workspace.project_id, [row for _, row in fresh])
    for (_, row), document_id in zip(fresh, added, strict=True):
        by_digest[str(row["sha256"])] = document_id
    # a text twice in the source lands on the one document it was added as
    targets = [
        (item, by_digest[digest])
        for item, digest in zip(source, digests, strict=True)
        if by_digest.get(digest, -1) >= 0
    ]
    report.documents_added = len(added)
    _Writer(workspace, uow, names, report).write(targets)
    uow.events.record(
        workspace.annotator,
        "merge",
        source=shown,
        documents_added=report.documents_added,
        spans=sum(report.spans.values()),
    )
    uow.commit()


class _Writer:
    """Adds the source's spans, relations, entity links and statuses in one transaction."""

    def __init__(
        self, workspace: Workspace, uow: Any, names: Mapping[str, str], report: MergeReport
    ) -> None:
        self.workspace, self.uow, self.names, self.report = workspace, uow, names, report
        self.layers = uow.layers
        self.entities = uow.entities
        self.ids = {name: uow.annotators.id_of(name) for name in set(names.values())}
        self.labels = {label.name for label in workspace.schema.labels}
        self.relation_types = {r.name: r for r in workspace.schema.relations}
        self.local_entities: dict[tuple[str, str], int] | None = None

    def write(self, targets: Sequence[tuple[SourceDocument, int]]) -> None:
        document_ids = sorted({document_id for _, document_id in targets})
        spans = self.layers.span_keys(document_ids)
        relations = self.layers.relation_keys(document_ids)
        # span ids of every target document, by the source's span id, for its relations
        local_ids: list[dict[str, int]] = []
        rows: list[dict[str, Any]] = []
        placed: list[tuple[int, str, SpanKey]] = []
        links: list[tuple[int, SourceDocument, str, str]] = []
        for index, (item, document_id) in enumerate(targets):
            local_ids.append({})
            for span in item.record.spans:
                if span.label not in self.labels:
                    self._problem(
                        item, f"span {span.id}: label {span.label!r} is not in the schema"
                    )
                    continue
                name = self.names[span.annotator]
                cut = fragments_json(span.fragments)
                key = (document_id, span.start, span.end, span.label, self.ids[name], cut)
                if key in spans:
                    local_ids[index][span.id] = spans[key]
                    self.report.already_present += 1
                    continue
                spans[key] = -1  # taken: a second identical span of the source is skipped
                review = item.reviews.get(span.id, "unreviewed")
                rows.append(
                    {
                        "document_id": document_id,
                        "start": span.start,
                        "end": span.end,
                        "label": span.label,
                        "text": span.text,
                        "annotator_id": self.ids[name],
                        "origin": span.origin if span.origin in _ORIGINS else "imported",
                        "review": review if review in REVIEW_STATES else "unreviewed",
                        "attributes": span.attributes,
                        "fragments": cut,
                    }
                )
                placed.append((index, span.id, key))
                if span.entity:
                    links.append((len(rows) - 1, item, span.entity, span.label))
                self.report.spans[name] += 1
        self.layers.add_spans(rows)
        # each new span is the only one of its kind on its document: found by what it is
        spans = self.layers.span_keys(document_ids)
        new_ids = [spans[key] for _, _, key in placed]
        for (index, record_id, _), new_id in zip(placed, new_ids, strict=True):
            local_ids[index][record_id] = new_id
        self._link(links, new_ids)
        self._relations(targets, local_ids, relations)
        self._statuses(targets)

    def _problem(self, item: SourceDocument, message: str) -> None:
        title = item.record.title or first_line_title(item.record.text, 60)
        self.report.problems.append(f"{title!r}: {message}")

    def _link(
        self, links: Iterable[tuple[int, SourceDocument, str, str]], new_ids: Sequence[int]
    ) -> None:
        by_entity: dict[int, list[int]] = {}
        for row, item, entity_id, label in links:
            entity = item.entities.get(entity_id)
            if entity is None:
                self._problem(item, f"entity {entity_id!r} of a {label} span is not in the source")
                continue
            problem = entity_type_problem(entity.type, label)
            if problem is not None:
                self._problem(item, f"entity link: {problem}")
                continue
            by_entity.setdefault(self._entity_id(entity), []).append(new_ids[row])
        for local, span_ids in by_entity.items():
            self.entities.link(span_ids, local)

    def _entity_id(self, entity: EntityRecord) -> int:
        """The entity here of the same type and name, made when there is none."""
        if self.local_entities is None:
            self.local_entities = {}
            for known in self.entities.of_project(self.workspace.project_id):
                self.local_entities.setdefault((known.type, known.name), known.id)
        key = (entity.type, entity.name)
        if key not in self.local_entities:
            made = Entity(0, entity.name, entity.type, entity.aliases, entity.external_id)
            self.local_entities[key] = self.entities.add(self.workspace.project_id, made)
        return self.local_entities[key]

    def _relations(
        self,
        targets: Sequence[tuple[SourceDocument, int]],
        local_ids: Sequence[Mapping[str, int]],
        known: set[RelationKey],
    ) -> None:
        rows: list[dict[str, Any]] = []
        for (item, document_id), ids in zip(targets, local_ids, strict=True):
            labels = {span.id: span.label for span in item.record.spans}
            owners = {span.id: span.annotator for span in item.record.spans}
            for relation in item.record.relations:
                head, tail = ids.get(relation.head), ids.get(relation.tail)
                kind = self.relation_types.get(relation.label)
                if kind is None:
                    self._problem(
                        item, f"relation {relation.id}: {relation.label!r} is not in the schema"
                    )
                    continue
                if head is None or tail is None:
                    self._problem(item, f"relation {relation.id}: one of its spans was left out")
                    continue
                ends = (labels.get(relation.head), labels.get(relation.tail))
                if ends[0] not in kind.heads or ends[1] not in kind.tails:
                    self._problem(
                        item,
                        f"relation {relation.id}: a {kind.name} joins {'/'.join(kind.heads)} "
                        f"to {'/'.join(kind.tails)}, not {ends[0]} to {ends[1]}",
                    )
                    continue
                name = self.names[relation.annotator or owners[relation.head]]
                key = (head, tail, relation.label, self.ids[name])
                if key in known:
                    self.report.already_present += 1
                    continue
                known.add(key)
                rows.append(
                    {
                        "document_id": document_id,
                        "head_id": head,
                        "tail_id": tail,
                        "label": relation.label,
                        "annotator_id": self.ids[name],
                    }
                )
                self.report.relations[name] += 1
        self.uow.bulk_writes.add_relations(rows)

    def _statuses(self, targets: Sequence[tuple[SourceDocument, int]]) -> None:
        for item, document_id in targets:
            for annotator, status in item.statuses:
                if status is Status.NEW or annotator not in self.names:
                    continue
                name = self.names[annotator]
                if self.layers.raise_status(document_id, self.ids[name], status):
                    self.report.statuses += 1
            started = {
                self.names[s.annotator] for s in item.record.spans if s.annotator in self.names
            }
            for name in started:
                self.layers.raise_status(document_id, self.ids[name], Status.IN_PROGRESS)
