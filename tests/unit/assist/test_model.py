"""The project's model: trained, saved with its card, replaced whole, and suggesting."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.assist import ModelSuggester, ProjectContext, make_suggester
from app.assist.held_out import TrainingDocument
from app.assist.model import ModelCard, loaded, train_model
from app.core.errors import GlossaError, InputError
from tests.generated_news import article

LABELS = ("PERSON", "ORG", "GPE")


def documents(count: int, seed: int = 3) -> list[TrainingDocument]:
    rng = random.Random(seed)
    return [TrainingDocument(str(i), *_spans(article(rng, 3))) for i in range(count)]


def _spans(
    made: tuple[str, list[tuple[int, int, str]]],
) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    return made[0], tuple(made[1])


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models") / "news"
    train_model(documents(40), LABELS, folder, source="documents of annotator ana", passes=6)
    return folder


def test_the_card_says_what_the_model_learnt_and_how_it_did(model_folder: Path) -> None:
    card = ModelCard.read(model_folder)

    assert card is not None and card.version == 1 and card.labels == LABELS
    assert card.training_documents == 32 and card.held_out_documents == 8
    assert card.training_spans > 0 and 1 <= card.passes <= 6
    assert [row["label"] for row in card.figures] == [*LABELS, "all"]
    assert [row["label"] for row in card.baseline] == [*LABELS, "all"]
    assert len(card.held_out) == 8 and card.lang == "en" and card.base == ""
    assert sum(band["spans"] for band in card.calibration) == card.figure("all")["predicted"]
    assert json.loads((model_folder / "card.json").read_text(encoding="utf-8"))["version"] == 1
    assert (model_folder / "pipeline" / "config.cfg").is_file()


def test_the_suggester_proposes_the_models_spans_with_a_confidence(model_folder: Path) -> None:
    text = "Mara Voss said on Monday that Harbour Bank would open a new office in Oslo."
    context = ProjectContext.build(labels=[*LABELS, "QUOTE"], model_folder=str(model_folder))

    found = make_suggester("model").suggest(text, context)

    assert found
    for suggestion in found:
        assert suggestion.label in LABELS and 0 < suggestion.confidence <= 1
        assert 0 <= suggestion.start < suggestion.end <= len(text)
        assert suggestion.provenance.suggester == "model"
        assert suggestion.provenance.version == "1"
    first = found[0]
    rejecting = ProjectContext.build(
        labels=[*LABELS, "QUOTE"],
        rejected=[(text[first.start : first.end].upper(), first.label)],
        model_folder=str(model_folder),
    )
    assert first not in ModelSuggester().suggest(text, rejecting)
    without = ProjectContext.build(labels=["QUOTE"], model_folder=str(model_folder))
    assert ModelSuggester().suggest(text, without) == []


def test_without_a_model_nothing_is_suggested(tmp_path: Path) -> None:
    assert ModelSuggester().suggest("Mara Voss said so.", ProjectContext()) == []
    empty = ProjectContext.build(model_folder=str(tmp_path / "none"))
    assert ModelSuggester().suggest("Mara Voss said so.", empty) == []


def test_retraining_replaces_the_model_whole_and_a_failed_one_leaves_it(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    first = train_model(documents(12), LABELS, folder, source="gold layer", passes=1)

    with pytest.raises(
        InputError, match="too few annotated documents to train a model: 5 of the gold layer"
    ):
        train_model(documents(5), LABELS, folder, source="gold layer", passes=1)
    assert ModelCard.read(folder) == first
    second = train_model(documents(12, seed=4), LABELS, folder, source="gold layer", passes=1)

    assert (first.version, second.version) == (1, 2)
    assert [p.name for p in tmp_path.iterdir()] == ["project"]
    found = loaded(folder)
    assert found is not None and found[0].version == 2


@settings(max_examples=30, deadline=None)
@given(
    text=st.lists(st.sampled_from([*"ab \n.,“”😀", "Mara", "Voss", " said ", "Oslo"])).map("".join)
)
def test_any_text_gets_spans_inside_it(model_folder: Path, text: str) -> None:
    context = ProjectContext.build(labels=LABELS, model_folder=str(model_folder))

    for suggestion in ModelSuggester().suggest(text, context):
        assert 0 <= suggestion.start < suggestion.end <= len(text)
        assert text[suggestion.start : suggestion.end].strip()
        assert 0 < suggestion.confidence <= 1


def test_a_model_that_cannot_be_saved_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "project"
    first = train_model(documents(12), LABELS, folder, source="gold layer", passes=1)
    real_rename = Path.rename

    def refuse_new(self: Path, target: Path) -> Path:
        if self.name.startswith(".new-"):
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_new)

    with pytest.raises(GlossaError, match=r"cannot save the model in .*No space left"):
        train_model(documents(12), LABELS, folder, source="gold layer", passes=1)
    assert ModelCard.read(folder) == first
    assert [p.name for p in tmp_path.iterdir()] == ["project"]


def test_without_spacy_training_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # as if it were not installed

    with pytest.raises(GlossaError, match=r"needs spaCy.*pip install 'glossa\[model\]'"):
        train_model(documents(12), LABELS, tmp_path / "m", source="gold layer", passes=1)
    assert not (tmp_path / "m").exists()
