"""``glossa schema`` and ``glossa import --strict-schema``, run as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import glossa

CITY = {"text": "Paris is big.", "spans": [{"start": 0, "end": 5, "label": "City"}]}


def test_import_adds_labels_and_strict_schema_refuses(tmp_path: Path) -> None:
    source = tmp_path / "cities.jsonl"
    source.write_text(json.dumps(CITY) + "\n", encoding="utf-8")

    strict = glossa("--db", tmp_path / "a.db", "import", "--strict-schema", source)
    loose = glossa("--db", tmp_path / "b.db", "import", source)

    assert strict.returncode == 1
    assert "label 'City' is not in the schema" in strict.stderr
    assert loose.returncode == 0, loose.stderr
    assert loose.stdout == "imported 1 document(s) with 1 span(s); added labels: City\n"


def test_schema_show_import_and_add_label(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    conf = tmp_path / "annotation.conf"
    conf.write_text(
        "[entities]\nPerson\nOrganization\n[relations]\n"
        "Works_for\tArg1:Person, Arg2:Organization\n",
        encoding="utf-8",
    )

    imported = glossa("--db", db, "schema", "import", conf)
    again = glossa("--db", db, "schema", "import", conf)
    added = glossa("--db", db, "schema", "add-label", "Event", "--color", "#102030", "--key", "q")
    taken = glossa("--db", db, "schema", "add-label", "Other", "--key", "Q")
    shown = glossa("--db", db, "schema", "show", "--json")
    table = glossa("--db", db, "schema", "show")

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        "added labels: Person, Organization",
        "added relation types: Works_for",
    ]
    assert again.stdout == f"the schema already has everything {conf} declares\n"
    assert added.stdout == "added label Event (#102030, q)\n"
    assert taken.returncode == 1
    assert "hotkey 'Q' is taken" in taken.stderr
    schema = json.loads(shown.stdout)
    assert [label["name"] for label in schema["labels"]][-3:] == ["Person", "Organization", "Event"]
    assert schema["relations"][-1] == {
        "name": "Works_for",
        "heads": ["Person"],
        "tails": ["Organization"],
        "role": "",
    }
    assert "Works_for  Person" in table.stdout


def test_doccano_export_in_the_label_shape(tmp_path: Path) -> None:
    source = tmp_path / "cities.jsonl"
    source.write_text(json.dumps(CITY) + "\n", encoding="utf-8")
    db = tmp_path / "d.db"
    assert glossa("--db", db, "import", source).returncode == 0
    out = tmp_path / "out.jsonl"

    result = glossa("--db", db, "export", "--format", "doccano", "--doccano-shape", "label",
                    "--out", out)  # fmt: skip
    wrong = glossa("--db", db, "export", "--doccano-shape", "label", "--out", out)

    assert result.returncode == 0, result.stderr
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["label"] == [[0, 5, "City"]] and "entities" not in line
    assert wrong.returncode == 1
    assert "--doccano-shape is for --format doccano" in wrong.stderr
