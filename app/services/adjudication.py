"""Adjudication: see where annotators differ on a document and build its gold layer.

The gold layer is the spans and relations of the annotator named ``gold``. Building it is a
series of actions, each one transaction that returns a ``ChangeSet``: a ``ChangeSet`` that
also knows what it replaced, so that ``undo`` puts everything back under the same ids and
``redo`` does it again (``app.services.gold_changes`` writes them). Events name the
adjudicator (the workspace's annotator).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Literal

from app.core.adjudication import (
    Comparison,
    Kind,
    RelationDifference,
    combined_details,
    compare,
    compare_relations,
    gold_counterpart,
    intersection_range,
    union_range,
)
from app.core.annotations import Relation, Span, moved_fragments
from app.core.errors import SpanError
from app.services.changes import ChangeSet
from app.services.gold_changes import commit_change, gold_copy, replacing, same_answer
from app.services.relations import relation_refusal
from app.services.selection import GOLD_ANNOTATOR
from app.services.span_edits import relabel_fallout
from app.services.workspace import Workspace
from app.store.repositories.gold import REJECTED
from app.store.unit_of_work import UnitOfWork


class Adjudication:
    """The adjudication actions of a workspace; its annotator is the adjudicator."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # -- reading ---------------------------------------------------------------------

    def annotators(self, document_id: int) -> list[str]:
        """Everyone with a span in the document except ``gold``, alphabetically."""
        with self.workspace.database.reading() as uow:
            names = uow.gold.annotators_of(document_id)
        return [name for name in names if name != GOLD_ANNOTATOR]

    def differences(self, document_id: int, annotators: Sequence[str] | None = None) -> Comparison:
        """Where the annotators (by default everyone with spans here but gold) differ."""
        with self.workspace.database.reading() as uow:
            return self._compare(uow, document_id, annotators)

    def _compare(
        self, uow: UnitOfWork, document_id: int, annotators: Sequence[str] | None
    ) -> Comparison:
        uow.documents.excerpt(document_id, 0, 0)  # NotFoundError for a missing document
        gold_layer = uow.gold
        if annotators is None:
            names = gold_layer.annotators_of(document_id)
            annotators = [name for name in names if name != GOLD_ANNOTATOR]
        elif GOLD_ANNOTATOR in annotators:
            raise SpanError("the gold layer is what adjudication builds; compare others")
        layers: dict[str, list[Span]] = {name: [] for name in annotators}
        gold: list[Span] = []
        for span in uow.spans.of_document(document_id):
            if span.annotator == GOLD_ANNOTATOR:
                gold.append(span)
            elif span.annotator in layers:
                layers[span.annotator].append(span)
        relations = uow.spans.relations_of_document(document_id)
        gold_relations = [r for r in relations if r.annotator == GOLD_ANNOTATOR]
        differences = compare(layers, gold, gold_layer.rejected(document_id))
        return Comparison(
            document_id,
            tuple(annotators),
            tuple(differences),
            tuple(compare_relations(differences, relations, annotators, gold_relations)),
            tuple(gold),
            tuple(gold_relations),
        )

    # -- building the gold layer -----------------------------------------------------

    def pick(
        self, document_id: int, span_id: int, annotators: Sequence[str] | None = None
    ) -> ChangeSet:
        """Put an annotator's version (span ``span_id``) into gold, with its attributes and
        entity, in place of the gold spans that answered its difference."""
        with self.workspace.database.unit_of_work() as uow:
            comparison = self._compare(uow, document_id, annotators)
            difference = comparison.containing(span_id)
            version = next(s for s in difference.versions if s.id == span_id)
            copy = gold_copy(version)
            if any(same_answer(gold, copy) for gold in difference.gold):
                raise SpanError(f"the gold layer already has {version.annotator}'s version")
            change = replacing(uow, document_id, difference.gold, (copy,))
            return self._commit(uow, change, "gold_pick", picked=span_id)

    def accept_agreements(
        self, document_id: int, annotators: Sequence[str] | None = None
    ) -> ChangeSet:
        """Put every agreed span not yet in gold into gold at once.

        Agreements whose versions carry different attributes or entities are left for the
        adjudicator to pick.
        """
        with self.workspace.database.unit_of_work() as uow:
            comparison = self._compare(uow, document_id, annotators)
            copies = tuple(
                _combined_copy(d.versions, d.versions[0].start, d.versions[0].end, d.labels[0])
                for d in comparison.of_kind(Kind.AGREED)
                if not d.resolved and d.details_agree
            )
            if not copies:
                raise SpanError("every agreement is in the gold layer already")
            change = ChangeSet(document_id, added=copies)
            return self._commit(uow, change, "gold_accept_agreements")

    def merge(
        self,
        document_id: int,
        span_ids: Iterable[int],
        *,
        how: Literal["union", "intersection"] = "union",
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        annotators: Sequence[str] | None = None,
    ) -> ChangeSet:
        """Make one gold span from several versions: over the union or the intersection of
        their ranges, or over ``[start, end)`` when given, with their label (or ``label``)
        and the attributes and entity they share; it replaces the gold spans that answered
        their differences."""
        if label is not None:
            self._check_label(label)
        with self.workspace.database.unit_of_work() as uow:
            comparison = self._compare(uow, document_id, annotators)
            ids = list(dict.fromkeys(span_ids))
            if not ids:
                raise SpanError("choose the versions to merge")
            differences = {d.identity: d for d in map(comparison.containing, ids)}
            versions = [s for d in differences.values() for s in d.versions if s.id in ids]
            labels = sorted({s.label for s in versions})
            if label is None and len(labels) > 1:
                raise SpanError(
                    f"the versions have different labels ({', '.join(labels)}): pick one"
                )
            chosen = label or labels[0]
            if start is None or end is None:
                found = union_range(versions) if how == "union" else intersection_range(versions)
                if found is None:
                    raise SpanError("the versions share no character: merge their union instead")
                start, end = found
            merged = _combined_copy(versions, start, end, chosen)
            replaced = {g.id: g for d in differences.values() for g in d.gold}
            change = replacing(uow, document_id, tuple(replaced.values()), (merged,))
            return self._commit(uow, change, "gold_merge", how=how, spans=ids)

    def reject(
        self, document_id: int, span_id: int, annotators: Sequence[str] | None = None
    ) -> ChangeSet:
        """Keep nothing in gold for the difference of span ``span_id``: its gold spans go and
        every version is marked rejected."""
        with self.workspace.database.unit_of_work() as uow:
            comparison = self._compare(uow, document_id, annotators)
            difference = comparison.containing(span_id)
            if difference.rejected and not difference.gold:
                raise SpanError("every version here is rejected already")
            states = uow.review_rows.reviews_of([s.id for s in difference.versions])
            reviews = tuple(
                (i, state, REJECTED) for i, state in states.items() if state != REJECTED
            )
            change = replace(
                replacing(uow, document_id, difference.gold, ()),
                reviews=tuple(i for i, _, _ in reviews),
                review_states=reviews,
            )
            return self._commit(uow, change, "gold_reject", spans=list(difference.identity))

    def copy_relations(
        self,
        document_id: int,
        annotator: str | None = None,
        annotators: Sequence[str] | None = None,
    ) -> ChangeSet:
        """Copy into gold the relations every annotator made (or ``annotator``'s) whose two
        ends have gold answers, unless gold has them already."""
        with self.workspace.database.unit_of_work() as uow:
            comparison = self._compare(uow, document_id, annotators)
            chosen = []
            for difference in comparison.relations:
                relation = difference.version_of(annotator) if annotator else difference.versions[0]
                if (
                    relation is not None
                    and not difference.in_gold
                    and (annotator or difference.agreed)
                ):
                    chosen.append((difference, relation))
            added = self._gold_relations(comparison, chosen)
            if not added:
                raise SpanError("no relation to copy: none is missing from gold with both ends")
            change = ChangeSet(document_id, relations_added=added)
            return self._commit(uow, change, "gold_copy_relations", relations=len(added))

    def pick_relation(
        self, document_id: int, relation_id: int, annotators: Sequence[str] | None = None
    ) -> ChangeSet:
        """Copy one annotator's relation into gold; both of its ends must have gold answers."""
        with self.workspace.database.unit_of_work() as uow:
            comparison = self._compare(uow, document_id, annotators)
            found = [
                (d, r) for d in comparison.relations for r in d.versions if r.id == relation_id
            ]
            if not found:
                raise SpanError(f"relation {relation_id} is not compared in this document")
            added = self._gold_relations(comparison, found, strict=True)
            change = ChangeSet(document_id, relations_added=added)
            return self._commit(uow, change, "gold_pick_relation", relation=relation_id)

    def _gold_relations(
        self,
        comparison: Comparison,
        chosen: Sequence[tuple[RelationDifference, Relation]],
        *,
        strict: bool = False,
    ) -> tuple[Relation, ...]:
        """Gold copies (id 0) of the chosen relations, linking the gold spans that stand for
        their ends; links gold has, or that lack an end, are left out (an error with
        ``strict``)."""
        have = {(r.head, r.tail, r.label) for r in comparison.gold_relations}
        added: list[Relation] = []
        for difference, relation in chosen:
            ends = []
            for place, span_id in (
                (difference.head, relation.head),
                (difference.tail, relation.tail),
            ):
                version = next(s for s in place.versions if s.id == span_id)
                ends.append((version, gold_counterpart(version, place.gold)))
            (head, gold_head), (tail, gold_tail) = ends
            problem = None
            if gold_head is None or gold_tail is None:
                missing = head if gold_head is None else tail
                problem = f"put the {missing.label} {_quoted(missing)} in the gold layer first"
            elif (gold_head.id, gold_tail.id, relation.label) in have:
                problem = f"the gold layer already has this {relation.label}"
            else:
                problem = relation_refusal(
                    self.workspace.schema, relation.label, gold_head.label, gold_tail.label
                )
            if problem is not None:
                if strict:
                    raise SpanError(problem)
                continue
            assert gold_head is not None and gold_tail is not None
            have.add((gold_head.id, gold_tail.id, relation.label))
            added.append(
                Relation(
                    0,
                    relation.document_id,
                    gold_head.id,
                    gold_tail.id,
                    relation.label,
                    GOLD_ANNOTATOR,
                )
            )
        return tuple(added)

    # -- editing gold spans ----------------------------------------------------------

    def relabel(self, span_id: int, label: str) -> ChangeSet:
        """Give a gold span another label, with what the new label does not allow.

        As with any relabel (``span_edits.relabel_span``), the gold relations the schema does
        not allow with the new label go in the same step (``relations_removed``), and so does
        a link to an entity of another type (the changed span's ``entity`` is None,
        ``entities`` is set); ``undo`` puts them back under their ids.
        """
        self._check_label(label)
        with self.workspace.database.unit_of_work() as uow:
            old = self._gold_span(uow, span_id)
            removed, entity = relabel_fallout(uow, self.workspace.schema, old, label)
            change = ChangeSet(
                old.document_id,
                changed=(old._replace(label=label, entity=entity),),
                before=(old,),
                relations_removed=removed,
                entities=entity != old.entity,
            )
            return self._commit(
                uow,
                change,
                "gold_relabel",
                span=span_id,
                label=label,
                unlinked_entity=old.entity if entity != old.entity else None,
            )

    def move(self, span_id: int, start: int, end: int) -> ChangeSet:
        """Give a gold span new boundaries ``[start, end)``."""
        with self.workspace.database.unit_of_work() as uow:
            old = self._gold_span(uow, span_id)
            new = old._replace(
                start=start, end=end, fragments=moved_fragments(old.fragments, start, end)
            )
            change = ChangeSet(old.document_id, changed=(new,), before=(old,))
            return self._commit(uow, change, "gold_move", span=span_id, start=start, end=end)

    def delete(self, span_id: int) -> ChangeSet:
        """Delete a gold span and the gold relations that use it."""
        with self.workspace.database.unit_of_work() as uow:
            span = self._gold_span(uow, span_id)
            change = replacing(uow, span.document_id, (span,), ())
            return self._commit(uow, change, "gold_delete", span=span_id)

    # -- undo and redo ---------------------------------------------------------------

    def apply(self, change: ChangeSet, how: str = "redo") -> ChangeSet:
        """Write a change of the gold layer again, or an inverse (``how`` is ``"undo"``),
        under the ids it names."""
        with self.workspace.database.unit_of_work() as uow:
            return self._commit(uow, change, f"gold_{how}")

    # -- helpers of the actions ------------------------------------------------------

    def _commit(self, uow: UnitOfWork, change: ChangeSet, action: str, **payload: Any) -> ChangeSet:
        """Write ``change`` as the adjudicator's ``action`` and commit."""
        return commit_change(uow, change, self.workspace.annotator, action, **payload)

    def _gold_span(self, uow: UnitOfWork, span_id: int) -> Span:
        span = uow.spans.get(span_id)
        if span.annotator != GOLD_ANNOTATOR:
            raise SpanError(
                f"span {span_id} is {span.annotator}'s, not a gold span: pick it into gold first"
            )
        return span

    def _check_label(self, label: str) -> None:
        if self.workspace.schema.label(label) is None:
            raise SpanError(f"label {label!r} is not in the schema {self.workspace.schema.name!r}")


def _combined_copy(versions: Sequence[Span], start: int, end: int, label: str) -> Span:
    """A new gold span over ``[start, end)`` with the details the versions agree on."""
    attributes, entity, _ = combined_details(versions)
    first = versions[0]
    return gold_copy(
        first,
        start=start,
        end=end,
        label=label,
        attributes=attributes,
        entity=entity,
        fragments=moved_fragments(first.fragments, start, end),
    )


def _quoted(span: Span) -> str:
    return f"[{span.start}, {span.end})"
