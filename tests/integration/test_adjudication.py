"""Adjudicating one document of two annotators into the gold layer (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.adjudication import Comparison, Kind
from app.core.annotations import Span
from app.core.errors import GlossaError, SpanError
from app.formats import jsonl
from app.services import Workspace, documents, entities, relations, span_edits, spans
from app.services.adjudication import Adjudication
from app.services.checking import check
from app.services.exporting import export
from app.services.importing import import_paths
from app.services.selection import Selection

TEXT = 'Ann Varga told Bo Lind: "The ferry is late." Acme Shipping said so.'
QUOTE = '"The ferry is late."'


def at(words: str, trim: int = 0) -> tuple[int, int]:
    start = TEXT.index(words)
    return start + trim, start + len(words) - trim


@dataclass
class Article:
    """One document tagged differently by alice and bob, adjudicated by judge."""

    id: int
    alice: Workspace
    bob: Workspace
    judge: Workspace
    adjudication: Adjudication

    def compared(self) -> Comparison:
        return self.adjudication.differences(self.id)

    def gold(self) -> list[Span]:
        return [s for s in spans.spans(self.judge, self.id) if s.annotator == "gold"]

    def gold_keys(self) -> list[tuple[int, int, str]]:
        return sorted((s.start, s.end, s.label) for s in self.gold())

    def difference(self, kind: Kind) -> tuple[Span, ...]:
        (found,) = self.compared().of_kind(kind)
        return found.versions


def tag(workspace: Workspace, document_id: int, words: str, label: str, trim: int = 0) -> Span:
    return spans.add_span(workspace, document_id, *at(words, trim), label).added[0]


@pytest.fixture
def article(database_url: str, tmp_path: Path) -> Iterator[Article]:
    """alice and bob agree on Ann Varga and told; they differ on Bo Lind's label, on the
    quote's boundaries (bob leaves out the quotation marks) and on Acme Shipping (bob has
    none). Both link the quote to Ann Varga; alice's quote is direct, her Ann an entity."""
    alice = Workspace.open(database_url, "alice", samples=False)
    source = tmp_path / "ferry.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert import_paths(alice, [source]).ok
    document_id = documents.documents(alice)[0].id
    bob = Workspace(alice.database, "bob")
    judge = Workspace(alice.database, "judge")
    for who, bo_label, trim in ((alice, "PERSON", 0), (bob, "ORG", 1)):
        ann = tag(who, document_id, "Ann Varga", "PERSON")
        tag(who, document_id, "told", "CUE")
        tag(who, document_id, "Bo Lind", bo_label)
        quote = tag(who, document_id, QUOTE, "QUOTE", trim)
        relations.add_relation(who, quote.id, ann.id, "speaker")
    acme = tag(alice, document_id, "Acme Shipping", "ORG")
    alice_quote = next(s for s in spans.spans(alice, document_id) if s.label == "QUOTE")
    span_edits.set_span_attributes(alice, alice_quote.id, {"kind": "direct"})
    alice_ann = next(s for s in spans.spans(alice, document_id) if s.annotator == "alice")
    entity = entities.create_entity(alice, "Ann Varga", "PERSON")
    entities.link_span(alice, alice_ann.id, entity.id)
    assert acme.annotator == "alice"
    yield Article(document_id, alice, bob, judge, Adjudication(judge))
    alice.close()


def test_differences_are_grouped_by_kind(article: Article) -> None:
    compared = article.compared()

    assert compared.annotators == ("alice", "bob")
    assert [d.kind for d in compared.differences] == [
        Kind.AGREED,  # Ann Varga
        Kind.AGREED,  # told
        Kind.LABEL,  # Bo Lind
        Kind.BOUNDARY,  # the quote
        Kind.MISSING,  # Acme Shipping
    ]
    assert compared.unresolved == 5
    assert len(compared.relations) == 1 and compared.relations[0].agreed
    assert not compared.relations[0].in_gold


def test_pick_copies_a_version_with_its_attributes_and_entity(article: Article) -> None:
    alice_quote, _ = article.difference(Kind.BOUNDARY)
    ann = article.compared().differences[0].versions[0]

    article.adjudication.pick(article.id, alice_quote.id)
    article.adjudication.pick(article.id, ann.id)

    quote, person = sorted(article.gold(), key=lambda s: s.label, reverse=True)
    assert (quote.start, quote.end, quote.attributes) == (*at(QUOTE), {"kind": "direct"})
    assert person.entity == ann.entity is not None
    compared = article.compared()
    assert compared.unresolved == 3
    assert compared.differences[0].resolved and compared.of_kind(Kind.BOUNDARY)[0].resolved


def test_picking_again_replaces_the_gold_span_and_undo_restores_it(article: Article) -> None:
    alice_bo, bob_bo = article.difference(Kind.LABEL)

    first = article.adjudication.pick(article.id, alice_bo.id)
    second = article.adjudication.pick(article.id, bob_bo.id)

    assert article.gold_keys() == [(*at("Bo Lind"), "ORG")]
    assert second.removed == first.added
    article.adjudication.apply(second.inverse(), "undo")
    assert article.gold() == list(first.added), "the first pick is back under its id"
    article.adjudication.apply(first.inverse(), "undo")
    assert article.gold() == []
    redone = article.adjudication.apply(first)
    assert article.gold() == list(redone.added) == list(first.added)
    with pytest.raises(SpanError, match="already has alice's version"):
        article.adjudication.pick(article.id, alice_bo.id)


def test_accept_agreements_at_once_and_undo(article: Article) -> None:
    change = article.adjudication.accept_agreements(article.id)

    assert article.gold_keys() == sorted([(*at("Ann Varga"), "PERSON"), (*at("told"), "CUE")])
    assert article.compared().unresolved == 3
    with pytest.raises(SpanError, match="every agreement"):
        article.adjudication.accept_agreements(article.id)
    article.adjudication.apply(change.inverse(), "undo")
    assert article.gold() == []
    assert article.compared().unresolved == 5


def test_merge_union_intersection_or_explicit(article: Article) -> None:
    versions = [s.id for s in article.difference(Kind.BOUNDARY)]
    merge = article.adjudication.merge

    union = merge(article.id, versions)
    assert article.gold_keys() == [(*at(QUOTE), "QUOTE")]
    narrow = merge(article.id, versions, how="intersection")
    assert article.gold_keys() == [(*at(QUOTE, trim=1), "QUOTE")]
    assert narrow.removed == union.added, "a merge replaces the earlier answer"
    explicit = merge(article.id, versions, start=at(QUOTE)[0], end=at(QUOTE)[1] - 1)
    assert article.gold_keys() == [(at(QUOTE)[0], at(QUOTE)[1] - 1, "QUOTE")]
    assert explicit.added[0].attributes == {"kind": "direct"}, "bob left the kind unset"

    for change in (explicit, narrow, union):
        article.adjudication.apply(change.inverse(), "undo")
    assert article.gold() == []


def test_merge_refuses_versions_with_different_labels(article: Article) -> None:
    versions = [s.id for s in article.difference(Kind.LABEL)]

    with pytest.raises(SpanError, match="different labels"):
        article.adjudication.merge(article.id, versions)
    article.adjudication.merge(article.id, versions, label="PERSON")
    assert article.gold_keys() == [(*at("Bo Lind"), "PERSON")]
    with pytest.raises(SpanError, match="not in the schema"):
        article.adjudication.merge(article.id, versions, label="PLANET")


def test_reject_keeps_nothing_and_undo_brings_back_the_review_state(article: Article) -> None:
    (acme,) = article.difference(Kind.MISSING)
    picked = article.adjudication.pick(article.id, acme.id)

    rejected = article.adjudication.reject(article.id, acme.id)

    assert article.gold() == []
    assert rejected.removed == picked.added
    (difference,) = article.compared().of_kind(Kind.MISSING)
    assert difference.rejected and difference.resolved
    article.adjudication.apply(rejected.inverse(), "undo")
    (difference,) = article.compared().of_kind(Kind.MISSING)
    assert not difference.rejected
    assert article.gold() == list(picked.added)


def test_relations_copied_once_both_ends_are_gold(article: Article) -> None:
    relation = article.compared().relations[0].versions[1]  # bob's
    adjudication = article.adjudication
    with pytest.raises(SpanError, match="no relation to copy"):
        adjudication.copy_relations(article.id)
    with pytest.raises(SpanError, match="in the gold layer first"):
        adjudication.pick_relation(article.id, relation.id)

    adjudication.accept_agreements(article.id)
    quote = article.difference(Kind.BOUNDARY)[0]
    adjudication.merge(article.id, [quote.id, article.difference(Kind.BOUNDARY)[1].id])
    copied = adjudication.copy_relations(article.id)

    (gold_relation,) = copied.relations_added
    assert gold_relation.annotator == "gold"
    gold = {s.id: s for s in article.gold()}
    assert (gold[gold_relation.head].label, gold[gold_relation.tail].label) == ("QUOTE", "PERSON")
    assert article.compared().relations[0].in_gold
    with pytest.raises(SpanError, match="already has"):
        adjudication.pick_relation(article.id, relation.id)
    adjudication.apply(copied.inverse(), "undo")
    assert not article.compared().relations[0].in_gold
    adjudication.pick_relation(article.id, relation.id)
    assert article.compared().relations[0].in_gold


def test_gold_spans_are_edited_like_any_span(article: Article) -> None:
    adjudication = article.adjudication
    (acme,) = article.difference(Kind.MISSING)
    gold = adjudication.pick(article.id, acme.id).added[0]

    moved = adjudication.move(gold.id, *at("Acme"))
    assert article.compared().of_kind(Kind.MISSING)[0].resolved, "a moved answer still answers"
    relabelled = adjudication.relabel(gold.id, "LOC")
    assert article.gold_keys() == [(*at("Acme"), "LOC")]
    adjudication.apply(relabelled.inverse(), "undo")
    adjudication.apply(moved.inverse(), "undo")
    assert article.gold() == [gold]
    deleted = adjudication.delete(gold.id)
    assert article.gold() == []
    adjudication.apply(deleted.inverse(), "undo")
    assert article.gold() == [gold]
    with pytest.raises(SpanError, match="outside the text"):
        adjudication.move(gold.id, 0, len(TEXT) + 1)
    with pytest.raises(SpanError, match="alice's, not a gold span"):
        adjudication.relabel(acme.id, "LOC")


def test_actions_are_recorded_under_the_adjudicators_name(article: Article) -> None:
    change = article.adjudication.accept_agreements(article.id)
    article.adjudication.apply(change.inverse(), "undo")

    with article.judge.database.unit_of_work() as uow:
        events = uow.events.of_actions(["gold_accept_agreements", "gold_undo"])
    assert [(who, action) for _, who, action, _ in events] == [
        ("judge", "gold_accept_agreements"),
        ("judge", "gold_undo"),
    ]
    assert events[0][3]["added"] == [s.id for s in change.added]


def test_the_gold_export_is_the_gold_layer(article: Article, tmp_path: Path) -> None:
    adjudication = article.adjudication
    adjudication.accept_agreements(article.id)
    alice_bo, _ = article.difference(Kind.LABEL)
    adjudication.pick(article.id, alice_bo.id)
    adjudication.merge(article.id, [s.id for s in article.difference(Kind.BOUNDARY)])
    adjudication.copy_relations(article.id)
    (acme,) = article.difference(Kind.MISSING)
    adjudication.reject(article.id, acme.id)
    assert article.compared().unresolved == 0

    out = tmp_path / "gold.jsonl"
    export(article.judge, "jsonl", out, selection=Selection.parse(layer="gold"))

    (record,) = jsonl.read(out)
    assert sorted((s.start, s.end, s.label, s.annotator) for s in record.spans) == [
        (*key, "gold") for key in article.gold_keys()
    ]
    assert [(r.label, r.annotator) for r in record.relations] == [("speaker", "gold")]


def test_an_annotator_named_gold_is_not_compared(article: Article) -> None:
    with pytest.raises(SpanError, match="gold layer is what adjudication builds"):
        article.adjudication.differences(article.id, ["alice", "gold"])
    article.adjudication.accept_agreements(article.id)

    assert article.adjudication.annotators(article.id) == ["alice", "bob"]
    only_alice = article.adjudication.differences(article.id, ["alice"])
    assert {d.kind for d in only_alice.differences} == {Kind.AGREED}


def test_undoing_every_step_restores_the_start_and_redoing_rebuilds_the_end(
    article: Article,
) -> None:
    adjudication = article.adjudication
    before = (
        spans.spans(article.judge, article.id),
        spans.relations(article.judge, article.id),
    )
    alice_bo, bob_bo = article.difference(Kind.LABEL)
    quotes = [s.id for s in article.difference(Kind.BOUNDARY)]
    (acme,) = article.difference(Kind.MISSING)
    steps = [
        lambda: adjudication.accept_agreements(article.id),
        lambda: adjudication.pick(article.id, alice_bo.id),
        lambda: adjudication.pick(article.id, bob_bo.id),
        lambda: adjudication.merge(article.id, quotes, how="intersection"),
        lambda: adjudication.merge(article.id, quotes),
        lambda: adjudication.copy_relations(article.id),
        lambda: adjudication.pick(article.id, acme.id),
        lambda: adjudication.reject(article.id, acme.id),
    ]
    done = [step() for step in steps]
    after = (
        spans.spans(article.judge, article.id),
        spans.relations(article.judge, article.id),
    )
    rejected = article.compared().of_kind(Kind.MISSING)[0].rejected

    for change in reversed(done):
        adjudication.apply(change.inverse(), "undo")
    assert (
        spans.spans(article.judge, article.id),
        spans.relations(article.judge, article.id),
    ) == before
    assert article.compared().unresolved == 5
    for change in done:
        adjudication.apply(change)
    assert (
        spans.spans(article.judge, article.id),
        spans.relations(article.judge, article.id),
    ) == after
    assert rejected and article.compared().unresolved == 0


def gold_with_a_speaker(article: Article) -> tuple[Span, Span]:
    """Gold has the quote (merged), alice's Ann Varga (with her entity) and the speaker link
    between them; returns the gold quote and the gold Ann."""
    adjudication = article.adjudication
    ann = next(s for s in article.compared().differences[0].versions if s.annotator == "alice")
    adjudication.pick(article.id, ann.id)
    adjudication.merge(article.id, [s.id for s in article.difference(Kind.BOUNDARY)])
    (speaker,) = adjudication.copy_relations(article.id).relations_added
    gold = {s.id: s for s in article.gold()}
    quote, person = gold[speaker.head], gold[speaker.tail]
    assert (quote.label, person.label, speaker.label) == ("QUOTE", "PERSON", "speaker")
    assert person.entity is not None
    return quote, person


def gold_relations(article: Article) -> list[tuple[int, int, str]]:
    return [
        (r.head, r.tail, r.label)
        for r in spans.relations(article.judge, article.id)
        if r.annotator == "gold"
    ]


def test_relabelling_a_gold_quote_as_a_claim_drops_its_speaker_and_undo_restores_it(
    article: Article,
) -> None:
    quote, person = gold_with_a_speaker(article)
    before = spans.relations(article.judge, article.id)

    change = article.adjudication.relabel(quote.id, "CLAIM")

    (removed,) = change.relations_removed
    assert (removed.head, removed.tail, removed.label) == (quote.id, person.id, "speaker")
    assert gold_relations(article) == []
    assert check(article.judge) == []
    article.adjudication.apply(change.inverse(), "undo")
    assert spans.relations(article.judge, article.id) == before, "the link is back under its id"
    assert {s.id: s for s in article.gold()}[quote.id] == quote
    article.adjudication.apply(change)
    assert gold_relations(article) == []
    assert check(article.judge) == []


def test_relabelling_a_gold_person_drops_the_entity_link_and_what_the_label_refuses(
    article: Article,
) -> None:
    quote, person = gold_with_a_speaker(article)

    as_org = article.adjudication.relabel(person.id, "ORG")  # a speaker may be an ORG

    assert as_org.relations_removed == ()
    assert as_org.entities and as_org.changed[0].entity is None
    assert {s.id: s for s in article.gold()}[person.id].entity is None
    assert gold_relations(article) == [(quote.id, person.id, "speaker")]
    assert check(article.judge) == []
    article.adjudication.apply(as_org.inverse(), "undo")
    assert {s.id: s for s in article.gold()}[person.id] == person

    as_loc = article.adjudication.relabel(person.id, "LOC")

    assert [r.label for r in as_loc.relations_removed] == ["speaker"]
    assert check(article.judge) == []
    article.adjudication.apply(as_loc.inverse(), "undo")
    assert {s.id: s for s in article.gold()}[person.id] == person
    assert gold_relations(article) == [(quote.id, person.id, "speaker")]
    assert check(article.judge) == []


def test_undoing_a_gold_relabel_whose_other_end_is_gone_is_refused(article: Article) -> None:
    quote, person = gold_with_a_speaker(article)
    change = article.adjudication.relabel(quote.id, "CLAIM")
    article.adjudication.delete(person.id)

    with pytest.raises(GlossaError):
        article.adjudication.apply(change.inverse(), "undo")

    assert {s.id: s for s in article.gold()}[quote.id].label == "CLAIM", "nothing half-done"
    assert check(article.judge) == []


def test_a_discontinuous_version_goes_into_gold_with_its_fragments(article: Article) -> None:
    adjudication = article.adjudication
    (acme,) = article.difference(Kind.MISSING)
    name, rest = at("Acme"), at("Shipping")
    # alice's Acme Shipping becomes "Acme … Shipping" without the space between
    cut = span_edits.move_span(article.alice, acme.id, *name).changed[0]
    cut = span_edits.add_fragment(article.alice, cut.id, *rest).changed[0]
    assert cut.fragments == (name, rest)
    gold = adjudication.pick(article.id, cut.id).added[0]
    assert (gold.start, gold.end, gold.fragments) == (name[0], rest[1], (name, rest))
    moved = adjudication.move(gold.id, name[0] + 1, rest[1]).changed[0]
    assert moved.fragments == ((name[0] + 1, name[1]), rest)
    assert check(article.judge) == []
