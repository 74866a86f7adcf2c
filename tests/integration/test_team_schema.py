"""Two people on one database: a schema edit by one is seen by the other's next write, and an
edit made from a schema someone has changed meanwhile is refused, never overwriting theirs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.errors import ConflictError, GlossaError, SpanError
from app.core.review import quotes_attributed_to
from app.core.schema import Label, LabelSchema
from app.services import Workspace, documents, entities, schema_edits, span_edits, spans
from app.services import relations as relations_service
from app.services.importing import import_paths
from app.services.review import ReviewActions
from tests.cli.runner import glossa
from tests.integration.test_schema_edits import renamed


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, int]]:
    """Two annotators' workspaces on one database, each with its own connections."""
    first = Workspace.open(database_url, "ana", samples=False)
    article = tmp_path / "article.txt"
    article.write_text("The summit in Lagos ended on Friday, officials said.", encoding="utf-8")
    assert import_paths(first, [article]).ok
    second = Workspace.open(database_url, "ben", samples=False)
    yield first, second, documents.documents(first)[0].id
    first.close()
    second.close()


def with_label(schema: LabelSchema, name: str) -> LabelSchema:
    return replace(schema, labels=(*schema.labels, Label(name, "#884488", "9")))


def test_a_label_added_by_one_can_be_used_by_the_other_at_once(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, second, document = pair
    schema_edits.update_schema(first, with_label(first.schema, "EVENT"))

    (span,) = spans.add_span(second, document, 4, 10, "EVENT").added

    assert span.label == "EVENT"
    assert second.schema.label("EVENT") is not None


def test_a_renamed_label_is_refused_to_the_other_under_its_old_name(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, second, document = pair
    schema_edits.update_schema(first, renamed(first.schema, "PERSON", "HUMAN"), {"PERSON": "HUMAN"})

    with pytest.raises(SpanError, match="PERSON"):
        spans.add_span(second, document, 29, 35, "PERSON")
    (span,) = spans.add_span(second, document, 29, 35, "HUMAN").added
    assert span.label == "HUMAN"
    (relabelled,) = span_edits.relabel_span(second, span.id, "LOC").changed
    assert relabelled.label == "LOC"


def test_an_edit_from_a_stale_schema_keeps_the_others_change(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, second, _ = pair
    stale = second.schema
    schema_edits.update_schema(first, renamed(first.schema, "PERSON", "HUMAN"), {"PERSON": "HUMAN"})

    schema_edits.update_schema(second, with_label(stale, "EVENT"))

    schema = schema_edits.refresh_schema(first)
    assert schema.label("EVENT") is not None and schema.label("HUMAN") is not None
    assert schema.label("PERSON") is None


def test_an_edit_of_what_the_other_changed_is_refused_then_made_on_the_new_one(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, second, _ = pair
    stale = second.schema
    schema_edits.update_schema(first, renamed(first.schema, "PERSON", "HUMAN"), {"PERSON": "HUMAN"})

    with pytest.raises(ConflictError, match="PERSON was removed by someone else"):
        schema_edits.update_schema(second, renamed(stale, "PERSON", "PEOPLE"), {"PERSON": "PEOPLE"})

    # nothing of the refused edit was stored, and the other's rename stands
    assert schema_edits.refresh_schema(first).label("PEOPLE") is None
    assert schema_edits.refresh_schema(first).label("HUMAN") is not None
    # the refusal read the new schema: the change made on it goes through
    assert second.schema.label("HUMAN") is not None
    schema_edits.update_schema(
        second, renamed(second.schema, "HUMAN", "PEOPLE"), {"HUMAN": "PEOPLE"}
    )
    assert schema_edits.refresh_schema(first).label("PEOPLE") is not None


def test_the_gold_layer_is_not_an_annotator_name(database_url: str) -> None:
    with pytest.raises(GlossaError, match="adjudicat"):
        Workspace.open(database_url, "gold", samples=False)


def test_the_command_line_refuses_to_annotate_as_gold(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Some text.", encoding="utf-8")
    result = glossa("--db", tmp_path / "g.db", "--annotator", "gold", "import", article)
    assert result.returncode != 0
    assert "adjudicat" in result.stderr and "Traceback" not in result.stderr


def test_entity_linking_follows_a_renamed_label(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, _, document = pair
    schema_edits.update_schema(first, renamed(first.schema, "PERSON", "HUMAN"), {"PERSON": "HUMAN"})
    (span,) = spans.add_span(first, document, 14, 19, "HUMAN").added

    linked = entities.link_new_entity(first, span.id, "Lagos Summit Host")

    (entity,) = linked.entities_added
    assert entity.type == "HUMAN"
    assert entities.entity_candidates(first, span.id)[0][0].id == entity.id


def test_a_renamed_label_keeps_the_entities_of_its_mentions(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, _, document = pair
    (span,) = spans.add_span(first, document, 14, 19, "PERSON").added
    entities.link_new_entity(first, span.id, "Someone")
    schema_edits.update_schema(first, renamed(first.schema, "PERSON", "HUMAN"), {"PERSON": "HUMAN"})

    (after,) = spans.spans(first, document)
    assert after.label == "HUMAN" and after.entity is not None
    assert entities.entity(first, after.entity).type == "HUMAN"
    assert span_edits.relabel_span(first, span.id, "HUMAN").changed[0].entity == after.entity


def test_a_renamed_speaker_relation_still_names_who_said_a_quote(
    pair: tuple[Workspace, Workspace, int],
) -> None:
    first, _, document = pair
    (quote,) = spans.add_span(first, document, 37, 51, "QUOTE").added
    (person,) = spans.add_span(first, document, 14, 19, "PERSON").added
    relations_service.add_relation(first, quote.id, person.id, "speaker")
    relations = tuple(
        replace(kind, name="source") if kind.name == "speaker" else kind
        for kind in first.schema.relations
    )
    schema_edits.update_schema(
        first, replace(first.schema, relations=relations), relation_renames={"speaker": "source"}
    )

    rows = ReviewActions(first).rows(quotes_attributed_to("Lagos"), 0, 10)

    assert [(row.span_id, row.speaker) for row in rows] == [(quote.id, "Lagos")]
