"""Importing brings the file's labels into the schema, in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Workspace, documents
from app.services.checking import check
from app.services.importing import import_paths

ORG_PERSON = {
    "id": "a",
    "text": "Acme hired Bob.",
    "spans": [
        {"id": "1", "start": 0, "end": 4, "label": "Organization"},
        {"id": "2", "start": 11, "end": 14, "label": "Person", "attributes": {"negated": False}},
    ],
    "relations": [{"id": "r", "head": "1", "tail": "2", "label": "employs"}],
}


@pytest.fixture
def fresh(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester", samples=False)
    yield workspace
    workspace.close()


def write_jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_labels_a_file_uses_are_added_and_reported(fresh: Workspace, tmp_path: Path) -> None:
    report = import_paths(fresh, [write_jsonl(tmp_path / "a.jsonl", ORG_PERSON)])

    assert report.ok, report.errors
    assert report.spans == 2
    assert report.summary() == (
        "imported 1 document(s) with 2 span(s); added labels: Organization, Person; "
        "added relation types: employs; added attributes: Person.negated"
    )
    for workspace in (fresh, Workspace.open(fresh.database.url, "other", samples=False)):
        assert workspace.schema.label("Organization") is not None
        assert [r.name for r in workspace.schema.relations][-1] == "employs"
    assert check(fresh) == []


def test_strict_schema_refuses_as_before(fresh: Workspace, tmp_path: Path) -> None:
    before = fresh.schema

    report = import_paths(
        fresh, [write_jsonl(tmp_path / "a.jsonl", ORG_PERSON)], strict_schema=True
    )

    assert "label 'Organization' is not in the schema" in report.errors[0].message
    assert fresh.schema == before
    assert documents.documents(fresh) == []


def test_a_refused_file_adds_nothing_to_the_schema(fresh: Workspace, tmp_path: Path) -> None:
    before = fresh.schema
    duplicate = dict(ORG_PERSON, text="Acme hired Bob again.")
    bad = write_jsonl(tmp_path / "bad.jsonl", ORG_PERSON, duplicate, {"text": "x", "spans": 3})

    report = import_paths(fresh, [bad])

    assert len(report.errors) == 1
    reopened = Workspace.open(fresh.database.url, "other", samples=False)
    assert reopened.schema == before == fresh.schema


def test_a_failure_inside_the_transaction_takes_the_new_labels_back(
    fresh: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fresh.schema
    from app.store.repositories import BulkWrites

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(BulkWrites, "add_relations", broken)
    with pytest.raises(RuntimeError):
        import_paths(fresh, [write_jsonl(tmp_path / "a.jsonl", ORG_PERSON)])

    assert Workspace.open(fresh.database.url, "other", samples=False).schema == before
    assert fresh.schema == before


def test_a_brat_folder_brings_its_annotation_conf(fresh: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "annotation.conf").write_text(
        "[entities]\nPerson\nOrganization\nGPE\n[relations]\n"
        "Works_for\tArg1:Person, Arg2:Organization\n[events]\n[attributes]\n"
        "Negated\tArg:<ENTITY>\nCertainty\tArg:Person, Value:Low|High\n",
        encoding="utf-8",
    )
    (folder / "a.txt").write_text("Ann works for Acme.", encoding="utf-8")
    (folder / "a.ann").write_text(
        "T1\tPerson 0 3\tAnn\nT2\tOrganization 14 18\tAcme\n"
        "R1\tWorks_for Arg1:T1 Arg2:T2\nA1\tCertainty T1 High\n",
        encoding="utf-8",
    )

    report = import_paths(fresh, [folder])

    assert report.ok, report.errors
    assert report.schema_added["added labels"] == ["Person", "Organization", "GPE"]
    gpe, person = fresh.schema.label("GPE"), fresh.schema.label("Person")
    assert gpe is not None and person is not None
    assert [a.name for a in gpe.attributes] == ["Negated"]
    assert [(a.name, a.kind, a.values) for a in person.attributes] == [
        ("Negated", "bool", ()),
        ("Certainty", "enum", ("Low", "High")),
    ]
    assert fresh.schema.relations[-1].heads == ("Person",)


def test_a_second_file_sees_the_labels_the_first_added(fresh: Workspace, tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", ORG_PERSON)
    second = write_jsonl(tmp_path / "b.jsonl", dict(ORG_PERSON, text="Acme fired Bob."))

    report = import_paths(fresh, [first, second])

    assert report.ok
    assert report.schema_added["added labels"] == ["Organization", "Person"]
    labels = [label.name for label in fresh.schema.labels]
    assert labels.count("Organization") == 1
